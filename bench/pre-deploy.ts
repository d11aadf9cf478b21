// ecs-rolling-deploy's pre-deploy task (a migration) against the local ECS emulator (simulated
// tasks, sped-up clock) and its CloudWatch Logs, through the bundle and the local runner:
//   1. time from the migration task STOPPED (as the emulator records it) to UpdateService (target
//      ≤ 3 s), beside what the official aws-actions/amazon-ecs-deploy-task-definition does with
//      run-task: RunTask, then the SDK's waitUntilTasksStopped (its defaults, minDelay 6 s);
//   2. time from a log line being written (first readable in CloudWatch Logs) to the action
//      printing it (target: within one poll, 1 s); the official action prints no task logs.
// Medians of several runs. Tasks run on the emulator's clock, the action polls in real time.
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  waitUntilTasksStopped,
} from '@aws-sdk/client-ecs';
import { runBundle } from '../local/runner/run-bundle.js';
import { ONE_OFF_POLL_MS } from '../shared/ecs/one-off-task.js';
import { median, printAgainstBaseline, printTable, verdict, versions } from './_lib.js';
import { startBenchEcs } from './_local-ecs.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WAITER_RUNS = Number(process.env.BENCH_WAITER_RUNS ?? 3);
const TIME_SCALE = 4;
const GROUP = '/bench/migrations';
const MIGRATE = ['bin/migrate', 'up'];
const LINES = ['migration 1/5', 'migration 2/5', 'migration 3/5', 'migration 4/5', 'migration 5/5'];

