// ecs-rolling-deploy on a BLUE_GREEN service of the local ECS emulator (simulated tasks, sped-up
// clock), through its bundle and the local runner:
//   1. time from the service deployment becoming SUCCESSFUL (after its bake) to the action
//      reporting success (target ≤ 3 s);
//   2. time from the step's deadline passing mid-bake to its StopServiceDeployment (the rollback
//      starting, target ≤ 5 s);
//   3. DescribeServiceDeployments calls per minute while following;
//   4. time from an ecs-resume-deploy `decision: rollback` step starting (a deploy paused at its verify-at gate) to its
//      ContinueServiceDeployment ROLLBACK, the rollback starting (target ≤ 5 s; the step's process
//      start and input checks included).
// Baseline for 1: what the official aws-actions/amazon-ecs-deploy-task-definition does after
// UpdateService (the SDK's waitUntilServicesStable, minDelay 15 s) on the same kind of deployment.
// Medians of several runs. The bake runs on the emulator's clock, the action polls in real time.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runBundle } from '../local/runner/run-bundle.js';
import { median, printAgainstBaseline, printTable, verdict, versions } from './_lib.js';
import { type BenchEcs as Env, callsPerMinute, startBenchEcs } from './_local-ecs.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIME_SCALE = 30;
let seq = 0;

async function blueGreenService(env: Env, bakeTimeInMinutes: number): Promise<{ cluster: string; service: string }> {
  const n = ++seq;
  const cluster = `bench-native-${n}`;
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: cluster,
      containerDefinitions: [{ name: 'app', image: `bench/app:${n}-1`, essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  await env.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'svc',
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: 2,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes },
      loadBalancers: [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue-${n}/0123456789abcdef`,
          containerName: 'app',
          containerPort: 8080,
          advancedConfiguration: {
            alternateTargetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green-${n}/fedcba9876543210`,
            productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
            roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
          },
        },
      ],
    }),
  );
  await statusReached(env, cluster, 'SUCCESSFUL');
  return { cluster, service: 'svc' };
}

async function statusReached(env: Env, cluster: string, status: string): Promise<number> {
  for (;;) {
    const [sd] = (await env.ecs.send(new ListServiceDeploymentsCommand({ cluster, service: 'svc' }))).serviceDeployments ?? [];
    if (sd?.status === status) return Date.now();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Real time at which the newest service deployment of the cluster's service first shows `status`. */
function watchStatus(env: Env, cluster: string, status: string, after: number): { stop: () => Promise<number | undefined> } {
  let at: number | undefined;
  let running = true;
  const done = (async () => {
    while (running && at === undefined) {
      const [sd] = (await env.ecs.send(new ListServiceDeploymentsCommand({ cluster, service: 'svc' }))).serviceDeployments ?? [];
      if (sd?.status === status && (sd.createdAt?.getTime() ?? 0) > after) at = Date.now();
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return at;
    },
  };
}

async function successLatency(env: Env, root: { root?: string } = {}): Promise<{ latency: number; perMinute: number }> {
  const { cluster, service } = await blueGreenService(env, 1);
  const started = Date.now();
  const watch = watchStatus(env, cluster, 'SUCCESSFUL', env.local.clock.now());
  const result = await runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service, 'container-images': `app=bench/app:${seq}-2` },
    env: env.local.env(),
    ...root,
  });
  const ended = Date.now();
  const successfulAt = await watch.stop();
  if (result.exitCode !== 0 || successfulAt === undefined) throw new Error(`blue/green deploy failed:\n${result.log}`);
  return { latency: ended - successfulAt, perMinute: callsPerMinute(env.calls, 'DescribeServiceDeployments', started, ended) };
}

async function waiterLatency(env: Env): Promise<number> {
  const { cluster, service } = await blueGreenService(env, 1);
  const td = await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: cluster,
      containerDefinitions: [{ name: 'app', image: `bench/app:${seq}-2`, essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  const watch = watchStatus(env, cluster, 'SUCCESSFUL', env.local.clock.now());
  await env.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: td.taskDefinition!.taskDefinitionArn! }));
  await waitUntilServicesStable({ client: env.ecs, maxWaitTime: 600, minDelay: 15, maxDelay: 120 }, { cluster, services: [service] });
  const ended = Date.now();
  const successfulAt = await watch.stop();
  if (successfulAt === undefined) throw new Error('the waiter returned before the service deployment was SUCCESSFUL');
  return ended - successfulAt;
}

async function stopAfterDeadline(env: Env, root: { root?: string } = {}): Promise<number> {
  const { cluster, service } = await blueGreenService(env, 60);
  const started = Date.now();
  const timeoutMs = 10_000;
  const result = await runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service, 'container-images': `app=bench/app:${seq}-2`, timeout: `${timeoutMs / 1000}s` },
    env: env.local.env(),
    ...root,
  });
  const stop = env.calls.find((c) => c.operation === 'StopServiceDeployment' && c.at >= started);
  if (result.exitCode === 0 || !stop) throw new Error(`expected a timed-out deploy rolled back with StopServiceDeployment:\n${result.log}`);
  // The deadline counts from the action's start, a little after `started`: this overstates.
  return stop.at - (started + timeoutMs);
}

