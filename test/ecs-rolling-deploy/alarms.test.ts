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
import { deployAction, describe1, rawEcs, startDeployFixture, steadyService, type DeployFixture, type TestService } from './fixture.js';

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
