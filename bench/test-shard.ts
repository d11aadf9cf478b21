// How well and how fast run-test-tier splits a suite (issue 18): a generated suite of 400 test
// files with skewed times (20 files take most of the time, as in real suites) split 4 ways. The
// quality is the slowest shard against an even split (total/4): by recorded timings (what
// `timings` gives), against the split by file count in the same run (what a runner without
// timings does). The speed is the split itself, and the whole selection the action runs before
// the command (glob the 400 files on disk, read a JSON report's timings, split); medians of RUNS.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../shared/core/logger.js';
import { selectShard } from '../shared/test-tier/shard-selection.js';
import { splitByCount, splitByTimings } from '../shared/test-tier/shard.js';
import { median, printTable, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const FILES = 400;
const SHARDS = 4;

// A fixed pseudo-random sequence: the same suite on every run.
let seed = 18;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const files = Array.from({ length: FILES }, (_, i) => `src/module${i % 23}/case${String(i).padStart(3, '0')}.test.ts`);
const timings = new Map(files.map((f, i) => [f, i % 20 === 7 ? 40 + random() * 80 : 0.2 + random() ** 3 * 6] as const));
const total = [...timings.values()].reduce((a, b) => a + b, 0);
const ideal = total / SHARDS;
const heavy = [...timings.values()].filter((s) => s >= 40);
const heavyShare = heavy.reduce((a, b) => a + b, 0) / total;

const slowest = (shards: string[][]) => Math.max(...shards.map((s) => s.reduce((sum, f) => sum + (timings.get(f) ?? 0), 0)));
const byTimings = splitByTimings(files, timings, SHARDS);
const byCount = splitByCount(files, SHARDS);
const timedSlowest = slowest(byTimings.shards.map((s) => s.files));
const countSlowest = slowest(byCount);

const splitMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = process.hrtime.bigint();
  splitByTimings(files, timings, SHARDS);
  splitMs.push(Number(process.hrtime.bigint() - t) / 1e6);
}

// The whole selection, as the action runs it on a checkout.
const workspace = mkdtempSync(path.join(tmpdir(), 'bench-shard-'));
for (const f of files) {
  mkdirSync(path.dirname(path.join(workspace, f)), { recursive: true });
  writeFileSync(path.join(workspace, f), '');
}
mkdirSync(path.join(workspace, 'timings'));
writeFileSync(path.join(workspace, 'timings/unit.json'), JSON.stringify({ files: Object.fromEntries(timings) }));
// @actions/glob writes its ::debug:: lines to stdout; the runner would hide them, so does this.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  String(chunk).startsWith('::debug::') ? true : write(chunk, ...rest)) as typeof process.stdout.write;
const selectMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = process.hrtime.bigint();
  await selectShard(
    { spec: { index: 1 + (i % SHARDS), total: SHARDS }, testFiles: ['src/**/*.test.ts'], timings: ['timings/*.json'], workspace, workingDirectory: workspace },
    silentLogger,
  );
  selectMs.push(Number(process.hrtime.bigint() - t) / 1e6);
}
rmSync(workspace, { recursive: true, force: true });

const over = (s: number) => `${((s / ideal - 1) * 100).toFixed(1)}%`;
console.log(
  `${FILES} files, ${total.toFixed(0)} s in all; ${heavy.length} files take ${(heavyShare * 100).toFixed(0)}% of it; ${SHARDS} shards, an even split ${ideal.toFixed(1)} s each.`,
);
printTable(
  ['split', 'slowest shard (s)', 'over an even split', 'wall time vs by count'],
  [
    ['by recorded timings', timedSlowest.toFixed(1), over(timedSlowest), `${((timedSlowest / countSlowest) * 100).toFixed(0)}%`],
    ['by file count (baseline)', countSlowest.toFixed(1), over(countSlowest), '100%'],
  ],
);
printTable(
  ['step', `median ms (${RUNS} runs)`, 'max ms'],
  [
    ['splitByTimings (400 files)', median(splitMs).toFixed(2), Math.max(...splitMs).toFixed(2)],
    ['selectShard: glob + read timings + split', median(selectMs).toFixed(1), Math.max(...selectMs).toFixed(1)],
  ],
);
console.log(verdict(timedSlowest <= ideal * 1.05, `slowest shard within 5% of an even split with timings (${over(timedSlowest)})`));
console.log(verdict(median(selectMs) < 100, `the split, with globbing and reading the timings, under 100 ms (${median(selectMs).toFixed(1)} ms)`));
