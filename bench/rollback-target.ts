// How much `rollback` reads to choose `to: previous`, against the local ECS emulator and the local
// GitHub API stand-in, for a service with a long history (HISTORY releases): the known-good
// release 1 back, and 20 back (the 19 between failed). Both sources are read lazily and stop at
// the answer, so the cost grows with how far back the answer is, not with the history's length.
// Baseline in the same run: what every rollback reads anyway (DescribeServices plus the running
// revision's DescribeTaskDefinition). Medians of several runs; figures print, nothing fails.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { startLocalEcs } from '../local/ecs/index.js';
import { startLocalGitHubApi } from '../local/github-api/index.js';
import { silentLogger } from '../shared/core/logger.js';
import { pickRollbackTarget } from '../shared/rollback/pick-rollback-target.js';
import { median, printTable, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 60);
const TOKEN = 'ghs_bench';
const REPOSITORY = 'acme/bench';

const calls: string[] = [];
const local = await startLocalEcs({ mode: 'simulated', timeScale: 50, log: (line) => calls.push(/\.(\w+) /.exec(line)?.[1] ?? line) });
const github = await startLocalGitHubApi({ token: TOKEN });
const ecs = new ECSClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials, maxAttempts: 1 });

async function gh(path: string, body: unknown): Promise<{ id: number }> {
  const res = await fetch(`${github.url}/repos/${REPOSITORY}${path}`, {
    method: 'POST',
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: number };
}

/** A service whose history is HISTORY releases as ecs-rolling-deploy records them; `failedBack` releases before the current one failed. */
async function history(name: string, failedBack: number): Promise<{ cluster: string; service: string }> {
  const cluster = `c-${name}`;
  const family = `fam-${name}`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  let arn = '';
  for (let i = 1; i <= HISTORY; i++) {
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: `acme/app:${i}` }] }));
    arn = out.taskDefinition!.taskDefinitionArn!;
    const failed = i < HISTORY && i >= HISTORY - failedBack;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'commit-to-prod:outcome', value: failed ? 'rolled-back' : 'succeeded' }] }));
    const d = await gh('/deployments', {
      ref: `${String(i).padStart(7, '0')}${'a'.repeat(33)}`,
      environment: name,
      payload: { cluster, service: name, taskDefinitionArn: arn },
    });
    await gh(`/deployments/${d.id}/statuses`, { state: 'in_progress' });
    await gh(`/deployments/${d.id}/statuses`, { state: failed ? 'failure' : 'success', auto_inactive: true });
  }
  await ecs.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: arn, desiredCount: 1 }));
  return { cluster, service: name };
}

async function measure(fn: () => Promise<unknown>): Promise<{ ms: number; ecsCalls: number; githubRequests: number }> {
  const ms: number[] = [];
  let ecsCalls = 0;
  let githubRequests = 0;
  for (let i = 0; i < RUNS; i++) {
    const c0 = calls.length;
    const g0 = github.requests.length;
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
    ecsCalls = calls.length - c0;
    githubRequests = github.requests.length - g0;
  }
  return { ms: median(ms), ecsCalls, githubRequests };
}

const near = await history('near', 0);
const far = await history('far', 19);
const baseline = await measure(async () => {
  const s = await ecs.send(new DescribeServicesCommand({ cluster: near.cluster, services: [near.service] }));
  await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.services![0]!.taskDefinition!, include: ['TAGS'] }));
});
const pick = (s: { cluster: string; service: string }, withToken: boolean) => () =>
  pickRollbackTarget(
    {
      ...s,
      to: { kind: 'previous' },
      toText: 'previous',
      github: withToken ? { token: TOKEN, apiUrl: github.url, repository: REPOSITORY, environment: s.service } : undefined,
    },
    { ecs, logger: silentLogger },
  );

const rows: (string | number)[][] = [
  ['baseline: DescribeServices + DescribeTaskDefinition', `${baseline.ms.toFixed(1)} ms`, '1.00x', baseline.ecsCalls, 0, ''],
];
for (const [label, s, back, withToken] of [
  ['GitHub deployments, known-good 1 back', near, 1, true],
  ['GitHub deployments, known-good 20 back', far, 20, true],
  ['ECS tags, known-good 1 back', near, 1, false],
  ['ECS tags, known-good 20 back', far, 20, false],
] as const) {
  const m = await measure(pick(s, withToken));
  // Lazily read: GitHub one page + statuses of the releases up to the answer (current included);
  // ECS one list page + the revisions up to the answer, in batches of 5.
  const bound = withToken ? m.githubRequests <= back + 2 : m.ecsCalls <= 3 + Math.ceil((back + 1) / 5) * 5;
  rows.push([
    label,
    `${m.ms.toFixed(1)} ms`,
    `${(m.ms / baseline.ms).toFixed(2)}x`,
    m.ecsCalls,
    m.githubRequests,
    verdict(bound, `reads ∝ ${back} back, not ${HISTORY}`),
  ]);
}
console.log(`history of ${HISTORY} releases per service, ${RUNS} runs each, medians`);
printTable(['to: previous', 'time', 'ratio', 'ECS calls', 'GitHub requests', 'target'], rows);

ecs.destroy();
await github.stop();
await local.stop();
