import type { TierReport } from '../test-tier/report.js';

/**
 * What changed since the base branch, when its report of the same tier is at hand (the
 * `report` output of its last run, downloaded as an artifact): which failures are new, which
 * were failing already, and which no longer fail. Tests are matched by title (class and name);
 * only the failures a report keeps (up to 1,000) are compared.
 */

export interface BaselineComparison {
  /** Titles failing now and not on the base branch. */
  newFailures: ReadonlySet<string>;
  stillFailing: number;
  /** Titles failing on the base branch and not now: fixed, renamed or removed. */
  noLongerFailing: string[];
}

export function compareWithBaseline(report: Pick<TierReport, 'failures'>, baseline: Pick<TierReport, 'failures'>): BaselineComparison {
  const before = new Set(baseline.failures.map((f) => f.title));
  const now = new Set(report.failures.map((f) => f.title));
  const newFailures = new Set([...now].filter((t) => !before.has(t)));
  return {
    newFailures,
    stillFailing: now.size - newFailures.size,
    noLongerFailing: [...before].filter((t) => !now.has(t)),
  };
}

/** One line for the comment and the check run: "Since the base branch: 2 new failures, …". */
export function describeComparison(c: BaselineComparison): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Since the base branch: ${plural(c.newFailures.size, 'new failure')}, ${c.stillFailing} failing there too, ${c.noLongerFailing.length} no longer failing.`;
}

/** Whether a failure is new since the base branch; undefined without a comparison. */
export function isNewFailure(c: BaselineComparison | undefined): ((title: string) => boolean) | undefined {
  return c ? (title) => c.newFailures.has(title) : undefined;
}
