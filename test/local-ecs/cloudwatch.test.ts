/**
 * The emulator's CloudWatch, through the real @aws-sdk/client-cloudwatch: alarms over the load
 * balancer's AWS/ApplicationELB metrics, evaluated on the emulated clock, with history; metric
 * data from the simulated traffic; and, with a real proxying load balancer in front of real HTTP
 * servers, metrics computed from the requests it really carried.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  InvalidParameterValueException,
  MissingRequiredParameterException,
  PutMetricAlarmCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { registerAppRevisions } from '../helpers/local-ecs.js';
import { putTarget5xxAlarm, targetGroupDimensions, type LocalCloudWatchEnv, withLocalCloudWatch } from '../helpers/cloudwatch.js';
import { type Clock, type ClockTimer, scaledClock } from '../../local/ecs/clock.js';
import { CloudWatch } from '../../local/ecs/cloudwatch.js';
import { SimulatedTraffic } from '../../local/ecs/simulated-traffic.js';
import { LoadBalancer } from '../../local/ecs/load-balancer.js';
import { elbDimensions, ELB_NAMESPACE, MetricStore, publishElbRequests } from '../../local/ecs/metrics.js';
import { waitFor } from './wait.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
let env: LocalCloudWatchEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** A service of 2 tasks behind a load balancer, at 60x (an emulated minute is a real second). */
async function setup() {
  env = await withLocalCloudWatch();
  const e = env;
  e.local.simulate('app:good', {});
  e.local.simulate('app:errors', { errorRate: 0.5, responseTimeMs: 80 });
  await e.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  await registerAppRevisions(e.ecs, 'web', ['app:good', 'app:errors']);
  await e.ecs.send(
    new CreateServiceCommand({
      cluster: 'c',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: 2,
      loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
    }),
  );
  const dimensions = targetGroupDimensions(e.local, 'c', 'web');
  return { e, cw: e.cw, dimensions };
}

async function alarmOf(client: CloudWatchClient, name: string) {
  const out = await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms?.[0];
}

