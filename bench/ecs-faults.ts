// ecs-rolling-deploy under injected API faults, N runs per release kind (healthy, crash-looping),
// each run with its own seed, through the bundle against the simulated emulator:
//   throttling (ThrottlingException) and 5xx on 20% of calls (10% each), dropped connections on
//   5% (half of them after the operation ran); and, as a harsher setting, 20% each.
// Prints runs, faults injected and outcomes, and whether any run reported an outcome that did not
// happen (target: none), beside the fault-free baseline of the same run.
//   BENCH_RUNS=N (default 5 per kind and setting)
import { faultedDeploy, type FaultedRun } from '../test/helpers/faulted-deploy.js';
import { withLocalEcs } from '../test/helpers/local-ecs.js';
import type { FaultOptions } from '../local/ecs/index.js';
import { median, printTable, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const settings: [string, Omit<FaultOptions, 'seed'>][] = [
  ['no faults (baseline)', {}],
  ['20% throttle+5xx, 5% drops', { throttleRate: 0.1, serverErrorRate: 0.1, dropRate: 0.05 }],
  ['20% throttle + 20% 5xx, 5% drops', { throttleRate: 0.2, serverErrorRate: 0.2, dropRate: 0.05 }],
];

const env = await withLocalEcs({ timeScale: 4, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
const rows: (string | number)[][] = [];
let untruthful = 0;
let missed = 0;
try {
  let seed = 1000;
  for (const [name, faults] of settings) {
    for (const kind of ['healthy', 'crash-looping'] as const) {
      const runs: FaultedRun[] = [];
      for (let i = 0; i < RUNS; i++) {
        const run = await faultedDeploy(env.local, env.ecs, kind, { ...faults, seed: seed++ });
        runs.push(run);
        if (!run.truthful) {
          untruthful++;
          console.error(`UNTRUTHFUL (${name}, ${kind}): ${run.detail}`);
        }
        if (run.status !== run.expected) {
          missed++;
          console.error(`unexpected outcome (${name}, ${kind}): ${run.status} — ${run.detail}\n${run.log.split('\n').slice(-15).join('\n')}`);
        }
      }
      const sum = (k: keyof FaultedRun['faults']) => runs.reduce((n, r) => n + r.faults[k], 0);
      const outcomes = new Map<string, number>();
      for (const r of runs) outcomes.set(r.status, (outcomes.get(r.status) ?? 0) + 1);
      rows.push([
        name,
        kind,
        runs.length,
        sum('calls'),
        sum('throttle'),
        sum('server-error'),
        sum('drop-before') + sum('drop-after'),
        [...outcomes].map(([s, n]) => `${s} ×${n}`).join(', '),
        runs.filter((r) => r.truthful).length,
        `${(median(runs.map((r) => r.durationMs)) / 1000).toFixed(1)} s`,
      ]);
    }
  }
} finally {
  await env.stop();
}
printTable(['faults', 'release', 'runs', 'API calls', 'throttled', '5xx', 'dropped', 'outcomes', 'truthful', 'median time'], rows);
console.log(verdict(untruthful === 0, `no run reported an outcome that did not happen (${untruthful} did)`));
console.log(verdict(missed === 0, `every healthy release succeeded and every crash-looping one was rolled back (${missed} did not)`));
