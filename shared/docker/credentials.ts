import { readFileSync } from 'node:fs';
import path from 'node:path';
import { registerSecret } from '../core/secrets.js';
import { helperGet } from './credential-helper.js';

/**
 * Finds the credentials a Docker config directory holds for one registry, the way the Docker
 * CLI does (cli/config/configfile): a `credHelpers` entry for the host wins, then `credsStore`,
 * then the file's own `auths`. Docker Hub is stored under its index server key
 * `https://index.docker.io/v1/`; other keys may carry a scheme or a path
 * (`https://ghcr.io`, `http://host:5000/v1/`), so a key matches when its host does.
 */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_NAMES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'https://index.docker.io/v1/']);

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [other: string]: unknown;
}

export interface FoundCredentials {
  username: string;
  password: string;
  /** Where they came from, for the log: `auths`, `credHelpers (ecr-login)`, `credsStore (pass)`. */
  from: string;
}

export function readDockerConfigFile(configDir: string): DockerConfigFile {
  try {
    const parsed = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as DockerConfigFile) : {};
  } catch {
    return {};
  }
}

/** The host a config key names: `https://ghcr.io/v1/` → `ghcr.io`; Docker Hub's names → `docker.io`. */
export function authKeyHost(key: string): string {
  if (DOCKER_HUB_NAMES.has(key)) return 'docker.io';
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';
  return DOCKER_HUB_NAMES.has(host) ? 'docker.io' : host;
}

/** The key `docker login` writes for `registry`, and the server URL a helper is asked about. */
export function serverAddress(registry: string): string {
  return authKeyHost(registry) === 'docker.io' ? DOCKER_HUB_AUTH_KEY : registry;
}

export function authKeysFor(config: DockerConfigFile, registry: string): string[] {
  const host = authKeyHost(registry);
  return Object.keys(config.auths ?? {}).filter((key) => authKeyHost(key) === host);
}

function decodeAuth(entry: NonNullable<DockerConfigFile['auths']>[string]): { username: string; password: string } | undefined {
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

export async function findCredentials(configDir: string, registry: string, options: { signal?: AbortSignal } = {}): Promise<FoundCredentials | undefined> {
  const config = readDockerConfigFile(configDir);
  const host = authKeyHost(registry);
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => authKeyHost(key) === host)?.[1];
  const store = helper ?? config.credsStore;
  if (store) {
    const found = await helperGet(store, serverAddress(registry), options);
    if (found && !found.identityToken) return { username: found.username, password: found.secret, from: `${helper ? 'credHelpers' : 'credsStore'} (${store})` };
    // With a store configured the CLI reads no password from the file; neither do we.
    return undefined;
  }
  for (const key of authKeysFor(config, registry)) {
    const decoded = decodeAuth(config.auths![key]!);
    if (decoded) {
      registerSecret(decoded.password);
      return { ...decoded, from: `auths (${key})` };
    }
  }
  return undefined;
}
