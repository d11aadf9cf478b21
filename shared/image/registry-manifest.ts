import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';
import { isLoopbackRegistry, type ImageRepository } from './repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { retry, retryOptions, TransientError } from '../core/retry.js';

/**
 * Reads a manifest back from a registry through its HTTP API v2, with the same credentials the
 * push used, so the digest an action reports is the registry's and not the local engine's. The
 * body is hashed as well: a digest header that does not match the bytes served is an error.
 */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface RemoteManifest {
  /** `Docker-Content-Digest`, checked against the body. */
  digest: string;
  mediaType: string;
  /** Bytes the image takes in the registry: config and layers (compressed), or every platform's manifests for an index. */
  size: number;
  /** Image config blob digest, for a single-platform manifest. */
  configDigest?: string;
  /** Platforms of an index (`linux/amd64`, …). */
  platforms?: string[];
}

export interface RegistryReadOptions {
  credentials?: BasicCredentials;
  logger?: Logger;
  signal?: AbortSignal;
  attempts?: number;
  clock?: Clock;
}

/** Docker Hub's API lives on another host than the name users write. */
export function registryBaseUrl(registry: string): string {
  if (registry === 'docker.io' || registry === 'index.docker.io') return 'https://registry-1.docker.io';
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

function basic(credentials: BasicCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function authorizedGet(url: string, accept: string, options: RegistryReadOptions, registry: string): Promise<Response> {
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000);
  const get = async (authorization?: string) => {
    try {
      return await fetch(url, { headers: { accept, ...(authorization ? { authorization } : {}) }, signal });
    } catch (error) {
      throw new TransientError(
        `${registry} did not answer: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
      );
    }
  };
  const first = await get(options.credentials ? basic(options.credentials) : undefined);
  if (first.status !== 401) return first;
  const challenge = parseChallenge(first.headers.get('www-authenticate'));
  if (challenge?.scheme !== 'bearer' || !challenge.params.realm) return first;
  // Token auth (Docker Hub, GHCR, Harbor): trade the credentials for a bearer token for this scope.
  const tokenUrl = new URL(challenge.params.realm);
  if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
  if (challenge.params.scope) tokenUrl.searchParams.set('scope', challenge.params.scope);
  let tokenResponse: Response;
  try {
    tokenResponse = await fetch(tokenUrl, { headers: options.credentials ? { authorization: basic(options.credentials) } : {}, signal });
  } catch (error) {
    throw new TransientError(`the token service of ${registry} did not answer: ${(error as Error).message}`);
  }
  if (!tokenResponse.ok) return first;
  const body = (await tokenResponse.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  return token ? get(`Bearer ${token}`) : first;
}

export async function readManifest(repository: ImageRepository, reference: string, options: RegistryReadOptions = {}): Promise<RemoteManifest> {
  const url = `${registryBaseUrl(repository.registry)}/v2/${repository.path}/manifests/${reference}`;
  const who = options.credentials ? `user '${options.credentials.username}'` : 'anonymous access';
  return retry(
    async () => {
      const response = await authorizedGet(url, MANIFEST_MEDIA_TYPES.join(', '), options, repository.registry);
      if (response.status === 401 || response.status === 403) {
        throw new UserError(`Registry ${repository.registry} refused ${who} reading back ${repository.path}:${reference} (HTTP ${response.status}).`);
      }
      if (response.status === 404) {
        throw new UserError(`Registry ${repository.registry} has no manifest ${repository.path}:${reference} right after it was pushed.`);
      }
      if (response.status >= 500 || response.status === 429) throw new TransientError(`${repository.registry} answered HTTP ${response.status}`);
      if (!response.ok) throw new UserError(`Registry ${repository.registry} answered HTTP ${response.status} for ${url}.`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const header = response.headers.get('docker-content-digest');
      if (header && header !== computed) {
        throw new UserError(
          `Registry ${repository.registry} served ${repository.path}:${reference} with Docker-Content-Digest ${header}, but its bytes hash to ${computed}.`,
        );
      }
      return describeManifest(header ?? computed, response.headers.get('content-type') ?? '', bytes);
    },
    {
      what: 'Reading back the manifest',
      exhausted: (error, attempts) =>
        new UserError(
          `Could not read back ${repository.path}:${reference} from ${repository.registry} after ${attempts} attempts: ${(error as Error).message}`,
        ),
      ...(options.logger ? { logger: options.logger } : {}),
      ...retryOptions(options),
    },
  );
}

interface ManifestBody {
  mediaType?: string;
  config?: { digest?: string; size?: number };
  layers?: { size?: number }[];
  manifests?: { size?: number; platform?: { os?: string; architecture?: string; variant?: string } }[];
}

function describeManifest(digest: string, contentType: string, bytes: Buffer): RemoteManifest {
  const body = JSON.parse(bytes.toString('utf8')) as ManifestBody;
  const mediaType = body.mediaType ?? contentType;
  if (body.manifests) {
    const platforms = body.manifests
      .map((m) => m.platform)
      .filter((p): p is NonNullable<typeof p> => p !== undefined && p.os !== 'unknown')
      .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
    return { digest, mediaType, size: body.manifests.reduce((sum, m) => sum + (m.size ?? 0), 0), platforms };
  }
  const size = (body.config?.size ?? 0) + (body.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0);
  return { digest, mediaType, size, ...(body.config?.digest ? { configDigest: body.config.digest } : {}) };
}
