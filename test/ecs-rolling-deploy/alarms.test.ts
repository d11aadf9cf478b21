/**
 * Deployment alarms and the bake, through the ecs-rolling-deploy bundle against the emulator's
 * ECS and CloudWatch: the alarms are real CloudWatch alarms over the load balancer's
 * AWS/ApplicationELB metrics, which the simulated traffic feeds (a release with `errorRate`
 * answers that share of its requests with a 500 while passing every health check).
 *
 * At 60x an emulated minute (one alarm period) is a real second; the action's own clock (the
 * bake) runs in real time.
 */
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALARM_TEST_ECS, cloudwatchFor, putSumOver5Alarm, putTarget5xxAlarm } from '../helpers/cloudwatch.js';
import { uniqueName } from '../helpers/stack.js';
import { waitFor } from '../local-ecs/wait.js';
import {
  deployAction,
  describe1,
  rawEcs,
  startDeployFixture,
  steadyService,
  trafficShiftLoadBalancers,
  type DeployFixture,
  type TestService,
} from './fixture.js';

let f: DeployFixture;
let cw: CloudWatchClient;

beforeAll(async () => {
  f = await startDeployFixture(ALARM_TEST_ECS);
  cw = cloudwatchFor(f.local);
});
afterAll(async () => {
  cw?.destroy();
  await f?.stop();
});

const TG = () => `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${uniqueName('tg')}/0123456789abcdef`;

/** A steady service behind a load balancer, and a 5xx alarm on its target group. */
async function serviceWithAlarm(extra: Record<string, unknown> = {}): Promise<{ target: TestService; alarm: string }> {
  const target = await steadyService(f, {
    image: 'acme/app:1',
    extra: { loadBalancers: [{ targetGroupArn: TG(), containerName: 'app', containerPort: 8080 }], ...extra },
  });
  const alarm = (extra.deploymentConfiguration as { alarms?: { alarmNames: string[] } } | undefined)?.alarms?.alarmNames[0] ?? uniqueName('api-5xx');
  await putTarget5xxAlarm(cw, f.local, target.cluster, target.service, alarm);
  return { target, alarm };
}

/** The API calls made since `mark` (an index into the fixture's call log), of one operation. */
function callsSince(mark: number, operation: string): number {
  return f.calls.slice(mark).filter((c) => c.operation === operation).length;
}

