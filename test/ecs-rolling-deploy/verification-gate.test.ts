/**
 * ecs-rolling-deploy's verification gate through its bundle on the emulator: `verify-at` pauses a
 * BLUE_GREEN, CANARY or LINEAR deploy at a PAUSE hook (POST_TEST_TRAFFIC_SHIFT or POST_SCALE_UP)
 * and the step ends `paused` (production still on blue); a second step, ecs-resume-deploy, answers the
 * hook — continue to SUCCESSFUL (through the canary's steps and bakes), or rollback to
 * ROLLBACK_SUCCESSFUL with production never on green — registering and updating nothing.
 */
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { waitFor } from '../local-ecs/wait.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deployAction,
  rawEcs,
  resumeAction,
  startDeployFixture,
  steadyService,
  trafficShiftLoadBalancers,
  type DeployFixture,
  type TestService,
} from './fixture.js';

let f: DeployFixture;
const loadBalancers = trafficShiftLoadBalancers;

beforeAll(async () => {
  f = await startDeployFixture({
    timeScale: 30,
    emulatedPolls: true,
    defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 },
    healthCheck: { intervalMs: 2_000 },
  });
});
afterAll(() => f?.stop());

function blueGreen(): Promise<TestService> {
  return steadyService(f, { image: 'acme/app:1', extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 }, loadBalancers } });
}

const callsOf = (operation: string, since: number) => f.calls.filter((c) => c.at >= since && c.operation === operation).length;

/** Watches production traffic on green for as long as the test runs. */
function watchProduction(target: TestService): { onGreen: () => boolean; stop: () => void } {
  let seen = false;
  const stop = f.local.onTaskChange(() => {
    if (f.local.traffic(target.cluster, target.service).productionGreen > 0) seen = true;
  });
  return { onGreen: () => seen, stop };
}

