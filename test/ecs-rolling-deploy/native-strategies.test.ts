/**
 * ecs-rolling-deploy through its bundle on services ECS deploys with its native strategies
 * (BLUE_GREEN, CANARY) on the emulator: the step follows the service deployment, shows its stages
 * and traffic steps, succeeds only once it is SUCCESSFUL (after the bake), reports ECS's own
 * rollback with the stage it happened at, and rolls back with StopServiceDeployment — never a
 * second UpdateService — when its deadline passes mid-bake.
 */
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListServiceDeploymentsCommand, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../local-ecs/wait.js';
import { deployAction, startDeployFixture, steadyService, type DeployFixture, type TestService } from './fixture.js';

let f: DeployFixture;
const ALT = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/fedcba9876543210';
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/0123456789abcdef';
const loadBalancers = [
  {
    targetGroupArn: TG,
    containerName: 'app',
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: ALT,
      productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
      roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
    },
  },
];

beforeAll(async () => {
  // 30x: one emulated minute of bake is 2 s, the action polls every 2 s.
  f = await startDeployFixture({
    timeScale: 30,
    emulatedPolls: true,
    defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 },
    healthCheck: { intervalMs: 2_000 },
  });
  f.local.simulate('acme/crash:*', { startMs: 3_000, exitCode: 1, exitAfterMs: 1_000 });
});
afterAll(() => f?.stop());

function service(deploymentConfiguration: Record<string, unknown>): Promise<TestService> {
  return steadyService(f, { image: 'acme/app:1', extra: { deploymentConfiguration, loadBalancers } });
}

async function latest(target: TestService): Promise<ServiceDeployment> {
  const [brief] = (await f.ecs.send(new ListServiceDeploymentsCommand({ cluster: target.cluster, service: target.service }))).serviceDeployments ?? [];
  return (await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief!.serviceDeploymentArn!] }))).serviceDeployments![0]!;
}

const callsOf = (operation: string, since: number) => f.calls.filter((c) => c.at >= since && c.operation === operation).length;

