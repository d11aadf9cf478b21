import { existsSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { exec } from '../core/exec.js';
import type { Builder } from './build-command.js';

/**
 * Which builder this runner has: buildx when `docker buildx version` answers, the classic
 * builder otherwise.
 */
export interface DetectedBuilder {
  builder: Builder;
  /** `github.com/docker/buildx v0.17.1 …`, or why buildx is not used. */
  detail: string;
}

export async function detectBuilder(configDir: string, signal?: AbortSignal): Promise<DetectedBuilder> {
  const result = await exec('docker', ['--config', configDir, 'buildx', 'version'], {
    stream: false,
    timeoutMs: 20_000,
    ...(signal ? { signal } : {}),
  });
  if (result.exitCode === 0) return { builder: 'buildx', detail: result.stdout.trim().split('\n')[0] ?? 'buildx' };
  const why = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
  return { builder: 'classic', detail: `buildx is not available (${why || `exit code ${result.exitCode}`})` };
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