async function pausedDeploy(target: TestService, image: string, at: 'post-test-traffic-shift' | 'post-scale-up' = 'post-test-traffic-shift') {
  const result = await deployAction(f, target, { 'container-images': `app=${image}`, 'verify-at': at, 'verify-timeout': '30m' });
  expect(result.exitCode, result.log).toBe(0);
  expect(result.outputs.status).toBe('paused');
  expect(result.outputs['service-deployment-arn']).toMatch(/^arn:aws:ecs:[^ ]+:service-deployment\//);
  expect(result.outputs['hook-id']).toMatch(/^ecs-pause-/);
  const stage = at.toUpperCase().replaceAll('-', '_');
  expect(result.log).toMatch(new RegExp(`paused at ${stage}: hook ecs-pause-\\S+ awaits ContinueServiceDeployment \\(ECS rolls back after 30m\\)`));
  const traffic = f.local.traffic(target.cluster, target.service);
  // POST_SCALE_UP: "There is no test traffic"; POST_TEST_TRAFFIC_SHIFT: "green … handles 100% of the test traffic".
  expect(traffic.testGreen).toBe(at === 'post-scale-up' ? 0 : 100);
  expect(traffic.productionGreen).toBe(0);
  return result;
}

function resume(target: TestService, paused: { outputs: Record<string, string | undefined> }, action: 'continue' | 'rollback') {
  return resumeAction(f, target, {
    decision: action,
    'service-deployment-arn': paused.outputs['service-deployment-arn']!,
    'hook-id': paused.outputs['hook-id']!,
  });
}

async function describeDeployment(arn: string) {
  return (await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments![0]!;
}

describe('ecs-rolling-deploy verification gate', () => {
  it('verify-at pauses at POST_TEST_TRAFFIC_SHIFT; resume: continue follows it to SUCCESSFUL without registering or updating', async () => {
    const target = await blueGreen();
    const deployed = await pausedDeploy(target, 'acme/app:2');
    // The PAUSE hook was sent because asked, with ROLLBACK on timeout.
    const raw = await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] });
    const config = ((raw.services as Record<string, unknown>[])[0]!.deploymentConfiguration ?? {}) as Record<string, unknown>;
    expect(config.lifecycleHooks).toEqual([
      { targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } },
    ]);
    expect(deployed.summary).toContain('Lifecycle hook decisions');
    expect(deployed.summary).toContain('AWAITING_ACTION');

    const since = Date.now();
    const resumed = await resumeAction(f, target, {
      decision: 'continue',
      'service-deployment-arn': deployed.outputs['service-deployment-arn']!,
      'hook-id': deployed.outputs['hook-id']!,
    });
    expect(resumed.exitCode, resumed.log).toBe(0);
    expect(resumed.outputs.status).toBe('succeeded');
    expect(resumed.log).toMatch(/ContinueServiceDeployment CONTINUE at POST_TEST_TRAFFIC_SHIFT/);
    expect(resumed.log).toMatch(/BAKE_TIME: green 2\/2 running, 100% of production/);
    expect(resumed.summary).toContain('Stages and traffic steps');
    expect(resumed.summary).toMatch(/Bake time used.*1m/s);
    expect(callsOf('ContinueServiceDeployment', since)).toBe(1);
    expect(callsOf('RegisterTaskDefinition', since)).toBe(0);
    expect(callsOf('UpdateService', since)).toBe(0);
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.taskDefinition).toBe(deployed.outputs['task-definition-arn']);
  }, 120_000);

  it('resume: rollback rolls back to ROLLBACK_SUCCESSFUL and says production never saw green', async () => {
    const target = await blueGreen();
    const production = watchProduction(target);
    const deployed = await pausedDeploy(target, 'acme/app:3');
    const since = Date.now();
    const resumed = await resumeAction(f, target, {
      decision: 'rollback',
      'service-deployment-arn': deployed.outputs['service-deployment-arn']!,
      'hook-id': deployed.outputs['hook-id']!,
    });
    production.stop();
    expect(resumed.exitCode, resumed.log).toBe(0);
    expect(resumed.outputs.status).toBe('rolled-back');
    expect(resumed.outputs['rolled-back']).toBe('true');
    expect(resumed.log).toMatch(/rolled back as asked at POST_TEST_TRAFFIC_SHIFT; .*ROLLBACK_SUCCESSFUL; production traffic never reached the new revision/);
    expect(production.onGreen()).toBe(false);
    expect(callsOf('UpdateService', since)).toBe(0);
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.taskDefinition).toBe(target.taskDefinitionArn);
  }, 120_000);

  it('a job cancelled while resume: continue follows rolls the deployment back (StopServiceDeployment ROLLBACK)', async () => {
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30 }, loadBalancers },
    });
    const deployed = await pausedDeploy(target, 'acme/app:5');
    const since = Date.now();
    const resumed = await resumeAction(
      f,
      target,
      { decision: 'continue', 'service-deployment-arn': deployed.outputs['service-deployment-arn']!, 'hook-id': deployed.outputs['hook-id']! },
      { cancel: { whenLogMatches: /BAKE_TIME:/ } },
    );
    expect(resumed.outputs.status).toBe('cancelled');
    expect(resumed.log).toMatch(/Stopped service deployment .+ \(ROLLBACK\)/);
    expect(callsOf('StopServiceDeployment', since)).toBe(1);
    await waitFor(
      async () => {
        const sd = await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [deployed.outputs['service-deployment-arn']!] }));
        return sd.serviceDeployments?.[0]?.status === 'ROLLBACK_SUCCESSFUL' ? true : undefined;
      },
      30_000,
      100,
    );
  }, 120_000);

  it('a later deploy without verify-at that meets the gate left on the service fails at once, naming the hook, instead of waiting out its deadline', async () => {
    const target = await blueGreen();
    const first = await pausedDeploy(target, 'acme/app:2');
    const continued = await resumeAction(f, target, {
      decision: 'continue',
      'service-deployment-arn': first.outputs['service-deployment-arn']!,
      'hook-id': first.outputs['hook-id']!,
    });
    expect(continued.outputs.status, continued.log).toBe('succeeded');

    // The gate's PAUSE hook stays in the service's configuration (ECS has no per-deployment one).
    const plain = await deployAction(f, target, { 'container-images': 'app=acme/app:3', timeout: '20m' });
    expect(plain.exitCode, plain.log).not.toBe(0);
    expect(plain.outputs.status).toBe('paused');
    expect(plain.outputs['hook-id']).toMatch(/^ecs-pause-/);
    expect(plain.log).toMatch(/waits at a PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT \(hook ecs-pause-\S+\) that this deploy did not ask for/);
    expect(plain.log).toMatch(/It was not continued/);
    // Ended at the pause, far from its 20-minute deadline, with production still on the last release.
    expect(Number(plain.outputs['duration-seconds'])).toBeLessThan(120);
    expect(f.local.traffic(target.cluster, target.service).productionGreen).toBe(0);
    await resumeAction(f, target, {
      decision: 'rollback',
      'service-deployment-arn': plain.outputs['service-deployment-arn']!,
      'hook-id': plain.outputs['hook-id']!,
    });
  }, 180_000);

  // ECS's lifecycle stages are the same for the three strategies (the model's
  // DeploymentLifecycleHook.lifecycleStages: TEST_TRAFFIC_SHIFT and POST_TEST_TRAFFIC_SHIFT name no
  // strategy; only the production traffic shift is per step "for linear and canary deployments").
  it('CANARY: the gate pauses with production all on the old revision; continue runs the canary step, its bake, then 100% to SUCCESSFUL', async () => {
    const canaryConfiguration = { canaryPercent: 20, canaryBakeTimeInMinutes: 2 };
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: { deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration, bakeTimeInMinutes: 0 }, loadBalancers },
    });
    const production = watchProduction(target);
    const deployed = await pausedDeploy(target, 'acme/app:2');
    expect(production.onGreen()).toBe(false);
    const arn = deployed.outputs['service-deployment-arn']!;
    const paused = await describeDeployment(arn);
    expect(paused.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    expect(paused.targetServiceRevision).toMatchObject({ runningTaskCount: 2, requestedProductionTrafficWeight: 0, requestedTestTrafficWeight: 100 });
    expect(paused.sourceServiceRevisions?.[0]).toMatchObject({ requestedProductionTrafficWeight: 100, requestedTestTrafficWeight: 0 });

    const continuedAt = f.local.clock.now();
    const resumed = await resume(target, deployed, 'continue');
    production.stop();
    expect(resumed.exitCode, resumed.log).toBe(0);
    expect(resumed.outputs.status).toBe('succeeded');
    const lines = resumed.log.split('\n');
    const canaryAt = lines.findIndex((l) =>
      /PRODUCTION_TRAFFIC_SHIFT: green 2\/2 running, 20% of production and 100% of test traffic on green, bake 2m left/.test(l),
    );
    const fullAt = lines.findIndex((l) =>
      /(PRODUCTION_TRAFFIC_SHIFT|POST_PRODUCTION_TRAFFIC_SHIFT|BAKE_TIME|CLEAN_UP): green 2\/2 running, 100% of production/.test(l),
    );
    expect(canaryAt, resumed.log).toBeGreaterThan(-1);
    expect(fullAt, resumed.log).toBeGreaterThan(canaryAt);
    const sd = await describeDeployment(arn);
    expect(sd.status).toBe('SUCCESSFUL');
    // The canary step baked its 2 emulated minutes after the gate was answered (finishedAt is in whole seconds).
    expect(sd.finishedAt!.getTime() - continuedAt).toBeGreaterThanOrEqual(2 * 60_000 - 1_000);
    const raw = await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] });
    const service = (raw.services as Record<string, unknown>[])[0]!;
    expect(service.taskDefinition).toBe(deployed.outputs['task-definition-arn']);
    expect(service.deploymentConfiguration).toMatchObject({ strategy: 'CANARY', canaryConfiguration });
    // Production is now the target group green ran in.
    expect(f.local.traffic(target.cluster, target.service).productionTargetGroup).toBe(loadBalancers[0]!.advancedConfiguration.alternateTargetGroupArn);
  }, 120_000);

  it('LINEAR: the gate answered with rollback ends ROLLBACK_SUCCESSFUL, production never on the new revision', async () => {
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: { deploymentConfiguration: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 } }, loadBalancers },
    });
    const production = watchProduction(target);
    const deployed = await pausedDeploy(target, 'acme/app:3');
    const resumed = await resume(target, deployed, 'rollback');
    production.stop();
    expect(resumed.exitCode, resumed.log).toBe(0);
    expect(resumed.outputs.status).toBe('rolled-back');
    expect(resumed.log).toMatch(/rolled back as asked at POST_TEST_TRAFFIC_SHIFT; .*ROLLBACK_SUCCESSFUL; production traffic never reached the new revision/);
    expect(production.onGreen()).toBe(false);
    const sd = await describeDeployment(deployed.outputs['service-deployment-arn']!);
    expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd.lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.taskDefinition).toBe(target.taskDefinitionArn);
    expect(after.deploymentConfiguration).toMatchObject({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 1 } });
    expect(
      f.local
        .tasks(target.cluster, target.service)
        .filter((t) => t.lastStatus !== 'STOPPED')
        .every((t) => t.taskDefinitionArn === target.taskDefinitionArn),
    ).toBe(true);
  }, 120_000);

  it('verify-at: post-scale-up pauses with green running and no traffic at all on it, before the test traffic shift; continue goes to SUCCESSFUL', async () => {
    const target = await blueGreen();
    const deployed = await pausedDeploy(target, 'acme/app:4', 'post-scale-up');
    const arn = deployed.outputs['service-deployment-arn']!;
    const paused = await describeDeployment(arn);
    expect(paused.lifecycleStage).toBe('POST_SCALE_UP');
    expect(paused.targetServiceRevision).toMatchObject({ runningTaskCount: 2, requestedProductionTrafficWeight: 0, requestedTestTrafficWeight: 0 });
    // Green runs in the other target group, which no listener sends anything to yet.
    const traffic = f.local.traffic(target.cluster, target.service);
    expect(traffic.greenTargetGroup).toBe(loadBalancers[0]!.advancedConfiguration.alternateTargetGroupArn);
    expect(traffic.productionTargetGroup).toBe(loadBalancers[0]!.targetGroupArn);
    const raw = await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] });
    const config = ((raw.services as Record<string, unknown>[])[0]!.deploymentConfiguration ?? {}) as Record<string, unknown>;
    expect(config.lifecycleHooks).toEqual([
      { targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } },
    ]);

    const resumed = await resume(target, deployed, 'continue');
    expect(resumed.exitCode, resumed.log).toBe(0);
    expect(resumed.outputs.status).toBe('succeeded');
    expect(resumed.log).toMatch(/ContinueServiceDeployment CONTINUE at POST_SCALE_UP/);
    expect(resumed.log).toMatch(/BAKE_TIME: green 2\/2 running, 100% of production/);
    expect((await describeDeployment(arn)).status).toBe('SUCCESSFUL');
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.taskDefinition).toBe(deployed.outputs['task-definition-arn']);
  }, 120_000);

  it('refuses a resume that does not fit before anything is sent', async () => {
    const target = await blueGreen();
    const since = Date.now();
    const noHook = await resumeAction(f, target, {
      decision: 'continue',
      'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x',
    });
    expect(noHook.exitCode).toBe(1);
    expect(noHook.annotations.find((a) => a.level === 'error')?.message).toMatch(/hook-id/);
    // A resume deploys nothing: ecs-resume-deploy has no input that would (the runner refuses an undeclared one).
    await expect(
      resumeAction(f, target, {
        decision: 'continue',
        'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x',
        'hook-id': 'ecs-pause-1',
        'container-images': 'app=acme/app:9',
      }),
    ).rejects.toThrow(/action 'ecs-resume-deploy' declares no input 'container-images'/);
    const rolling = await deployAction(f, target, { 'container-images': 'app=acme/app:9', 'verify-at': 'post-test-traffic-shift', strategy: 'rolling' });
    expect(rolling.annotations.find((a) => a.level === 'error')?.message).toMatch(/verify-at.*strategy `rolling`/);
    expect(callsOf('ContinueServiceDeployment', since)).toBe(0);
    expect(callsOf('UpdateService', since)).toBe(0);
    expect(callsOf('RegisterTaskDefinition', since)).toBe(0);
  }, 120_000);
});
