// ecs-rolling-deploy against the local ECS emulator (simulated tasks, sped-up clock), run through
// its bundle and the local runner, as a workflow would:
//   1. time from ECS marking the deployment COMPLETED to the action reporting success (target
//      ≤ 3 s), beside the SDK waiter the official aws-actions/amazon-ecs-deploy-task-definition
//      uses (waitUntilServicesStable, minDelay 15 s) on the same rollout in the same run;
//   2. time from the max-failed-tasks-th failed task of a failing release to the rollback
//      starting (target ≤ 10 s), beside ECS's own circuit breaker (which rolls back at its
//      threshold of 3 failures, and only when enabled);
//   3. DescribeServices calls per minute while following, beside the waiter's.
// Medians of several runs. Tasks run on the emulator's clock, the action polls in real time.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { runBundle } from '../local/runner/run-bundle.js';
import { median, printAgainstBaseline, printTable, verdict, versions } from './_lib.js';
import { type BenchEcs as Env, callsPerMinute, startBenchEcs } from './_local-ecs.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WAITER_RUNS = Number(process.env.BENCH_WAITER_RUNS ?? 3);
const TIME_SCALE = 4;
let seq = 0;

async function steadyService(env: Env, image: string, circuitBreaker = false): Promise<{ cluster: string; service: string; family: string }> {
  const n = ++seq;
  const cluster = `bench-${n}`;
  const family = `bench-${n}`;
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await env.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image, essential: true }] }));
  await env.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'svc',
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: 2,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: circuitBreaker, rollback: circuitBreaker },
      },
    }),
  );
  for (;;) {
    const s = (await env.ecs.send(new DescribeServicesCommand({ cluster, services: ['svc'] }))).services![0]!;
    if (s.deployments?.length === 1 && s.deployments[0]!.rolloutState === 'COMPLETED') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { cluster, service: 'svc', family };
}

/** Real time at which the emulator's PRIMARY deployment of `family:rev` became COMPLETED. */
function watchCompleted(env: Env, cluster: string, rev: string): { stop: () => number | undefined } {
  let at: number | undefined;
  const timer = setInterval(() => {
    const d = env.local.service(cluster, 'svc')?.deployments[0];
    if (at === undefined && d?.taskDefinition.endsWith(`:${rev}`) && d.rolloutState === 'COMPLETED') at = Date.now();
  }, 2);
  return {
    stop: () => {
      clearInterval(timer);
      return at;
    },
  };
}

/** DescribeServices calls per minute while following (after UpdateService): the polling rate. */
function pollRate(env: Env, from: number, to: number): number {
  from = env.calls.find((c) => c.operation === 'UpdateService' && c.at >= from)?.at ?? from;
  return callsPerMinute(env.calls, 'DescribeServices', from, to);
}

async function healthyByAction(env: Env, root: { root?: string } = {}): Promise<{ latency: number; perMinute: number }> {
  const { cluster, service } = await steadyService(env, `bench/app:${seq + 1}-1`);
  const watch = watchCompleted(env, cluster, '2');
  const started = Date.now();
  const result = await runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service, 'container-images': `app=bench/app:${seq}-2` },
    env: env.local.env(),
    ...root,
  });
  const ended = Date.now();
  const completedAt = watch.stop();
  if (result.exitCode !== 0 || completedAt === undefined) throw new Error(`healthy rollout failed:\n${result.log}`);
  return { latency: ended - completedAt, perMinute: pollRate(env, started, ended) };
}

async function healthyByWaiter(env: Env): Promise<{ latency: number; perMinute: number }> {
  const { cluster, service, family } = await steadyService(env, `bench/app:${seq + 1}-1`);
  const td = await env.ecs.send(
    new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: `bench/app:${seq}-2`, essential: true }] }),
  );
  const watch = watchCompleted(env, cluster, '2');
  const started = Date.now();
  await env.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: td.taskDefinition!.taskDefinitionArn! }));
  // What the official action does after UpdateService.
  await waitUntilServicesStable({ client: env.ecs, minDelay: 15, maxWaitTime: 600 }, { cluster, services: [service] });
  const ended = Date.now();
  const completedAt = watch.stop();
  if (completedAt === undefined) throw new Error('waiter returned before COMPLETED');
  return { latency: ended - completedAt, perMinute: pollRate(env, started, ended) };
}

