/**
 * ecs-rolling-deploy against the emulator in docker mode: real busybox httpd containers pulled
 * from the local registry, behind the emulator's real HTTP load balancer. A client hammers the
 * load balancer while the action rolls v1 → v2 (by digest); not one request may fail. Then a
 * release whose app never answers is detected, rolled back, and still no request fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, ListTagsForResourceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerOk } from '../../local/ecs/docker-cli.js';
import { localRegistry } from '../helpers/local-ecs.js';
import { localStack } from '../helpers/stack.js';
import { deployAction, startDeployFixture, waitForSteady, type DeployFixture, type TestService } from './fixture.js';
import { recordLoad } from '../helpers/load.js';

const registry = localRegistry();
const suffix = randomBytes(4).toString('hex');
const repoName = `ctp-test/deploy-web-${suffix}`;
const repo = `${registry.host}/${repoName}`;
const BASE = localStack().baseImage;
const TG = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/deploy-${suffix}/0123456789abcdef`;

let f: DeployFixture;
let work: string;
const digests = new Map<string, string>();

/** Builds and pushes an httpd image serving `version` at /version on `port`; returns repo@digest. */
async function buildAndPush(version: string, port: number, configDir: string): Promise<string> {
  const dir = join(work, version);
  await mkdir(join(dir, 'www'), { recursive: true });
  await writeFile(join(dir, 'www', 'version'), `${version}\n`);
  // The target group's health check asks for `/`.
  await writeFile(join(dir, 'www', 'index.html'), `<p>${version}</p>\n`);
  await writeFile(join(dir, 'Dockerfile'), [`FROM ${BASE}`, 'COPY www /www', `CMD ["httpd", "-f", "-p", "${port}", "-h", "/www"]`, ''].join('\n'));
  await dockerOk(['build', '--quiet', '--no-cache', '--tag', `${repo}:${version}`, dir], { configDir, timeoutMs: 120_000 });
  const pushed = await dockerOk(['push', `${repo}:${version}`], { configDir, timeoutMs: 120_000 });
  const digest = /digest: (sha256:[a-f0-9]{64})/.exec(pushed)?.[1];
  if (!digest) throw new Error(`no digest in push output: ${pushed}`);
  await dockerOk(['rmi', `${repo}:${version}`], { timeoutMs: 60_000 });
  digests.set(version, digest);
  return `${repo}@${digest}`;
}

describe('ecs-rolling-deploy in docker mode', () => {
  let target: TestService;
  let v2: string;
  let broken: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ctp-deploy-docker-'));
    const configDir = join(work, 'docker-config');
    await mkdir(configDir);
    await writeFile(join(configDir, 'config.json'), '{}\n');
    await dockerOk(['login', '--username', registry.username, '--password-stdin', registry.host], { configDir, input: registry.password, timeoutMs: 30_000 });
    const v1 = await buildAndPush('v1', 8080, configDir);
    v2 = await buildAndPush('v2', 8080, configDir);
    // Listens on the wrong port: starts fine, never passes a health check.
    broken = await buildAndPush('v3', 9999, configDir);

    f = await startDeployFixture({
      mode: 'docker',
      registry,
      timeScale: 10,
      deregistrationDelayMs: 3_000,
      healthCheck: { intervalMs: 2_000, healthyThreshold: 2, unhealthyThreshold: 2, timeoutMs: 5_000 },
    });
    const cluster = `c-${suffix}`;
    const family = `deploy-web-${suffix}`;
    await f.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const td = await f.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ name: 'web', image: v1, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] }],
      }),
    );
    await f.ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'web',
        taskDefinition: td.taskDefinition!.taskDefinitionArn!,
        desiredCount: 2,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
        loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
      }),
    );
    await waitForSteady(f, cluster, 'web', 120_000);
    target = { cluster, service: 'web', family, taskDefinitionArn: td.taskDefinition!.taskDefinitionArn! };
  }, 300_000);

  afterAll(async () => {
    if (f) {
      const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
      for (const digest of digests.values()) {
        await fetch(`http://${registry.host}/v2/${repoName}/manifests/${digest}`, { method: 'DELETE', headers: { authorization: auth } }).catch(
          () => undefined,
        );
      }
      await f.stop();
      // The emulator pulled the images by digest: those local copies go too.
      const ids = (await docker(['images', '--quiet', '--filter', `reference=${repo}`], { timeoutMs: 30_000 })).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await docker(['rmi', '--force', ...new Set(ids)], { timeoutMs: 60_000 });
    }
    if (work) await rm(work, { recursive: true, force: true });
  }, 120_000);

  it('rolls v1 → v2 by digest with zero failed requests through the load balancer', async () => {
    const url = f.local.loadBalancerUrl(target.cluster, target.service);
    const load = recordLoad(url);
    await new Promise((r) => setTimeout(r, 300));
    const result = await deployAction(f, target, { 'container-images': `web=${v2}` });
    const doneAt = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();

    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const failed = load.results.filter((r) => !r.ok);
    expect(failed, `failed requests: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
    expect(load.results.length).toBeGreaterThan(50);
    expect(load.results.some((r) => r.body === 'v1')).toBe(true);
    expect(new Set(load.results.filter((r) => r.at > doneAt).map((r) => r.body))).toEqual(new Set(['v2']));
    // The real load balancer's events were streamed as they happened.
    expect(result.log).toMatch(/event: .*registered \d+ targets/);
    expect(result.log).toMatch(/event: .*deregistered \d+ targets/);
    const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: result.outputs['task-definition-arn'] }))).tags ?? [];
    expect(tags).toContainEqual({ key: 'commit-to-prod:image:web', value: digests.get('v2') });
  }, 180_000);

  it('rolls back a release that never passes its health checks, still with zero failed requests', async () => {
    const url = f.local.loadBalancerUrl(target.cluster, target.service);
    const before = await waitForSteady(f, target.cluster, target.service);
    const load = recordLoad(url);
    const result = await deployAction(f, target, { 'container-images': `web=${broken}`, 'max-failed-tasks': '2' });
    await load.stop();

    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/Task failed ELB health checks/);
    expect(error).toContain(`back on revision ${before.taskDefinition!.split('/').at(-1)}`);
    const failed = load.results.filter((r) => !r.ok);
    expect(failed, `failed requests: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
    expect(new Set(load.results.map((r) => r.body))).toEqual(new Set(['v2']));
    const after = await waitForSteady(f, target.cluster, target.service, 60_000);
    expect(after.taskDefinition).toBe(before.taskDefinition);
  }, 240_000);
});