async function resumeRollback(env: Env, root: { root?: string } = {}): Promise<number> {
  const { cluster, service } = await blueGreenService(env, 1);
  const paused = await runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service, 'container-images': `app=bench/app:${seq}-2`, 'verify-at': 'post-scale-up' },
    env: env.local.env(),
    ...root,
  });
  if (paused.outputs.status !== 'paused') throw new Error(`expected a deploy paused at its gate:\n${paused.log}`);
  const started = Date.now();
  const answer = { 'service-deployment-arn': paused.outputs['service-deployment-arn'] ?? '', 'hook-id': paused.outputs['hook-id'] ?? '' };
  // A baseline from before ecs-resume-deploy answered the gate with ecs-rolling-deploy's `resume` input.
  const split = existsSync(path.join(root.root ?? repoRoot, 'dist/ecs-resume-deploy/index.js'));
  const result = split
    ? await runBundle('ecs-resume-deploy', { inputs: { cluster, service, decision: 'rollback', ...answer }, env: env.local.env(), ...root })
    : await runBundle('ecs-rolling-deploy', { inputs: { cluster, service, resume: 'rollback', ...answer }, env: env.local.env(), ...root });
  const sent = env.calls.find((c) => c.operation === 'ContinueServiceDeployment' && c.at >= started);
  if (result.outputs.status !== 'rolled-back' || !sent) throw new Error(`expected ecs-resume-deploy decision: rollback to roll back:\n${result.log}`);
  return sent.at - started;
}

async function main(): Promise<void> {
  const env = await startBenchEcs({
    timeScale: TIME_SCALE,
    defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 },
    healthCheck: { intervalMs: 2_000 },
  });
  try {
    const success: { latency: number; perMinute: number }[] = [];
    const stops: number[] = [];
    const waiter: number[] = [];
    const resumes: number[] = [];
    const base = { success: [] as { latency: number; perMinute: number }[], stops: [] as number[], resumes: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      for (const v of versions) {
        const into = v.label === 'this' ? { success, stops, resumes } : base;
        into.resumes.push(await resumeRollback(env, v.root));
        into.success.push(await successLatency(env, v.root));
        into.stops.push(await stopAfterDeadline(env, v.root));
      }
      waiter.push(await waiterLatency(env));
    }
    const waiterMedian = median(waiter);
    const latency = median(success.map((r) => r.latency));
    const rate = median(success.map((r) => r.perMinute));
    const stop = median(stops);
    const resume = median(resumes);
    console.log(`local ECS emulator, simulated BLUE_GREEN (bake 1 min emulated = 2 s real) at ${TIME_SCALE}x, ${RUNS} runs, medians (real time)`);
    printTable(
      ['measure', 'ecs-rolling-deploy', 'SDK waiter (official action)', 'target'],
      [
        ['SUCCESSFUL → success reported', `${(latency / 1000).toFixed(2)} s`, `${(waiterMedian / 1000).toFixed(2)} s`, verdict(latency <= 3_000, '≤ 3 s')],
        ['deadline mid-bake → StopServiceDeployment', `${(stop / 1000).toFixed(2)} s`, 'never (no rollback)', verdict(stop <= 5_000, '≤ 5 s')],
        [
          'ecs-resume-deploy (decision: rollback) step starts → ContinueServiceDeployment ROLLBACK',
          `${(resume / 1000).toFixed(2)} s`,
          'no gate (no verification step)',
          verdict(resume <= 5_000, '≤ 5 s'),
        ],
        [
          'DescribeServiceDeployments calls / min while following',
          rate.toFixed(1),
          '0 (DescribeServices only)',
          // One poll per 2 s is 30 a minute; the rate over a short follow counts n-1 gaps between
          // n polls whose ends are not aligned to the window, so it reads a few percent either side.
          verdict(rate >= 20 && rate <= 31.5, '20–30 (2–3 s polls), ±5 %'),
        ],
      ],
    );
    printAgainstBaseline([
      { measure: 'SUCCESSFUL → success reported', ours: success.map((r) => r.latency), baseline: base.success.map((r) => r.latency), unit: 's' },
      { measure: 'deadline mid-bake → StopServiceDeployment', ours: stops, baseline: base.stops, unit: 's' },
      { measure: 'resume: rollback step starts → ContinueServiceDeployment', ours: resumes, baseline: base.resumes, unit: 's' },
      {
        measure: 'DescribeServiceDeployments calls / min',
        ours: success.map((r) => r.perMinute),
        baseline: base.success.map((r) => r.perMinute),
        unit: 'rate',
      },
    ]);
  } finally {
    await env.stop();
  }
}

await main();
