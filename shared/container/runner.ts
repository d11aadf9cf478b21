/**
 * Runs a script inside a container the way a build or a test tier needs it — shared by
 * build-in-container and run-test-tier. API (stable; later additions are optional fields):
 *
 *   const name = newContainerName('ctp-tests');       // save it in state BEFORE the run, for post
 *   const caches = resolveBuildCaches(['npm'], { home: CONTAINER_HOME, key, user });  // optional
 *   const result = await runInContainer(
 *     { name, image, pull: 'missing', script, shell: ['sh', '-e'], workspace,          // required
 *       workingDirectory, env, passEnv, user, caches, mounts, network, options, labels }, // optional
 *     { logger, signal, timeoutMs, dockerConfig },
 *   );
 *   // → { name, exitCode, durationMs, imageId, timedOut, cancelled, tail, startFailure? }
 *   // in the post step:
 *   await removeContainers(`${CONTAINER_LABEL}=${name}`, logger);
 *   removeRunDirectory(name);
 *
 * `options` must come from parseDockerRunOptions (shared/container/run-args.ts), which refuses
 * flags that would replace what the runner sets. A failed or refused pull throws ImagePullError
 * (a UserError); a non-zero exit is NOT thrown: the caller decides what it means.
 *
 * What it guarantees:
 * - the image is resolved by the `pull` policy (`missing`/`always`/`never`) and the container
 *   runs that exact image ID; a refused or failed pull is a UserError saying why;
 * - the script is written to a file and run by the shell byte for byte (no `-c`, no joining
 *   of lines), the workspace is mounted at the same absolute path, and the build runs as the
 *   runner's own uid:gid unless told otherwise, with a writable HOME (CONTAINER_HOME);
 * - the GITHUB_*, RUNNER_* and CI variables are forwarded with host paths rewritten to where
 *   they are mounted (or dropped when they point at nothing the container can see);
 *   variables reach docker through an env file or its own environment, never its command line;
 * - output streams live inside a log group and the last lines are kept for a summary;
 * - on timeout or cancellation the container is stopped and removed before this returns.
 *   The container is named and labelled so a post step can remove anything a killed process
 *   left behind.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mergeCacheEnv, prepareCacheVolumes, type BuildCache } from './build-caches.js';
import { containerRunArgs, type ContainerMount } from './run-args.js';
import { UserError } from '../core/errors.js';
import { exec, ExecError, type ExecResult, lastLines } from '../core/exec.js';
import { isAuthFailure } from '../docker/config.js';
import { isImageId, registryOfImage } from '../image/reference.js';
import type { Logger } from '../core/logger.js';
import { formatDuration } from '../core/duration.js';
import { scriptCommand } from '../core/shell.js';
import { isRunStepVariable, isRunnerVariable } from '../core/step-environment.js';

export type PullPolicy = 'missing' | 'always' | 'never';
export const PULL_POLICIES: readonly PullPolicy[] = ['missing', 'always', 'never'];

/** Inside the container: the runner's files for this run (script, HOME, RUNNER_TEMP). */
export const CONTAINER_RUN_DIR = '/__ctp';
export const CONTAINER_HOME = `${CONTAINER_RUN_DIR}/home`;
export const CONTAINER_SCRIPT = `${CONTAINER_RUN_DIR}/script`;
/** Every container this runner starts carries this label with its name. */
export const CONTAINER_LABEL = 'commit-to-prod.container';

export interface ContainerJob {
  /** From newContainerName(); known before the run so it can be saved for the post step. */
  name: string;
  image: string;
  pull: PullPolicy;
  /** Written to a file as is and run as `shell… <file>` (or with `{0}` in shell replaced by it). */
  script: string;
  shell: readonly string[];
  /** Absolute host path, mounted at the same path. */
  workspace: string;
  /** Absolute path to run in (default: the workspace). */
  workingDirectory?: string;
  /** Variables set explicitly: they win over everything else. */
  env?: Readonly<Record<string, string>>;
  /** Names of host variables forwarded as they are. */
  passEnv?: readonly string[];
  /** Forward GITHUB_*, RUNNER_* and CI (default true). */
  forwardContext?: boolean;
  /** `uid:gid` or a name; default: this process's uid:gid. */
  user?: string;
  caches?: readonly BuildCache[];
  mounts?: readonly ContainerMount[];
  network?: string;
  /** Extra `docker run` flags, validated by parseDockerRunOptions. */
  options?: readonly string[];
  labels?: Readonly<Record<string, string>>;
  /** Title of the log group the output streams in. */
  groupTitle?: string;
  /** How many last output lines to keep (default 30). */
  tailLines?: number;
}

