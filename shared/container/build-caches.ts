import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { exec, lastLines } from '../core/exec.js';
import type { Logger } from '../core/logger.js';

/**
 * Dependency caches for builds in containers, kept between runs in host directories (the
 * default) or in named Docker volumes.
 *
 * `host`: a GitHub-hosted runner starts every job with an empty engine, so a volume is always
 * empty there. A preset is instead bind-mounted from where the same tool keeps its downloads on
 * the runner itself (`~/.m2/repository` for maven, as actions/setup-java's `cache: maven` saves
 * it); a path from a directory under the runner's tool cache. The action creates them as the
 * runner's user, so actions/cache saves and restores them like any other directory.
 *
 * `volume` (for self-hosted runners whose engine outlives the job):
 *
 * A preset names where a tool keeps its downloads, relative to the container's HOME (which the
 * runner points at a directory the build's user owns), and the variable that tells the tool so
 * explicitly — Java ignores HOME for a uid with no passwd entry, so Maven needs
 * `-Dmaven.repo.local`. A plain absolute path caches that directory as is.
 *
 * Volumes are named after the cache key, the cached path, the user and the trust scope (the ref;
 * cacheTrustScope): a fresh Docker volume
 * belongs to root, so one that a non-root build will write is chowned once, when created, and a
 * build under another uid gets its own volume instead of a permission error.
 */
export const CACHE_PRESETS = {
  maven: { path: '.m2/repository', env: (dir: string) => ({ MAVEN_OPTS: `-Dmaven.repo.local=${dir}` }) },
  gradle: { path: '.gradle', env: (dir: string) => ({ GRADLE_USER_HOME: dir }) },
  npm: { path: '.npm', env: (dir: string) => ({ npm_config_cache: dir }) },
  pip: { path: '.cache/pip', env: (dir: string) => ({ PIP_CACHE_DIR: dir }) },
} as const;
export type CachePreset = keyof typeof CACHE_PRESETS;
export const CACHE_PRESET_NAMES = Object.keys(CACHE_PRESETS) as CachePreset[];

export const CACHE_STORAGES = ['host', 'volume'] as const;
export type CacheStorage = (typeof CACHE_STORAGES)[number];

export interface BuildCache {
  /** As written in the input: a preset name or an absolute path. */
  given: string;
  storage: CacheStorage;
  /** What is mounted: a volume name, or an absolute host directory. */
  source: string;
  /** Where it is mounted in the container. */
  target: string;
  /** Variables that point the tool at `target`. */
  env: Record<string, string>;
}

/** Variables that are lists of flags: a cache's value and the user's are joined, not replaced. */
const FLAG_LIST_VARIABLES = new Set(['MAVEN_OPTS']);

/**
 * Resolves `caches` entries into volumes. Throws an Error naming the entry and what is
 * expected for an unknown preset or a relative path (callers add the input's name).
 */
export interface CacheLocation {
  /** The container's HOME, under which presets live. */
  home: string;
  key: string;
  user: string;
  /**
   * Who may write the cache (cacheTrustScope): volumes of different scopes are different volumes,
   * so a pull request's build never writes what a default-branch build later reads.
   */
  scope?: string;
  storage?: CacheStorage;
  /** host storage: the runner's HOME (presets go where the tool keeps them there). */
  hostHome?: string;
  /** host storage: the runner's tool cache (RUNNER_TOOL_CACHE), for path caches; else under hostHome/.cache. */
  toolCache?: string;
}

/**
 * The trust scope of a volume cache on a self-hosted runner, whose engine outlives jobs: the ref
 * the job runs for (a pull request's `refs/pull/N/merge`, a branch), and the event for the two
 * that run a base-branch ref on someone else's behalf (`pull_request_target`, `workflow_run`).
 * As actions/cache scopes by branch, a build from one scope never writes another's cache; unlike
 * it, nothing falls back to the default branch's cache (a mounted volume is writable).
 */
export function cacheTrustScope(env: NodeJS.ProcessEnv): string | undefined {
  const ref = env.GITHUB_REF;
  if (!ref) return undefined;
  const event = env.GITHUB_EVENT_NAME ?? '';
  return event === 'pull_request_target' || event === 'workflow_run' ? `${event}:${ref}` : ref;
}

