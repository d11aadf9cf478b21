/**
 * Rollout behaviour of the simulated emulator, observed through the SDK (and, for invariants
 * that must hold at every instant, through the emulator's task-change feed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service as SdkService,
} from '@aws-sdk/client-ecs';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { breakerThreshold, failureThreshold, type Task } from '../../local/ecs/index.js';
import { waitFor } from './wait.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
let env: LocalEcsEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function setup(opts: { loadBalancer?: boolean; healthCheck?: boolean } = {}) {
  env = await withLocalEcs({
    timeScale: 20,
    deregistrationDelayMs: 2_000,
    healthCheck: { intervalMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 },
  });
  const e = env;
  await e.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  const register = (image: string) =>
    e.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [
          {
            name: 'app',
            image,
            essential: true,
            portMappings: [{ containerPort: 8080 }],
            ...(opts.healthCheck === false
              ? {}
              : { healthCheck: { command: ['CMD-SHELL', 'wget -q -O- http://localhost:8080/ || exit 1'], interval: 5, retries: 2 } }),
          },
        ],
      }),
    );
  return { e, register };
}

async function createService(
  e: LocalEcsEnv,
  cfg: { min: number; max: number; breaker?: { enable: boolean; rollback: boolean; resetOnHealthyTask?: boolean }; lb?: boolean; desired?: number },
) {
  await e.ecs.send(
    new CreateServiceCommand({
      cluster: 'c',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: cfg.desired ?? 2,
      deploymentConfiguration: {
        minimumHealthyPercent: cfg.min,
        maximumPercent: cfg.max,
        deploymentCircuitBreaker: cfg.breaker ?? { enable: false, rollback: false },
      },
      ...(cfg.lb === false ? {} : { loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }] }),
    }),
  );
  return waitFor(() => steadyService(e));
}

async function describe1(e: LocalEcsEnv): Promise<SdkService> {
  const out = await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }));
  const s = out.services?.[0];
  if (!s) throw new Error('service missing');
  return s;
}

async function steadyService(e: LocalEcsEnv): Promise<SdkService | undefined> {
  const s = await describe1(e);
  return s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.runningCount === s.desiredCount ? s : undefined;
}

/**
 * A release the breaker failed and ECS rolled back, as ECS records it once the service is steady
 * again on its rollback: the service deployment (DescribeServiceDeployments) and the events. Read
 * after the fact, not caught in flight: with the old tasks still serving, the rollback completes at
 * once and the FAILED deployment leaves DescribeServices within a few emulated seconds. A loaded
 * machine's test process may not look in that window (a 0.6 s stall of it after the update, 12
 * emulated seconds at 20x, made it miss every time), while ECS's record of the deployment stays.
 */
async function rolledBackRelease(e: LocalEcsEnv, bad: string) {
  const after = await waitFor(async () => {
    const s = await steadyService(e);
    return s && s.deployments?.[0]?.id !== bad ? s : undefined;
  });
  const { serviceDeployments = [] } = await e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'web' }));
  const described = await e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: serviceDeployments.map((d) => d.serviceDeploymentArn!) }));
  const rolledBack = (described.serviceDeployments ?? []).filter((d) => d.status === 'ROLLBACK_SUCCESSFUL');
  expect(rolledBack).toHaveLength(1);
  const messages = (after.events ?? []).map((ev) => ev.message ?? '');
  return { after, record: rolledBack[0]!, messages };
}

/** Healthy as the scheduler must count it: running, wanted, container and LB checks passing. */
const healthy = (t: Task) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING' && t.healthStatus === 'HEALTHY' && t.target === 'healthy';

/** Watches every task transition of the service and records the extremes. */
function watch(e: LocalEcsEnv) {
  const seen = { minHealthy: Infinity, maxLive: 0, transitions: 0 };
  const off = e.local.onTaskChange(() => {
    const tasks = e.local.tasks('c', 'web');
    seen.transitions++;
    seen.minHealthy = Math.min(seen.minHealthy, tasks.filter(healthy).length);
    seen.maxLive = Math.max(seen.maxLive, tasks.filter((t) => t.lastStatus !== 'STOPPED').length);
  });
  return { seen, off };
}

/**
 * Samples the task states over the SDK while a rollout runs, as a client would see them. How many
 * samples fit into a rollout depends on how busy the machine is, not on ECS: stop() keeps sampling
 * until there are at least `minSamples` (after the rollout the invariants still hold).
 */
