/**
 * ECS's own deployment alarms in the emulator, through the SDKs: a rolling update watched by a
 * CloudWatch alarm over the load balancer's 5xx count, with its bake, failure and rollback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type Service as SdkService,
} from '@aws-sdk/client-ecs';
import { registerAppRevisions, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { putTarget5xxAlarm, type LocalCloudWatchEnv, withLocalCloudWatch } from '../helpers/cloudwatch.js';
import { waitFor } from './wait.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
let env: LocalCloudWatchEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function setup(alarms: { enable: boolean; rollback: boolean }) {
  env = await withLocalCloudWatch();
  const e = env;
  e.local.simulate('app:good*', {});
  e.local.simulate('app:errors', { errorRate: 0.5 });
  await e.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  await registerAppRevisions(e.ecs, 'web', ['app:good', 'app:errors', 'app:good2']);
  await e.ecs.send(
    new CreateServiceCommand({
      cluster: 'c',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: 2,
      loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
      deploymentConfiguration: { alarms: { alarmNames: ['api-5xx'], ...alarms } },
    }),
  );
  await putTarget5xxAlarm(e.cw, e.local, 'c', 'web', 'api-5xx');
  await waitFor(async () => ((await service(e)).deployments?.[0]?.rolloutState === 'COMPLETED' ? true : undefined));
  return { e, cw: e.cw };
}

async function service(e: LocalEcsEnv): Promise<SdkService> {
  const out = await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }));
  const s = out.services?.[0];
  if (!s) throw new Error('service missing');
  return s;
}

describe('ECS deployment alarms (emulator)', () => {
  it('fails a release that serves 500s while passing its health checks, and rolls back to the last COMPLETED deployment', async () => {
    const { e } = await setup({ enable: true, rollback: true });
    const updated = await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const bad = updated.service!.deployments![0]!;
    expect(bad.taskDefinition).toMatch(/:2$/);
    // The FAILED deployment is in DescribeServices only while the rollback replaces its tasks (a
    // fraction of a second at 60x): the test waits for the rollback to be done and reads ECS's
    // record of what happened, so a stall of this process cannot make it miss the moment.
    const back = await waitFor(async () => {
      const s = await service(e);
      const d = s.deployments?.[0];
      return d && d.id !== bad.id && d.rolloutState === 'COMPLETED' && s.deployments?.length === 1 ? s : undefined;
    }, 40_000);
    // The rollback is the old task definition, and it completes (the alarm that was in ALARM
    // when it started is not watched for it).
    expect(back.deployments![0]!.taskDefinition).toMatch(/:1$/);
    const messages = (back.events ?? []).map((ev) => ev.message ?? '');
    expect(messages).toContain(`(service web) (deployment ${bad.id}) deployment failed: alarm detected.`);
    expect(messages.some((m) => /rolling back to deployment ecs-svc\/\d+\./.test(m))).toBe(true);
    // The service deployment names the alarm that failed it, and its rollback.
    const [brief] = (await e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'web' }))).serviceDeployments ?? [];
    const sd = (await e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [brief!.serviceDeploymentArn!] }))).serviceDeployments![0]!;
    expect(sd.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(sd.statusReason).toBe('ECS deployment failed: alarm(s) detected: api-5xx.');
    expect(sd.rollback?.reason).toBe('ECS deployment failed: alarm(s) detected: api-5xx.');
    expect(sd.alarms).toEqual({ status: 'TRIGGERED', alarmNames: ['api-5xx'], triggeredAlarmNames: ['api-5xx'] });
    expect(sd.deploymentCircuitBreaker?.status).toBe('DISABLED');
  });

  it('keeps a healthy release IN_PROGRESS for the bake (the alarm evaluation range) after its tasks are in place, then COMPLETED', async () => {
    const { e } = await setup({ enable: true, rollback: true });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:3' }));
    const inPlace = await waitFor(
      () => {
        const live = e.local.tasks('c', 'web').filter((t) => t.lastStatus !== 'STOPPED');
        return live.length === 2 && live.every((t) => t.taskDefinitionArn.endsWith(':3') && t.target === 'healthy') ? e.local.clock.now() : undefined;
      },
      20_000,
      5,
    );
    // Well inside the 60 s bake, the deployment is still in progress.
    await waitFor(() => (e.local.clock.now() > inPlace + 20_000 ? true : undefined), 5_000, 10);
    expect((await service(e)).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    const completedAt = await waitFor(
      async () => ((await service(e)).deployments?.[0]?.rolloutState === 'COMPLETED' ? e.local.clock.now() : undefined),
      10_000,
    );
    expect(completedAt - inPlace).toBeGreaterThanOrEqual(60_000);
  });

  it('without rollback, a FAILED deployment stays PRIMARY and nothing rolls back', async () => {
    const { e } = await setup({ enable: true, rollback: false });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const s = await waitFor(async () => {
      const x = await service(e);
      return x.deployments?.[0]?.rolloutState === 'FAILED' ? x : undefined;
    }, 20_000);
    expect(s.deployments?.[0]?.taskDefinition).toMatch(/:2$/);
    expect((s.events ?? []).some((ev) => ev.message?.includes('rolling back'))).toBe(false);
  });

  it('a stall of the process longer than the bake does not let a release serving 500s complete', async () => {
    // Under load a worker can stall for seconds: at timeScale 60, 3 s are 180 emulated seconds,
    // three times the bake. The traffic of the stalled time is counted in the periods it was made
    // in and the alarm evaluated over them before the bake's verdict (seen under load: COMPLETED).
    const { e } = await setup({ enable: true, rollback: false });
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const inPlace = await waitFor(
      () => {
        const live = e.local.tasks('c', 'web').filter((t) => t.lastStatus !== 'STOPPED');
        return live.length === 2 && live.every((t) => t.taskDefinitionArn.endsWith(':2') && t.target === 'healthy') ? e.local.clock.now() : undefined;
      },
      20_000,
      5,
    );
    // A few scheduler ticks into the bake (it starts at the first tick that finds the tasks in place).
    await waitFor(() => (e.local.clock.now() > inPlace + 5_000 ? true : undefined), 5_000, 10);
    const stalledUntil = Date.now() + 3_000;
    while (Date.now() < stalledUntil) {
      // the whole process stalls: no timer, no request, no tick
    }
    const s = await waitFor(async () => {
      const x = await service(e);
      return x.deployments?.[0]?.rolloutState !== 'IN_PROGRESS' ? x : undefined;
    }, 20_000);
    expect(s.deployments?.[0]?.rolloutState).toBe('FAILED');
    expect(s.deployments?.[0]?.rolloutStateReason).toBe('ECS deployment failed: alarm(s) detected: api-5xx.');
  });

  it('does not watch an alarm that was already in ALARM when the deployment started', async () => {
    const { e, cw } = await setup({ enable: true, rollback: true });
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'already firing' }));
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:3' }));
    const done = await waitFor(async () => {
      const d = (await service(e)).deployments?.[0];
      return d?.taskDefinition?.endsWith(':3') && d.rolloutState !== 'IN_PROGRESS' ? d : undefined;
    }, 20_000);
    expect(done.rolloutState).toBe('COMPLETED');
  });
});
