// A release that passes its health checks but answers half its requests with 500s, deployed by
// the ecs-rolling-deploy bundle against the emulator (simulated tasks behind a load balancer,
// 10 requests a second of scripted traffic, at 60x: an alarm period of a minute is a real second):
//   1. time from the CloudWatch alarm entering ALARM to the rollback starting (the action's
//      UpdateService back to the previous revision), measured in real time (target ≤ 5 s);
//   2. failed requests (the load balancer's HTTPCode_Target_5XX_Count, read back through
//      GetMetricData) in the first 15 minutes after the deploy started, with the alarm gate
//      (`alarms` + `bake-time`) and without it (the release passes its health checks and stays:
//      "watch the dashboards for ten minutes").
// Medians of several runs.
import { CloudWatchClient, GetMetricDataCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ELB_NAMESPACE } from '../local/ecs/metrics.js';
import { runBundle } from '../local/runner/run-bundle.js';
import { median, printAgainstBaseline, printTable, verdict, versions } from './_lib.js';
import { type BenchEcs, startBenchEcs } from './_local-ecs.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIME_SCALE = 60;
const WINDOW_MS = 15 * 60_000;
const BAD = 'bench/app:5xx';
let seq = 0;

interface Env extends BenchEcs {
  cw: CloudWatchClient;
}

async function startEnv(): Promise<Env> {
  const env = await startBenchEcs({
    timeScale: TIME_SCALE,
    defaultBehaviour: { startMs: 2_000, healthyAfterMs: 1_000 },
    healthCheck: { intervalMs: 2_000, healthyThreshold: 2 },
    simulatedRequestsPerSecond: 10,
  });
  env.local.simulate(BAD, { errorRate: 0.5 });
  return { ...env, cw: new CloudWatchClient(env.clientConfig) };
}

async function steadyService(env: Env): Promise<{ cluster: string; alarm: string; dimensions: { Name: string; Value: string }[] }> {
  const n = ++seq;
  const cluster = `alarms-${n}`;
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: cluster,
      containerDefinitions: [{ name: 'app', image: 'bench/app:good', essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  await env.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'svc',
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: 2,
      loadBalancers: [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg-${n}/0123456789abcdef`,
          containerName: 'app',
          containerPort: 8080,
        },
      ],
    }),
  );
  for (;;) {
    const tasks = env.local.tasks(cluster, 'svc');
    if (tasks.filter((t) => t.target === 'healthy').length === 2) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const d = env.local.elbDimensions(cluster, 'svc');
  const dimensions = [
    { Name: 'TargetGroup', Value: d.TargetGroup },
    { Name: 'LoadBalancer', Value: d.LoadBalancer },
  ];
  const alarm = `api-5xx-${n}`;
  await env.cw.send(
    new PutMetricAlarmCommand({
      AlarmName: alarm,
      Namespace: ELB_NAMESPACE,
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
  return { cluster, alarm, dimensions };
}

/** 5xx answers of the target group within [from, from + WINDOW_MS) emulated, once that window is over. */
async function failedRequests(env: Env, dimensions: { Name: string; Value: string }[], from: number): Promise<number> {
  while (env.local.clock.now() < from + WINDOW_MS + 60_000) await new Promise((r) => setTimeout(r, 100));
  const out = await env.cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(from),
      EndTime: new Date(from + WINDOW_MS),
      MetricDataQueries: [
        {
          Id: 'errors',
          MetricStat: { Metric: { Namespace: ELB_NAMESPACE, MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: dimensions }, Period: 60, Stat: 'Sum' },
        },
      ],
    }),
  );
  return (out.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
}

async function deploy(env: Env, cluster: string, inputs: Record<string, string>, root: { root?: string }) {
  return runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service: 'svc', 'container-images': `app=${BAD}`, ...inputs },
    env: env.local.env(),
    timeoutMs: 180_000,
    ...root,
  });
}

async function gated(env: Env, root: { root?: string } = {}): Promise<{ latencyMs: number; failed: number; status: string }> {
  const { cluster, alarm, dimensions } = await steadyService(env);
  let alarmAt: number | undefined;
  const stop = env.local.cloudwatch.onStateChange((a) => {
    if (a.AlarmName === alarm && a.StateValue === 'ALARM') alarmAt ??= Date.now();
  });
  const from = env.local.clock.now();
  const started = Date.now();
  const result = await deploy(env, cluster, { alarms: alarm, 'alarm-rollback': 'false', 'bake-time': '30s' }, root);
  stop();
  const updates = env.calls.filter((c) => c.at >= started && c.operation === 'UpdateService');
  const rollbackAt = updates[1]?.at;
  if (alarmAt === undefined || rollbackAt === undefined) throw new Error(`no alarm or no rollback: ${result.outputs.status}\n${result.log}`);
  return { latencyMs: rollbackAt - alarmAt, failed: await failedRequests(env, dimensions, from), status: result.outputs.status ?? '?' };
}

async function ungated(env: Env): Promise<{ failed: number; status: string }> {
  const { cluster, dimensions } = await steadyService(env);
  const from = env.local.clock.now();
  const result = await deploy(env, cluster, {}, {});
  return { failed: await failedRequests(env, dimensions, from), status: result.outputs.status ?? '?' };
}

const env = await startEnv();
try {
  const latencies: number[] = [];
  const gatedFailed: number[] = [];
  const ungatedFailed: number[] = [];
  const statuses = new Set<string>();
  const base = { latencies: [] as number[], failed: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    if (versions[1]) {
      const b = await gated(env, versions[1].root);
      base.latencies.push(b.latencyMs);
      base.failed.push(b.failed);
      statuses.add(`baseline gated ${b.status}`);
    }
    const g = await gated(env);
    latencies.push(g.latencyMs);
    gatedFailed.push(g.failed);
    statuses.add(`gated ${g.status}`);
    const u = await ungated(env);
    ungatedFailed.push(u.failed);
    statuses.add(`ungated ${u.status}`);
  }
  printTable(
    ['figure', `median of ${RUNS}`, 'runs'],
    [
      ['alarm ALARM → rollback starts', `${(median(latencies) / 1000).toFixed(2)} s`, latencies.map((l) => (l / 1000).toFixed(2)).join(' ')],
      ['failed requests, 15 min, with the alarm gate', median(gatedFailed), gatedFailed.join(' ')],
      ['failed requests, 15 min, without (baseline)', median(ungatedFailed), ungatedFailed.join(' ')],
    ],
  );
  printAgainstBaseline([
    { measure: 'alarm ALARM → rollback starts', ours: latencies, baseline: base.latencies, unit: 's' },
    { measure: 'failed requests, 15 min, with the alarm gate', ours: gatedFailed, baseline: base.failed, unit: 'count' },
  ]);
  console.log(`outcomes: ${[...statuses].join(', ')}`);
  console.log(verdict(median(latencies) <= 5_000, `alarm → rollback ≤ 5 s (median ${(median(latencies) / 1000).toFixed(2)} s)`));
  console.log(
    `failed requests: ${median(gatedFailed)} with the gate vs ${median(ungatedFailed)} without (${(median(ungatedFailed) / Math.max(1, median(gatedFailed))).toFixed(1)}x fewer)`,
  );
} finally {
  env.cw.destroy();
  await env.stop();
}
