import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEcs, type LocalEcs } from '../../local/ecs/index.js';
import { runBundle } from '../../local/runner/run-bundle.js';
import { localStack, uniqueName } from '../helpers/stack.js';
import { registryHeadDigest, registryTags, removeLocalImages } from './registry.js';

// The ECR path: credentials from GetAuthorizationToken of the local ECS/ECR emulator, reached by
// the real @aws-sdk/client-ecr inside the bundle through AWS_ENDPOINT_URL_ECR. The emulator's
// token is the local registry's own basic-auth login, as ECR's is `AWS:<password>` for ECR.
const stack = localStack();
let ecs: LocalEcs;
const repos: string[] = [];
beforeAll(async () => {
  ecs = await startLocalEcs({ registry: { host: stack.registry, username: stack.username, password: stack.password } });
});
afterAll(async () => {
  await ecs?.stop();
  for (const repo of repos) removeLocalImages(`${stack.registry}/${repo}`);
});

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bpi-ecr-'));
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${stack.baseImage}\nRUN echo from-ecr > /origin\n`);
  return dir;
}

describe('build-push-image logging in through ECR GetAuthorizationToken', () => {
  it('pushes with the emulator-issued credentials, masked, and reports the registry digest', async () => {
    const repo = `bpi/${uniqueName('ecr')}`;
    repos.push(repo);
    const r = await runBundle('build-push-image', {
      workspace: workspace(),
      inputs: { image: `${stack.registry}/${repo}`, 'registry-type': 'ecr', 'aws-region': ecs.region, tags: 'short-sha\nlatest' },
      env: {
        AWS_ENDPOINT_URL_ECR: ecs.endpoint,
        AWS_ACCESS_KEY_ID: ecs.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ecs.credentials.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      github: { ref: 'refs/heads/main', sha: 'feedface00112233445566778899aabbccddeeff', event: { repository: { default_branch: 'main' } } },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`ECR in ${ecs.region}, region from input 'aws-region'`);
    expect(r.log).toContain(`ECR GetAuthorizationToken (${ecs.region}) gave credentials for user '${stack.username}'.`);
    expect(r.log).toContain(`Logged in to ${stack.registry} as ${stack.username}.`);
    expect(r.masks).toContain(stack.password);
    expect(r.log).not.toContain(stack.password);
    expect(await registryTags(stack, repo)).toEqual(['feedfac', 'latest']);
    expect(await registryHeadDigest(stack, repo, 'latest')).toBe(r.outputs.digest);
    expect(r.outputs['image-ref']).toBe(`${stack.registry}/${repo}@${r.outputs.digest}`);
  });

  it('takes the region from AWS_REGION when the host carries none and the input is empty', async () => {
    const repo = `bpi/${uniqueName('ecr')}`;
    repos.push(repo);
    const r = await runBundle('build-push-image', {
      workspace: workspace(),
      inputs: { image: `${stack.registry}/${repo}`, 'registry-type': 'ecr', push: 'false' },
      env: {
        AWS_REGION: ecs.region,
        AWS_ENDPOINT_URL_ECR: ecs.endpoint,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`ECR in ${ecs.region}, region from AWS_REGION`);
    expect(r.outputs.digest ?? '').toBe('');
    expect(r.outputs['image-id']).toMatch(/^sha256:/);
    expect(await registryTags(stack, repo)).toBeUndefined();
  });

  it('without AWS credentials, says so and how to get them, before building', async () => {
    const r = await runBundle('build-push-image', {
      workspace: workspace(),
      inputs: { image: `${stack.registry}/bpi/${uniqueName('ecr')}`, 'registry-type': 'ecr', 'aws-region': ecs.region },
      env: { AWS_ENDPOINT_URL_ECR: ecs.endpoint, AWS_EC2_METADATA_DISABLED: 'true', HOME: mkdtempSync(path.join(tmpdir(), 'ctp-bpi-home-')) },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /^ECR GetAuthorizationToken in us-east-1 failed: .*credential.*\(configure AWS credentials first, e\.g\. with aws-actions\/configure-aws-credentials\)$/is,
    );
    expect(r.log).not.toContain('from-ecr');
  });

  it('an ECR refusal is one clear line naming the call and region, before anything is built', async () => {
    const noRegistry = await startLocalEcs({});
    try {
      const repo = `bpi/${uniqueName('ecr')}`;
      const r = await runBundle('build-push-image', {
        workspace: workspace(),
        inputs: { image: `${stack.registry}/${repo}`, 'registry-type': 'ecr', 'aws-region': 'eu-west-1' },
        env: { AWS_ENDPOINT_URL_ECR: noRegistry.endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_EC2_METADATA_DISABLED: 'true' },
      });
      expect(r.exitCode).toBe(1);
      expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
        /^ECR GetAuthorizationToken in eu-west-1 failed: ServerException: The local ECS emulator was started without a registry/,
      );
      expect(r.log).not.toContain('from-ecr');
      expect(r.log).not.toMatch(/Stack trace/);
    } finally {
      await noRegistry.stop();
    }
  });
});
