// ECS's early success criteria (issue 32) through ecs-rolling-deploy's bundle against the local ECS
// emulator (simulated tasks behind a load balancer, sped-up clock): the time from the moment the
// healthy-percent point is reached (50% of the desired count of the new revision healthy in the
// target group) to the action reporting success (target ≤ 3 s) with `early-success: 50% deferred`,
// against a full rolling deploy of the same service in the same run (success only once the old
// tasks drained and the new revision runs alone).
// Medians of several runs. Tasks run on the emulator's clock, the action polls in real time.
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { runBundle } from '../local/runner/run-bundle.js';
import { median, printAgainstBaseline, printTable, verdict, versions } from './_lib.js';
import { type BenchEcs as Env, startBenchEcs } from './_local-ecs.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIME_SCALE = 4;
const DESIRED = 4;
const HEALTHY_PERCENT = 50;
let seq = 0;

async function steadyService(env: Env, image: string): Promise<{ cluster: string; service: string }> {
  const n = ++seq;
  const cluster = `bench-early-${n}`;
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: cluster,
      containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  await env.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'svc',
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: DESIRED,
      loadBalancers: [
        {
          targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${cluster}/0123456789abcdef`,
          containerName: 'app',
          containerPort: 8080,
        },
      ],
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: HEALTHY_PERCENT },
    }),
  );
  for (;;) {
    const s = (await env.ecs.send(new DescribeServicesCommand({ cluster, services: ['svc'] }))).services![0]!;
    if (s.deployments?.length === 1 && s.deployments[0]!.rolloutState === 'COMPLETED' && s.runningCount === DESIRED) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { cluster, service: 'svc' };
}

/** Real time at which HEALTHY_PERCENT of the desired count of revision 2 was healthy in the target group. */
function watchHealthyPoint(env: Env, cluster: string): { stop: () => number | undefined } {
  let at: number | undefined;
  const needed = Math.ceil((DESIRED * HEALTHY_PERCENT) / 100);
  const off = env.local.onTaskChange((task) => {
    if (at !== undefined || task.cluster !== cluster) return;
    const healthy = env.local
      .tasks(cluster, 'svc')
      .filter((t) => t.taskDefinitionArn.endsWith(':2') && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING' && t.target === 'healthy');
    if (healthy.length >= needed) at = Date.now();
  });
  return {
    stop: () => {
      off();
      return at;
    },
  };
}

async function deploy(env: Env, early: boolean, root: { root?: string } = {}): Promise<number> {
  const { cluster, service } = await steadyService(env, `bench/early:${seq + 1}-1`);
  const watch = watchHealthyPoint(env, cluster);
  const result = await runBundle('ecs-rolling-deploy', {
    inputs: { cluster, service, 'container-images': `app=bench/early:${seq}-2`, ...(early ? { 'early-success': `${HEALTHY_PERCENT}% deferred` } : {}) },
    env: env.local.env(),
    ...root,
  });
  const ended = Date.now();
  const point = watch.stop();
  if (result.exitCode !== 0 || point === undefined) throw new Error(`rollout failed (healthy point ${point}):\n${result.log}`);
  return ended - point;
}

const env = await startBenchEcs({
  timeScale: TIME_SCALE,
  // ~2.5 s (real) from launch to RUNNING, target health checks every 5 s (emulated), and a
  // 60 s (emulated) deregistration delay: what a full rollout waits for after the healthy point.
  defaultBehaviour: { startMs: 10_000, healthyAfterMs: 500 },
  healthCheck: { intervalMs: 5_000, healthyThreshold: 2 },
  deregistrationDelayMs: 60_000,
});
try {
  const early: number[] = [];
  const full: number[] = [];
  const baseFull: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    early.push(await deploy(env, true));
    for (const v of versions) (v.label === 'this' ? full : baseFull).push(await deploy(env, false, v.root));
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ours = median(early);
  const baseline = median(full);
  console.log(`local ECS emulator, simulated tasks behind a load balancer at ${TIME_SCALE}x, ${DESIRED} tasks, ${RUNS} runs each, medians (real time)`);
  printTable(
    ['measure', 'early-success', 'baseline', 'baseline is', 'ratio', 'target'],
    [
      [
        `${HEALTHY_PERCENT}% of the new revision healthy → success reported`,
        s(ours),
        s(baseline),
        'full rolling deploy, same service',
        `${(ours / baseline).toFixed(2)}x`,
        verdict(ours <= 3_000, '≤ 3 s'),
      ],
    ],
  );
  printAgainstBaseline([{ measure: 'full rolling deploy: healthy point → success', ours: full, baseline: baseFull, unit: 's' }]);
  console.log(`\nper run: early success ${early.map(s).join(', ')}; full rollout ${full.map(s).join(', ')}`);
} finally {
  await env.stop();
}