const env = await startBenchEcs({ timeScale: TIME_SCALE, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
const { local, ecs, calls } = env;
const logs = new CloudWatchLogsClient(env.clientConfig);
await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
let seq = 0;

async function steadyService(image: string): Promise<{ cluster: string; family: string }> {
  const n = ++seq;
  const cluster = `pre-${n}`;
  const family = `pre-${n}`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        {
          name: 'app',
          image,
          essential: true,
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-stream-prefix': 'app' } },
        },
      ],
    }),
  );
  await ecs.send(new CreateServiceCommand({ cluster, serviceName: 'svc', taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
  for (;;) {
    const s = (await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc'] }))).services![0]!;
    if (s.deployments?.length === 1 && s.deployments[0]!.rolloutState === 'COMPLETED') return { cluster, family };
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Real time each line in streams under `prefix` first became readable in CloudWatch Logs. */
function watchLines(prefix: string): { stop: () => Map<string, number> } {
  const seen = new Map<string, number>();
  let running = true;
  void (async () => {
    while (running) {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNamePrefix: prefix })).catch(() => undefined);
      for (const e of out?.events ?? []) if (e.message && !seen.has(e.message)) seen.set(e.message, Date.now());
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: () => {
      running = false;
      return seen;
    },
  };
}

/** Real time the emulator recorded the first task of `cluster` started by `startedBy` as STOPPED. */
function watchStopped(cluster: string, startedBy: string | undefined): { at: () => number | undefined; off: () => void } {
  let at: number | undefined;
  const off = local.onTaskChange((task) => {
    if (at === undefined && task.cluster === cluster && task.lastStatus === 'STOPPED' && (startedBy === undefined || task.startedBy === startedBy))
      at = Date.now();
  });
  return { at: () => at, off };
}

async function byAction(root: { root?: string } = {}): Promise<{ stopToUpdate: number; lineDelays: number[] }> {
  const image = `bench/mig:${seq + 1}`;
  const { cluster } = await steadyService(`${image}-1`);
  // Lines of this run only: the group holds every run's streams.
  const lines = LINES.map((l) => `${image} ${l}`);
  local.simulate(`${image}-2`, { startMs: 2_000, logLines: lines, logEveryMs: 2_000, exitCode: 0, exitAfterMs: 11_000 }, MIGRATE);
  const stopped = watchStopped(cluster, 'commit-to-prod');
  const watch = watchLines('app/app/');
  const shown = new Map<string, number>();
  const started = Date.now();
  const result = await runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service: 'svc', 'container-images': `app=${image}-2`, 'pre-deploy-command': MIGRATE.join(' ') },
    env: local.env(),
    ...root,
    onLog: (line) => {
      const m = /^\s*\| (.*)$/.exec(line);
      if (m?.[1] && !shown.has(m[1])) shown.set(m[1], Date.now());
    },
  });
  stopped.off();
  const written = watch.stop();
  const stoppedAt = stopped.at();
  const updateAt = calls.find((c) => c.operation === 'UpdateService' && c.at >= started)?.at;
  if (result.exitCode !== 0 || stoppedAt === undefined || updateAt === undefined) throw new Error(`pre-deploy run failed:\n${result.log}`);
  const lineDelays = lines.map((l) => {
    const w = written.get(l);
    const s = shown.get(l);
    if (w === undefined || s === undefined) throw new Error(`line ${l} not ${w === undefined ? 'written' : 'shown'}:\n${result.log}`);
    return s - w;
  });
  return { stopToUpdate: updateAt - stoppedAt, lineDelays };
}

/** The official action's run-task: RunTask, then waitUntilTasksStopped; the update would follow. */
async function byWaiter(): Promise<number> {
  const image = `bench/migw:${seq + 1}`;
  const { cluster, family } = await steadyService(`${image}-1`);
  local.simulate(`${image}-1`, { startMs: 2_000, logLines: LINES, logEveryMs: 2_000, exitCode: 0, exitAfterMs: 11_000 }, MIGRATE);
  const stopped = watchStopped(cluster, 'waiter');
  const run = await ecs.send(
    new RunTaskCommand({ cluster, taskDefinition: `${family}:1`, startedBy: 'waiter', overrides: { containerOverrides: [{ name: 'app', command: MIGRATE }] } }),
  );
  await waitUntilTasksStopped({ client: ecs, maxWaitTime: 600 }, { cluster, tasks: [run.tasks![0]!.taskArn!] });
  const returned = Date.now();
  stopped.off();
  const at = stopped.at();
  if (at === undefined) throw new Error('waiter returned before the task stopped');
  return returned - at;
}

try {
  const ours: { stopToUpdate: number; lineDelays: number[] }[] = [];
  const waiter: number[] = [];
  const base: { stopToUpdate: number; lineDelays: number[] }[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const v of versions) (v.label === 'this' ? ours : base).push(await byAction(v.root));
  }
  for (let i = 0; i < WAITER_RUNS; i++) waiter.push(await byWaiter());
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const stopToUpdate = median(ours.map((r) => r.stopToUpdate));
  const waiterLatency = median(waiter);
  const delays = ours.flatMap((r) => r.lineDelays);
  const lineMedian = median(delays);
  const lineMax = Math.max(...delays);
  console.log(`local ECS emulator, simulated tasks at ${TIME_SCALE}x, ${RUNS} action runs / ${WAITER_RUNS} baseline runs, medians (real time)`);
  printTable(
    ['measure', 'ecs-rolling-deploy', 'baseline', 'baseline is', 'target'],
    [
      ['migration STOPPED → UpdateService', s(stopToUpdate), s(waiterLatency), 'RunTask + waitUntilTasksStopped (official run-task)', '≤ 3 s'],
      [
        `log line written → shown (median / max of ${delays.length})`,
        `${s(lineMedian)} / ${s(lineMax)}`,
        'never shown',
        'official action: no task logs',
        `≤ one poll (${s(ONE_OFF_POLL_MS)})`,
      ],
    ],
  );
  printAgainstBaseline([
    { measure: 'migration STOPPED → UpdateService', ours: ours.map((r) => r.stopToUpdate), baseline: base.map((r) => r.stopToUpdate), unit: 's' },
    { measure: 'log line written → shown', ours: delays, baseline: base.flatMap((r) => r.lineDelays), unit: 's' },
  ]);
  console.log(verdict(stopToUpdate <= 3_000, `migration stop → service update ${s(stopToUpdate)} (target ≤ 3 s)`));
  console.log(verdict(lineMax <= ONE_OFF_POLL_MS, `every log line shown within one poll: max ${s(lineMax)} (poll ${s(ONE_OFF_POLL_MS)})`));
} finally {
  logs.destroy();
  await env.stop();
}
