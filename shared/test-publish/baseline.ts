import type { BaselineComparison } from '../test-tier/baseline.js';

/**
 * The comparison with the base branch (test-tier/baseline.ts) as the check run and the comment
 * say it: one line of counts, and new failures marked.
 */

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/** One line for the comment and the check run: "Since the base branch: 2 new failures, …". */
export function describeComparison(c: BaselineComparison): string {
  const parts = [plural(c.newFailures.size, 'new failure'), `${c.stillFailing} failing there too`];
  if (!c.partial) parts.push(`${c.noLongerFailing.length} no longer failing`);
  if (c.newlyFlaky.length > 0) parts.push(`${c.newlyFlaky.length} newly flaky`);
  const removed = c.removed.reduce((n, r) => n + r.before - r.now, 0);
  if (removed > 0) parts.push(`${plural(removed, 'test')} removed`);
  if (c.slower.length > 0) parts.push(`${plural(c.slower.length, 'test file')} much slower`);
  return `Since the base branch: ${parts.join(', ')}.`;
}

/** Whether a failure is new since the base branch; undefined without a comparison. */
export function isNewFailure(c: BaselineComparison | undefined): ((title: string) => boolean) | undefined {
  return c ? (title) => c.newFailures.has(title) : undefined;
}
