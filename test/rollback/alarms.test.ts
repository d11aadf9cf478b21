/**
 * rollback shows the service's deployment alarms before and after it acts, through its bundle
 * against the emulator's ECS and CloudWatch (a real alarm over the load balancer's 5xx count).
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { ALARM_TEST_ECS, cloudwatchFor, putTarget5xxAlarm } from '../helpers/cloudwatch.js';
import { uniqueName } from '../helpers/stack.js';
import { deployAction, describe1, github, startDeployFixture, steadyService, type DeployFixture } from '../ecs-rolling-deploy/fixture.js';

let f: DeployFixture;
let cw: CloudWatchClient;

beforeAll(async () => {
  f = await startDeployFixture({ ...ALARM_TEST_ECS, emulatedPolls: true });
  cw = cloudwatchFor(f.local);
});
afterAll(async () => {
  cw?.destroy();
  await f?.stop();
});

describe('rollback: deployment alarms', () => {
  it('shows the alarms before it acts (in ALARM: why it rolls back) and after, in the log and the job summary', async () => {
    const alarm = uniqueName('api-5xx');
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: {
        loadBalancers: [
          {
            targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${uniqueName('tg')}/0123456789abcdef`,
            containerName: 'app',
            containerPort: 8080,
          },
        ],
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, alarms: { alarmNames: [alarm], enable: true, rollback: false } },
      },
    });
    await putTarget5xxAlarm(cw, f.local, target.cluster, target.service, alarm);
    f.local.simulate('acme/app:5xx-rb', { errorRate: 0.5 });
    // The bad release stays (no rollback on failure): ECS fails its deployment on the alarm.
    const deployed = await deployAction(f, target, { 'container-images': 'app=acme/app:5xx-rb', 'rollback-on-failure': 'false' });
    expect(deployed.outputs.status, deployed.log).toBe('failed');
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toMatch(/:2$/);

    const result = await runBundle('rollback', {
      inputs: { cluster: target.cluster, service: target.service, to: target.taskDefinitionArn, reason: '5xx after release 2' },
      env: f.local.env(),
      github: { ...github, eventName: 'workflow_dispatch', actor: 'alice', workflow: 'rollback' },
      timeoutMs: 120_000,
    });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const log = result.log;
    const before = log.indexOf('Deployment alarms before the rollback:');
    const after = log.indexOf('Deployment alarms after the rollback:');
    expect(before).toBeGreaterThan(-1);
    expect(after).toBeGreaterThan(before);
    expect(log.slice(before, after)).toContain(`alarm ${alarm}: ALARM (HTTPCode_Target_5XX_Count > 5 for 1 minute; latest Sum `);
    expect(log.slice(after)).toMatch(new RegExp(`alarm ${alarm}: (ALARM|OK|INSUFFICIENT_DATA) \\(HTTPCode_Target_5XX_Count > 5 for 1 minute`));
    expect(result.summary).toContain('<b>Deployment alarms</b>');
    expect(result.summary).toMatch(new RegExp(`<td>${alarm}</td><td>HTTPCode_Target_5XX_Count &gt; 5 for 1 minute</td><td>ALARM</td>`));
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(target.taskDefinitionArn);
  });
});