export function resolveBuildCaches(entries: readonly string[], options: CacheLocation): BuildCache[] {
  const storage = options.storage ?? 'volume';
  const caches: BuildCache[] = [];
  for (const given of entries) {
    let target: string;
    let env: Record<string, string> = {};
    if (given in CACHE_PRESETS) {
      const preset = CACHE_PRESETS[given as CachePreset];
      target = path.posix.join(options.home, preset.path);
      env = preset.env(target);
    } else if (given.startsWith('/')) {
      target = path.posix.normalize(given).replace(/(.)\/+$/, '$1');
      if (target === '/') throw new Error(`cache path ${JSON.stringify(given)} is the container's root`);
    } else {
      throw new Error(`${JSON.stringify(given)} is neither a preset (${CACHE_PRESET_NAMES.join(', ')}) nor an absolute container path`);
    }
    if (caches.some((c) => c.target === target)) continue;
    const scoped = options.scope === undefined ? '' : `\0${options.scope}`;
    const hash = createHash('sha256').update(`${options.key}\0${target}\0${options.user}${scoped}`).digest('hex').slice(0, 12);
    const what = given in CACHE_PRESETS ? given : 'path';
    const name = `ctp-cache-${slug(options.key)}-${what}-${hash}`;
    let source = name;
    if (storage === 'host') {
      const hostHome = options.hostHome ?? '';
      if (!path.isAbsolute(hostHome)) throw new Error(`host cache storage needs the runner's HOME (it is ${JSON.stringify(hostHome)})`);
      source =
        given in CACHE_PRESETS
          ? path.join(hostHome, CACHE_PRESETS[given as CachePreset].path)
          : path.join(options.toolCache || path.join(hostHome, '.cache'), 'commit-to-prod-caches', name);
    }
    caches.push({ given, storage, source, target, env });
  }
  return caches;
}

/** The caches' variables under the user's own: the user wins, except flag lists are joined. */
export function mergeCacheEnv(caches: readonly BuildCache[], userEnv: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const cache of caches) Object.assign(merged, cache.env);
  for (const [key, value] of Object.entries(userEnv)) {
    merged[key] = FLAG_LIST_VARIABLES.has(key) && merged[key] !== undefined ? `${merged[key]} ${value}` : value;
  }
  return merged;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 40) || 'default'
  );
}

/**
 * Creates missing volumes (labelled, so they can be listed and pruned; `labels` go on the
 * short-lived container only) and hands new ones to
 * the build's user with one short root container of the build's own image (it has `chown`; no
 * other image can be assumed present). Returns the volumes that were created.
 */
/**
 * Host directories: created (as this process's user, the runner's) when missing, and reported
 * with the path actions/cache should save.
 */
function prepareCacheDirectories(caches: readonly BuildCache[], logger: Logger): void {
  for (const cache of caches) {
    const existed = existsSync(cache.source);
    mkdirSync(cache.source, { recursive: true });
    const entries = readdirSync(cache.source).length;
    try {
      accessSync(cache.source, constants.W_OK);
    } catch {
      logger.warning(`Cache ${cache.given}: ${cache.source} is not writable by this runner's user; the build may not be able to fill it.`);
    }
    logger.info(
      `Cache ${cache.given}: host directory ${cache.source} at ${cache.target} (${existed ? (entries ? `${entries} entr${entries === 1 ? 'y' : 'ies'}, restored or kept` : 'empty') : 'created, empty'}); save it with actions/cache, path ${cache.source}.`,
    );
  }
}

export async function prepareCacheVolumes(
  all: readonly BuildCache[],
  options: { image: string; user: string; labels: Readonly<Record<string, string>>; logger: Logger; signal?: AbortSignal },
): Promise<string[]> {
  prepareCacheDirectories(
    all.filter((c) => c.storage === 'host'),
    options.logger,
  );
  const caches = all.filter((c) => c.storage === 'volume');
  const created: string[] = [];
  for (const cache of caches) {
    const found = await exec('docker', ['volume', 'inspect', '--format', '{{.Name}}', '--', cache.source], { stream: false });
    if (found.exitCode === 0) {
      options.logger.info(`Cache ${cache.given}: reusing volume ${cache.source} at ${cache.target}.`);
      continue;
    }
    const made = await exec(
      'docker',
      ['volume', 'create', ...labels({ 'commit-to-prod.cache': cache.given, 'commit-to-prod.cache-user': options.user }), '--', cache.source],
      { stream: false },
    );
    if (made.exitCode !== 0) throw new Error(`could not create cache volume ${cache.source}: ${lastLines(made.stderr, 3)}`);
    options.logger.info(`Cache ${cache.given}: created volume ${cache.source} at ${cache.target} (empty: this run fills it).`);
    created.push(cache.source);
  }
  const isRoot = /^(0|root)(:|$)/.test(options.user);
  if (created.length > 0 && !isRoot) {
    const mounts = created.flatMap((volume, i) => ['--volume', `${volume}:/__ctp_cache/${i}`]);
    const chown = await exec(
      'docker',
      [
        'run',
        '--rm',
        '--pull',
        'never',
        ...labels(options.labels),
        '--user',
        '0:0',
        ...mounts,
        '--entrypoint',
        'chown',
        options.image,
        options.user,
        ...created.map((_, i) => `/__ctp_cache/${i}`),
      ],
      { stream: false, ...(options.signal ? { signal: options.signal } : {}) },
    );
    if (chown.exitCode !== 0) {
      options.logger.warning(
        `Could not give the new cache volume(s) to user ${options.user} (${lastLines(chown.stderr || chown.stdout, 2)}); the build may not be able to write its cache.`,
      );
    }
  }
  return created;
}

function labels(map: Readonly<Record<string, string>>): string[] {
  return Object.entries(map).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}
