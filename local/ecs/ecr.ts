/**
 * The two ECR operations the deploy actions use, backed by the local registry:
 * GetAuthorizationToken hands out the registry's own basic-auth credentials (base64 `user:password`,
 * as ECR does with `AWS:<token>`), DescribeImages asks the registry's HTTP API v2 for a tag's
 * manifest digest.
 */
import { AwsError, errors, objList, requireStr, str, type Handler } from './wire.js';

export interface RegistryConfig {
  /** host:port of the registry, e.g. 127.0.0.1:5000 */
  host: string;
  username: string;
  password: string;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** Base64 `user:password`, the decoded form docker login takes. */
export function authorizationToken(registry: RegistryConfig): string {
  return Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
}

export class EcrApi {
  constructor(
    private readonly registry: RegistryConfig | undefined,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  handlers(): Record<string, Handler> {
    return {
      GetAuthorizationToken: () => this.getAuthorizationToken(),
      DescribeImages: (i) => this.describeImages(i),
    };
  }

  private getAuthorizationToken() {
    if (!this.registry) throw new AwsError('ServerException', 'The local ECS emulator was started without a registry.', 500);
    return {
      authorizationData: [
        {
          authorizationToken: authorizationToken(this.registry),
          // ECR tokens last 12 hours.
          expiresAt: Math.round(this.now() / 1000 + 12 * 3600),
          proxyEndpoint: `http://${this.registry.host}`,
        },
      ],
    };
  }

  private repositoryNotFound(name: string, registryId: string) {
    return new AwsError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
  }

  private async registryGet(path: string, accept?: string): Promise<Response> {
    const registry = this.registry;
    if (!registry) throw new AwsError('ServerException', 'The local ECS emulator was started without a registry.', 500);
    const headers: Record<string, string> = { authorization: `Basic ${authorizationToken(registry)}` };
    if (accept) headers.accept = accept;
    try {
      return await fetch(`http://${registry.host}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    } catch (e) {
      throw new AwsError('ServerException', `The local registry at ${registry.host} did not answer: ${(e as Error).message}`, 500);
    }
  }

  private async describeImages(input: Record<string, unknown>) {
    const repositoryName = requireStr(input, 'repositoryName');
    const registryId = str(input, 'registryId') ?? this.accountId;
    if (!/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(repositoryName)) {
      throw errors.invalidParameter(`Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression pattern'`);
    }
    const tagsResponse = await this.registryGet(`/v2/${repositoryName}/tags/list`);
    if (tagsResponse.status === 404) throw this.repositoryNotFound(repositoryName, registryId);
    if (!tagsResponse.ok) throw new AwsError('ServerException', `The local registry answered ${tagsResponse.status}.`, 500);
    const allTags = (((await tagsResponse.json()) as { tags?: string[] | null }).tags ?? []).slice().sort();
    const ids: Record<string, unknown>[] = objList(input, 'imageIds') ?? allTags.map((t) => ({ imageTag: t }));
    const details = new Map<string, { imageDigest: string; imageTags: string[]; size: number; mediaType: string }>();
    for (const id of ids) {
      const ref = typeof id.imageDigest === 'string' ? id.imageDigest : typeof id.imageTag === 'string' ? id.imageTag : undefined;
      if (!ref) throw errors.invalidParameter('imageIds must have an imageTag or an imageDigest.');
      const res = await this.registryGet(`/v2/${repositoryName}/manifests/${ref}`, MANIFEST_TYPES);
      const digest = res.headers.get('docker-content-digest');
      if (res.status === 404 || !digest) {
        throw new AwsError(
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'${String(id.imageDigest ?? 'null')}', imageTag:'${String(id.imageTag ?? 'null')}'} does not exist within the repository with name '${repositoryName}' in the registry with id '${registryId}'`,
        );
      }
      const manifest = (await res.json()) as { config?: { size?: number }; layers?: { size?: number }[] };
      const size = (manifest.config?.size ?? 0) + (manifest.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0);
      const detail = details.get(digest) ?? { imageDigest: digest, imageTags: [], size, mediaType: res.headers.get('content-type') ?? '' };
      if (typeof id.imageTag === 'string' && !detail.imageTags.includes(id.imageTag)) detail.imageTags.push(id.imageTag);
      details.set(digest, detail);
    }
    return {
      imageDetails: [...details.values()].map((d) => ({
        registryId,
        repositoryName,
        imageDigest: d.imageDigest,
        imageTags: d.imageTags,
        imageSizeInBytes: d.size,
        imageManifestMediaType: d.mediaType,
      })),
    };
  }
}
