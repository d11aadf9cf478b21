/**
 * The emulator's reading of what ECS documents for issue 14, through the unmodified SDK and raw
 * HTTP: a given deploymentConfiguration replaces the stored one (omitted members take ECS's
 * defaults, every given member is kept verbatim), the deployment controller given at creation is
 * stored and enforced, services behind a Classic Load Balancer report no rolloutState,
 * interruptions are stops that are not failures, and faults are injected as configured.
 */
import {
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../local/ecs/faults.js';
import { refusedByModel } from '../helpers/conformance.js';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { waitFor } from './wait.js';

let env: LocalEcsEnv;
const cluster = 'semantics';
let seq = 0;

async function raw(operation: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(env.local.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function newService(extra: Record<string, unknown> = {}): Promise<string> {
  const name = `svc${++seq}`;
  await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [{ name: 'app', image: 'app:1', essential: true, portMappings: [{ containerPort: 80 }] }],
    }),
  );
  const created = await raw('CreateService', { cluster, serviceName: name, taskDefinition: `${name}:1`, desiredCount: 1, ...extra });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  return name;
}

async function storedConfiguration(name: string): Promise<Record<string, unknown>> {
  const out = await raw('DescribeServices', { cluster, services: [name] });
  return (out.json.services as { deploymentConfiguration: Record<string, unknown> }[])[0]!.deploymentConfiguration;
}

beforeAll(async () => {
  env = await withLocalEcs({ timeScale: 50 });
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
});
afterAll(() => env?.stop());

describe('deploymentConfiguration', () => {
  const full = {
    strategy: 'CANARY',
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    bakeTimeInMinutes: 10,
    canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 2 },
    lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:us-east-1:0:function:f', roleArn: 'arn:aws:iam::0:role/r', lifecycleStages: ['PRE_SCALE_UP'] }],
    alarms: { alarmNames: ['a'], enable: true, rollback: true },
    deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: false },
    // Early success criteria turned off (ECS uses enabled ones only with ROLLING): kept and returned as given.
    earlySuccessCriteria: { enable: false, healthyPercent: 50 },
  };

  it('keeps every member given at CreateService, and fills ECS defaults for an omitted configuration', async () => {
    const name = await newService({ deploymentConfiguration: full });
    expect(await storedConfiguration(name)).toEqual(full);
    const plain = await newService();
    expect(await storedConfiguration(plain)).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      strategy: 'ROLLING',
    });
  });

  it('a given configuration replaces the stored one: what it omits takes the default, nothing is merged', async () => {
    const name = await newService({ deploymentConfiguration: full });
    const update = await raw('UpdateService', { cluster, service: name, deploymentConfiguration: { maximumPercent: 150 } });
    expect(update.status).toBe(200);
    expect(await storedConfiguration(name)).toEqual({
      maximumPercent: 150,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      strategy: 'ROLLING',
    });
    // No configuration in the update: the stored one stays as it is.
    await raw('UpdateService', { cluster, service: name, desiredCount: 2 });
    expect((await storedConfiguration(name)).maximumPercent).toBe(150);
  });

  it('rejects members ECS would reject', async () => {
    // The first four break botocore's model (an enum, a required member) and are declared so;
    // the rest fit the model and are refused by ECS's documented rules.
    for (const [cfg, message, breaksModel] of [
      [{ strategy: 'SIDEWAYS' }, /strategy/, true],
      [{ lifecycleHooks: [{ hookTargetArn: 'arn:x', lifecycleStages: ['WHENEVER'] }] }, /lifecycle stage/, true],
      [{ alarms: { alarmNames: ['a'] } }, /alarms/, true],
      [{ deploymentCircuitBreaker: { enable: true } }, /enable and rollback/, true],
      [{ bakeTimeInMinutes: 5000 }, /bakeTimeInMinutes/, false],
      [{ canaryConfiguration: { canaryPercent: 0 } }, /canaryPercent/, false],
      [{ linearConfiguration: { stepPercent: 1 } }, /stepPercent/, false],
    ] as const) {
      const send = () => raw('CreateService', { cluster, serviceName: `bad${++seq}`, taskDefinition: 'svc1:1', desiredCount: 0, deploymentConfiguration: cfg });
      const out = breaksModel ? await refusedByModel(send) : await send();
      expect(out.status, JSON.stringify(cfg)).toBe(400);
      expect(out.json.__type).toBe('InvalidParameterException');
      expect(String(out.json.message)).toMatch(message);
    }
  });
});

describe('deployment controller', () => {
  it('stores the controller given at CreateService and refuses a task-definition update of a CODE_DEPLOY or EXTERNAL service', async () => {
    for (const type of ['CODE_DEPLOY', 'EXTERNAL']) {
      const name = await newService({ deploymentController: { type } });
      const described = await env.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
      expect(described.services?.[0]?.deploymentController).toEqual({ type });
      const error = await env.ecs
        .send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: `${name}:1`, forceNewDeployment: true }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidParameterException);
      expect((error as Error).message).toMatch(new RegExp(`${type} deployment controller`));
      // What is not a deployment may still change.
      await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, desiredCount: 0 }));
    }
    const ecsService = await newService();
    expect((await env.ecs.send(new DescribeServicesCommand({ cluster, services: [ecsService] }))).services?.[0]?.deploymentController).toEqual({ type: 'ECS' });
  });
});

