/**
 * ECS's early success criteria of a rolling deployment, as botocore's model documents them
 * (local/ecs/early-success.ts): the deployment is COMPLETED once healthyPercent of the desired
 * count of the new revision is healthy; with DEFERRED the previous revision's tasks are stopped
 * after that, with BLOCKING before it; the new revision is scaled to 100% in the background.
 * Asserted on the order of ECS's own events (the emulator's order, not timings).
 */
import { CreateClusterCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedByModel } from '../helpers/conformance.js';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { waitFor } from './wait.js';

let env: LocalEcsEnv;
const cluster = `early-${process.pid}`;
let seq = 0;

async function raw(operation: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(env.local.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function family(name: string, image: string): Promise<string> {
  // A container health check: a task counts as healthy once it passed it, not merely RUNNING.
  const healthCheck = { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 1 };
  const out = await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 80 }], healthCheck }],
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

async function describe1(name: string): Promise<Service> {
  return (await env.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
}

/** A steady service of 4 tasks with the given configuration, then updated to a new revision. */
async function rollOut(deploymentConfiguration: Record<string, unknown>): Promise<{ name: string; deploymentId: string; oldTasks: string[] }> {
  const name = `early${++seq}`;
  const first = await family(name, `early/app:${seq}-1`);
  const created = await raw('CreateService', { cluster, serviceName: name, taskDefinition: first, desiredCount: 4, deploymentConfiguration });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  await waitFor(
    async () => ((await describe1(name)).deployments?.[0]?.rolloutState === 'COMPLETED' && (await describe1(name)).runningCount === 4) || undefined,
  );
  const oldTasks = env.local
    .tasks(cluster, name)
    .filter((t) => t.lastStatus !== 'STOPPED')
    .map((t) => t.id);
  expect(oldTasks).toHaveLength(4);
  const second = await family(name, `early/app:${seq}-2`);
  const updated = await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: second }));
  const deploymentId = updated.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
  return { name, deploymentId, oldTasks };
}

/** ECS's events oldest first, as messages. */
async function eventsInOrder(name: string): Promise<string[]> {
  return ((await describe1(name)).events ?? []).map((e) => e.message ?? '').reverse();
}

/** Index of the event saying the given task stopped. */
function stopIndex(events: string[], taskId: string): number {
  return events.findIndex((m) => m.includes('has stopped') && m.includes(`(task ${taskId})`));
}

beforeAll(async () => {
  env = await withLocalEcs({ timeScale: 50 });
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
});
afterAll(() => env?.stop());

const rolling = { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true }, strategy: 'ROLLING' };

describe('early success criteria', () => {
  it('DEFERRED: COMPLETED at healthyPercent, before the old tasks are gone; the new revision goes on to 100%', async () => {
    const criteria = { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' };
    const { name, deploymentId, oldTasks } = await rollOut({ ...rolling, earlySuccessCriteria: criteria });
    expect((await describe1(name)).deploymentConfiguration?.earlySuccessCriteria).toEqual(criteria);
    // Wait for everything to end: the steady state.
    await waitFor(async () => (await eventsInOrder(name)).filter((m) => m.includes('steady state')).length >= 2 || undefined);
    const events = await eventsInOrder(name);
    const completed = events.findIndex((m) => m.includes(`(deployment ${deploymentId}) deployment completed`));
    expect(completed, events.join('\n')).toBeGreaterThan(0);
    // maximumPercent 200 leaves room for all the new tasks: every one of the previous revision's
    // tasks was stopped only after the deployment COMPLETED.
    const stops = oldTasks.map((id) => stopIndex(events, id));
    expect(
      stops.every((i) => i > completed),
      events.join('\n'),
    ).toBe(true);
    // The steady state (all 4 of the new revision) comes after the completion.
    expect(events.lastIndexOf(events.filter((m) => m.includes('steady state')).at(-1)!)).toBeGreaterThan(completed);
    const service = await describe1(name);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments?.[0]).toMatchObject({ id: deploymentId, rolloutState: 'COMPLETED', runningCount: 4 });
  });

  it('DEFERRED with no spare room (maximumPercent 100): older tasks make room for the new ones, and the rollout still ends', async () => {
    const criteria = { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' };
    const { name, deploymentId } = await rollOut({ ...rolling, maximumPercent: 100, earlySuccessCriteria: criteria });
    await waitFor(async () => {
      const s = await describe1(name);
      return s.deployments?.length === 1 && s.deployments[0]?.id === deploymentId && s.deployments[0].runningCount === 4 ? s : undefined;
    });
    expect((await eventsInOrder(name)).some((m) => m.includes(`(deployment ${deploymentId}) deployment completed`))).toBe(true);
  });

  it('BLOCKING: COMPLETED only after every old task stopped', async () => {
    const criteria = { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'BLOCKING' };
    const { name, deploymentId, oldTasks } = await rollOut({ ...rolling, earlySuccessCriteria: criteria });
    await waitFor(async () => (await describe1(name)).deployments?.find((d) => d.id === deploymentId)?.rolloutState === 'COMPLETED' || undefined);
    // Read at COMPLETED: no task of the previous revision is left.
    expect(env.local.tasks(cluster, name).filter((t) => oldTasks.includes(t.id) && t.lastStatus !== 'STOPPED')).toEqual([]);
    const events = await eventsInOrder(name);
    const completed = events.findIndex((m) => m.includes(`(deployment ${deploymentId}) deployment completed`));
    const stops = oldTasks.map((id) => stopIndex(events, id));
    expect(
      stops.every((i) => i >= 0 && i < completed),
      events.join('\n'),
    ).toBe(true);
  });

  it('a circuit breaker still fails (and rolls back) a deployment that cannot reach healthyPercent', async () => {
    env.local.simulate(/early\/app:\d+-crash/, { startMs: 100, exitCode: 1, exitAfterMs: 100 });
    const name = `early${++seq}`;
    const first = await family(name, `early/app:${seq}-1`);
    const criteria = { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' };
    await raw('CreateService', {
      cluster,
      serviceName: name,
      taskDefinition: first,
      desiredCount: 2,
      deploymentConfiguration: { ...rolling, earlySuccessCriteria: criteria },
    });
    await waitFor(async () => (await describe1(name)).deployments?.[0]?.rolloutState === 'COMPLETED' || undefined);
    const crash = await family(name, `early/app:${seq}-crash`);
    const updated = await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: crash }));
    const failedId = updated.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
    await waitFor(async () => {
      const s = await describe1(name);
      return s.deployments?.length === 1 && s.deployments[0]?.taskDefinition === first && s.deployments[0].rolloutState === 'COMPLETED' ? s : undefined;
    });
    expect((await eventsInOrder(name)).some((m) => m.includes(`(deployment ${failedId}) deployment failed`))).toBe(true);
  });
});