function sampleOverSdk(e: LocalEcsEnv, minSamples = 6) {
  const samples: { healthy: number; live: number }[] = [];
  let running = true;
  const done = (async () => {
    while (running || samples.length < minSamples) {
      const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web' }));
      if (taskArns && taskArns.length > 0) {
        const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns }));
        samples.push({
          healthy: (tasks ?? []).filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING' && t.healthStatus === 'HEALTHY').length,
          live: (tasks ?? []).filter((t) => t.lastStatus !== 'STOPPED').length,
        });
      } else samples.push({ healthy: 0, live: 0 });
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/** "(service web) has started 2 tasks: …" → "has started"; counts summed per kind in order. */
function eventKinds(s: SdkService): string[] {
  const kinds: string[] = [];
  for (const e of [...(s.events ?? [])].reverse()) {
    const m = e.message ?? '';
    const kind = /has started \d+ tasks/.test(m)
      ? 'started'
      : /registered \d+ targets/.test(m) && !m.includes('deregistered')
        ? 'registered'
        : /has begun draining connections/.test(m)
          ? 'draining'
          : /deregistered \d+ targets/.test(m)
            ? 'deregistered'
            : /has stopped \d+ running tasks/.test(m)
              ? 'stopped'
              : /deployment completed\.$/.test(m)
                ? 'completed'
                : /deployment failed: tasks failed to start\.$/.test(m)
                  ? 'failed'
                  : /rolling back to deployment/.test(m)
                    ? 'rollback'
                    : /has reached a steady state\.$/.test(m)
                      ? 'steady'
                      : `other: ${m}`;
    if (kinds.at(-1) !== kind) kinds.push(kind);
  }
  return kinds;
}

const countIn = (s: SdkService, re: RegExp) => (s.events ?? []).reduce((sum, e) => sum + Number(re.exec(e.message ?? '')?.[1] ?? 0), 0);

describe('rolling update (simulated)', () => {
  it('100/200 with 2 tasks: starts new tasks, waits healthy, registers, then drains and stops old ones; never below 2 healthy', async () => {
    const { e, register } = await setup();
    await register('repo/web:1');
    await register('repo/web:2');
    const before = await createService(e, { min: 100, max: 200 });
    expect(before.events?.[0]?.message).toBe('(service web) has reached a steady state.');

    const w = watch(e);
    const sdk = sampleOverSdk(e);
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const after = await waitFor(async () => {
      const s = await steadyService(e);
      return s?.taskDefinition?.endsWith('web:2') ? s : undefined;
    });
    await sdk.stop();
    w.off();

    expect(w.seen.transitions).toBeGreaterThan(10);
    expect(w.seen.minHealthy).toBe(2);
    expect(w.seen.maxLive).toBe(4);
    expect(sdk.samples.length).toBeGreaterThan(5);
    expect(Math.min(...sdk.samples.map((x) => x.healthy))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sdk.samples.map((x) => x.live))).toBeLessThanOrEqual(4);

    expect(after.deployments).toHaveLength(1);
    expect(after.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2, failedTasks: 0 });
    const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web' }));
    const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns ?? [] }));
    expect(tasks?.map((t) => t.taskDefinitionArn?.split('/')[1])).toEqual(['web:2', 'web:2']);

    // The whole story, in ECS's words and order (oldest first). ECS reports what completes
    // together as one event ("has stopped 2 running tasks: …") but makes no promise of what
    // completes together: two targets whose drains end a moment apart are two events, as on a
    // loaded machine here. So the story is checked as an order of first occurrences and as sums.
    const kinds = eventKinds(after);
    const firstSteady = kinds.indexOf('steady');
    expect(kinds.slice(0, firstSteady + 1)).toEqual(['started', 'registered', 'completed', 'steady']);
    const rollout = kinds.slice(firstSteady + 1);
    expect(rollout[0]).toBe('started');
    expect(rollout.slice(-2)).toEqual(['completed', 'steady']);
    const between = rollout.slice(1, -2);
    expect(new Set(between)).toEqual(new Set(['registered', 'draining', 'deregistered', 'stopped']));
    // New targets registered before any old one drains; each old one drained, then deregistered, then stopped.
    const first = (k: string) => between.indexOf(k);
    expect(first('registered')).toBeLessThan(first('draining'));
    expect(first('draining')).toBeLessThan(first('deregistered'));
    expect(first('deregistered')).toBeLessThan(first('stopped'));
    expect(between.lastIndexOf('stopped')).toBe(between.length - 1);

    expect(countIn(after, /has started (\d+) tasks/)).toBe(4);
    expect(countIn(after, /(?<!de)registered (\d+) targets/)).toBe(4);
    expect(countIn(after, /has begun draining connections on (\d+) tasks/)).toBe(2);
    expect(countIn(after, /deregistered (\d+) targets/)).toBe(2);
    expect(countIn(after, /has stopped (\d+) running tasks/)).toBe(2);
    const messages = (after.events ?? []).map((ev) => ev.message ?? '');
    const id = after.deployments?.[0]?.id ?? '';
    expect(messages[0]).toBe('(service web) has reached a steady state.');
    expect(messages[1]).toBe(`(service web) (deployment ${id}) deployment completed.`);
    // Each event in ECS's wording; a start or stop names one task per task it counts.
    const tasksNamed = (m: string) => m.match(/\(task [0-9a-f]{32}\)/g)?.length ?? 0;
    for (const m of messages.slice(2)) {
      const n = Number(/ (\d+) /.exec(m)?.[1]);
      if (m.includes('has started')) expect(m, m).toMatch(/^\(service web\) has started \d+ tasks:( \(task [0-9a-f]{32}\))+\.$/);
      if (m.includes('has started') || m.includes('has stopped')) expect(tasksNamed(m), m).toBe(n);
      if (m.includes('has stopped')) expect(m, m).toMatch(/^\(service web\) has stopped \d+ running tasks:( \(task [0-9a-f]{32}\))+\.$/);
      if (m.includes('draining')) expect(m).toMatch(/^\(service web\) has begun draining connections on \d+ tasks\.$/);
      if (m.includes('registered'))
        expect(m.replace(/\d+/, 'N')).toMatch(new RegExp(`^\\(service web\\) (de)?registered N targets in \\(target-group ${TG}\\)$`));
    }
    // Newest first, with ECS's timestamps.
    const times = (after.events ?? []).map((ev) => ev.createdAt?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('50/100 with 2 tasks: stops one old task first, never below 1 healthy nor above 2 tasks', async () => {
    const { e, register } = await setup();
    await register('repo/web:1');
    await register('repo/web:2');
    await createService(e, { min: 50, max: 100 });
    const w = watch(e);
    const sdk = sampleOverSdk(e);
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    // The first thing that happens is an old task being stopped, not a new one started.
    const firstMove = await waitFor(async () => {
      const s = await describe1(e);
      const latest = s.events?.[0]?.message ?? '';
      return latest.includes('has begun draining') || latest.includes('has started') ? latest : undefined;
    });
    expect(firstMove).toBe('(service web) has begun draining connections on 1 tasks.');
    const after = await waitFor(async () => {
      const s = await steadyService(e);
      return s?.taskDefinition?.endsWith('web:2') ? s : undefined;
    });
    await sdk.stop();
    w.off();
    expect(w.seen.minHealthy).toBe(1);
    expect(w.seen.maxLive).toBe(2);
    expect(Math.min(...sdk.samples.map((x) => x.healthy))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sdk.samples.map((x) => x.live))).toBeLessThanOrEqual(2);
    expect(after.deployments?.[0]?.rolloutState).toBe('COMPLETED');
    expect(countIn(after, /has started (\d+) tasks/)).toBe(4);
  });

  it('without a load balancer, RUNNING and container-healthy tasks count as healthy', async () => {
    const { e, register } = await setup();
    await register('repo/web:1');
    await register('repo/web:2');
    await createService(e, { min: 100, max: 200, lb: false });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const after = await waitFor(async () => {
      const s = await steadyService(e);
      return s?.taskDefinition?.endsWith('web:2') ? s : undefined;
    });
    expect(eventKinds(after)).toEqual(['started', 'completed', 'steady', 'started', 'stopped', 'completed', 'steady']);
  });
});

