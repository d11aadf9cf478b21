// Cold start of every bundle: `node dist/<name>/index.js` with no inputs, until it exits on the
// missing input — pure load time — beside a bare `node -e 0` in the same run, interleaved so
// that machine noise hits both alike. Targets (../shared/PERFORMANCE.md): +50 ms over bare node
// for bundles without the AWS SDK, +80 ms for those with it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, node24, printTable, repoRoot, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const AWS_BUNDLES = new Set(['build-push-image', 'ecs-rolling-deploy', 'rollback']);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: mkdtempSync(path.join(tmpdir(), 'bench-home-')) };

function time(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(node24, args, { env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  return ms;
}

const dist = path.join(repoRoot, 'dist');
// BENCH_BASELINE_DIST: another build's dist/ (e.g. `git worktree add` of the previous commit),
// timed in the same interleaved runs, so a change is judged against what it replaces.
const baselineDist = process.env.BENCH_BASELINE_DIST ? path.resolve(process.env.BENCH_BASELINE_DIST) : undefined;
const bundles = readdirSync(dist)
  .filter((name) => existsSync(path.join(dist, name, 'index.js')))
  .sort();
const bare: number[] = [];
const times = new Map<string, number[]>(bundles.map((b) => [b, []]));
const baselineTimes = new Map<string, number[]>(bundles.map((b) => [b, []]));
time(['-e', '0']); // warm the binary into the page cache
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '0']));
  for (const b of bundles) {
    times.get(b)!.push(time([path.join(dist, b, 'index.js')]));
    if (baselineDist && existsSync(path.join(baselineDist, b, 'index.js'))) baselineTimes.get(b)!.push(time([path.join(baselineDist, b, 'index.js')]));
  }
}
const bareMedian = median(bare);
console.log(`runtime: ${spawnSync(node24, ['--version']).stdout.toString().trim()} (node24), ${RUNS} runs each, medians`);
const rows = bundles.map((b) => {
  const m = median(times.get(b)!);
  const over = m - bareMedian;
  const target = AWS_BUNDLES.has(b) ? 80 : 50;
  return [
    b,
    `${(statSync(path.join(dist, b, 'index.js')).size / 1024).toFixed(0)} kB`,
    `${m.toFixed(1)} ms`,
    `+${over.toFixed(1)} ms`,
    `${(m / bareMedian).toFixed(2)}x`,
    verdict(over <= target, `≤ +${target} ms`),
    ...(baselineDist ? [baselineCell(b, m)] : []),
  ];
});
rows.unshift(['bare node -e 0', '', `${bareMedian.toFixed(1)} ms`, '', '1.00x', '', ...(baselineDist ? [''] : [])]);
printTable(['bundle', 'size', 'cold start', 'over bare', 'ratio', 'target', ...(baselineDist ? [`baseline (${baselineDist})`] : [])], rows);

function baselineCell(bundle: string, ours: number): string {
  const runs = baselineTimes.get(bundle)!;
  if (runs.length === 0) return 'not in baseline';
  const theirs = median(runs);
  return `${theirs.toFixed(1)} ms (ours ${ours - theirs >= 0 ? '+' : ''}${(ours - theirs).toFixed(1)} ms)`;
}