export interface ContainerRunOptions {
  logger: Logger;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** A private Docker config (shared/docker/config.ts) holding registry logins for the pull. */
  dockerConfig?: string;
  /** Where GITHUB_*, RUNNER_* and pass-env values come from (default process.env). */
  hostEnv?: NodeJS.ProcessEnv;
  /** After this long without output, say the build is still running, and how long for (default 60 s). */
  quietNoticeMs?: number;
}

export interface ContainerRunResult {
  name: string;
  exitCode: number;
  durationMs: number;
  imageId: string;
  timedOut: boolean;
  cancelled: boolean;
  /** The last lines of output (stdout and stderr interleaved as they came). */
  tail: string[];
  /** Docker's or the init's own error when the shell could not be started at all (e.g. not in the image). */
  startFailure?: string;
}

export class ImagePullError extends UserError {
  override name = 'ImagePullError';
  constructor(
    message: string,
    readonly authRequired: boolean,
  ) {
    super(message);
  }
}

export function newContainerName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * newContainerName()'s shape with one of our `ctp-` prefixes. A post step reads the name back
 * from state, which anything printing `::save-state` can write: it removes containers and a
 * directory by it only when it is one main could have made (one path component, our prefix).
 */
export function isOwnContainerName(name: string): boolean {
  return /^ctp-[a-z0-9._-]{1,60}-[0-9a-z]{1,12}-[0-9a-f]{8}$/.test(name);
}

/** The host directory holding one run's script, HOME and env file (under RUNNER_TEMP). */
export function runDirectory(name: string, hostEnv: NodeJS.ProcessEnv = process.env): string {
  return path.join(hostEnv.RUNNER_TEMP || tmpdir(), name);
}

export function removeRunDirectory(name: string, hostEnv: NodeJS.ProcessEnv = process.env): void {
  if (!isOwnContainerName(name)) throw new Error(`refusing to remove the run directory of '${name}': not a container name of ours`);
  rmSync(runDirectory(name, hostEnv), { recursive: true, force: true });
}

export function defaultUser(): string {
  return `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
}

function dockerArgs(dockerConfig: string | undefined, args: readonly string[]): string[] {
  return dockerConfig ? ['--config', dockerConfig, ...args] : [...args];
}

async function inspectImageId(image: string, dockerConfig?: string): Promise<string | undefined> {
  const r = await exec('docker', dockerArgs(dockerConfig, ['image', 'inspect', '--format', '{{.Id}}', '--', image]), { stream: false }).catch(
    (error: unknown) => {
      if (error instanceof ExecError && error.result.exitCode === 127) {
        throw new UserError("The docker CLI is not on this runner's PATH: a build in a container needs Docker installed on the runner.");
      }
      throw error;
    },
  );
  if (r.exitCode !== 0 && /Cannot connect to the Docker daemon|error during connect/i.test(r.stderr)) {
    throw new UserError(`The Docker engine is not reachable from this runner: ${lastLines(r.stderr, 1)}`);
  }
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** The image ID to run, pulling first as the policy says. */
export async function resolveImage(image: string, pull: PullPolicy, options: { logger: Logger; signal?: AbortSignal; dockerConfig?: string }): Promise<string> {
  // An ID cannot be pulled; whatever the policy, it is either here or nowhere.
  if (pull !== 'always' || isImageId(image)) {
    const id = await inspectImageId(image, options.dockerConfig);
    if (id) {
      options.logger.info(`Image ${image} is present (${id}); not pulling (pull: ${pull}).`);
      return id;
    }
    if (pull === 'never') throw new ImagePullError(`Image ${image} is not present on this runner, and pull is \`never\`.`, false);
    if (isImageId(image))
      throw new ImagePullError(`Image ${image} is not present on this runner (an image ID cannot be pulled; use a name or name@digest).`, false);
  }
  const registry = registryOfImage(image);
  const pulled = await options.logger.group(`Pulling ${image}`, () =>
    exec('docker', dockerArgs(options.dockerConfig, ['pull', '--', image]), { ...(options.signal ? { signal: options.signal } : {}) }),
  );
  if (pulled.aborted) throw new Error(`cancelled while pulling ${image}`);
  if (pulled.exitCode !== 0) {
    const why = lastLines(pulled.stderr || pulled.stdout, 3);
    const auth = isAuthFailure(why) || /no basic auth credentials|not found|does not exist|pull access denied/i.test(why);
    throw new ImagePullError(
      `Could not pull image ${image} from ${registry}: ${why}${auth ? ` (the image may be private: the registry needs credentials that were not given or were refused)` : ''}`,
      auth,
    );
  }
  const id = await inspectImageId(image, options.dockerConfig);
  if (!id) throw new ImagePullError(`Pulled ${image}, but docker cannot find it afterwards.`, false);
  return id;
}

