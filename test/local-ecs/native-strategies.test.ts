/**
 * ECS's native BLUE_GREEN, CANARY and LINEAR deployments on the simulated emulator, observed
 * through the SDK (DescribeServiceDeployments, DescribeServices) and the emulator's own view of
 * tasks and traffic: stages in the documented order, green beside blue in the alternate target
 * group, traffic steps, bake on the emulated clock, hooks, and rollbacks that return to blue.
 */
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import type { HookInvocation } from '../../local/ecs/index.js';
import { cloudwatchFor, putSumOver5Alarm } from '../helpers/cloudwatch.js';
import { registerAppRevisions, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { waitFor } from './wait.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-blue/0123456789abcdef';
const ALT = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-green/fedcba9876543210';
const advancedConfiguration = {
  alternateTargetGroupArn: ALT,
  productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
  testListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/4/5',
  roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
};
const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:check';
const ALL_HOOK_STAGES = [
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
const MINUTE = 60_000;

let env: LocalEcsEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function setup(deploymentConfiguration: DeploymentConfiguration, deregistrationDelayMs = 2_000, bakeMinuteMs?: number) {
  // 1 emulated minute = 0.6 s.
  env = await withLocalEcs({
    timeScale: 100,
    deregistrationDelayMs,
    healthCheck: { intervalMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 },
    ...(bakeMinuteMs === undefined ? {} : { bakeMinuteMs }),
  });
  const e = env;
  e.local.simulate('acme/crash:*', { startMs: 1_000, exitCode: 1, exitAfterMs: 500 });
  await e.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  await registerAppRevisions(e.ecs, 'web', ['acme/web:1', 'acme/web:2', 'acme/crash:3']);
  await e.ecs.send(
    new CreateServiceCommand({
      cluster: 'c',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: 2,
      deploymentConfiguration,
      loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080, advancedConfiguration }],
    }),
  );
  // The first deployment has no blue to shift from: it scales up and succeeds.
  await waitFor(async () => {
    const [sd] = (await e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'web' }))).serviceDeployments ?? [];
    return sd?.status === 'SUCCESSFUL' ? sd : undefined;
  });
  return e;
}

/** Starts a deployment of `taskDefinition` and returns its service deployment ARN. */
async function deploy(e: LocalEcsEnv, taskDefinition: string): Promise<string> {
  await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition }));
  const [sd] = (await e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'web' }))).serviceDeployments ?? [];
  return sd!.serviceDeploymentArn!;
}

async function describeOne(e: LocalEcsEnv, arn: string): Promise<ServiceDeployment> {
  const out = await e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments![0]!;
}

/** Polls the service deployment until `done`, recording every lifecycle stage seen (in order, once each). */
async function follow(e: LocalEcsEnv, arn: string, done: (sd: ServiceDeployment) => boolean, timeoutMs = 20_000) {
  const stages: string[] = [];
  const sd = await waitFor(
    async () => {
      const now = await describeOne(e, arn);
      if (now.lifecycleStage && stages.at(-1) !== now.lifecycleStage) stages.push(now.lifecycleStage);
      return done(now) ? now : undefined;
    },
    timeoutMs,
    5,
  );
  return { sd, stages };
}

const live = (e: LocalEcsEnv) => e.local.tasks('c', 'web').filter((t) => t.lastStatus !== 'STOPPED');
const blueIds = (e: LocalEcsEnv) =>
  live(e)
    .filter((t) => t.taskDefinitionArn.endsWith('web:1'))
    .map((t) => t.id)
    .sort();

/** Records each hook invocation: the stage ECS invoked it at, and the traffic then. */
function recordHooks(e: LocalEcsEnv) {
  const calls: { stage: string; production: number; test: number; greenTasks: number; blueTasks: number; at: number }[] = [];
  e.local.hook(LAMBDA, (event: HookInvocation) => {
    const green = event.executionDetails.productionTrafficWeights[event.executionDetails.targetServiceRevisionArn] ?? -1;
    const test = event.executionDetails.testTrafficWeights[event.executionDetails.targetServiceRevisionArn] ?? -1;
    const tasks = live(e).filter((t) => t.desiredStatus === 'RUNNING');
    calls.push({
      stage: event.lifecycleStage,
      production: green,
      test,
      greenTasks: tasks.filter((t) => !t.taskDefinitionArn.endsWith('web:1')).length,
      blueTasks: tasks.filter((t) => t.taskDefinitionArn.endsWith('web:1')).length,
      at: e.local.clock.now(),
    });
    return { hookStatus: 'SUCCEEDED' };
  });
  return calls;
}