async function crashToRollback(env: Env, byEcs: boolean, root: { root?: string } = {}): Promise<{ fromFirst: number; fromThreshold: number }> {
  const { cluster, service, family } = await steadyService(env, `bench/crash:${seq + 1}-1`, byEcs);
  const bad = `bench/crash:${seq}-2`;
  // Tasks that never start (a bad image): ECS's circuit breaker counts these too.
  env.local.simulate(bad, { startMs: 2_000, pullError: true });
  const failures: number[] = [];
  const failed = new Set<string>();
  const off = env.local.onTaskChange((task) => {
    if (task.cluster === cluster && task.failed && !failed.has(task.id) && task.taskDefinitionArn.endsWith(':2')) {
      failed.add(task.id);
      failures.push(Date.now());
    }
  });
  const started = Date.now();
  let rollbackAt: number | undefined;
  if (byEcs) {
    // The ECS circuit breaker alone: its rollback is the PRIMARY deployment of revision 1 again.
    const td = await env.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: bad, essential: true }] }));
    await env.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: td.taskDefinition!.taskDefinitionArn! }));
    const deadline = Date.now() + 120_000;
    while (rollbackAt === undefined && Date.now() < deadline) {
      const d = env.local.service(cluster, service)?.deployments[0];
      if (d?.taskDefinition.endsWith(':1') && d.rollbackOf) rollbackAt = Date.now();
      await new Promise((r) => setTimeout(r, 2));
    }
  } else {
    const result = await runBundle('ecs-rolling-deploy', {
      inputs: { cluster, service, 'container-images': `app=${bad}`, 'max-failed-tasks': '2', 'circuit-breaker': 'false' },
      env: env.local.env(),
      ...root,
    });
    if (result.outputs.status !== 'rolled-back') throw new Error(`expected a rollback:\n${result.log}`);
    rollbackAt = env.calls.filter((c) => c.operation === 'UpdateService' && c.at >= started)[1]?.at;
  }
  off();
  const first = failures[0];
  const threshold = failures[1];
  if (first === undefined || threshold === undefined || rollbackAt === undefined) {
    throw new Error(`no rollback observed (failures ${failures.length}): ${JSON.stringify(env.local.service(cluster, service)?.deployments)}`);
  }
  return { fromFirst: rollbackAt - first, fromThreshold: rollbackAt - threshold };
}

const env = await startBenchEcs({
  timeScale: TIME_SCALE,
  // ~2.5 s (real) from launch to RUNNING: a rollout of 2 tasks spans a few polls.
  defaultBehaviour: { startMs: 10_000, healthyAfterMs: 500 },
});
try {
  const ours: { latency: number; perMinute: number }[] = [];
  const waiter: { latency: number; perMinute: number }[] = [];
  const crash: { fromFirst: number; fromThreshold: number }[] = [];
  const ecsBreaker: { fromFirst: number; fromThreshold: number }[] = [];
  const base = { ours: [] as { latency: number; perMinute: number }[], crash: [] as { fromFirst: number; fromThreshold: number }[] };
  for (let i = 0; i < RUNS; i++) {
    for (const v of versions) {
      const into = v.label === 'this' ? { ours, crash } : base;
      into.ours.push(await healthyByAction(env, v.root));
      into.crash.push(await crashToRollback(env, false, v.root));
    }
  }
  for (let i = 0; i < WAITER_RUNS; i++) {
    waiter.push(await healthyByWaiter(env));
    ecsBreaker.push(await crashToRollback(env, true));
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const oursLatency = median(ours.map((r) => r.latency));
  const waiterLatency = median(waiter.map((r) => r.latency));
  const fromThreshold = median(crash.map((c) => c.fromThreshold));
  const fromFirst = median(crash.map((c) => c.fromFirst));
  const breakerFromFirst = median(ecsBreaker.map((c) => c.fromFirst));
  const oursRate = median(ours.map((r) => r.perMinute));
  const waiterRate = median(waiter.map((r) => r.perMinute));
  console.log(`local ECS emulator, simulated tasks at ${TIME_SCALE}x, ${RUNS} action runs / ${WAITER_RUNS} baseline runs, medians (real time)`);
  printTable(
    ['measure', 'ecs-rolling-deploy', 'baseline', 'baseline is', 'ratio', 'target'],
    [
      [
        'COMPLETED → success reported',
        s(oursLatency),
        s(waiterLatency),
        'SDK waiter (official action)',
        `${(oursLatency / waiterLatency).toFixed(2)}x`,
        verdict(oursLatency <= 3_000, '≤ 3 s'),
      ],
      [
        'max-failed-tasks-th (2nd) failure → rollback starts',
        s(fromThreshold),
        'never',
        'official action (no rollback)',
        '',
        verdict(fromThreshold <= 10_000, '≤ 10 s'),
      ],
      ['1st failure → rollback starts', s(fromFirst), s(breakerFromFirst), 'ECS circuit breaker (3 failures, 4x clock)', '', ''],
      [
        'DescribeServices calls / minute (polling)',
        oursRate.toFixed(1),
        waiterRate.toFixed(1),
        'SDK waiter (official action)',
        `${(oursRate / Math.max(waiterRate, 0.01)).toFixed(1)}x`,
        verdict(oursRate >= 20 && oursRate <= 30, '20–30 (2–3 s polls)'),
      ],
    ],
  );
  printAgainstBaseline([
    { measure: 'COMPLETED → success reported', ours: ours.map((r) => r.latency), baseline: base.ours.map((r) => r.latency), unit: 's' },
    { measure: '2nd failure → rollback starts', ours: crash.map((c) => c.fromThreshold), baseline: base.crash.map((c) => c.fromThreshold), unit: 's' },
    { measure: 'DescribeServices calls / minute', ours: ours.map((r) => r.perMinute), baseline: base.ours.map((r) => r.perMinute), unit: 'rate' },
  ]);
  console.log(
    `\nper run: COMPLETED → success ${ours.map((r) => s(r.latency)).join(', ')}; max-failed-tasks-th failure → rollback ${crash.map((c) => s(c.fromThreshold)).join(', ')}`,
  );
} finally {
  await env.stop();
}