/** Removes every container (running or not) carrying `label` (`key=value`); returns how many. */
export async function removeContainers(label: string, logger: Logger): Promise<number> {
  const listed = await exec('docker', ['ps', '--all', '--quiet', '--filter', `label=${label}`], { stream: false });
  const ids = listed.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (ids.length === 0) return 0;
  const removed = await exec('docker', ['rm', '--force', ...ids], { stream: false });
  if (removed.exitCode !== 0) logger.warning(`Could not remove container(s) ${ids.join(', ')}: ${lastLines(removed.stderr, 2)}`);
  else logger.info(`Removed ${ids.length} container(s) left behind: ${ids.join(', ')}.`);
  return ids.length;
}

/** Variables the docker client itself reads or needs: a multi-line value for one cannot go through its environment. */
const CLIENT_VARIABLES = /^(PATH|HOME|DOCKER_.*|TMPDIR|XDG_.*)$/;
/** How docker (125-127) or its init says the container's program could not be started. */
const START_FAILURE = /^\[FATAL tini \(\d+\)\] exec .* failed|^docker: Error response from daemon/;
/** Host paths of the runner's that mean nothing inside the container (what a run: step would not get is filtered before). */
const NOT_FORWARDED = new Set(['RUNNER_TOOL_CACHE', 'RUNNER_WORKSPACE']);
/** File-command files the build may append to, mounted one by one. */
const FILE_COMMANDS = ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'];

interface ContextForwarding {
  env: Record<string, string>;
  mounts: ContainerMount[];
  dropped: string[];
}

/**
 * GITHUB_*, RUNNER_* and CI as the build should see them: the workspace stays where it is,
 * RUNNER_TEMP becomes the run's own temp dir, the event payload is copied in, the file-command
 * files are mounted, and other host paths (tool cache, the action's folder) are dropped.
 */
function forwardContext(hostEnv: NodeJS.ProcessEnv, workspace: string, hostRunDir: string): ContextForwarding {
  const env: Record<string, string> = {};
  const mounts: ContainerMount[] = [];
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(hostEnv)) {
    // The runner's variables that a `run:` step would get (shared/core/step-environment.ts),
    // the same rule as on the runner; the machine's own environment stays outside.
    if (value === undefined || !isRunnerVariable(name)) continue;
    if (!isRunStepVariable(name) || NOT_FORWARDED.has(name)) {
      dropped.push(name);
    } else if (name === 'RUNNER_TEMP') {
      env[name] = `${CONTAINER_RUN_DIR}/temp`;
    } else if (name === 'GITHUB_EVENT_PATH') {
      if (existsSync(value)) {
        copyFileSync(value, path.join(hostRunDir, 'mnt', 'event.json'));
        env[name] = `${CONTAINER_RUN_DIR}/event.json`;
      } else dropped.push(name);
    } else if (FILE_COMMANDS.includes(name)) {
      if (existsSync(value) && !value.includes(':')) {
        const target = `${CONTAINER_RUN_DIR}/files/${name.toLowerCase()}`;
        mounts.push({ source: value, target });
        env[name] = target;
      } else dropped.push(name);
    } else if (value.startsWith('/') && !isWithin(value, workspace) && existsSync(value)) {
      dropped.push(name); // a host path the container cannot see
    } else {
      env[name] = value;
    }
  }
  return { env, mounts, dropped };
}

export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Makes the run's HOME, temp dir and cache mount points belong to the build's user. */
function prepareRunDirectory(hostRunDir: string, user: string, caches: readonly BuildCache[]): void {
  const mnt = path.join(hostRunDir, 'mnt');
  const dirs = [mnt, path.join(mnt, 'home'), path.join(mnt, 'temp'), path.join(mnt, 'files')];
  for (const cache of caches) {
    if (!isWithin(cache.target, CONTAINER_HOME)) continue;
    // Docker would create the mount point (and its parents, e.g. ~/.cache) as root.
    let dir = cache.target;
    while (dir !== CONTAINER_HOME) {
      dirs.push(path.join(mnt, 'home', path.posix.relative(CONTAINER_HOME, dir)));
      dir = path.posix.dirname(dir);
    }
  }
  mkdirSync(hostRunDir, { recursive: true, mode: 0o700 });
  chmodSync(hostRunDir, 0o711); // the env file inside stays private; mnt is reached by path
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  const numeric = /^(\d+)(?::(\d+))?$/.exec(user);
  const ours = `${process.getuid?.()}:${process.getgid?.()}`;
  for (const dir of dirs) {
    if (dir === mnt) continue;
    if (numeric && process.getuid?.() === 0) chownSync(dir, Number(numeric[1]), Number(numeric[2] ?? numeric[1]));
    else if (user !== ours) chmodSync(dir, 0o777); // cannot give it away: let any user write
  }
}