describe('rollout state', () => {
  it('a service behind a Classic Load Balancer reports no rolloutState', async () => {
    const name = await newService({ loadBalancers: [{ loadBalancerName: 'classic-elb', containerName: 'app', containerPort: 80 }] });
    const out = await raw('DescribeServices', { cluster, services: [name] });
    const deployment = (out.json.services as { deployments: Record<string, unknown>[] }[])[0]!.deployments[0]!;
    expect(deployment).not.toHaveProperty('rolloutState');
    expect(deployment).not.toHaveProperty('rolloutStateReason');
    expect(deployment.status).toBe('PRIMARY');
  });
});

describe('interruptions', () => {
  it.each([
    ['spot', 'SpotInterruption', 'Your Spot Task was interrupted.', 143],
    ['maintenance', 'ServiceSchedulerInitiated', 'ECS is performing maintenance on the underlying infrastructure hosting the task.', undefined],
  ] as const)(
    'a %s stop has stop code %s and ECS reason, is not a failed task of its deployment, and is replaced',
    async (kind, stopCode, reason, exitCode) => {
      const name = await newService();
      await waitFor(async () => env.local.tasks(cluster, name).some((t) => t.lastStatus === 'RUNNING') || undefined);
      const taskId = env.local.interrupt(cluster, name, kind);
      const stopped = await waitFor(async () => {
        const t = (await env.ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskId] }))).tasks?.[0];
        return t?.lastStatus === 'STOPPED' ? t : undefined;
      });
      expect(stopped.stopCode).toBe(stopCode);
      expect(stopped.stoppedReason).toBe(reason);
      if (exitCode !== undefined) expect(stopped.containers?.[0]?.exitCode).toBe(exitCode);
      const service = (await env.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
      expect(service.deployments?.[0]?.failedTasks).toBe(0);
      await waitFor(async () => ((await env.ecs.send(new ListTasksCommand({ cluster, serviceName: name }))).taskArns?.length === 1 ? true : undefined));
    },
  );
});

describe('fault injection', () => {
  it('injects each kind at its rate, only on the chosen operations, the same for the same seed', () => {
    const a = new FaultInjector({ seed: 7, throttleRate: 0.2, serverErrorRate: 0.2, dropRate: 0.05, slowRate: 0.1, slowMs: 5 });
    const b = new FaultInjector({ seed: 7, throttleRate: 0.2, serverErrorRate: 0.2, dropRate: 0.05, slowRate: 0.1, slowMs: 5 });
    const kinds = (f: FaultInjector) => Array.from({ length: 10_000 }, () => f.decide('DescribeServices')).map((d) => d.error?.name ?? d.drop ?? 'ok');
    const first = kinds(a);
    expect(kinds(b)).toEqual(first);
    const share = (k: string) => first.filter((x) => x === k).length / first.length;
    expect(share('ThrottlingException')).toBeCloseTo(0.2, 1);
    expect(share('ServiceUnavailable') + share('ServerException')).toBeCloseTo(0.2, 1);
    expect(share('before') + share('after')).toBeCloseTo(0.05, 1);
    expect(a.counts.slow / a.counts.calls).toBeCloseTo(0.1, 1);
    const only = new FaultInjector({ throttleRate: 1, operations: ['ListTasks'] });
    expect(only.decide('DescribeServices').error).toBeUndefined();
    expect(only.decide('ListTasks').error?.name).toBe('ThrottlingException');
    expect(() => new FaultInjector({ dropRate: 2 })).toThrow(/dropRate/);
  });

  it('answers throttled and 5xx calls as ECS does, and drops connections, over HTTP', async () => {
    const plain = new ECSClient({ endpoint: env.local.endpoint, region: env.local.region, credentials: env.local.credentials, maxAttempts: 1 });
    try {
      env.local.setFaults({ throttleRate: 1, operations: ['ListClusters'] });
      // The SDK sees ECS's throttling error by its name (what its retry strategy keys on).
      const error = (await plain.send(new ListClustersCommand({})).catch((e: unknown) => e)) as { name?: string; $metadata?: { httpStatusCode?: number } };
      expect(error.name).toBe('ThrottlingException');
      expect(error.$metadata?.httpStatusCode).toBe(400);
      await expect(raw('ListClusters', {})).resolves.toMatchObject({ status: 400, json: { __type: 'ThrottlingException' } });
      env.local.setFaults({ serverErrorRate: 1, operations: ['ListClusters'] });
      const fiveXX = await raw('ListClusters', {});
      expect(fiveXX.status).toBeGreaterThanOrEqual(500);
      env.local.setFaults({ dropRate: 1, operations: ['ListClusters'] });
      await expect(raw('ListClusters', {})).rejects.toThrow();
      const counts = env.local.faultCounts();
      expect(counts.throttle).toBeGreaterThanOrEqual(1);
      expect(counts['server-error']).toBeGreaterThanOrEqual(1);
      expect(counts['drop-before'] + counts['drop-after']).toBeGreaterThanOrEqual(1);
    } finally {
      env.local.setFaults({});
      plain.destroy();
    }
  });
});