describe('early success criteria: what ECS refuses', () => {
  const base = { cluster, taskDefinition: '', desiredCount: 0 };
  let td = '';
  beforeAll(async () => {
    td = await family(`early-refused-${process.pid}`, 'early/app:refused');
  });
  const create = (deploymentConfiguration: Record<string, unknown>) =>
    raw('CreateService', { ...base, taskDefinition: td, serviceName: `refused${++seq}`, deploymentConfiguration });

  it.each([
    [
      'a native strategy',
      { strategy: 'BLUE_GREEN', earlySuccessCriteria: { enable: true, healthyPercent: 100, sourceServiceRevisionCleanup: 'DEFERRED' } },
      /ROLLING/,
    ],
    [
      'healthyPercent below minimumHealthyPercent',
      { minimumHealthyPercent: 100, earlySuccessCriteria: { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'BLOCKING' } },
      /healthyPercent \(80\).*minimumHealthyPercent \(100\)/,
    ],
    [
      'the default minimum (100) when none is given',
      { earlySuccessCriteria: { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' } },
      /minimumHealthyPercent \(100\)/,
    ],
    [
      'enable without healthyPercent',
      { minimumHealthyPercent: 0, earlySuccessCriteria: { enable: true, sourceServiceRevisionCleanup: 'DEFERRED' } },
      /earlySuccessCriteria\.healthyPercent is required/,
    ],
    [
      'enable without sourceServiceRevisionCleanup',
      { minimumHealthyPercent: 0, earlySuccessCriteria: { enable: true, healthyPercent: 50 } },
      /sourceServiceRevisionCleanup is required/,
    ],
  ])('refuses %s with InvalidParameterException naming the member', async (_name, cfg, message) => {
    const out = await create(cfg);
    expect(out.status).toBe(400);
    expect(out.json.__type).toBe('InvalidParameterException');
    expect(String(out.json.message)).toMatch(message);
  });

  it.each([
    ['no enable', { earlySuccessCriteria: { healthyPercent: 100, sourceServiceRevisionCleanup: 'DEFERRED' } }, /enable is required/],
    ['healthyPercent above 100', { earlySuccessCriteria: { enable: true, healthyPercent: 101, sourceServiceRevisionCleanup: 'DEFERRED' } }, /healthyPercent/],
    ['an unknown cleanup', { earlySuccessCriteria: { enable: true, healthyPercent: 100, sourceServiceRevisionCleanup: 'LATER' } }, /BLOCKING, DEFERRED/],
  ])('refuses %s (outside botocore model too)', async (_name, cfg, message) => {
    const out = await refusedByModel(() => create(cfg));
    expect(out.status).toBe(400);
    expect(out.json.__type).toBe('InvalidParameterException');
    expect(String(out.json.message)).toMatch(message);
  });

  it('keeps criteria that are turned off under any strategy, and enabled ones with ROLLING', async () => {
    const off = { enable: false };
    const name = `kept${++seq}`;
    const out = await raw('CreateService', {
      ...base,
      taskDefinition: td,
      serviceName: name,
      deploymentConfiguration: { strategy: 'ROLLING', earlySuccessCriteria: off },
    });
    expect(out.status, JSON.stringify(out.json)).toBe(200);
    expect((await describe1(name)).deploymentConfiguration?.earlySuccessCriteria).toEqual(off);
    const on = { enable: true, healthyPercent: 100, sourceServiceRevisionCleanup: 'BLOCKING' };
    const updated = await raw('UpdateService', { cluster, service: name, deploymentConfiguration: { earlySuccessCriteria: on } });
    expect(updated.status, JSON.stringify(updated.json)).toBe(200);
    expect((await describe1(name)).deploymentConfiguration?.earlySuccessCriteria).toEqual(on);
  });
});