const lambdaEverywhere = [{ hookTargetArn: LAMBDA, roleArn: 'arn:aws:iam::000000000000:role/hooks', lifecycleStages: [...ALL_HOOK_STAGES] }];

describe('BLUE_GREEN', () => {
  it('walks the lifecycle stages in order, green beside blue in the alternate target group, and succeeds only after the bake', async () => {
    const e = await setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2, lifecycleHooks: lambdaEverywhere });
    const calls = recordHooks(e);
    const blue = blueIds(e);
    let blueStoppedEarly = false;
    const off = e.local.onTaskChange((task) => {
      if (blue.includes(task.id) && task.desiredStatus === 'STOPPED' && e.local.traffic('c', 'web').productionGreen < 100) blueStoppedEarly = true;
    });

    const arn = await deploy(e, 'web:2');
    let bakeSeenAt = 0;
    const { sd, stages } = await follow(e, arn, (now) => {
      if (now.lifecycleStage === 'BAKE_TIME' && bakeSeenAt === 0) {
        bakeSeenAt = e.local.clock.now();
        // Both revisions run through the bake, production entirely on green.
        expect(blueIds(e)).toEqual(blue);
        expect(e.local.traffic('c', 'web')).toMatchObject({ productionGreen: 100, testGreen: 100, greenTargetGroup: ALT });
        expect(now.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 100, requestedTestTrafficWeight: 100 });
      }
      return now.status === 'SUCCESSFUL';
    });
    off();

    expect(calls.map((c) => c.stage)).toEqual([...ALL_HOOK_STAGES]);
    // Hooks see the traffic of their stage: test first, then production, green fully up by POST_SCALE_UP.
    expect(calls.map((c) => [c.stage, c.test, c.production])).toEqual([
      ['PRE_SCALE_UP', 0, 0],
      ['POST_SCALE_UP', 0, 0],
      ['TEST_TRAFFIC_SHIFT', 100, 0],
      ['POST_TEST_TRAFFIC_SHIFT', 100, 0],
      ['PRE_PRODUCTION_TRAFFIC_SHIFT', 100, 0],
      ['PRODUCTION_TRAFFIC_SHIFT', 100, 100],
      ['POST_PRODUCTION_TRAFFIC_SHIFT', 100, 100],
    ]);
    expect(calls.find((c) => c.stage === 'POST_SCALE_UP')).toMatchObject({ greenTasks: 2, blueTasks: 2 });
    const order = [
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
      'BAKE_TIME',
      'CLEAN_UP',
    ];
    expect(stages).toEqual(order.filter((st) => stages.includes(st)));
    expect(stages).toEqual(expect.arrayContaining(['BAKE_TIME', 'CLEAN_UP']));
    expect(blueStoppedEarly).toBe(false);
    // The bake starts once POST_PRODUCTION_TRAFFIC_SHIFT's hook has answered, so from that hook's
    // invocation to the end is at least the bake. (Measured from when a poll first saw BAKE_TIME it
    // held only when the poll came within a second of emulated time, 10 ms of real time: a busy
    // machine's poll came later, a bake of 117.7 s "seen" — a flake, not an emulator bug.)
    const bakeNotBefore = calls.find((c) => c.stage === 'POST_PRODUCTION_TRAFFIC_SHIFT')!.at;
    expect(bakeSeenAt).toBeGreaterThanOrEqual(bakeNotBefore);
    expect(sd.finishedAt!.getTime() - bakeNotBefore).toBeGreaterThanOrEqual(2 * MINUTE - 1_000);

    // Green (web:2) alone is left, in the alternate target group; the service keeps its strategy.
    expect(live(e).map((t) => [t.taskDefinitionArn.split('/')[1], t.targetGroupArn])).toEqual([
      ['web:2', ALT],
      ['web:2', ALT],
    ]);
    const service = (await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services![0]!;
    expect(service.deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    expect(service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    expect(service.loadBalancers?.[0]?.advancedConfiguration).toEqual(advancedConfiguration);
    const revision = (await e.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [sd.targetServiceRevision!.arn!] }))).serviceRevisions![0]!;
    expect(revision.resolvedConfiguration?.loadBalancers?.[0]?.targetGroupArn).toBe(ALT);
    expect(e.local.traffic('c', 'web').productionTargetGroup).toBe(ALT);

    // The next deployment's green goes to the other target group: the first one.
    const next = await deploy(e, 'web:1');
    await follow(e, next, (now) => now.status === 'SUCCESSFUL');
    expect(live(e).map((t) => t.targetGroupArn ?? TG)).toEqual([TG, TG]);
  });

  it('a green that crashes is rolled back by the circuit breaker: blue keeps production, untouched', async () => {
    const e = await setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, deploymentCircuitBreaker: { enable: true, rollback: true } });
    const blue = blueIds(e);
    let productionOnGreen = false;
    const off = e.local.onTaskChange(() => {
      if (e.local.traffic('c', 'web').productionGreen > 0) productionOnGreen = true;
    });
    const arn = await deploy(e, 'web:3');
    const { sd } = await follow(e, arn, (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    off();
    expect(sd.lifecycleStage).toBe('SCALE_UP');
    expect(sd.rollback).toMatchObject({
      reason: 'ECS deployment circuit breaker: tasks failed to start.',
      serviceRevisionArn: sd.sourceServiceRevisions![0]!.arn,
    });
    expect(sd.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED' });
    expect(productionOnGreen).toBe(false);
    expect(blueIds(e)).toEqual(blue);
    expect(live(e).every((t) => t.taskDefinitionArn.endsWith('web:1'))).toBe(true);
    const service = (await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services![0]!;
    expect(service.taskDefinition).toMatch(/web:1$/);
    expect(service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
  });

  it('StopServiceDeployment during the bake moves production back to blue at once', async () => {
    const e = await setup({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30 });
    const blue = blueIds(e);
    const arn = await deploy(e, 'web:2');
    await follow(e, arn, (now) => now.lifecycleStage === 'BAKE_TIME');
    expect(e.local.traffic('c', 'web').productionGreen).toBe(100);
    await e.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    expect(e.local.traffic('c', 'web').productionGreen).toBe(0);
    const { sd } = await follow(e, arn, (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    expect(sd.rollback?.reason).toBe('Service deployment rolled back by StopServiceDeployment.');
    expect(blueIds(e)).toEqual(blue);
    expect(live(e)).toHaveLength(2);
  });
});

describe('CANARY and LINEAR', () => {
  it('CANARY shifts canaryPercent, bakes canaryBakeTimeInMinutes, then shifts the rest', async () => {
    const e = await setup({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 },
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ hookTargetArn: LAMBDA, roleArn: 'arn:aws:iam::000000000000:role/hooks', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    const calls = recordHooks(e);
    const arn = await deploy(e, 'web:2');
    const started = e.local.clock.now();
    const { sd } = await follow(e, arn, (now) => now.status === 'SUCCESSFUL');
    expect(calls.map((c) => c.production)).toEqual([10, 100]);
    expect(sd.finishedAt!.getTime() - started).toBeGreaterThanOrEqual(2 * MINUTE);
  });

  it('bakeMinuteMs (the shortened bake of the demo e2e test) shortens each bake minute and nothing else: canary and final bake both at 15 s a minute', async () => {
    const e = await setup({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 2 }, 2_000, 15_000);
    const arn = await deploy(e, 'web:2');
    const started = e.local.clock.now();
    const { sd, stages } = await follow(e, arn, (now) => now.status === 'SUCCESSFUL');
    const took = sd.finishedAt!.getTime() - started;
    // Two bakes of 2 minutes at 15 s a minute: at least 60 s, well short of the 4 minutes they last on ECS.
    expect(took).toBeGreaterThanOrEqual(60_000);
    expect(took).toBeLessThan(4 * MINUTE);
    expect(stages).toContain('BAKE_TIME');
    await expect(withLocalEcs({ bakeMinuteMs: 0 })).rejects.toThrow(/bakeMinuteMs must be a positive number of emulated ms, got 0/);
  });

  it('LINEAR shifts stepPercent at a time with stepBakeTimeInMinutes between steps, none after 100', async () => {
    const e = await setup({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 },
      lifecycleHooks: [
        {
          hookTargetArn: LAMBDA,
          roleArn: 'arn:aws:iam::000000000000:role/hooks',
          lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'],
        },
      ],
    });
    const calls = recordHooks(e);
    const arn = await deploy(e, 'web:2');
    const started = e.local.clock.now();
    const { sd } = await follow(e, arn, (now) => now.status === 'SUCCESSFUL');
    // Before each step (PRE_) the previous share, at each step the new one.
    expect(calls.map((c) => `${c.stage === 'PRODUCTION_TRAFFIC_SHIFT' ? 'at' : 'pre'} ${c.production}`)).toEqual([
      'pre 0',
      'at 25',
      'pre 25',
      'at 50',
      'pre 50',
      'at 75',
      'pre 75',
      'at 100',
    ]);
    expect(sd.finishedAt!.getTime() - started).toBeGreaterThanOrEqual(3 * MINUTE);
  });
});

describe('deployment alarms on a native deployment', () => {
  // ECS watches deploymentConfiguration.alarms through a native deployment and its bakes; an alarm
  // in ALARM fails it: with rollback, back to blue (ROLLBACK_*); without, STOPPED where it is.
  const canary = (rollback: boolean): DeploymentConfiguration => ({
    strategy: 'CANARY',
    canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 30 },
    bakeTimeInMinutes: 0,
    alarms: { alarmNames: ['api-5xx'], enable: true, rollback },
  });

  /** The alarm (on a metric nobody publishes: OK) exists before the deployment starts. */
  async function alarmed(deploymentConfiguration: DeploymentConfiguration, deregistrationDelayMs?: number) {
    const e = await setup(deploymentConfiguration, deregistrationDelayMs);
    const cw = cloudwatchFor(e.local);
    await putSumOver5Alarm(cw, 'api-5xx', { namespace: 'Acme/App', name: 'Errors' });
    const fire = async () => {
      await cw.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'errors up' }));
      cw.destroy();
    };
    return { e, fire };
  }

  const inCanaryBake = (now: ServiceDeployment) =>
    now.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && now.targetServiceRevision?.requestedProductionTrafficWeight === 20;

  it('an alarm in ALARM during the canary bake rolls back: production to blue at once, ROLLBACK_SUCCESSFUL, the alarm named', async () => {
    const { e, fire } = await alarmed(canary(true));
    const blue = blueIds(e);
    const arn = await deploy(e, 'web:2');
    const baking = await follow(e, arn, inCanaryBake);
    expect(baking.sd.alarms).toEqual({ status: 'MONITORING', alarmNames: ['api-5xx'], triggeredAlarmNames: [] });
    expect(e.local.traffic('c', 'web').productionGreen).toBe(20);

    await fire();
    expect(e.local.traffic('c', 'web')).toMatchObject({ productionGreen: 0, testGreen: 0 });
    const { sd } = await follow(e, arn, (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    expect(sd.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(sd.rollback).toMatchObject({ reason: 'ECS deployment failed: alarm(s) detected: api-5xx.', serviceRevisionArn: sd.sourceServiceRevisions![0]!.arn });
    expect(sd.alarms).toEqual({ status: 'TRIGGERED', alarmNames: ['api-5xx'], triggeredAlarmNames: ['api-5xx'] });
    expect(sd.deploymentCircuitBreaker?.status).toBe('DISABLED');
    // Blue's own tasks kept production; green is gone.
    expect(blueIds(e)).toEqual(blue);
    expect(live(e).every((t) => t.taskDefinitionArn.endsWith('web:1'))).toBe(true);
    const service = (await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services![0]!;
    expect(service.taskDefinition).toMatch(/web:1$/);
    expect(service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    const messages = (service.events ?? []).map((ev) => ev.message ?? '');
    expect(messages.some((m) => /\(deployment ecs-svc\/\d+\) deployment failed: alarm detected\./.test(m))).toBe(true);
    expect(messages.some((m) => /rolling back to deployment ecs-svc\/\d+\./.test(m))).toBe(true);
  });

  it('without alarms.rollback the service deployment is STOPPED where it is, the canary split kept', async () => {
    const { e, fire } = await alarmed(canary(false));
    const arn = await deploy(e, 'web:2');
    await follow(e, arn, inCanaryBake);
    await fire();
    const { sd } = await follow(e, arn, (now) => now.status === 'STOPPED');
    expect(sd.statusReason).toBe('ECS deployment failed: alarm(s) detected: api-5xx.');
    expect(sd.stoppedAt).toBeDefined();
    expect(sd.rollback).toBeUndefined();
    expect(sd.alarms?.status).toBe('TRIGGERED');
    // Nothing moves any more: 20 % stays on green, both revisions run.
    await new Promise((r) => setTimeout(r, 300));
    expect(e.local.traffic('c', 'web').productionGreen).toBe(20);
    expect(live(e)).toHaveLength(4);
  });

  it('a BLUE_GREEN deployment is watched through its bake, and not once blue is being scaled down', async () => {
    const { e, fire } = await alarmed({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30, alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true } });
    const arn = await deploy(e, 'web:2');
    await follow(e, arn, (now) => now.lifecycleStage === 'BAKE_TIME');
    expect(e.local.traffic('c', 'web').productionGreen).toBe(100);
    await fire();
    expect(e.local.traffic('c', 'web').productionGreen).toBe(0);
    const { sd } = await follow(e, arn, (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    expect(sd.lifecycleStage).toBe('BAKE_TIME');
    expect(sd.rollback?.reason).toBe('ECS deployment failed: alarm(s) detected: api-5xx.');
  });

  it('an alarm that fires in CLEAN_UP leaves the deployment to finish SUCCESSFUL', async () => {
    // Blue drains for an emulated minute: CLEAN_UP lasts long enough to be seen in progress.
    const { e, fire } = await alarmed(
      { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, alarms: { alarmNames: ['api-5xx'], enable: true, rollback: true } },
      MINUTE,
    );
    const arn = await deploy(e, 'web:2');
    const cleaning = await follow(e, arn, (now) => now.lifecycleStage === 'CLEAN_UP' || now.status !== 'IN_PROGRESS');
    expect(cleaning.sd).toMatchObject({ lifecycleStage: 'CLEAN_UP', status: 'IN_PROGRESS' });
    await fire();
    const { sd } = await follow(e, arn, (now) => now.status !== 'IN_PROGRESS');
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.alarms).toEqual({ status: 'MONITORING_COMPLETE', alarmNames: ['api-5xx'], triggeredAlarmNames: [] });
  });
});

describe('lifecycle hooks', () => {
  const pauseAt = (stage: string, timeout?: { timeoutInMinutes: number; action: 'CONTINUE' | 'ROLLBACK' }) => ({
    strategy: 'BLUE_GREEN' as const,
    bakeTimeInMinutes: 0,
    lifecycleHooks: [
      { targetType: 'PAUSE' as const, lifecycleStages: [stage as 'POST_TEST_TRAFFIC_SHIFT'], ...(timeout ? { timeoutConfiguration: timeout } : {}) },
    ],
  });

  async function paused(e: LocalEcsEnv, arn: string) {
    const { sd } = await follow(e, arn, (now) => now.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION');
    return sd;
  }

  it('a PAUSE hook holds the deployment with green on all test traffic until ContinueServiceDeployment CONTINUE', async () => {
    const e = await setup(pauseAt('POST_TEST_TRAFFIC_SHIFT'));
    const arn = await deploy(e, 'web:2');
    const sd = await paused(e, arn);
    const hook = sd.lifecycleHookDetails![0]!;
    expect(sd.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(hook).toMatchObject({ targetType: 'PAUSE', timeoutAction: 'ROLLBACK' });
    expect(hook.targetArn).toBeUndefined();
    expect(hook.hookId).toMatch(/^ecs-pause-/);
    // Default timeout: 24 hours from now.
    expect(hook.expiresAt!.getTime() - e.local.clock.now()).toBeGreaterThan(23 * 60 * MINUTE);
    expect(e.local.traffic('c', 'web')).toMatchObject({ testGreen: 100, productionGreen: 0 });
    // It stays paused.
    await new Promise((r) => setTimeout(r, 300));
    expect((await describeOne(e, arn)).status).toBe('IN_PROGRESS');

    const out = await e.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'CONTINUE' }));
    expect(out.serviceDeploymentArn).toBe(arn);
    await follow(e, arn, (now) => now.status === 'SUCCESSFUL');
    // A hook no longer paused cannot be continued again.
    await expect(e.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('ContinueServiceDeployment ROLLBACK at the paused hook rolls back with production never on green', async () => {
    const e = await setup(pauseAt('POST_TEST_TRAFFIC_SHIFT'));
    let productionOnGreen = false;
    const off = e.local.onTaskChange(() => {
      if (e.local.traffic('c', 'web').productionGreen > 0) productionOnGreen = true;
    });
    const arn = await deploy(e, 'web:2');
    const hook = (await paused(e, arn)).lifecycleHookDetails![0]!;
    await e.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'ROLLBACK' }));
    const { sd } = await follow(e, arn, (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    off();
    expect(productionOnGreen).toBe(false);
    expect(sd.rollback?.reason).toContain(hook.hookId);
    expect(live(e).every((t) => t.taskDefinitionArn.endsWith('web:1'))).toBe(true);
  });

  it("a PAUSE hook nobody answers takes its timeout's action", async () => {
    const e = await setup(pauseAt('POST_SCALE_UP', { timeoutInMinutes: 1, action: 'ROLLBACK' }));
    const arn = await deploy(e, 'web:2');
    const { sd } = await follow(e, arn, (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    expect(sd.rollback?.reason).toMatch(/timed out/);
  });

  it('a Lambda hook answering IN_PROGRESS is invoked again after callBackDelay; FAILED rolls back; an unknown function fails', async () => {
    const e = await setup({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
      lifecycleHooks: [{ hookTargetArn: LAMBDA, roleArn: 'arn:aws:iam::000000000000:role/hooks', lifecycleStages: ['POST_SCALE_UP'], hookDetails: { n: 1 } }],
    });
    const seen: { at: number; details: unknown }[] = [];
    e.local.hook(LAMBDA, (event) => {
      seen.push({ at: e.local.clock.now(), details: event.hookDetails });
      return seen.length < 3 ? { hookStatus: 'IN_PROGRESS', callBackDelay: 60, hookDetails: { n: seen.length + 1 } } : { hookStatus: 'SUCCEEDED' };
    });
    await follow(e, await deploy(e, 'web:2'), (now) => now.status === 'SUCCESSFUL');
    expect(seen.map((s) => s.details)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(MINUTE);

    e.local.hook(LAMBDA, () => ({ hookStatus: 'FAILED' }));
    const failed = await follow(e, await deploy(e, 'web:1'), (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    expect(failed.sd.rollback?.reason).toMatch(/returned FAILED/);

    e.local.hook(LAMBDA, () => {
      throw new Error('boom');
    });
    const threw = await follow(e, await deploy(e, 'web:1'), (now) => now.status === 'ROLLBACK_SUCCESSFUL');
    expect(threw.sd.rollback?.reason).toMatch(/no valid hookStatus/);
  });
});

describe('CreateService / UpdateService validation of native strategies', () => {
  async function plain() {
    env = await withLocalEcs({ timeScale: 100 });
    await env.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    await registerAppRevisions(env.ecs, 'web', ['acme/web:1']);
    return env;
  }
  const create = (e: LocalEcsEnv, name: string, deploymentConfiguration: DeploymentConfiguration, lb: Record<string, unknown> = { advancedConfiguration }) =>
    e.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: name,
        taskDefinition: 'web:1',
        desiredCount: 0,
        deploymentConfiguration,
        loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080, ...lb }],
      }),
    );

  it.each([
    ['BLUE_GREEN behind a load balancer without advancedConfiguration', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 }, {}, /requires advancedConfiguration/],
    [
      'canaryConfiguration without CANARY',
      { strategy: 'BLUE_GREEN', canaryConfiguration: { canaryPercent: 5 } },
      undefined,
      /only valid when the deployment strategy is CANARY/,
    ],
    [
      'linearConfiguration without LINEAR',
      { strategy: 'CANARY', linearConfiguration: { stepPercent: 10 } },
      undefined,
      /only valid when the deployment strategy is LINEAR/,
    ],
    [
      'a PAUSE hook at TEST_TRAFFIC_SHIFT',
      { strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }] },
      undefined,
      /PAUSE hooks cannot/,
    ],
    [
      'a Lambda hook without its function',
      { strategy: 'BLUE_GREEN', lifecycleHooks: [{ lifecycleStages: ['POST_SCALE_UP'] }] },
      undefined,
      /requires hookTargetArn/,
    ],
    [
      'advancedConfiguration without its role',
      { strategy: 'BLUE_GREEN' },
      { advancedConfiguration: { alternateTargetGroupArn: ALT, productionListenerRule: 'arn:rule' } },
      /advancedConfiguration.roleArn/,
    ],
  ] as [string, DeploymentConfiguration, Record<string, unknown> | undefined, RegExp][])('refuses %s', async (_name, cfg, lb, message) => {
    const e = await plain();
    const error = await create(e, 'bad', cfg, lb).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts a PAUSE hook without a target and echoes advancedConfiguration; UpdateService is checked the same way', async () => {
    const e = await plain();
    const created = await create(e, 'ok', {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }],
    });
    expect(created.service?.loadBalancers?.[0]?.advancedConfiguration).toEqual(advancedConfiguration);
    const plainLb = await e.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: 'rolling',
        taskDefinition: 'web:1',
        desiredCount: 0,
        loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
      }),
    );
    expect(plainLb.service?.deploymentConfiguration?.strategy).toBe('ROLLING');
    await expect(
      e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'rolling', deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 1 } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
