/**
 * Docker mode with ECS's native strategies: real containers behind the local load balancer's two
 * listeners. A blue/green deployment paused after the test traffic shift serves the new version
 * on the test listener only, production stays on the old one until the deployment continues;
 * a canary sends part of production to the new version, then all of it. Under load on the
 * production listener throughout, no request fails.
 */
import { randomBytes } from 'node:crypto';
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../local/demo/load-generator.js';
import { recordLoad } from '../helpers/load.js';
import { localRegistry, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { pushVersionImages, type VersionImages } from '../helpers/version-images.js';
import { waitFor } from './wait.js';

const registry = localRegistry();
const suffix = randomBytes(4).toString('hex');
const TG = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue-${suffix}/0123456789abcdef`;
const ALT = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green-${suffix}/fedcba9876543210`;
const advancedConfiguration = {
  alternateTargetGroupArn: ALT,
  productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
  testListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/4/5',
  roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
};
// Every 10 s (1 s real at 10x): a check is an exec in the container, ~75 ms of the machine's CPU
// each (dockerd, containerd, runc), and the first one still runs a second (0.1 s real) after start.
const healthCheck = { command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/version || exit 1'], interval: 10, timeout: 2, retries: 2 };

let env: LocalEcsEnv;
let images: VersionImages;

async function current(): Promise<ServiceDeployment> {
  const [brief] = (await env.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'web' }))).serviceDeployments ?? [];
  const out = await env.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief!.serviceDeploymentArn!] }));
  return out.serviceDeployments![0]!;
}

const bodies = (results: LoadResult[]) => new Set(results.filter((r) => r.ok).map((r) => r.body));

describe('docker mode: native strategies', () => {
  beforeAll(async () => {
    images = await pushVersionImages(registry, `ctp-test/native-${suffix}`, ['v1', 'v2']);
    env = await withLocalEcs({
      mode: 'docker',
      registry,
      // 10x: one emulated minute of bake is 6 s.
      timeScale: 10,
      deregistrationDelayMs: 3_000,
      healthCheck: { intervalMs: 2_000, healthyThreshold: 2, unhealthyThreshold: 2, timeoutMs: 5_000 },
    });
    await env.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    for (const version of ['v1', 'v2']) {
      await env.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `web-${suffix}`,
          containerDefinitions: [{ name: 'web', image: `${images.repo}:${version}`, essential: true, portMappings: [{ containerPort: 8080 }], healthCheck }],
        }),
      );
    }
  }, 240_000);

  afterAll(async () => {
    // The registry's copies first: their digests are read through the emulator's ECR API, gone once
    // it stops; the local ones last, once no container of the emulator uses them.
    if (env) await images?.removeFromRegistry(env.ecr);
    await env?.stop();
    await images?.removeLocal();
  }, 120_000);

  it('blue/green: the test listener serves green while paused, production switches only after continue, zero failed requests', async () => {
    await env.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: 'web',
        taskDefinition: `web-${suffix}:1`,
        desiredCount: 2,
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 1,
          lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
        },
        loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080, advancedConfiguration }],
      }),
    );
    await waitFor(async () => ((await current()).status === 'SUCCESSFUL' ? true : undefined), 90_000, 200);
    const production = env.local.loadBalancerUrl('c', 'web');
    const test = env.local.testListenerUrl('c', 'web');
    expect(test).not.toBe(production);

    const load = recordLoad(production);
    await new Promise((r) => setTimeout(r, 300));
    await env.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: `web-${suffix}:2` }));
    const paused = await waitFor(
      async () => {
        const sd = await current();
        return sd.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION' ? sd : undefined;
      },
      90_000,
      200,
    );

    // Paused: green answers the test listener, production is all blue.
    const testAnswers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${test}/version`).then(async (r) => (await r.text()).trim())));
    expect(new Set(testAnswers)).toEqual(new Set(['v2']));
    const beforeContinue = Date.now();
    expect(bodies(load.results)).toEqual(new Set(['v1']));

    await env.ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: paused.serviceDeploymentArn, hookId: paused.lifecycleHookDetails![0]!.hookId }),
    );
    const done = await waitFor(
      async () => {
        const sd = await current();
        return sd.status === 'SUCCESSFUL' ? sd : undefined;
      },
      90_000,
      200,
    );
    const doneAt = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();

    const failed = load.results.filter((r) => !r.ok);
    expect(failed, `failed requests: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
    expect(bodies(load.results.filter((r) => r.at < beforeContinue))).toEqual(new Set(['v1']));
    expect(bodies(load.results.filter((r) => r.at > doneAt))).toEqual(new Set(['v2']));
    expect(done.lifecycleStage).toBe('CLEAN_UP');
    expect(env.local.tasks('c', 'web').filter((t) => t.lastStatus !== 'STOPPED')).toHaveLength(2);
  }, 240_000);

  it('canary: part of production on the new version through the canary bake, then all of it, zero failed requests', async () => {
    const production = env.local.loadBalancerUrl('c', 'web');
    const load = recordLoad(production);
    await new Promise((r) => setTimeout(r, 300));
    await env.ecs.send(
      new UpdateServiceCommand({
        cluster: 'c',
        service: 'web',
        taskDefinition: `web-${suffix}:1`,
        deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 30, canaryBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 },
      }),
    );
    let canaryFrom = 0;
    let canaryTo = 0;
    await waitFor(
      async () => {
        const traffic = env.local.traffic('c', 'web');
        if (traffic.productionGreen === 30 && canaryFrom === 0) canaryFrom = Date.now();
        if (traffic.productionGreen === 100 && canaryTo === 0) canaryTo = Date.now();
        return (await current()).status === 'SUCCESSFUL' ? true : undefined;
      },
      120_000,
      50,
    );
    const doneAt = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();

    const failed = load.results.filter((r) => !r.ok);
    expect(failed, `failed requests: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
    expect(canaryFrom).toBeGreaterThan(0);
    // During the canary step both versions answer production, the new one (v1) the smaller share.
    const canary = load.results.filter((r) => r.at > canaryFrom && r.at < canaryTo && r.ok);
    const share = canary.filter((r) => r.body === 'v1').length / canary.length;
    expect(canary.length).toBeGreaterThan(20);
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.55);
    expect(bodies(load.results.filter((r) => r.at > doneAt))).toEqual(new Set(['v1']));
    // Blue's tasks left the target group they were in: the alternate one, production since the
    // blue/green deployment above.
    const events = (await env.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services![0]!.events!;
    const since = events.findIndex((e) => e.message?.includes('CANARY deployment started.'));
    expect(since).toBeGreaterThan(0);
    // (One event per batch the scheduler drained: one of 2 targets, or two of 1.)
    const deregistered = new Map<string, number>();
    for (const e of events.slice(0, since)) {
      const m = /deregistered (\d+) targets in \(target-group (.+)\)$/.exec(e.message ?? '');
      if (m) deregistered.set(m[2]!, (deregistered.get(m[2]!) ?? 0) + Number(m[1]));
    }
    expect(Object.fromEntries(deregistered)).toEqual({ [ALT]: 2 });
  }, 240_000);
});
