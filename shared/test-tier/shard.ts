import { readFile } from 'node:fs/promises';
import { parseJUnitReport } from '../test-report/junit-parser.js';
import { FileTimings, TestFileIndex } from './file-timings.js';

/**
 * Splits a suite's test files over N shards by their recorded times (issue 18): greedy LPT —
 * longest file first onto the least-loaded shard, ties broken by path (then by shard index),
 * files without a timing get the median of the known ones (DEFAULT_FILE_SECONDS when nothing is
 * known). Input order does not matter: files are sorted first, so every runner computes the same
 * split from the same files and timings.
 */

/** Seconds assumed per file when no timing is known at all. */
export const DEFAULT_FILE_SECONDS = 1;

export interface Shard {
  files: string[];
  /** Expected seconds (known times plus the assumed ones). */
  expectedSeconds: number;
}

export interface Split {
  shards: Shard[];
  /** Seconds assumed for a file without a timing. */
  assumedSeconds: number;
  untimed: string[];
}

function median(values: number[]): number {
  if (values.length === 0) return DEFAULT_FILE_SECONDS;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const at = (i: number) => sorted[i] ?? DEFAULT_FILE_SECONDS;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function splitByTimings(files: readonly string[], timings: ReadonlyMap<string, number>, total: number): Split {
  const unique = [...new Set(files)].sort(byPath);
  const known = unique.filter((f) => timings.has(f)).map((f) => timings.get(f) as number);
  const assumedSeconds = median(known);
  const untimed = unique.filter((f) => !timings.has(f));
  const weighted = unique.map((file) => ({ file, seconds: timings.get(file) ?? assumedSeconds }));
  weighted.sort((a, b) => b.seconds - a.seconds || byPath(a.file, b.file));
  const shards: Shard[] = Array.from({ length: total }, () => ({ files: [], expectedSeconds: 0 }));
  for (const { file, seconds } of weighted) {
    let best = shards[0] as Shard;
    for (const shard of shards) if (shard.expectedSeconds < best.expectedSeconds) best = shard;
    best.files.push(file);
    best.expectedSeconds += seconds;
  }
  for (const shard of shards) shard.files.sort(byPath);
  return { shards, assumedSeconds, untimed };
}

/** The split by file count (round-robin over sorted paths): the baseline the benchmark compares with. */
export function splitByCount(files: readonly string[], total: number): string[][] {
  const shards: string[][] = Array.from({ length: total }, () => []);
  [...new Set(files)].sort(byPath).forEach((file, i) => {
    shards[i % total]?.push(file);
  });
  return shards;
}

/**
 * Seconds per test file from earlier runs: our JSON tier reports (`files`: path → seconds) and
 * JUnit XML (file-timings.ts says which file a case belongs to). The JUnit files count as one run,
 * so a file whose cases are spread over several XML files gets their sum; a JSON report is a
 * whole run's record, so when several time the same file the last read (in sorted path order)
 * wins over the XML and over the reports before it: a file is timed by one run, never by the sum
 * of two runs of it. Keys are relative to the workspace; `base` is where the earlier tests ran.
 */
export async function readTimings(reports: readonly string[], testFiles: readonly string[], workspace: string, base = workspace): Promise<Map<string, number>> {
  const index = new TestFileIndex(testFiles);
  const fromJUnit = new FileTimings(index, workspace, base);
  const fromJson = new Map<string, number>();
  for (const report of [...reports].sort(byPath)) {
    const text = await readFile(report, 'utf8');
    if (text.trimStart().startsWith('{')) {
      const json = JSON.parse(text) as { files?: Record<string, number> };
      for (const [key, seconds] of Object.entries(json.files ?? {}))
        if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) fromJson.set(index.find(key) ?? key, seconds);
      continue;
    }
    await parseJUnitReport(report, (testCase) => fromJUnit.add(testCase));
  }
  return new Map([...fromJUnit.toMap(), ...fromJson]);
}

/** Surefire `-Dtest` class names for Java/Kotlin test files (`src/test/java/a/B.java` → `a.B`). */
export function surefireClasses(files: readonly string[]): string[] {
  return files
    .filter((f) => /\.(java|kt)$/.test(f))
    .map((f) =>
      f
        .replace(/^.*?src\/test\/(java|kotlin)\//, '')
        .replace(/\.(java|kt)$/, '')
        .split('/')
        .join('.'),
    );
}