describe('ecs-rolling-deploy on native strategies', () => {
  it('BLUE_GREEN: follows the stages and succeeds only once the service deployment is SUCCESSFUL, after the bake', async () => {
    const target = await service({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2, deploymentCircuitBreaker: { enable: true, rollback: true } });
    const since = Date.now();
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:2' });

    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toContain("deploys with ECS's BLUE_GREEN strategy");
    expect(result.log).toMatch(/ECS runs it as BLUE_GREEN service deployment arn:aws:ecs:[^ ]+:service-deployment\//);
    // timeout: auto (the default) covers the bake.
    expect(result.log).toContain('Deadline 32m00s: 30m00s plus 2m00s of bakes and hook timeouts (timeout: auto, at most 6h).');
    // The stages in ECS's order. SCALE_UP lasts the green tasks' start (4 emulated seconds, a
    // fraction of a real one at this pace): a polling follower shows it only when a poll lands in
    // it (a busy-loop run missed it), so what is promised is that green's tasks started before the
    // bake, and that SCALE_UP, when shown, came before it. The 2-minute bake outlasts many polls.
    const bake = result.log.search(/BAKE_TIME: green 2\/2 running, 100% of production and 100% of test traffic on green, bake 2m left/);
    expect(bake, result.log).toBeGreaterThan(-1);
    const started = result.log.search(/event: \(service [^)]+\) has started 2 tasks/);
    expect(started, result.log).toBeGreaterThan(-1);
    expect(started, result.log).toBeLessThan(bake);
    const scaleUp = result.log.search(/SCALE_UP: green \d\/2 running/);
    expect(scaleUp, result.log).toBeLessThan(bake);
    const sd = await latest(target);
    expect(sd.status).toBe('SUCCESSFUL');
    // ECS had finished (bake included) before the step said so.
    expect(sd.finishedAt!.getTime()).toBeLessThanOrEqual(f.local.clock.now());
    expect(callsOf('UpdateService', since)).toBe(1);
    expect(callsOf('DescribeServiceDeployments', since)).toBeGreaterThan(1);
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.deploymentConfiguration?.strategy).toBe('BLUE_GREEN');
    expect(after.taskDefinition).toBe(result.outputs['task-definition-arn']);
  }, 120_000);

  it('CANARY: shows the canary step and its bake, then the rest', async () => {
    const target = await service({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 0 });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:3' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toMatch(/PRODUCTION_TRAFFIC_SHIFT: green 2\/2 running, 20% of production and 100% of test traffic on green, bake 2m left/);
    expect((await latest(target)).status).toBe('SUCCESSFUL');
  }, 120_000);

  it('LINEAR: each traffic step and its bake, success only after the last bake, and the service keeps LINEAR', async () => {
    // Each step bakes 3 emulated minutes (6 s real at 30x), three of the action's 2-second polls: a
    // follower that polls is promised to see a stage only when it outlasts the poll interval, and a
    // 1-minute step (2 s real, one poll) was missed between two polls on a loaded machine.
    const target = await service({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 3 }, bakeTimeInMinutes: 1 });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:4' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toMatch(/PRODUCTION_TRAFFIC_SHIFT: green 2\/2 running, 50% of production and 100% of test traffic on green/);
    expect(result.log).toMatch(/BAKE_TIME: green 2\/2 running, 100% of production/);
    const sd = await latest(target);
    expect(sd.status).toBe('SUCCESSFUL');
    expect(sd.finishedAt!.getTime()).toBeLessThanOrEqual(f.local.clock.now());
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.deploymentConfiguration?.strategy).toBe('LINEAR');
    expect(after.deploymentConfiguration?.linearConfiguration).toEqual({ stepPercent: 50, stepBakeTimeInMinutes: 3 });
  }, 120_000);

  it('a green that crashes is rolled back by ECS: the step fails with the stage, production never touched, no second UpdateService', async () => {
    const target = await service({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, deploymentCircuitBreaker: { enable: true, rollback: true } });
    const since = Date.now();
    // ECS's breaker decides here: the action's own limit (max-failed-tasks, 2 by default) is set
    // above it, or a poll that sees the 2nd crash before ECS's 3rd fails the release first.
    const result = await deployAction(f, target, { 'container-images': 'app=acme/crash:2', 'max-failed-tasks': '10' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs['rolled-back']).toBe('true');
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/circuit breaker/);
    expect(error).toMatch(/at SCALE_UP; production traffic never reached the new revision/);
    expect(error).toMatch(/Rolled back by ECS: .+ serves all traffic again \(ROLLBACK_SUCCESSFUL\)/);
    expect(callsOf('UpdateService', since)).toBe(1);
    expect(callsOf('StopServiceDeployment', since)).toBe(0);
    expect((await latest(target)).status).toBe('ROLLBACK_SUCCESSFUL');
    // The summary's native part: the deployment as the rollback left it, and the stages seen.
    expect(result.summary).toMatch(/Status.*ROLLBACK_SUCCESSFUL/s);
    expect(result.summary).toContain('Stages and traffic steps');
    expect(result.summary).toMatch(/Bake time used.*1m/s);
  }, 120_000);

  it('a deadline that passes mid-bake says so and rolls back with StopServiceDeployment, not UpdateService', async () => {
    const target = await service({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 });
    const since = Date.now();
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:4', timeout: '12s' });
    expect(result.exitCode, result.log).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/timed out: not COMPLETED within the 12s timeout \(BAKE_TIME: .*bake [\dms]+ left\)/);
    expect(error).toContain('StopServiceDeployment ROLLBACK');
    expect(callsOf('UpdateService', since)).toBe(1);
    expect(callsOf('StopServiceDeployment', since)).toBe(1);
    // ECS completes the rollback on its own.
    await waitFor(async () => ((await latest(target)).status === 'ROLLBACK_SUCCESSFUL' ? true : undefined), 30_000, 100);
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.taskDefinition).toBe(target.taskDefinitionArn);
  }, 120_000);

  it('strategy: canary with its settings switches a rolling service to CANARY for this deploy and follows it', async () => {
    const target = await service({ maximumPercent: 200, minimumHealthyPercent: 100 });
    const since = Date.now();
    const result = await deployAction(f, target, {
      'container-images': 'app=acme/app:5',
      strategy: 'canary',
      'canary-percent': '25',
      // 3 emulated minutes (6 s real at 30x) outlast three of the action's 2-second polls; a
      // 1-minute canary (2 s real) was missed between two polls on a loaded machine.
      'canary-bake-time': '3m',
      'bake-time': '0m',
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toMatch(/PRODUCTION_TRAFFIC_SHIFT: green 2\/2 running, 25% of production/);
    expect(callsOf('UpdateService', since)).toBe(1);
    const after = (await f.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }))).services![0]!;
    expect(after.deploymentConfiguration).toMatchObject({
      strategy: 'CANARY',
      bakeTimeInMinutes: 0,
      canaryConfiguration: { canaryPercent: 25, canaryBakeTimeInMinutes: 3 },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    expect((await latest(target)).status).toBe('SUCCESSFUL');
  }, 120_000);

  it('refuses strategy inputs that do not fit, before anything is registered or changed', async () => {
    const target = await service({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
    const plain = await steadyService(f, {
      image: 'acme/app:1',
      extra: { loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }] },
    });
    const since = Date.now();
    const bad = await deployAction(f, target, { 'container-images': 'app=acme/app:6', 'canary-percent': '10' });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /Input 'canary-percent' has an invalid value "10": expected no value unless strategy is `canary`/,
    );

    // A service whose target group has no advancedConfiguration cannot switch to a native strategy.
    const refused = await deployAction(f, plain, { 'container-images': 'app=acme/app:6', strategy: 'blue-green' });
    expect(refused.exitCode).toBe(1);
    expect(refused.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /cannot be deployed with strategy BLUE_GREEN: .* has no advancedConfiguration/,
    );
    expect(callsOf('RegisterTaskDefinition', since)).toBe(0);
    expect(callsOf('UpdateService', since)).toBe(0);
  }, 120_000);
});
