import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Docker Compose for a runner that has neither the plugin nor `docker-compose` (a bare
 * self-hosted runner): a pinned release of the standalone binary, downloaded once through
 * @actions/tool-cache, checked against the SHA-256 the release publishes beside it, cached by
 * version and reused by every later job on that runner. `COMPOSE_DOWNLOAD_URL` points at a
 * mirror (same layout: `<base>/v<version>/docker-compose-linux-<arch>[.sha256]`) for runners
 * that cannot reach GitHub.
 */

export const COMPOSE_VERSION = '2.29.7';
export const COMPOSE_RELEASES = 'https://github.com/docker/compose/releases/download';

const ARCHES: Partial<Record<string, string>> = { x64: 'x86_64', arm64: 'aarch64' };

export function composeDownloadUrl(version: string, base: string, arch: string = process.arch): string {
  const name = ARCHES[arch];
  if (!name) throw new UserError(`Docker Compose is not installed, and there is no release of it for this runner's architecture (${arch}).`);
  return `${base.replace(/\/+$/, '')}/v${version}/docker-compose-linux-${name}`;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The path of a cached or freshly installed `docker-compose` binary. */
export async function installCompose(logger: Logger, options: { version?: string; baseUrl?: string } = {}): Promise<string> {
  const version = options.version ?? COMPOSE_VERSION;
  const tc = await import('@actions/tool-cache');
  const cached = tc.find('docker-compose', version);
  if (cached) {
    logger.info(`Using docker-compose ${version} from the tool cache (${cached}).`);
    return path.join(cached, 'docker-compose');
  }
  const url = composeDownloadUrl(version, options.baseUrl ?? process.env.COMPOSE_DOWNLOAD_URL ?? COMPOSE_RELEASES);
  return logger.group(`Installing docker-compose ${version} (neither \`docker compose\` nor \`docker-compose\` is on this runner)`, async () => {
    logger.info(`Downloading ${url}`);
    let binary: string;
    let sumFile: string;
    try {
      binary = await tc.downloadTool(url);
      sumFile = await tc.downloadTool(`${url}.sha256`);
    } catch (error) {
      throw new UserError(
        `Could not download Docker Compose from ${url}: ${(error as Error).message}. Install Docker Compose on the runner, or set COMPOSE_DOWNLOAD_URL to a mirror.`,
      );
    }
    const expected = (await readFile(sumFile, 'utf8')).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const actual = await sha256(binary);
    if (!/^[0-9a-f]{64}$/.test(expected) || expected !== actual) {
      throw new UserError(
        `The Docker Compose download from ${url} does not match its published checksum (expected ${expected || 'a SHA-256'}, got ${actual}); not installing it.`,
      );
    }
    logger.info(`Checksum verified: sha256 ${actual}.`);
    await chmod(binary, 0o755);
    const dir = await tc.cacheFile(binary, 'docker-compose', 'docker-compose', version);
    logger.info(`Cached in ${dir}; later jobs on this runner reuse it.`);
    return path.join(dir, 'docker-compose');
  });
}
