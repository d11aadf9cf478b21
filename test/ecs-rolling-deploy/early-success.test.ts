/**
 * ECS's early success criteria through the ecs-rolling-deploy bundle (issue 32): the step succeeds
 * when ECS says COMPLETED at the healthy percent — with DEFERRED while the previous revision's
 * tasks still run (they drain for an emulated hour here, so the step cannot have waited for them),
 * with BLOCKING once they are gone — says what ECS still cleans up, still rolls back a release that
 * fails before that point, and refuses a bad `early-success` before anything is registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../helpers/stack.js';
import { deployAction, describe1, rawEcs, startDeployFixture, steadyService, type DeployFixture, type TestService } from './fixture.js';

let f: DeployFixture;

beforeAll(async () => {
  f = await startDeployFixture({
    timeScale: 10,
    emulatedPolls: true,
    // An emulated hour (six real minutes): a drained task of the previous revision outlives the step.
    deregistrationDelayMs: 3_600_000,
    healthCheck: { intervalMs: 1_000, healthyThreshold: 2 },
    defaultBehaviour: { startMs: 1_000, healthyAfterMs: 500 },
  });
});
afterAll(() => f?.stop());

const TG = () => `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${uniqueName('tg')}/0123456789abcdef`;
const rollingHalf = { maximumPercent: 200, minimumHealthyPercent: 50 };
/** A container health check: a task counts as healthy once it passed it, not merely RUNNING. */
const healthCheck = { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 2, retries: 1 };

/** A steady service of acme/early:1 whose tasks pass a container health check, rolling 50–200%. */
function healthCheckedService(desiredCount: number) {
  return steadyService(f, { image: 'acme/early:1', desiredCount, containerExtra: { healthCheck }, extra: { deploymentConfiguration: rollingHalf } });
}

function tasksOf(target: TestService, taskDefinitionArn: string, alive: boolean) {
  return f.local.tasks(target.cluster, target.service).filter((t) => t.taskDefinitionArn === taskDefinitionArn && (t.lastStatus !== 'STOPPED') === alive);
}

async function storedCriteria(target: TestService): Promise<unknown> {
  const out = (await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] })) as {
    services: { deploymentConfiguration: Record<string, unknown> }[];
  };
  return out.services[0]!.deploymentConfiguration.earlySuccessCriteria;
}

/** The emulator's API calls that change something, since `mark`. */
function writesSince(mark: number): string[] {
  return f.calls
    .slice(mark)
    .map((c) => c.operation)
    .filter((op) => ['RegisterTaskDefinition', 'UpdateService', 'TagResource', 'RunTask'].includes(op));
}

describe('ecs-rolling-deploy: early-success', () => {
  it('DEFERRED: succeeds while the previous revision still runs, and says its cleanup is still going on', async () => {
    const target = await steadyService(f, {
      image: 'acme/early:1',
      desiredCount: 4,
      extra: { loadBalancers: [{ targetGroupArn: TG(), containerName: 'app', containerPort: 8080 }], deploymentConfiguration: rollingHalf },
    });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/early:2', 'early-success': '50% deferred' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toMatch(
      /Success under ECS's early success criteria \(50% healthy, DEFERRED\) with [2-4]\/4 tasks of \S+ running; the previous revision's cleanup is still running/,
    );
    // Still there when the step saw COMPLETED: running, or being stopped (draining). Two reads
    // (DescribeServices, then ListTasks): a task may be retired between them, so only some are asserted.
    const counts = /cleanup is still running \(of its tasks, (?:(\d) still running)?(?:, )?(?:(\d) being stopped)?\)/.exec(result.log);
    expect(counts, result.log).not.toBeNull();
    expect(Number(counts![1] ?? 0) + Number(counts![2] ?? 0), result.log).toBeGreaterThan(0);
    expect(result.summary).toContain('Early success');
    expect(result.summary).toContain("the previous revision's cleanup is still running");
    // The step is over, and every task of the previous revision is still there (draining for an hour).
    expect(tasksOf(target, target.taskDefinitionArn, true)).toHaveLength(4);
    expect(await storedCriteria(target)).toEqual({ enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' });
    const service = await describe1(f, target.cluster, target.service);
    expect(service.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState).toBe('COMPLETED');
  });

  it('BLOCKING: succeeds once the previous revision is gone', async () => {
    const target = await healthCheckedService(4);
    const result = await deployAction(f, target, { 'container-images': 'app=acme/early:2', 'early-success': '50% blocking' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toMatch(
      /Success under ECS's early success criteria \(50% healthy, BLOCKING\) with [2-4]\/4 tasks of \S+ running; the previous revision is gone/,
    );
    expect(tasksOf(target, target.taskDefinitionArn, true)).toEqual([]);
    // ECS's own order: every task of the previous revision stopped before the deployment completed.
    const deploymentId = result.outputs['deployment-id']!;
    const events = ((await describe1(f, target.cluster, target.service)).events ?? []).map((e) => e.message ?? '').reverse();
    const completed = events.findIndex((m) => m.includes(`(deployment ${deploymentId}) deployment completed`));
    expect(completed, events.join('\n')).toBeGreaterThan(0);
    for (const task of tasksOf(target, target.taskDefinitionArn, false)) {
      const stopped = events.findIndex((m) => m.includes('has stopped') && m.includes(`(task ${task.id})`));
      expect(stopped, events.join('\n')).toBeGreaterThanOrEqual(0);
      expect(stopped, events.join('\n')).toBeLessThan(completed);
    }
  });

  it('a release that fails before the healthy percent is still rolled back', async () => {
    f.local.simulate('acme/early:crash', { startMs: 200, exitCode: 1, exitAfterMs: 100 });
    const target = await healthCheckedService(2);
    const result = await deployAction(f, target, { 'container-images': 'app=acme/early:crash', 'early-success': '50% deferred' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.log).not.toMatch(/Success under ECS's early success criteria/);
    const service = await describe1(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
  });

  it.each([
    [{ 'early-success': 'soon' }, /Input 'early-success' has an invalid value "soon": expected a healthy percentage \(0 to 100\)/],
    [
      { 'early-success': '100% deferred', strategy: 'canary' },
      /Input 'early-success' has an invalid value "100% deferred": expected empty with strategy `canary`/,
    ],
    [{ 'early-success': '40% deferred', 'minimum-healthy-percent': '50' }, /Input 'early-success' .*at least minimum-healthy-percent \(50\)/],
    // The service's own minimum (100): known only once it is read, still before anything changes.
    [
      { 'early-success': '50% deferred' },
      /early-success: healthy percent 50% is below the minimum healthy percent of \S+ \(100%, the service's minimumHealthyPercent\)/,
    ],
  ] as [Record<string, string>, RegExp][])('refuses %j before anything is registered or changed', async (inputs, message) => {
    const target = await steadyService(f, { image: 'acme/early:1', desiredCount: 1 });
    const mark = f.calls.length;
    const result = await deployAction(f, target, { 'container-images': 'app=acme/early:2', ...inputs });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message ?? '', result.log).toMatch(message);
    expect(writesSince(mark)).toEqual([]);
    expect(await storedCriteria(target)).toBeUndefined();
  });
});
