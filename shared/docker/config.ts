import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { exec, lastLines } from '../core/exec.js';
import type { Logger } from '../core/logger.js';
import { registerSecret } from '../core/secrets.js';

/**
 * A Docker client configuration directory private to one step. Logins go here, never into
 * ~/.docker/config.json, so concurrent jobs on a self-hosted runner cannot trample each other's
 * credentials, and the post step removes it.
 */
export function createDockerConfig(prefix = 'ctp-docker-'): string {
  const dir = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), prefix));
  chmodSync(dir, 0o700);
  return dir;
}

export function removeDockerConfig(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface RegistryCredentials {
  /** Host[:port] as it appears in image references, e.g. `127.0.0.1:5000` or `123….dkr.ecr.eu-west-1.amazonaws.com`. */
  registry: string;
  username: string;
  password: string;
}

/** Whether `docker login` failed because the registry refused the credentials (not worth retrying). */
export function isAuthFailure(output: string): boolean {
  return /unauthorized|401|authentication required|incorrect username or password|denied/i.test(output);
}

/**
 * `docker login` into `configDir` with the password on stdin, masked. A refusal names the
 * registry and the user and is a UserError; a transient failure (connection refused, 5xx) is
 * retried with backoff.
 */
export async function dockerLogin(
  configDir: string,
  credentials: RegistryCredentials,
  options: { logger: Logger; signal?: AbortSignal; attempts?: number; sleep?: (ms: number) => Promise<void> },
): Promise<void> {
  const { registry, username, password } = credentials;
  registerSecret(password);
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    const result = await exec('docker', ['--config', configDir, 'login', '--username', username, '--password-stdin', registry], {
      stdin: password,
      stream: false,
      secrets: [password],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.exitCode === 0) {
      options.logger.info(`Logged in to ${registry} as ${username}.`);
      return;
    }
    const why = lastLines(result.stderr || result.stdout, 3);
    if (isAuthFailure(why)) {
      throw new UserError(`Registry ${registry} refused the login of user '${username}': ${why}`);
    }
    if (attempt >= attempts || options.signal?.aborted) {
      throw new UserError(`Could not log in to registry ${registry} as '${username}' after ${attempt} attempts: ${why}`);
    }
    const delay = 500 * 2 ** (attempt - 1);
    options.logger.warning(`Login to ${registry} failed (${why.split('\n')[0]}); retrying in ${delay} ms (attempt ${attempt + 1} of ${attempts}).`);
    await sleep(delay);
  }
}
