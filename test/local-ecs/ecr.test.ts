/**
 * ECR conformance against the real local registry (local/stack.sh): the emulator hands out the
 * registry's credentials and reads manifest digests over the registry's HTTP API v2. Images are
 * pushed here through that same API (no Docker needed), under a unique repository name.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { localRegistry, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { deleteManifests, pushTinyImage } from '../helpers/registry-images.js';

const registry = localRegistry();
const repo = `ctp-test/local-ecs-${randomBytes(4).toString('hex')}`;
let env: LocalEcsEnv;
const pushed: string[] = [];

async function deletePushed(): Promise<void> {
  await deleteManifests(registry, repo, pushed);
}

async function pushImage(tag: string, content: string): Promise<string> {
  const digest = await pushTinyImage(registry, repo, tag, content);
  pushed.push(digest);
  return digest;
}

describe('ECR against the local registry', () => {
  beforeAll(async () => {
    env = await withLocalEcs({ registry, accountId: '123456789012' });
  });
  afterAll(async () => {
    await deletePushed();
    await env?.stop();
  });

  it('GetAuthorizationToken hands out base64 user:password for the local registry', async () => {
    const out = await env.ecr.send(new GetAuthorizationTokenCommand({}));
    const data = out.authorizationData?.[0];
    expect(data?.proxyEndpoint).toBe(`http://${registry.host}`);
    expect(Buffer.from(data?.authorizationToken ?? '', 'base64').toString()).toBe(`${registry.username}:${registry.password}`);
    expect(data?.expiresAt).toBeInstanceOf(Date);
    expect((data?.expiresAt?.getTime() ?? 0) - Date.now()).toBeGreaterThan(11 * 3600 * 1000);
    // The token really opens the registry.
    const res = await fetch(`http://${registry.host}/v2/`, { headers: { authorization: `Basic ${data?.authorizationToken}` } });
    expect(res.status).toBe(200);
  });

  it('DescribeImages returns the manifest digest of a tag, and every tag without imageIds', async () => {
    const one = await pushImage('v1', 'one');
    const two = await pushImage('v2', 'two');
    expect(one).not.toBe(two);
    const out = await env.ecr.send(new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'v2' }] }));
    expect(out.imageDetails).toHaveLength(1);
    expect(out.imageDetails?.[0]).toMatchObject({ repositoryName: repo, registryId: '123456789012', imageDigest: two, imageTags: ['v2'] });
    expect(out.imageDetails?.[0]?.imageSizeInBytes).toBeGreaterThan(0);
    const byDigest = await env.ecr.send(new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageDigest: one }] }));
    expect(byDigest.imageDetails?.[0]?.imageDigest).toBe(one);
    const all = await env.ecr.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(all.imageDetails?.map((d) => [d.imageTags, d.imageDigest])).toEqual([
      [['v1'], one],
      [['v2'], two],
    ]);
  });

  it('answers ImageNotFoundException and RepositoryNotFoundException as ECR does', async () => {
    const missingTag = await env.ecr.send(new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'nope' }] })).catch((e: unknown) => e);
    expect(missingTag).toBeInstanceOf(ImageNotFoundException);
    expect((missingTag as Error).message).toBe(
      `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name '${repo}' in the registry with id '123456789012'`,
    );
    const missingRepo = await env.ecr
      .send(new DescribeImagesCommand({ repositoryName: `${repo}-absent`, imageIds: [{ imageTag: 'v1' }] }))
      .catch((e: unknown) => e);
    expect(missingRepo).toBeInstanceOf(RepositoryNotFoundException);
    expect(missingRepo).toBeInstanceOf(ECRServiceException);
    expect((missingRepo as Error).message).toBe(`The repository with name '${repo}-absent' does not exist in the registry with id '123456789012'`);
  });

  it('BatchGetImage answers the manifest by digest or tag, and a failure entry for one the registry lacks', async () => {
    const digest = await pushImage('batch-v1', 'batch get image');
    const absent = `sha256:${'0'.repeat(64)}`;
    const out = await env.ecr.send(
      new BatchGetImageCommand({
        repositoryName: repo,
        imageIds: [{ imageDigest: digest }, { imageTag: 'batch-v1' }, { imageDigest: absent }],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
      }),
    );
    expect(out.images?.map((i) => i.imageId)).toEqual([{ imageDigest: digest }, { imageDigest: digest, imageTag: 'batch-v1' }]);
    expect(JSON.parse(out.images?.[0]?.imageManifest ?? '{}')).toMatchObject({ schemaVersion: 2 });
    expect(out.images?.[0]?.imageManifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(out.failures).toEqual([{ imageId: { imageDigest: absent }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }]);
    const missingRepo = await env.ecr
      .send(new BatchGetImageCommand({ repositoryName: `${repo}-absent`, imageIds: [{ imageDigest: digest }] }))
      .catch((e: unknown) => e);
    expect(missingRepo).toBeInstanceOf(RepositoryNotFoundException);
  });
});
