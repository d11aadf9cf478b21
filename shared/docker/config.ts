import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { exec, lastLines } from '../core/exec.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { retry, retryOptions, TransientError } from '../core/retry.js';
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
  options: { logger: Logger; signal?: AbortSignal; attempts?: number; clock?: Clock },
): Promise<void> {
  const { registry, username, password } = credentials;
  registerSecret(password);
  await retry(
    async () => {
      const result = await exec('docker', ['--config', configDir, 'login', '--username', username, '--password-stdin', registry], {
        stdin: password,
        stream: false,
        secrets: [password],
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (result.exitCode === 0) return;
      const why = lastLines(result.stderr || result.stdout, 3);
      if (isAuthFailure(why)) throw new UserError(`Registry ${registry} refused the login of user '${username}': ${why}`);
      throw new TransientError(why);
    },
    {
      what: `Login to ${registry}`,
      exhausted: (error, attempts) =>
        new UserError(`Could not log in to registry ${registry} as '${username}' after ${attempts} attempts: ${(error as Error).message}`),
      logger: options.logger,
      ...retryOptions(options),
    },
  );
  options.logger.info(`Logged in to ${registry} as ${username}.`);
}