describe('ecs-rolling-deploy: alarms and bake-time', () => {
  it('a healthy release passes its bake, its alarm watched and shown, and the alarm added to the service for the deployment', async () => {
    const { target, alarm } = await serviceWithAlarm();
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:2', alarms: alarm, 'bake-time': '4s' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toContain(`alarm ${alarm}: `);
    expect(result.log).toContain('HTTPCode_Target_5XX_Count > 5 for 1 minute');
    expect(result.log).toMatch(/COMPLETED; baking for 4s/);
    expect(result.log).toMatch(/Bake of 4s passed \(alarms: \S+ OK\)/);
    // Sent because asked: the service's own configuration, the alarm added and enabled.
    const raw = (await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] })).services as Record<string, unknown>[];
    const config = raw[0]?.deploymentConfiguration as Record<string, unknown>;
    expect(config).toMatchObject({ maximumPercent: 200, minimumHealthyPercent: 100, alarms: { alarmNames: [alarm], enable: true, rollback: false } });
  });

  it('a release that passes its health checks but answers 500s is caught by the alarm and rolled back, the step naming alarm and metric', async () => {
    const { target, alarm } = await serviceWithAlarm();
    f.local.simulate('acme/app:5xx', { errorRate: 0.5 });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:5xx', alarms: alarm, 'bake-time': '20s' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs['rolled-back']).toBe('true');
    const failure = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(failure).toContain(`alarm ${alarm}: HTTPCode_Target_5XX_Count > 5 for 1 minute`);
    expect(failure).not.toMatch(/circuit breaker/i);
    // Each state change is shown with the metric behind it.
    expect(result.log).toMatch(
      new RegExp(
        `alarm ${alarm}: (OK|INSUFFICIENT_DATA) → ALARM \\(HTTPCode_Target_5XX_Count > 5 for 1 minute; HTTPCode_Target_5XX_Count Sum \\d+ per 1 minute\\)`,
      ),
    );
    // The job summary has the alarms as a table.
    expect(result.summary).toContain('<b>Alarms</b>');
    expect(result.summary).toMatch(new RegExp(`<td>${alarm}</td><td>ALARM</td><td>HTTPCode_Target_5XX_Count &gt; 5 for 1 minute</td>`));
    // Back on the previous revision, its tasks healthy.
    const service = await describe1(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
  });

  it('an alarm that fires after COMPLETED, during the bake, fails the release and rolls it back', async () => {
    const { target } = await serviceWithAlarm();
    // An alarm on a business metric the test publishes: checkout errors start once ECS calls
    // the new deployment COMPLETED (its own bake over), while this action still bakes.
    const alarm = uniqueName('checkout-errors');
    await putSumOver5Alarm(cw, alarm, { namespace: 'Acme/Checkout', name: 'Errors' });
    const deploying = deployAction(f, target, { 'container-images': 'app=acme/app:late', alarms: alarm, 'bake-time': '20s' });
    await waitFor(async () => {
      const d = (await describe1(f, target.cluster, target.service)).deployments?.[0];
      return d?.taskDefinition?.endsWith(':2') && d.rolloutState === 'COMPLETED' ? true : undefined;
    }, 60_000);
    let done = false;
    const publishing = (async () => {
      while (!done) {
        await cw.send(new PutMetricDataCommand({ Namespace: 'Acme/Checkout', MetricData: [{ MetricName: 'Errors', Value: 10 }] }));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const result = await deploying;
    done = true;
    await publishing;
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    const failure = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(failure).toContain(`alarm ${alarm}: Errors > 5 for 1 minute (in ALARM during the bake; latest Sum `);
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(target.taskDefinitionArn);
  });

  it("ECS's own alarm rollback is followed and reported as ECS's, not rolled back a second time", async () => {
    const alarmName = uniqueName('api-5xx');
    const { target, alarm } = await serviceWithAlarm({
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, alarms: { alarmNames: [alarmName], enable: true, rollback: true } },
    });
    expect(alarm).toBe(alarmName);
    f.local.simulate('acme/app:5xx-ecs', { errorRate: 0.5 });
    const mark = f.calls.length;
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:5xx-ecs' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    const failure = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(failure).toContain(`rolled back by ECS on alarm ${alarm}: HTTPCode_Target_5XX_Count > 5 for 1 minute`);
    expect(failure).not.toMatch(/circuit breaker/i);
    expect(result.log).toContain('Deployment alarms (ECS rolls back on them):');
    // One UpdateService: the deploy's own. The rollback was ECS's.
    expect(callsSince(mark, 'UpdateService')).toBe(1);
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(target.taskDefinitionArn);
  });

  /**
   * A CANARY deploy with `alarms` (a business metric the canary's users would move): its errors
   * start once the canary step has 20 % of production and the step has seen it.
   */
  async function canaryWhoseAlarmFires(image: string, alarmRollback: 'true' | 'false') {
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: {
        deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 10 }, bakeTimeInMinutes: 0 },
        loadBalancers: trafficShiftLoadBalancers,
      },
    });
    const alarm = uniqueName('canary-errors');
    // A namespace of its own: no datapoint of another test's canary can fire it.
    const namespace = `Acme/${alarm}`;
    await putSumOver5Alarm(cw, alarm, { namespace, name: 'Errors' });
    const mark = f.calls.length;
    const deploying = deployAction(f, target, { 'container-images': `app=${image}`, alarms: alarm, 'alarm-rollback': alarmRollback });
    await waitFor(() => (f.local.traffic(target.cluster, target.service).productionGreen === 20 ? true : undefined), 60_000, 20);
    // Long enough for the step to poll the canary step (the canary bake is 10 s here).
    await new Promise((r) => setTimeout(r, 2_500));
    let done = false;
    const publishing = (async () => {
      while (!done) {
        await cw.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: [{ MetricName: 'Errors', Value: 10 }] }));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const result = await deploying;
    done = true;
    await publishing;
    expect(result.log).toMatch(/PRODUCTION_TRAFFIC_SHIFT: green 2\/2 running, 20% of production/);
    return { target, alarm, result, mark, failure: result.annotations.find((a) => a.level === 'error')?.message ?? '' };
  }

  it("CANARY: an alarm in ALARM during the canary bake is ECS's rollback to blue, reported with the alarm and the stage, not done twice", async () => {
    const { target, alarm, result, mark, failure } = await canaryWhoseAlarmFires('acme/app:canary-bad', 'true');
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs['rolled-back']).toBe('true');
    expect(failure).toContain(`rolled back by ECS on alarm ${alarm}: Errors > 5 for 1 minute`);
    expect(failure).toMatch(/ECS deployment failed: alarm\(s\) detected: \S+ \(ROLLBACK_\w+ at PRODUCTION_TRAFFIC_SHIFT\)/);
    expect(failure).toContain('ROLLBACK_SUCCESSFUL');
    expect(failure).not.toMatch(/circuit breaker/i);
    // One UpdateService (the deploy's own), no StopServiceDeployment: the rollback was ECS's.
    expect(callsSince(mark, 'UpdateService')).toBe(1);
    expect(callsSince(mark, 'StopServiceDeployment')).toBe(0);
    expect(f.local.traffic(target.cluster, target.service).productionGreen).toBe(0);
    const raw = (await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] })).services as Record<string, unknown>[];
    expect(raw[0]?.taskDefinition).toBe(target.taskDefinitionArn);
    expect(raw[0]?.deploymentConfiguration).toMatchObject({ strategy: 'CANARY', alarms: { alarmNames: [alarm], enable: true, rollback: true } });
  });

  it('CANARY with alarm-rollback false: ECS stops the deployment where it is, and the step says so and where traffic stays', async () => {
    const { target, alarm, result, failure } = await canaryWhoseAlarmFires('acme/app:canary-bad2', 'false');
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs['rolled-back']).toBe('false');
    expect(failure).toContain(`alarm ${alarm}: Errors > 5 for 1 minute`);
    expect(failure).toMatch(
      /Not rolled back: ECS had already stopped service deployment \S+ where it was \(STOPPED: ECS deployment failed: alarm\(s\) detected: \S+\)/,
    );
    expect(failure).toMatch(/20% of production and 100% of test traffic stay on the new revision, the rest on \S+:1\. Deploy \S+:1 again/);
    expect(failure).not.toMatch(/did not succeed/);
    expect(f.local.traffic(target.cluster, target.service).productionGreen).toBe(20);
  });

  it('an alarm name that does not exist fails before anything changes', async () => {
    const { target, alarm } = await serviceWithAlarm();
    const mark = f.calls.length;
    const result = await deployAction(f, target, { 'container-images': 'app=acme/app:3', alarms: `${alarm}\nno-such-alarm` });
    expect(result.exitCode).toBe(1);
    const failure = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(failure).toContain("Input 'alarms'");
    expect(failure).toContain('no-such-alarm');
    expect(callsSince(mark, 'DescribeAlarms')).toBeGreaterThan(0);
    expect(callsSince(mark, 'RegisterTaskDefinition')).toBe(0);
    expect(callsSince(mark, 'UpdateService')).toBe(0);
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(target.taskDefinitionArn);
  });

  it('refuses bad alarm inputs before any AWS call', async () => {
    const { target } = await serviceWithAlarm();
    const mark = f.calls.length;
    const bad = await deployAction(f, target, { 'alarm-rollback': 'true' });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.find((a) => a.level === 'error')?.message).toContain("Input 'alarm-rollback'");
    const badBake = await deployAction(f, target, { 'bake-time': 'a while' });
    expect(badBake.annotations.find((a) => a.level === 'error')?.message).toContain("Input 'bake-time'");
    expect(f.calls.slice(mark).map((c) => c.operation)).toEqual([]);
  });
});