describe('local CloudWatch', () => {
  it('uses the dimension values ELB publishes under', () => {
    const d = elbDimensions(TG);
    expect(d.TargetGroup).toBe('targetgroup/web/0123456789abcdef');
    expect(d.LoadBalancer).toMatch(/^app\/web\/[0-9a-f]{16}$/);
  });

  it('evaluates a 5xx alarm over the simulated traffic: OK for a healthy release, ALARM with the datapoints for one that serves errors, each change in history', async () => {
    const { e, cw } = await setup();
    await putTarget5xxAlarm(cw, e.local, 'c', 'web', 'api-5xx');
    const created = await alarmOf(cw, 'api-5xx');
    expect(created).toMatchObject({ AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:api-5xx', DatapointsToAlarm: 1 });
    // A new alarm is INSUFFICIENT_DATA until its first evaluation, one period (an emulated minute,
    // a real second at 60x) later at most. On a busy machine that second may pass before this
    // read: then the history below shows where it started.
    if (created?.StateValue !== 'OK') expect(created).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' });
    // ELB publishes no 5xx datapoint while there are none: notBreaching makes that OK.
    await waitFor(async () => ((await alarmOf(cw, 'api-5xx'))?.StateValue === 'OK' ? true : undefined), 10_000);

    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const alarmed = await waitFor(async () => {
      const a = await alarmOf(cw, 'api-5xx');
      return a?.StateValue === 'ALARM' ? a : undefined;
    }, 15_000);
    expect(alarmed.StateReason).toMatch(
      /^Threshold Crossed: 1 out of the last 1 datapoints \[\d+\.\d+ \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)\] was greater than the threshold \(5\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$/,
    );
    const reasonData = JSON.parse(alarmed.StateReasonData ?? '{}');
    expect(reasonData).toMatchObject({ statistic: 'Sum', period: 60, threshold: 5 });
    expect(reasonData.recentDatapoints[0]).toBeGreaterThan(5);

    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'api-5xx', HistoryItemType: 'StateUpdate' }));
    const summaries = (history.AlarmHistoryItems ?? []).map((h) => h.HistorySummary);
    expect(summaries).toEqual(['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
    expect(history.AlarmHistoryItems?.[0]?.Timestamp).toBeInstanceOf(Date);
    const data = JSON.parse(history.AlarmHistoryItems?.[0]?.HistoryData ?? '{}');
    expect(data).toMatchObject({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } });
    const first = JSON.parse(history.AlarmHistoryItems?.[1]?.HistoryData ?? '{}');
    expect(first).toMatchObject({
      oldState: { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' },
      newState: { stateValue: 'OK' },
    });
  });

  it('answers GetMetricData for RequestCount, the 5xx count and TargetResponseTime per period', async () => {
    const { e, cw, dimensions } = await setup();
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    // Wait until the erroring release alone has served a couple of whole minutes.
    await waitFor(() =>
      e.local
        .tasks('c', 'web')
        .filter((t) => t.lastStatus !== 'STOPPED')
        .every((t) => t.taskDefinitionArn.endsWith(':2'))
        ? true
        : undefined,
    );
    const from = e.local.clock.now();
    await waitFor(() => (e.local.clock.now() > from + 3 * 60_000 ? true : undefined), 10_000, 100);
    const start = new Date(Math.ceil(from / 60_000) * 60_000);
    const end = new Date(start.getTime() + 2 * 60_000);
    const metric = (MetricName: string) => ({ Namespace: ELB_NAMESPACE, MetricName, Dimensions: dimensions });
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'requests', MetricStat: { Metric: metric('RequestCount'), Period: 60, Stat: 'Sum' } },
          { Id: 'errors', MetricStat: { Metric: metric('HTTPCode_Target_5XX_Count'), Period: 60, Stat: 'Sum' } },
          { Id: 'latency', MetricStat: { Metric: metric('TargetResponseTime'), Period: 60, Stat: 'Average' } },
        ],
      }),
    );
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    expect(byId.requests?.Timestamps?.map((t: Date) => t.getTime())).toEqual([start.getTime(), start.getTime() + 60_000]);
    // 10 requests a second, half of them answered with a 500, each in 80 ms. A tick's requests are
    // stamped when it runs, so on a busy machine a late tick moves seconds of requests from one
    // minute into the next (a run here saw 726 and 474): what holds is the sum over the two
    // minutes (up to a late tick's worth at either end) and, within each minute, the share of 500s.
    const requests: number[] = byId.requests?.Values ?? [];
    const errors: number[] = byId.errors?.Values ?? [];
    expect(requests).toHaveLength(2);
    expect(Math.abs(requests[0]! + requests[1]! - 1200)).toBeLessThanOrEqual(120);
    requests.forEach((n, i) => {
      expect(n).toBeGreaterThan(0);
      expect(Math.abs(errors[i]! / n - 0.5)).toBeLessThanOrEqual(0.05);
    });
    for (const v of byId.latency?.Values ?? []) expect(v).toBeCloseTo(0.08, 5);
    expect(byId.requests?.StatusCode).toBe('Complete');
  });

  it('validates as CloudWatch does, with its error codes through the SDK', async () => {
    const { cw } = await setup();
    const base = {
      AlarmName: 'bad',
      Namespace: ELB_NAMESPACE,
      MetricName: 'RequestCount',
      Statistic: 'Sum' as const,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold' as const,
    };
    await expect(cw.send(new PutMetricAlarmCommand({ ...base, Period: 45 }))).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(cw.send(new PutMetricAlarmCommand({ ...base, Period: 60, DatapointsToAlarm: 2 }))).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(cw.send(new PutMetricAlarmCommand({ ...base, Period: 60, EvaluationPeriods: undefined as unknown as number }))).rejects.toBeInstanceOf(
      MissingRequiredParameterException,
    );
    await expect(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' }))).rejects.toBeInstanceOf(ResourceNotFound);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['nope'] }))).MetricAlarms).toEqual([]);
  });

  it('SetAlarmState holds until the next evaluation, which sets the state the data calls for', async () => {
    const { cw, dimensions } = await setup();
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'requests-low',
        Namespace: ELB_NAMESPACE,
        MetricName: 'RequestCount',
        Dimensions: dimensions,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
      }),
    );
    await waitFor(async () => ((await alarmOf(cw, 'requests-low'))?.StateValue === 'OK' ? true : undefined), 10_000);
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'requests-low', StateValue: 'ALARM', StateReason: 'testing' }));
    expect(await alarmOf(cw, 'requests-low')).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing' });
    await waitFor(async () => ((await alarmOf(cw, 'requests-low'))?.StateValue === 'OK' ? true : undefined), 10_000);
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'requests-low', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect((history.AlarmHistoryItems ?? []).map((h) => h.HistorySummary)).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
      'Alarm updated from ALARM to OK',
    ]);
  });
});