describe('failing releases (simulated)', () => {
  it('a crash-looping release trips the circuit breaker and is rolled back to the last completed deployment', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:bad', { startMs: 500, exitCode: 3, exitAfterMs: 300 });
    await register('repo/web:1');
    await register('repo/web:bad');
    const before = await createService(e, { min: 100, max: 200, breaker: { enable: true, rollback: true } });
    const good = before.deployments?.[0]?.id ?? '';
    // The new deployment as UpdateService answers it: a DescribeServices after it may already find
    // the rollback first, on a loaded machine.
    const bad = (await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }))).service?.deployments?.[0]?.id ?? '';
    expect(bad).not.toBe(good);

    // The failed deployment, as ECS recorded it: FAILED by the breaker with ECS's reason, rolled
    // back to the revision it replaced (rolledBackRelease says why not caught in flight).
    const { after, record } = await rolledBackRelease(e, bad);
    expect(after.deployments?.[0]?.id).not.toBe(good);
    expect(record.rollback?.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(record.rollback?.serviceRevisionArn).toBe(record.sourceServiceRevisions?.[0]?.arn);
    // ECS's threshold for 2 desired tasks is max(3, ceil(2/2)) = 3; tasks crashing at the same
    // instant as the third may add to the count.
    expect(record.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
    expect(record.deploymentCircuitBreaker?.failureCount).toBeGreaterThanOrEqual(3);
    expect(record.deploymentCircuitBreaker?.failureCount).toBeLessThanOrEqual(4);
    expect(after.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
    expect(after.deployments).toHaveLength(1);
    expect(after.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: after.taskDefinition });
    const messages = (after.events ?? []).map((ev) => ev.message);
    expect(messages).toContain(`(service web) (deployment ${bad}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service web) rolling back to deployment ${good}.`);
    expect(messages.indexOf(`(service web) rolling back to deployment ${good}.`)).toBeLessThan(
      messages.indexOf(`(service web) (deployment ${bad}) deployment failed: tasks failed to start.`),
    );
    expect(messages[0]).toBe('(service web) has reached a steady state.');

    // The crashed tasks tell why, as ECS does.
    const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', startedBy: bad, desiredStatus: 'STOPPED' }));
    expect(taskArns?.length).toBeGreaterThanOrEqual(3);
    const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns ?? [] }));
    // The ones that had not crashed yet when the rollback began were stopped by the scheduler.
    const crashed = (tasks ?? []).filter((t) => t.stopCode !== 'ServiceSchedulerInitiated');
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    for (const t of crashed) {
      expect(t.lastStatus).toBe('STOPPED');
      expect(t.stopCode).toBe('EssentialContainerExited');
      expect(t.stoppedReason).toBe('Essential container in task exited');
      expect(t.containers?.[0]?.exitCode).toBe(3);
      expect(t.startedBy).toBe(bad);
    }
    // The old tasks were never taken below the minimum while the release crashed.
    const running = await e.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web' }));
    expect(running.taskArns).toHaveLength(2);
  });

  it('without a circuit breaker a failing deployment keeps replacing failed tasks and the old tasks keep serving', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:bad', { startMs: 300, exitCode: 1, exitAfterMs: 200 });
    await register('repo/web:1');
    await register('repo/web:bad');
    await createService(e, { min: 100, max: 200 });
    const w = watch(e);
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const s = await waitFor(async () => {
      const d = await describe1(e);
      return (d.deployments?.[0]?.failedTasks ?? 0) >= 6 ? d : undefined;
    });
    w.off();
    expect(s.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    expect(s.deployments?.[1]).toMatchObject({ status: 'ACTIVE', runningCount: 2 });
    expect(w.seen.minHealthy).toBe(2);
  });

  it('with the breaker but without rollback the deployment is marked FAILED and not rolled back', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:bad', { startMs: 300, exitCode: 1, exitAfterMs: 100 });
    await register('repo/web:1');
    await register('repo/web:bad');
    await createService(e, { min: 100, max: 200, breaker: { enable: true, rollback: false } });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const s = await waitFor(async () => {
      const d = await describe1(e);
      return d.deployments?.[0]?.rolloutState === 'FAILED' ? d : undefined;
    });
    expect(s.deployments?.[0]?.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/web:2');
    expect(s.events?.some((ev) => ev.message?.includes('rolling back'))).toBe(false);
    // A FAILED deployment stops launching new tasks; the old ones keep serving.
    const launchedAtFailure = e.local.tasks('c', 'web').filter((t) => t.deploymentId === s.deployments?.[0]?.id).length;
    await e.local.clock.sleep(5_000);
    expect(e.local.tasks('c', 'web').filter((t) => t.deploymentId === s.deployments?.[0]?.id)).toHaveLength(launchedAtFailure);
    const later = await describe1(e);
    expect(later.deployments?.[1]).toMatchObject({ status: 'ACTIVE', runningCount: 2 });
  });

  it("tasks failing container health checks are stopped with ECS's reason and count as failed", async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:sick', { startMs: 200, healthyAfterMs: 300, unhealthy: true });
    await register('repo/web:1');
    await register('repo/web:sick');
    await createService(e, { min: 100, max: 200, lb: false });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const s = await waitFor(async () => {
      const d = await describe1(e);
      return (d.deployments?.[0]?.failedTasks ?? 0) >= 2 ? d : undefined;
    });
    const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', startedBy: s.deployments?.[0]?.id, desiredStatus: 'STOPPED' }));
    const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns ?? [] }));
    const stopped = (tasks ?? []).filter((t) => t.lastStatus === 'STOPPED');
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped[0]?.stoppedReason).toBe('Task failed container health checks');
    expect(stopped[0]?.healthStatus).toBe('UNHEALTHY');
    expect(s.events?.some((ev) => /^\(service web\) \(task [0-9a-f]{32}\) failed container health checks\.$/.test(ev.message ?? ''))).toBe(true);
  });

  it('tasks failing the load balancer health check are stopped with the ELB reason', async () => {
    const { e, register } = await setup({ healthCheck: false });
    e.local.simulate('repo/web:sick', { startMs: 200, unhealthy: true });
    await register('repo/web:1');
    await register('repo/web:sick');
    await createService(e, { min: 100, max: 200 });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const s = await waitFor(async () => {
      const d = await describe1(e);
      return (d.deployments?.[0]?.failedTasks ?? 0) >= 1 ? d : undefined;
    });
    const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', startedBy: s.deployments?.[0]?.id, desiredStatus: 'STOPPED' }));
    const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns ?? [] }));
    expect(tasks?.[0]?.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${TG})`);
  });

  it('images that cannot be pulled stop with CannotPullContainerError', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/missing:*', { pullError: true });
    await register('repo/missing:1');
    await e.ecs.send(new CreateServiceCommand({ cluster: 'c', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 1 }));
    const t = await waitFor(async () => {
      const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web', desiredStatus: 'STOPPED' }));
      if (!taskArns?.length) return undefined;
      const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns }));
      return tasks?.find((x) => x.lastStatus === 'STOPPED');
    });
    expect(t.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(t.stopCode).toBe('TaskFailedToStart');
    expect(t.startedAt).toBeUndefined();
  });

  it("uses ECS's circuit-breaker threshold: half the desired count rounded up, clamped to 3..200", () => {
    expect([1, 2, 6, 7, 8, 10, 399, 400, 1000].map(failureThreshold)).toEqual([3, 3, 3, 4, 4, 5, 200, 200, 200]);
  });

  it('with 8 desired tasks the breaker waits for 4 failures', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:bad', { startMs: 300, exitCode: 1, exitAfterMs: 100 });
    await register('repo/web:1');
    await register('repo/web:bad');
    await createService(e, { min: 100, max: 150, desired: 8, breaker: { enable: true, rollback: true } });
    // The new deployment as UpdateService answers it: a DescribeServices after it may already find
    // the rollback first, on a loaded machine.
    const bad = (await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }))).service?.deployments?.[0]?.id ?? '';
    const { after, record, messages } = await rolledBackRelease(e, bad);
    expect(record.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 4 });
    expect(record.deploymentCircuitBreaker?.failureCount).toBeGreaterThanOrEqual(4);
    expect(messages).toContain(`(service web) (deployment ${bad}) deployment failed: tasks failed to start.`);
    expect(after.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
  });

  it('ThresholdConfiguration: COUNT is the value itself, percentages multiply the desired count, BOUNDED_PERCENT clamps to 3..200', () => {
    expect(breakerThreshold(10, { type: 'COUNT', value: 7 })).toBe(7);
    expect(breakerThreshold(10, { type: 'UNBOUNDED_PERCENT', value: 10 })).toBe(1);
    expect(breakerThreshold(1000, { type: 'UNBOUNDED_PERCENT', value: 50 })).toBe(500);
    expect(breakerThreshold(10, { type: 'BOUNDED_PERCENT', value: 10 })).toBe(3);
    expect(breakerThreshold(10, { value: 80 })).toBe(8);
  });

  // One new task at a time (150%): two fail, one becomes healthy, two fail, one becomes healthy.
  // Deployment.failedTasks is "the number of consecutively failed tasks"; the breaker's
  // resetOnHealthyTask (default true) resets it when a task reaches a healthy state.
  const sometimesFailing = { startMs: 200, sequence: [{ exitCode: 1, exitAfterMs: 100 }, { exitCode: 1, exitAfterMs: 100 }, {}] };

  it('failed tasks are counted consecutively: a healthy task resets the count, so a release that fails now and then is not failed', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:flaky', sometimesFailing);
    await register('repo/web:1');
    await register('repo/web:flaky');
    await createService(e, { min: 100, max: 150, desired: 2, breaker: { enable: true, rollback: true } });
    // The new deployment as UpdateService answers it: a DescribeServices after it may already find
    // the rollback first, on a loaded machine.
    const id = (await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }))).service?.deployments?.[0]?.id;
    let maxFailed = 0;
    const s = await waitFor(async () => {
      const d = await describe1(e);
      const ours = d.deployments?.find((x) => x.id === id);
      maxFailed = Math.max(maxFailed, ours?.failedTasks ?? 0);
      return ours?.rolloutState !== 'IN_PROGRESS' ? d : undefined;
    });
    const ours = s.deployments?.find((x) => x.id === id);
    expect(ours?.rolloutState).toBe('COMPLETED');
    expect(ours?.failedTasks).toBe(0);
    expect(maxFailed).toBeGreaterThan(0);
    expect(maxFailed).toBeLessThan(3);
    // Four tasks failed in all (two before each healthy one), more than the threshold of 3.
    const { taskArns } = await e.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web', desiredStatus: 'STOPPED' }));
    const { tasks } = await e.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns ?? [] }));
    expect(tasks?.filter((t) => t.taskDefinitionArn?.endsWith('web:2') && t.stopCode === 'EssentialContainerExited').length).toBeGreaterThanOrEqual(4);
  });

  it('with resetOnHealthyTask false the same release adds up to the threshold and is rolled back', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:flaky', sometimesFailing);
    await register('repo/web:1');
    await register('repo/web:flaky');
    await createService(e, { min: 100, max: 150, desired: 2, breaker: { enable: true, rollback: true, resetOnHealthyTask: false } });
    // The new deployment as UpdateService answers it: a DescribeServices after it may already find
    // the rollback first, on a loaded machine.
    const id = (await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }))).service?.deployments?.[0]?.id ?? '';
    const { after, record, messages } = await rolledBackRelease(e, id);
    expect(record.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3, failureCount: 3 });
    expect(messages).toContain(`(service web) (deployment ${id}) deployment failed: tasks failed to start.`);
    expect(after.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
  });

  it('rolls back to the last completed deployment even after its tasks were all replaced (0/100)', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:bad', { startMs: 300, healthyAfterMs: 500, unhealthy: true });
    await register('repo/web:1');
    await register('repo/web:bad');
    const before = await createService(e, { min: 0, max: 100, breaker: { enable: true, rollback: true } });
    const good = before.deployments?.[0]?.id;
    // With minimumHealthyPercent 0 the old deployment drains out of the list before the new one fails.
    let goodDeploymentLeft = false;
    const off = e.local.onTaskChange(() => {
      const svc = e.local.service('c', 'web');
      if (svc?.deployments.every((d) => d.id !== good)) goodDeploymentLeft = true;
    });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const after = await waitFor(async () => {
      const s = await steadyService(e);
      return s?.taskDefinition?.endsWith('web:1') ? s : undefined;
    });
    off();
    expect(goodDeploymentLeft).toBe(true);
    expect(after.events?.map((ev) => ev.message)).toContain(`(service web) rolling back to deployment ${good}.`);
  });

  it('a first deployment that fails has nothing to roll back to: it is FAILED and stays PRIMARY', async () => {
    const { e, register } = await setup();
    e.local.simulate('repo/web:bad', { startMs: 200, exitCode: 1, exitAfterMs: 100 });
    await register('repo/web:bad');
    await e.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    const s = await waitFor(async () => {
      const d = await describe1(e);
      return d.deployments?.[0]?.rolloutState === 'FAILED' ? d : undefined;
    });
    expect(s.deployments).toHaveLength(1);
    expect(s.events?.some((ev) => ev.message?.includes('rolling back'))).toBe(false);
  });
});