function shellCommand(shell: readonly string[]): { entrypoint: string; command: string[] } {
  const { command: entrypoint, args: command } = scriptCommand(shell, CONTAINER_SCRIPT);
  return { entrypoint, command };
}

/**
 * Runs `job` to its end: the image by its policy, the caches, the run directory and its
 * environment, `docker run` watched for a time limit, cancellation and silence, then the
 * container and run directory gone. Each part is a function of its own below.
 */
export async function runInContainer(job: ContainerJob, options: ContainerRunOptions): Promise<ContainerRunResult> {
  const { logger } = options;
  const hostEnv = options.hostEnv ?? process.env;
  const user = job.user ?? defaultUser();
  const caches = job.caches ?? [];
  const imageId = await resolveImage(job.image, job.pull, {
    logger,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}),
  });
  if (options.signal?.aborted) throw new Error(`cancelled before the container started`);

  const labels = { ...job.labels, [CONTAINER_LABEL]: job.name };
  if (caches.length > 0) {
    await logger.group('Caches', () =>
      prepareCacheVolumes(caches, { image: imageId, user, labels, logger, ...(options.signal ? { signal: options.signal } : {}) }),
    );
  }

  const hostRunDir = runDirectory(job.name, hostEnv);
  try {
    prepareRunDirectory(hostRunDir, user, caches);
    writeFileSync(path.join(hostRunDir, 'mnt', 'script'), job.script, { mode: 0o644 });
    const environment = containerEnvironment(job, hostEnv, hostRunDir, caches, logger);
    const { entrypoint, command } = shellCommand(job.shell);
    const args = containerRunArgs({
      image: imageId,
      name: job.name,
      labels,
      user,
      entrypoint,
      command,
      workdir: job.workingDirectory ?? job.workspace,
      mounts: [
        { source: job.workspace, target: job.workspace },
        { source: path.join(hostRunDir, 'mnt'), target: CONTAINER_RUN_DIR },
        ...environment.mounts,
        ...caches.map((c) => ({ source: c.source, target: c.target })),
        ...(job.mounts ?? []),
      ],
      envFile: environment.envFile,
      envFromClient: environment.fromClient,
      ...(job.network ? { network: job.network } : {}),
      ...(job.options ? { options: job.options } : {}),
    });
    const run = await runWatched(job, args, environment.clientEnv, options);
    return { name: job.name, imageId, ...run, ...startFailureOf(run.exitCode, run.tail) };
  } finally {
    rmSync(hostRunDir, { recursive: true, force: true });
  }
}

interface ContainerEnvironment {
  /** The env file: one `NAME=value` line per single-line variable. */
  envFile: string;
  /** Multi-line variables, passed as `-e NAME` from the docker client's own environment. */
  fromClient: string[];
  clientEnv: NodeJS.ProcessEnv;
  /** The file-command files, mounted one by one. */
  mounts: ContainerMount[];
}

/**
 * The container's variables — the runner's that a `run:` step would get (paths rewritten),
 * pass-env, HOME, the caches' and the job's — written where `docker run` reads them: an env file
 * or, when multi-line, the docker client's own environment as `-e NAME`; never a command line a
 * `ps` would show.
 */
