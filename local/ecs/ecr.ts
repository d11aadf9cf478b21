/**
 * The ECR operations the actions use, backed by the local registry: GetAuthorizationToken hands
 * out the registry's own basic-auth credentials (base64 `user:password`, as ECR does with
 * `AWS:<token>`), DescribeImages asks the registry's HTTP API v2 for a tag's manifest digest,
 * BatchGetImage for the manifests themselves (by digest or tag; one not there is a failure entry,
 * as ECR answers it, not an error).
 */
import { AwsError, errors, objList, requireStr, str, strList, type Handler } from './wire.js';

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
      BatchGetImage: (i) => this.batchGetImage(i),
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

  /** The repository's tags; RepositoryNotFoundException when the registry has no such repository. */
  private async repositoryTags(input: Record<string, unknown>): Promise<{ repositoryName: string; registryId: string; tags: string[] }> {
    const repositoryName = requireStr(input, 'repositoryName');
    const registryId = str(input, 'registryId') ?? this.accountId;
    if (!/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(repositoryName)) {
      throw errors.invalidParameter(`Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression pattern'`);
    }
    const tagsResponse = await this.registryGet(`/v2/${repositoryName}/tags/list`);
    if (tagsResponse.status === 404) throw this.repositoryNotFound(repositoryName, registryId);
    if (!tagsResponse.ok) throw new AwsError('ServerException', `The local registry answered ${tagsResponse.status}.`, 500);
    const tags = (((await tagsResponse.json()) as { tags?: string[] | null }).tags ?? []).slice().sort();
    return { repositoryName, registryId, tags };
  }

  /**
   * BatchGetImage: each image's manifest by digest or tag (the Accept header from
   * acceptedMediaTypes); an image the registry does not have is a failure entry (ImageNotFound,
   * "Requested image not found"), a missing repository the call's RepositoryNotFoundException.
   */
  private async batchGetImage(input: Record<string, unknown>) {
    const { repositoryName, registryId } = await this.repositoryTags(input);
    const ids = objList(input, 'imageIds') ?? [];
    if (ids.length < 1 || ids.length > 100) throw errors.invalidParameter('imageIds must have between 1 and 100 members.');
    const accepted = strList(input, 'acceptedMediaTypes');
    const images: Record<string, unknown>[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const id of ids) {
      const imageDigest = typeof id.imageDigest === 'string' ? id.imageDigest : undefined;
      const imageTag = typeof id.imageTag === 'string' ? id.imageTag : undefined;
      const imageId = { ...(imageDigest ? { imageDigest } : {}), ...(imageTag ? { imageTag } : {}) };
      if (!imageDigest && !imageTag) {
        failures.push({ imageId, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' });
        continue;
      }
      if (imageDigest && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(imageDigest)) {
        failures.push({ imageId, failureCode: 'InvalidImageDigest', failureReason: 'Invalid request parameters: image digest should satisfy the regex' });
        continue;
      }
      const res = await this.registryGet(`/v2/${repositoryName}/manifests/${imageDigest ?? imageTag}`, accepted?.join(', ') || MANIFEST_TYPES);
      const digest = res.headers.get('docker-content-digest');
      if (res.status === 404 || !res.ok || !digest) {
        await res.body?.cancel();
        failures.push({ imageId, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        continue;
      }
      if (imageDigest && imageTag && imageDigest !== digest) {
        await res.body?.cancel();
        failures.push({
          imageId,
          failureCode: 'ImageTagDoesNotMatchDigest',
          failureReason: 'Invalid request parameters: given tag does not map to the given digest',
        });
        continue;
      }
      images.push({
        registryId,
        repositoryName,
        imageId: { imageDigest: digest, ...(imageTag ? { imageTag } : {}) },
        imageManifest: await res.text(),
        imageManifestMediaType: res.headers.get('content-type') ?? '',
      });
    }
    return { images, failures };
  }

  private async describeImages(input: Record<string, unknown>) {
    const { repositoryName, registryId, tags: allTags } = await this.repositoryTags(input);
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
