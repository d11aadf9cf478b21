import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { exec, lastLines } from '../core/exec.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { retry, retryOptions, TransientError } from '../core/retry.js';
import { registerSecret } from '../core/secrets.js';
import { helperList } from './credential-helper.js';
import { authKeyHost, readDockerConfigFile, type DockerConfigFile } from './credentials.js';

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

/** The runner's own Docker config directory: DOCKER_CONFIG, else ~/.docker. */
export function runnerDockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || path.join(homedir(), '.docker');
}

export interface InheritedLogins {
  /** Registries whose `auths` entries were copied. */
  auths: string[];
  /** Registry → helper name, including those a `credsStore` listed. */
  helpers: Record<string, string>;
  warnings: string[];
}

/**
 * Starts a private config from the runner's logins, so that a `FROM` on another private
 * registry, or Docker Hub pulls authenticated by an earlier docker/login-action step, keep
 * working beside this step's own login. `auths` and `credHelpers` are copied as they are, except
 * for `ownRegistry`, whose login this step makes itself. A `credsStore` is not copied: `docker
 * login` would write this step's password into that shared store, where it outlives the step.
 * Instead every registry the store lists (`docker-credential-<name> list`) gets a `credHelpers`
 * entry naming the same program, so those logins resolve exactly as before while this step's
 * login stays in the private file, removed by the post step.
 */
export async function inheritRunnerLogins(
  configDir: string,
  options: { ambientDir?: string; ownRegistry: string; signal?: AbortSignal },
): Promise<InheritedLogins> {
  const ambient = readDockerConfigFile(options.ambientDir ?? runnerDockerConfigDir());
  const own = authKeyHost(options.ownRegistry);
  const auths = Object.fromEntries(Object.entries(ambient.auths ?? {}).filter(([key]) => authKeyHost(key) !== own));
  const helpers: Record<string, string> = Object.fromEntries(Object.entries(ambient.credHelpers ?? {}).filter(([key]) => authKeyHost(key) !== own));
  const warnings: string[] = [];
  if (ambient.credsStore) {
    try {
      for (const url of await helperList(ambient.credsStore, options.signal ? { signal: options.signal } : {})) {
        const host = authKeyHost(url);
        if (host !== own && !Object.keys(helpers).some((key) => authKeyHost(key) === host))
          helpers[url.replace(/^[a-z]+:\/\//i, '').split('/')[0]!] = ambient.credsStore;
      }
    } catch (error) {
      warnings.push(
        `The runner's credsStore '${ambient.credsStore}' could not list its logins (${(error as Error).message}); logins kept only there are not visible to this build.`,
      );
    }
  }
  const config: DockerConfigFile = {
    ...(Object.keys(auths).length ? { auths } : {}),
    ...(Object.keys(helpers).length ? { credHelpers: helpers } : {}),
  };
  writeFileSync(path.join(configDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // Entries without a password (a credsStore's placeholders) log in nothing; they are not named.
  const withAuth = Object.entries(auths)
    .filter(([, entry]) => entry.auth || entry.identitytoken || entry.password)
    .map(([key]) => authKeyHost(key));
  return { auths: withAuth, helpers, warnings };
}

/**
 * Whether `dir` is one createDockerConfig made: a `ctp-…` directory directly in RUNNER_TEMP (or
 * the system's temp directory). Post steps read it back from state, which is not trustworthy.
 */
export function isOwnDockerConfig(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return path.isAbsolute(dir) && path.dirname(dir) === path.resolve(env.RUNNER_TEMP || tmpdir()) && /^ctp-[a-z-]{1,30}[A-Za-z0-9]{6}$/.test(path.basename(dir));
}

/** Removes a private config; returns false (removing nothing) for a directory createDockerConfig did not make. */
export function removeDockerConfig(dir: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!dir) return true;
  if (!isOwnDockerConfig(dir, env)) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
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
