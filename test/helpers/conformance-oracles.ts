/**
 * Vitest global set-up: installs the pinned oracles the conformance layer judges the stand-ins by
 * (local/conformance/oracles.ts), once per run, before any test file. A missing oracle fails the
 * run; nothing is skipped. It also starts the run's count of exchanges checked afresh
 * (.tmp/conformance/counts.jsonl, one line per test file, written by conformance.ts), so the file
 * holds this run's counts only, and prints their totals per service when the run ends.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureOracles } from '../../local/conformance/oracles.js';

const COUNTS = path.resolve('.tmp', 'conformance', 'counts.jsonl');

/** Each vitest project runs the global set-up: the count is started and told once per run. */
const once = globalThis as { ctpConformanceCount?: boolean };

export default function setup(): () => void {
  ensureOracles();
  const first = !once.ctpConformanceCount;
  once.ctpConformanceCount = true;
  if (first) rmSync(COUNTS, { force: true });
  return () => {
    if (!first || !existsSync(COUNTS)) return;
    const totals: Record<string, number> = {};
    const lines = readFileSync(COUNTS, 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      for (const [service, n] of Object.entries((JSON.parse(line) as { counts: Record<string, number> }).counts)) totals[service] = (totals[service] ?? 0) + n;
    }
    const all = Object.values(totals).reduce((a, b) => a + b, 0);
    const each = Object.entries(totals)
      .sort((a, b) => b[1] - a[1])
      .map(([service, n]) => `${service} ${n}`)
      .join(', ');
    console.log(`conformance: ${all} exchanges checked against the published models in ${lines.length} files (${each})`);
  };
}
