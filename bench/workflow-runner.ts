// What the local workflow runner adds on top of what a step itself costs: per `run:` step over a
// bare `bash --noprofile --norc -eo pipefail` of the same script, per action step over a bare
// runBundle() of the same bundle, the fixed cost of a run (parse, validate, set up), and
// actions/checkout into the job's own workspace over a bare git init + fetch + checkout of the
// same commit — medians of several runs, against baselines measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundle } from '../local/runner/run-bundle.js';
import { runWorkflow } from '../local/workflow-runner/run-workflow.js';
import { median, printTable, repoRoot, verdict } from './_lib.js';

const RUNS = 7;
const STEPS = 10;
const probeRoot = path.join(repoRoot, 'test/fixtures/runner-root');
const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bench-wf-'));

function workflow(name: string, steps: string[]): string {
  const file = path.join(dir, `${name}.yml`);
  writeFileSync(file, ['on: push', 'jobs:', '  j:', '    runs-on: ubuntu-latest', '    steps:', ...steps, ''].join('\n'));
  return file;
}
const runStep = '      - run: echo "value=$((6 * 7))" >> "$GITHUB_OUTPUT"';
const actionStep = '      - uses: acme/commit-to-prod/actions/probe@v1\n        with:\n          greeting: hi';
const oneRun = workflow('one-run', [runStep]);
const checkoutStep = '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false';
const withCheckout = workflow('with-checkout', [checkoutStep, runStep]);
const manyRuns = workflow(
  'many-runs',
  Array.from({ length: STEPS }, () => runStep),
);
const manyActions = workflow(
  'many-actions',
  Array.from({ length: STEPS }, () => actionStep),
);

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function medianOf(fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  await fn(); // warm-up: module loading and the OS's caches
  for (let i = 0; i < RUNS; i++) samples.push(await time(fn));
  return median(samples);
}

const script = path.join(dir, 'step.sh');
writeFileSync(script, 'echo "value=$((6 * 7))" >> "$GITHUB_OUTPUT"\n');
const bareBash = await medianOf(() =>
  spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env: { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: path.join(dir, 'out') } }),
);
const bareAction = await medianOf(() => runBundle('probe', { root: probeRoot, inputs: { greeting: 'hi' }, workspace: dir }));
const workspace = dir;
// The run's repository: this directory, committed, so checkout has a commit to clone.
const git = (cwd: string, ...args: string[]) =>
  spawnSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@localhost', '-c', 'commit.gpgsign=false', '-c', 'advice.detachedHead=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).stdout.trim();
git(dir, 'init', '-q', '-b', 'main');
git(dir, 'add', '-A');
git(dir, 'commit', '-q', '-m', 'bench');
const sha = git(dir, 'rev-parse', 'HEAD');
const bareCheckout = await medianOf(() => {
  const target = mkdtempSync(path.join(tmpdir(), 'ctp-bench-clone-'));
  git(target, 'init', '-q');
  git(target, 'remote', 'add', 'origin', dir);
  git(target, 'fetch', '-q', '--no-tags', 'origin', sha);
  git(target, 'checkout', '-q', '--detach', 'FETCH_HEAD');
  rmSync(target, { recursive: true, force: true });
});
const withCheckoutMs = await medianOf(() => runWorkflow(withCheckout, { workspace, root: probeRoot, github: { sha } }));
const oneRunMs = await medianOf(() => runWorkflow(oneRun, { workspace, root: probeRoot, github: { sha } }));
const manyRunsMs = await medianOf(() => runWorkflow(manyRuns, { workspace, root: probeRoot }));
const manyActionsMs = await medianOf(() => runWorkflow(manyActions, { workspace, root: probeRoot }));
rmSync(dir, { recursive: true, force: true });

const perRunStep = (manyRunsMs - oneRunMs) / (STEPS - 1);
const perActionStep = (manyActionsMs - oneRunMs) / STEPS + bareBash / STEPS;
const fixed = oneRunMs - perRunStep;
const f = (ms: number) => `${ms.toFixed(1)} ms`;
const plus = (ms: number) => `${ms >= 0 ? '+' : '−'}${f(Math.abs(ms))}`;
console.log(`${RUNS} runs each, medians; ${STEPS} steps per workflow`);
printTable(
  ['what', 'baseline', 'through the workflow runner', 'added', 'target'],
  [
    ['run: step', `${f(bareBash)} (bare bash)`, f(perRunStep), plus(perRunStep - bareBash), verdict(perRunStep - bareBash <= 20, '≤ +20 ms')],
    [
      'action step (probe, main + post)',
      `${f(bareAction)} (runBundle)`,
      f(perActionStep),
      plus(perActionStep - bareAction),
      verdict(perActionStep - bareAction <= 20, '≤ +20 ms'),
    ],
    ['a run: parse, validate, set up', '–', f(fixed), plus(fixed), verdict(fixed <= 150, '≤ 150 ms')],
    [
      'actions/checkout into the job workspace',
      `${f(bareCheckout)} (bare git)`,
      f(withCheckoutMs - oneRunMs),
      plus(withCheckoutMs - oneRunMs - bareCheckout),
      verdict(withCheckoutMs - oneRunMs - bareCheckout <= 30, '≤ +30 ms'),
    ],
  ],
);
