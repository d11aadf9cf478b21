/**
 * Docker mode: the CloudWatch metrics are those of the traffic the load balancer really carries.
 * A busybox httpd container serves /version (200), a CGI that answers 500, and nothing else
 * (404); requests through the emulator's load balancer come back, through the real CloudWatch
 * SDK, as ELB's AWS/ApplicationELB counts, and a 5xx alarm over them goes into ALARM.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerOk } from '../../local/ecs/docker-cli.js';
import { ELB_NAMESPACE } from '../../local/ecs/metrics.js';
import { cloudwatchFor, targetGroupDimensions } from '../helpers/cloudwatch.js';
import { localRegistry, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { localStack } from '../helpers/stack.js';
import { waitFor } from './wait.js';

const suffix = randomBytes(4).toString('hex');
// Built on the engine only (never pushed): docker mode runs images of the engine's store.
const image = `ctp-test/local-ecs-metrics-${suffix}:v1`;
const TG = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/metrics-${suffix}/0123456789abcdef`;
const CGI_500 = '#!/bin/sh\nprintf "Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nboom\\n"\n';

let env: LocalEcsEnv;
let cw: CloudWatchClient;
let work: string;

describe('docker mode: ELB metrics of real traffic', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ctp-local-ecs-metrics-'));
    await mkdir(join(work, 'www', 'cgi-bin'), { recursive: true });
    await writeFile(join(work, 'www', 'version'), 'v1\n');
    await writeFile(join(work, 'www', 'cgi-bin', 'fail'), CGI_500, { mode: 0o755 });
    await writeFile(
      join(work, 'Dockerfile'),
      [
        `FROM ${localStack().baseImage}`,
        'COPY www /www',
        'RUN chmod 755 /www/cgi-bin/fail',
        'EXPOSE 8080',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
        '',
      ].join('\n'),
    );
    await dockerOk(['build', '--quiet', '--no-cache', '--tag', image, work], { timeoutMs: 120_000 });
    env = await withLocalEcs({
      mode: 'docker',
      registry: localRegistry(),
      timeScale: 10,
      healthCheck: { path: '/version', intervalMs: 2_000, healthyThreshold: 2 },
    });
    cw = cloudwatchFor(env.local);
    await env.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    await env.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `metrics-${suffix}`,
        containerDefinitions: [{ name: 'web', image, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] }],
      }),
    );
  }, 180_000);

  afterAll(async () => {
    cw?.destroy();
    if (env) {
      await env.ecs.send(new DeleteServiceCommand({ cluster: 'c', service: 'web', force: true })).catch(() => undefined);
      await env.stop();
    }
    await docker(['rmi', image], { timeoutMs: 60_000 });
    if (work) await rm(work, { recursive: true, force: true });
  }, 120_000);

  it('counts requests, target 2xx/4xx/5xx and response times as ELB publishes them, and an alarm over them goes into ALARM', async () => {
    await env.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: 'web',
        taskDefinition: `metrics-${suffix}:1`,
        desiredCount: 1,
        loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
      }),
    );
    const url = env.local.loadBalancerUrl('c', 'web');
    await waitFor(async () => ((await fetch(`${url}/version`).catch(() => undefined))?.status === 200 ? true : undefined), 60_000, 200);
    const dimensions = targetGroupDimensions(env.local, 'c', 'web');
    // One-minute periods (6 real seconds at 10x). The three 5xx must fall in one period for the
    // alarm's Sum to reach 3, as they would on ELB: a burst that straddles a period boundary is
    // two datapoints there too. So the burst starts at the beginning of a period, with the
    // period's remaining 5 real seconds for 8 requests however loaded the machine is.
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: `fail-${suffix}`,
        Namespace: ELB_NAMESPACE,
        MetricName: 'HTTPCode_Target_5XX_Count',
        Dimensions: dimensions,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await waitFor(async () => (env.local.clock.now() % 60_000 < 5_000 ? true : undefined), 10_000, 20);
    const from = env.local.clock.now();
    const statuses: number[] = [];
    for (const path of ['/version', '/cgi-bin/fail', '/missing', '/version', '/cgi-bin/fail', '/version', '/cgi-bin/fail', '/missing']) {
      const res = await fetch(`${url}${path}`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 500, 404, 200, 500, 200, 500, 404]);

    const alarm = await waitFor(
      async () => {
        const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [`fail-${suffix}`] }))).MetricAlarms?.[0];
        return a?.StateValue === 'ALARM' ? a : undefined;
      },
      // The period ends at most 6 s later; evaluation follows at its boundary.
      30_000,
      100,
    );
    expect(alarm.StateReason).toMatch(/\[3\.0 \(.*\)\] was greater than or equal to the threshold \(3\.0\)/);

    const to = env.local.clock.now() + 1;
    const metric = (MetricName: string, Stat: string, Id: string) => ({
      Id,
      MetricStat: { Metric: { Namespace: ELB_NAMESPACE, MetricName, Dimensions: dimensions }, Period: 3600, Stat },
    });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(from - 3_600_000),
        EndTime: new Date(to + 3_600_000),
        MetricDataQueries: [
          metric('RequestCount', 'Sum', 'requests'),
          metric('HTTPCode_Target_2XX_Count', 'Sum', 'ok'),
          metric('HTTPCode_Target_4XX_Count', 'Sum', 'notfound'),
          metric('HTTPCode_Target_5XX_Count', 'Sum', 'errors'),
          metric('TargetResponseTime', 'SampleCount', 'timed'),
          metric('HTTPCode_ELB_5XX_Count', 'Sum', 'elb'),
        ],
      }),
    );
    const sum = (id: string) => (out.MetricDataResults ?? []).find((r) => r.Id === id)?.Values?.reduce((a, b) => a + b, 0) ?? 0;
    // The load balancer's own health checks are not requests; the warm-up /version calls are:
    // answered 503 by the load balancer itself until the target was healthy, then 200.
    const warmUp = sum('requests') - statuses.length;
    expect(warmUp).toBeGreaterThanOrEqual(1);
    expect(sum('errors')).toBe(3);
    expect(sum('notfound')).toBe(2);
    expect(sum('ok') + sum('elb')).toBe(3 + warmUp);
    // A response time for every request a target answered (not the load balancer's own 503s).
    expect(sum('timed')).toBe(sum('requests') - sum('elb'));
  }, 120_000);
});
