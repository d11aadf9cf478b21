import { existsSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { exec } from '../core/exec.js';
import type { Builder } from './build-command.js';

/**
 * Which builder this runner's `docker` has, best first: buildx when `docker buildx version`
 * answers; else the CLI's built-in BuildKit client when the CLI is older than 23 (those still
 * build with BuildKit under DOCKER_BUILDKIT=1, e.g. Debian's 20.10 package); else the classic
 * builder (a CLI ≥ 23 without buildx refuses DOCKER_BUILDKIT=1). The action always uses the
 * `docker` first on PATH, and the log says which builder it found and why.
 */
export interface DetectedBuilder {
  builder: Builder;
  /** `github.com/docker/buildx v0.17.1 …`, or why buildx is not used. */
  detail: string;
  /** The CLI's version, when asked. */
  cliVersion?: string;
}

/** The first CLI version whose `docker build` needs the buildx plugin for BuildKit. */
const BUILDKIT_NEEDS_BUILDX_FROM = 23;

export async function detectBuilder(configDir: string, signal?: AbortSignal): Promise<DetectedBuilder> {
  const options = { stream: false, timeoutMs: 20_000, ...(signal ? { signal } : {}) };
  const result = await exec('docker', ['--config', configDir, 'buildx', 'version'], options);
  if (result.exitCode === 0) return { builder: 'buildx', detail: result.stdout.trim().split('\n')[0] ?? 'buildx' };
  const why = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  const noBuildx = `buildx is not available (${why || `exit code ${result.exitCode}`})`;
  // `docker --version` answers from the client alone (`Docker version 20.10.24+dfsg1, build …`),
  // without a round trip to the engine.
  const version = await exec('docker', ['--version'], options);
  const cliVersion = /version (\d+\.\d+\.\d+\S*?),?(?:\s|$)/.exec(version.stdout)?.[1] ?? '';
  const major = Number(/^(\d+)\./.exec(cliVersion)?.[1]);
  if (Number.isFinite(major) && major < BUILDKIT_NEEDS_BUILDX_FROM) {
    return { builder: 'buildkit', detail: `${noBuildx}; docker CLI ${cliVersion} has BuildKit built in (DOCKER_BUILDKIT=1)`, cliVersion };
  }
  return {
    builder: 'classic',
    detail: `${noBuildx}; docker CLI ${cliVersion || 'of unknown version'} needs buildx for BuildKit`,
    ...(cliVersion ? { cliVersion } : {}),
  };
}

/** How the log and the summary name a builder. */
export function builderTitle(builder: Builder): string {
  return builder === 'buildx' ? 'docker buildx build' : builder === 'buildkit' ? "docker build with the engine's BuildKit" : 'the classic docker build';
}

/**
 * A private config directory hides the runner's own `~/.docker/cli-plugins` (where
 * docker/setup-buildx-action installs buildx) and `~/.docker/buildx` (the builder instance it
 * selected). Links to them keep both visible, while credentials stay private.
 */
export function linkCliPlugins(configDir: string, ambientDir = process.env.DOCKER_CONFIG || path.join(homedir(), '.docker')): string[] {
  const linked: string[] = [];
  for (const entry of ['cli-plugins', 'buildx']) {
    const source = path.join(ambientDir, entry);
    const target = path.join(configDir, entry);
    if (existsSync(source) && !existsSync(target)) {
      symlinkSync(source, target);
      linked.push(entry);
    }
  }
  return linked;
}
