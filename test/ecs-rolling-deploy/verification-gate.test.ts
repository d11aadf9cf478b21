/**
 * ecs-rolling-deploy's verification gate through its bundle on the emulator: `verify-at` pauses a
 * BLUE_GREEN deploy at a PAUSE hook and the step ends `paused` (production still on blue); a
 * second step with `resume` answers the hook — continue to SUCCESSFUL, or rollback to
 * ROLLBACK_SUCCESSFUL with production never on green — registering and updating nothing.
 */
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { waitFor } from '../local-ecs/wait.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction, rawEcs, startDeployFixture, steadyService, trafficShiftLoadBalancers, type DeployFixture, type TestService } from './fixture.js';

let f: DeployFixture;
const loadBalancers = trafficShiftLoadBalancers;

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 30, defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 }, healthCheck: { intervalMs: 2_000 } });
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

async function pausedDeploy(target: TestService, image: string) {
  const result = await deployAction(f, target, { 'container-images': `app=${image}`, 'verify-at': 'post-test-traffic-shift', 'verify-timeout': '30m' });
  expect(result.exitCode, result.log).toBe(0);
  expect(result.outputs.status).toBe('paused');
  expect(result.outputs['service-deployment-arn']).toMatch(/^arn:aws:ecs:[^ ]+:service-deployment\//);
  expect(result.outputs['hook-id']).toMatch(/^ecs-pause-/);
  expect(result.log).toMatch(/paused at POST_TEST_TRAFFIC_SHIFT: hook ecs-pause-\S+ awaits ContinueServiceDeployment \(ECS rolls back after 30m\)/);
  const traffic = f.local.traffic(target.cluster, target.service);
  expect(traffic.testGreen).toBe(100);
  expect(traffic.productionGreen).toBe(0);
  return result;
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
    const resumed = await deployAction(f, target, {
      resume: 'continue',
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
    const resumed = await deployAction(f, target, {
      resume: 'rollback',
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
    const resumed = await deployAction(
      f,
      target,
      { resume: 'continue', 'service-deployment-arn': deployed.outputs['service-deployment-arn']!, 'hook-id': deployed.outputs['hook-id']! },
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
    const continued = await deployAction(f, target, {
      resume: 'continue',
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
    await deployAction(f, target, {
      resume: 'rollback',
      'service-deployment-arn': plain.outputs['service-deployment-arn']!,
      'hook-id': plain.outputs['hook-id']!,
    });
  }, 180_000);

  it('refuses a resume that does not fit before anything is sent', async () => {
    const target = await blueGreen();
    const since = Date.now();
    const noHook = await deployAction(f, target, {
      resume: 'continue',
      'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x',
    });
    expect(noHook.exitCode).toBe(1);
    expect(noHook.annotations.find((a) => a.level === 'error')?.message).toMatch(/hook-id/);
    const withImage = await deployAction(f, target, {
      resume: 'continue',
      'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x',
      'hook-id': 'ecs-pause-1',
      'container-images': 'app=acme/app:9',
    });
    expect(withImage.annotations.find((a) => a.level === 'error')?.message).toMatch(/container-images.*a resume deploys nothing/);
    const rolling = await deployAction(f, target, { 'container-images': 'app=acme/app:9', 'verify-at': 'post-test-traffic-shift', strategy: 'rolling' });
    expect(rolling.annotations.find((a) => a.level === 'error')?.message).toMatch(/verify-at.*strategy `rolling`/);
    expect(callsOf('ContinueServiceDeployment', since)).toBe(0);
    expect(callsOf('UpdateService', since)).toBe(0);
    expect(callsOf('RegisterTaskDefinition', since)).toBe(0);
  }, 120_000);
});