describe('ELB metrics from real traffic', () => {
  it('counts what the proxying load balancer really answered: requests, target 5xx, response time', async () => {
    let n = 0;
    const app = http.createServer((_req, res) => {
      n++;
      res.writeHead(n % 2 === 0 ? 500 : 200);
      res.end('x');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    const port = (app.address() as AddressInfo).port;
    const clock = scaledClock(1);
    const metrics = new MetricStore();
    const lb = new LoadBalancer({
      clock,
      targetGroupArn: TG,
      healthCheck: { path: '/', intervalMs: 50, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold: 2 },
      deregistrationDelayMs: 0,
      probe: async () => true,
      onHealth: () => {},
      proxy: true,
      onRequest: (served) => publishElbRequests(metrics, TG, clock.now(), served),
    });
    await lb.listen();
    const started = clock.now();
    try {
      // Before any target is healthy the load balancer answers 503 itself.
      expect((await fetch(lb.url ?? '')).status).toBe(503);
      lb.register('t1', '127.0.0.1', port);
      await waitFor(() => (lb.healthyTargetIds().length === 1 ? true : undefined));
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await fetch(lb.url ?? '')).status);
      expect(statuses.filter((s) => s === 500)).toHaveLength(5);
      const d = elbDimensions(TG);
      const dims = [
        { Name: 'TargetGroup', Value: d.TargetGroup },
        { Name: 'LoadBalancer', Value: d.LoadBalancer },
      ];
      const sum = (name: string) => metrics.aggregate(ELB_NAMESPACE, name, dims, started, clock.now() + 1)?.Sum;
      expect(sum('RequestCount')).toBe(11);
      expect(sum('HTTPCode_ELB_5XX_Count')).toBe(1);
      expect(sum('HTTPCode_Target_5XX_Count')).toBe(5);
      expect(sum('HTTPCode_Target_2XX_Count')).toBe(5);
      const rt = metrics.aggregate(ELB_NAMESPACE, 'TargetResponseTime', dims, started, clock.now() + 1);
      expect(rt?.SampleCount).toBe(10);
      expect(rt?.Maximum).toBeGreaterThan(0);
      // Per load balancer too, as ELB publishes it.
      expect(metrics.aggregate(ELB_NAMESPACE, 'RequestCount', [{ Name: 'LoadBalancer', Value: d.LoadBalancer }], started, clock.now() + 1)?.Sum).toBe(11);
    } finally {
      await lb.close();
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});

/** A clock the test moves: `advance` runs the timers that come due, `stall` moves time and runs none. */
function manualClock(start = Date.UTC(2026, 0, 1, 0, 0, 30)) {
  let now = start;
  let timers: { at: number; fn: () => void; timer: ClockTimer }[] = [];
  const clock: Clock = {
    timeScale: 1,
    now: () => now,
    setTimeout(fn, ms) {
      const timer = { handle: undefined as unknown as NodeJS.Timeout };
      timers.push({ at: now + ms, fn, timer });
      return timer;
    },
    clearTimeout(timer) {
      timers = timers.filter((t) => t.timer !== timer);
    },
    sleep: (ms) => new Promise((resolve) => clock.setTimeout(() => resolve(), ms)),
  };
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      now = next.at;
      next.fn();
      await Promise.resolve();
    }
    now = until;
  };
  const stall = (ms: number) => {
    now += ms;
  };
  return { clock, advance, stall };
}

describe('CloudWatch after a stall of the process', () => {
  it("an evaluation that runs before the traffic timer still judges the stalled minutes' requests", async () => {
    const { clock, advance, stall } = manualClock();
    const metrics = new MetricStore();
    const cloudwatch = new CloudWatch(metrics, clock, 'us-east-1', '000000000000');
    const lb = new LoadBalancer({
      clock,
      targetGroupArn: TG,
      healthCheck: { path: '/', intervalMs: 5_000, timeoutMs: 2_000, healthyThreshold: 1, unhealthyThreshold: 2 },
      deregistrationDelayMs: 0,
      probe: async () => true,
      onHealth: () => {},
      proxy: false,
    });
    // A release whose task answers half its requests with a 500 while passing its health checks.
    const traffic = new SimulatedTraffic({ clock, metrics, requestsPerSecond: 10, loadBalancers: () => [lb], behaviourOfTask: () => ({ errorRate: 0.5 }) });
    // As the emulator wires them (local/ecs/index.ts).
    cloudwatch.bringDataUpToNow = () => traffic.catchUp();
    const d = elbDimensions(TG);
    await cloudwatch.handlers().PutMetricAlarm!({
      AlarmName: 'api-5xx',
      Namespace: ELB_NAMESPACE,
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: [
        { Name: 'TargetGroup', Value: d.TargetGroup },
        { Name: 'LoadBalancer', Value: d.LoadBalancer },
      ],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    lb.register('t1', '10.0.0.1', 8080);
    await advance(0);
    expect(lb.healthyTargetIds()).toEqual(['t1']);
    traffic.start();
    expect(cloudwatch.alarm('api-5xx')?.StateValue).not.toBe('ALARM');

    // Three minutes pass with no timer run, then CloudWatch's own timer comes first: its
    // evaluation of the last whole minute counts that minute's 500s.
    stall(180_000);
    cloudwatch.evaluateDue();
    expect(cloudwatch.alarm('api-5xx')?.StateValue).toBe('ALARM');
    const judged = JSON.parse(cloudwatch.alarm('api-5xx')?.StateReasonData ?? '{}') as { recentDatapoints: number[] };
    expect(judged.recentDatapoints).toHaveLength(1);
    expect(judged.recentDatapoints[0]).toBeGreaterThan(250);
    traffic.close();
    cloudwatch.close();
    await lb.close();
  });
});

describe("the deploy's alarm watch, on the emulator's CloudWatch", () => {
  it('names the alarm ECS rolled back on from its history, once it is OK again', async () => {
    const { e, cw, dimensions } = await setup();
    const [{ AlarmWatch }, { MemoryLogger }, { Timeline }] = await Promise.all([
      import('../../shared/ecs/deployment-alarms.js'),
      import('../helpers/memory-logger.js'),
      import('../../shared/ecs/timeline.js'),
    ]);
    await putTarget5xxAlarm(cw, e.local, 'c', 'web', 'web-5xx');
    const quiet = 'web-latency';
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: quiet,
        Namespace: ELB_NAMESPACE,
        MetricName: 'TargetResponseTime',
        Dimensions: dimensions,
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    const watch = await AlarmWatch.start(cw, ['web-5xx', quiet], { logger: new MemoryLogger(), timeline: new Timeline(() => Date.now(), Date.now()) });
    expect(await watch.lastFired()).toBeUndefined();
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'test: 5xx' }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'OK', StateReason: 'test: back to OK' }));
    expect((await watch.poll()).map((a) => a.name)).toEqual([]);
    expect((await watch.lastFired())?.cause).toMatch(/^alarm web-5xx: HTTPCode_Target_5XX_Count > /);
  });
});