function containerEnvironment(
  job: ContainerJob,
  hostEnv: NodeJS.ProcessEnv,
  hostRunDir: string,
  caches: readonly BuildCache[],
  logger: Logger,
): ContainerEnvironment {
  const context = job.forwardContext === false ? { env: {}, mounts: [], dropped: [] } : forwardContext(hostEnv, job.workspace, hostRunDir);
  if (context.dropped.length > 0)
    logger.debug(`Not forwarded (what a run: step would not get, or host paths the container cannot see): ${context.dropped.join(', ')}`);
  const passed: Record<string, string> = {};
  for (const name of job.passEnv ?? []) {
    const value = hostEnv[name];
    if (value === undefined) logger.warning(`pass-env: ${name} is not set on the runner; not forwarded.`);
    else passed[name] = value;
  }
  const containerEnv: Record<string, string> = {
    ...context.env,
    ...passed,
    HOME: CONTAINER_HOME,
    ...mergeCacheEnv(caches, job.env ?? {}),
  };

  const fileLines: string[] = [];
  const fromClient: string[] = [];
  const clientEnv: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'TMPDIR']) {
    if (process.env[key] !== undefined) clientEnv[key] = process.env[key];
  }
  for (const [key, value] of Object.entries(containerEnv)) {
    if (!/[\r\n]/.test(value)) fileLines.push(`${key}=${value}`);
    else if (CLIENT_VARIABLES.test(key)) throw new UserError(`Variable ${key} has a multi-line value, which cannot be passed to the container.`);
    else {
      fromClient.push(key);
      clientEnv[key] = value;
    }
  }
  const envFile = path.join(hostRunDir, 'env');
  writeFileSync(envFile, `${fileLines.join('\n')}\n`, { mode: 0o600 });
  return { envFile, fromClient, clientEnv, mounts: context.mounts };
}

type WatchedRun = Pick<ContainerRunResult, 'exitCode' | 'durationMs' | 'timedOut' | 'cancelled' | 'tail'>;

/**
 * `docker run` with its output streamed in a group and its last lines kept, a notice when it is
 * quiet for long, and on the time limit or cancellation the container stopped and removed
 * before this returns.
 */
async function runWatched(job: ContainerJob, args: string[], clientEnv: NodeJS.ProcessEnv, options: ContainerRunOptions): Promise<WatchedRun> {
  const { logger } = options;
  const tailSize = job.tailLines ?? 30;
  const tail: string[] = [];
  const runStarted = Date.now();
  let lastOutput = runStarted;
  const quietNoticeMs = options.quietNoticeMs ?? 60_000;
  // A build that prints nothing for minutes (a download, a long test) must not look hung.
  const quietTimer = setInterval(
    () => {
      if (Date.now() - lastOutput < quietNoticeMs) return;
      lastOutput = Date.now();
      logger.info(`… still running in ${job.image} (${formatDuration(Date.now() - runStarted)} elapsed, no output for ${formatDuration(quietNoticeMs)})`);
    },
    Math.min(quietNoticeMs, 5_000),
  );
  quietTimer.unref();
  let timedOut = false;
  let cancelled = false;
  let stopping: Promise<void> | undefined;
  const clientKill = new AbortController();
  const stop = () => {
    stopping ??= (async () => {
      // A short grace lets the build flush; `rm -f` then covers a container that is not
      // created yet or ignores SIGTERM. The client exits once the container is gone.
      await exec('docker', ['stop', '--time', '3', job.name], { stream: false });
      await exec('docker', ['rm', '--force', job.name], { stream: false });
      setTimeout(() => clientKill.abort(), 10_000).unref();
    })();
  };
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        logger.error(`Time limit of ${formatDuration(options.timeoutMs!)} reached: stopping container ${job.name}.`);
        stop();
      }, options.timeoutMs)
    : undefined;
  const onAbort = () => {
    cancelled = true;
    logger.warning(`Cancelled: stopping container ${job.name}.`);
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  if (options.signal?.aborted) throw new Error('cancelled before the container started');
  let result: ExecResult;
  try {
    result = await logger.group(job.groupTitle ?? `Running in ${job.image}`, () =>
      exec('docker', args, {
        env: clientEnv,
        signal: clientKill.signal,
        maxCaptureBytes: 64 * 1024,
        onLine: (line) => {
          lastOutput = Date.now();
          tail.push(line);
          if (tail.length > tailSize) tail.shift();
        },
      }),
    );
  } finally {
    clearInterval(quietTimer);
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (stopping) {
    await stopping;
    // The client may have raced the stop and created the container after it; make sure.
    await exec('docker', ['rm', '--force', job.name], { stream: false });
  }
  return { exitCode: result.exitCode, durationMs: result.durationMs, timedOut, cancelled, tail };
}

/**
 * 125 is docker run's own failure (a bad flag value, a daemon error); 126/127 with the init's or
 * docker's message mean the shell is not in the image.
 */
function startFailureOf(exitCode: number, tail: readonly string[]): { startFailure?: string } {
  if (exitCode < 125 || exitCode > 127) return {};
  const startFailure =
    tail.find((line) => START_FAILURE.test(line)) ?? (exitCode === 125 ? tail.find((line) => line.trim() !== '' && !/--help/.test(line)) : undefined);
  return startFailure ? { startFailure } : {};
}
