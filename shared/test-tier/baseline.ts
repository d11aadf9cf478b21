import type { TierReport } from './report.js';

/**
 * What changed since the base branch, from its report of the same tier (`baseline-report`: the
 * `report` of its last run, e.g. the merged report a sharded tier caches on the default branch):
 * new failures, failures that fail there too (marked; they still fail the tier), tests no longer
 * failing, newly flaky tests, removed tests, test files that got much slower, and how close the
 * tier is to its budget against how close it was. Tests are matched by title (class and name);
 * only the failures and flaky tests a report keeps (up to 1,000 each) are compared; removed and
 * slower are per test file (`fileTests`, `files`), which reports older than these fields lack.
 *
 * A shard sees only its own files: it compares what it can tell from them (new, failing there
 * too, newly flaky, slower) and leaves fixed and removed tests to the merge step, which sees the
 * whole tier.
 */

/** A test file this much slower, and by at least SLOWER_MIN_SECONDS, got "much slower". */
export const SLOWER_RATIO = 1.5;
export const SLOWER_MIN_SECONDS = 1;
/** At this share of its budget a tier is close to it. */
export const CLOSE_TO_BUDGET = 0.8;

export type BaselineReport = Pick<TierReport, 'failures'> &
  Partial<Pick<TierReport, 'flaky' | 'files' | 'fileTests' | 'counts' | 'durationSeconds' | 'budgetSeconds'>>;

export interface FileChange {
  file: string;
  before: number;
  now: number;
}

export interface BaselineComparison {
  /** Titles failing now and not on the base branch. */
  newFailures: ReadonlySet<string>;
  /** Titles failing now and on the base branch too. */
  failingThereToo: ReadonlySet<string>;
  stillFailing: number;
  /** Titles failing on the base branch and not now, their test file still there: fixed (or renamed). */
  noLongerFailing: string[];
  /** Titles flaky now and neither flaky nor failing on the base branch. */
  newlyFlaky: string[];
  /** Test files with fewer tests than on the base branch (`now` 0: the file is gone). */
  removed: FileChange[];
  /** Test files that took much longer than on the base branch, slowest change first. */
  slower: FileChange[];
  budget?: { seconds: number; budgetSeconds: number; share: number; beforeSeconds?: number; beforeShare?: number; close: boolean };
  /** Only this shard's files were compared (fixed and removed tests are the merge's to say). */
  partial: boolean;
}

type Compared = Pick<TierReport, 'failures' | 'flaky' | 'files' | 'durationSeconds' | 'budgetSeconds'> & Partial<Pick<TierReport, 'fileTests' | 'shard'>>;

export function compareWithBaseline(report: Compared, baseline: BaselineReport): BaselineComparison {
  const partial = report.shard !== undefined;
  const before = new Set(baseline.failures.map((f) => f.title));
  const now = new Set(report.failures.map((f) => f.title));
  const newFailures = new Set([...now].filter((t) => !before.has(t)));
  const failingThereToo = new Set([...now].filter((t) => before.has(t)));

  const nowFiles = report.fileTests ?? {};
  const beforeFiles = baseline.fileTests ?? {};
  const removed: FileChange[] = partial
    ? []
    : Object.entries(beforeFiles)
        .filter(([file, count]) => (nowFiles[file] ?? 0) < count)
        .map(([file, count]) => ({ file, before: count, now: nowFiles[file] ?? 0 }))
        .sort((a, b) => b.before - b.now - (a.before - a.now) || (a.file < b.file ? -1 : 1));
  const goneFiles = new Set(removed.filter((r) => r.now === 0).map((r) => r.file));
  // A failure whose test file is gone was removed, not fixed.
  const noLongerFailing = partial
    ? []
    : baseline.failures.filter((f) => !now.has(f.title) && !(f.location && goneFiles.has(f.location.file))).map((f) => f.title);

  const wobbled = new Set([...(baseline.flaky ?? []).map((f) => f.title), ...before]);
  const newlyFlaky = report.flaky.map((f) => f.title).filter((t) => !wobbled.has(t));

  const beforeSeconds = baseline.files ?? {};
  const slower = Object.entries(report.files ?? {})
    .flatMap(([file, seconds]) => {
      const was = beforeSeconds[file];
      return was !== undefined && seconds >= was * SLOWER_RATIO && seconds - was >= SLOWER_MIN_SECONDS ? [{ file, before: was, now: seconds }] : [];
    })
    .sort((a, b) => b.now - b.before - (a.now - a.before) || (a.file < b.file ? -1 : 1));

  const budgetSeconds = report.budgetSeconds;
  const budget =
    budgetSeconds && budgetSeconds > 0
      ? {
          seconds: report.durationSeconds,
          budgetSeconds,
          share: report.durationSeconds / budgetSeconds,
          ...(baseline.durationSeconds !== undefined ? { beforeSeconds: baseline.durationSeconds, beforeShare: baseline.durationSeconds / budgetSeconds } : {}),
          close: report.durationSeconds / budgetSeconds >= CLOSE_TO_BUDGET,
        }
      : undefined;

  return {
    newFailures,
    failingThereToo,
    stillFailing: failingThereToo.size,
    noLongerFailing,
    newlyFlaky,
    removed,
    slower,
    ...(budget ? { budget } : {}),
    partial,
  };
}
