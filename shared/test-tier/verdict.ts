import { formatDuration } from '../core/duration.js';
import type { TestCounts } from '../test-report/results.js';

/**
 * A test tier's verdict: the command's exit code, the parsed failures, the time budget and
 * whether any report was found all count, and each reason is a sentence a person can act on.
 * The talk's commit stage (unit tests) must stay under five minutes; the slower tiers have no
 * budget unless one is given.
 */

export const STANDARD_TIERS = ['unit', 'integration', 'functional', 'acceptance'] as const;
export const TIER_NAME = /^[a-z0-9][a-z0-9._-]{0,39}$/;

export const UNIT_BUDGET_MS = 5 * 60_000;

export function defaultBudgetMs(tier: string): number | undefined {
  return tier === 'unit' ? UNIT_BUDGET_MS : undefined;
}

export interface BudgetCheck {
  budgetMs?: number;
  elapsedMs: number;
  exceeded: boolean;
  /** How far over the budget, 0 when within it. */
  overByMs: number;
}

export function checkBudget(elapsedMs: number, budgetMs: number | undefined): BudgetCheck {
  const overByMs = budgetMs === undefined ? 0 : Math.max(0, elapsedMs - budgetMs);
  return { ...(budgetMs !== undefined ? { budgetMs } : {}), elapsedMs, exceeded: overByMs > 0, overByMs };
}

/** "3m12s of 5m (64%)", or just the duration when there is no budget. */
export function describeBudget(check: BudgetCheck): string {
  if (check.budgetMs === undefined) return `${formatDuration(check.elapsedMs)} (no budget)`;
  const percent = check.budgetMs > 0 ? Math.round((check.elapsedMs / check.budgetMs) * 100) : 100;
  const over = check.exceeded ? `, ${formatDuration(check.overByMs)} over` : '';
  return `${formatDuration(check.elapsedMs)} of ${formatDuration(check.budgetMs)} (${percent}%${over})`;
}

export interface VerdictInput {
  tier: string;
  exitCode: number;
  /** The command was stopped by cancellation. */
  cancelled: boolean;
  /** The command was stopped when its budget ran out: the budget as given (`5m`). */
  stoppedAtBudget?: string;
  counts: TestCounts;
  budget: BudgetCheck;
  onBudgetExceeded: 'fail' | 'warn';
  reportsFound: number;
  failOnEmpty: boolean;
  /** Reports that could not be read in full, with why. */
  malformed: readonly string[];
  /** Files that matched `reports` but are not JUnit reports (a wrong root element), with why. */
  reportWarnings?: readonly string[];
  /** Further reasons to fail, each a sentence (a merge's failed or missing shards). */
  otherFailures?: readonly string[];
  /** Further warnings, each a sentence. */
  otherWarnings?: readonly string[];
}

export interface Verdict {
  passed: boolean;
  /** Why the tier failed, one sentence each. */
  failures: string[];
  /** What went wrong without failing the tier. */
  warnings: string[];
  /** One line for the log and the summary heading. */
  headline: string;
}

export function decideVerdict(input: VerdictInput): Verdict {
  const { tier, counts, budget } = input;
  const failures: string[] = [];
  const warnings: string[] = [];
  const stopped = input.cancelled || input.stoppedAtBudget !== undefined;
  if (input.cancelled) failures.push(`The ${tier} tests were cancelled; the counts are of the reports written before that.`);
  else if (input.stoppedAtBudget !== undefined)
    failures.push(
      `The ${tier} tests were stopped at the ${input.stoppedAtBudget} budget; the counts are of the reports written before that (see the slowest tests).`,
    );
  if (counts.failed > 0) failures.push(`${counts.failed} of ${counts.total} ${tier} test${counts.total === 1 ? '' : 's'} failed.`);
  // A stopped command's exit code is the signal's, and says nothing about the tests.
  if (input.exitCode !== 0 && !stopped) {
    failures.push(
      counts.failed > 0
        ? `The test command exited with code ${input.exitCode}.`
        : `The test command exited with code ${input.exitCode} although no report shows a failing test: look at the command's output above (a compile error, a crash, a test runner that stopped early).`,
    );
  }
  for (const problem of input.malformed) failures.push(problem);
  failures.push(...(input.otherFailures ?? []));
  warnings.push(...(input.reportWarnings ?? []), ...(input.otherWarnings ?? []));
  // A tier that ran nothing usually means a test filter or a report path that matches nothing.
  const empty =
    input.reportsFound === 0
      ? 'No JUnit report matched `reports`: check the globs and where the test tool writes its reports.'
      : counts.total === 0
        ? `The ${input.reportsFound} JUnit report${input.reportsFound === 1 ? '' : 's'} found hold${input.reportsFound === 1 ? 's' : ''} no test: check that the test command selects any.`
        : undefined;
  if (empty) (input.failOnEmpty && !stopped ? failures : warnings).push(empty);
  if (budget.exceeded && budget.budgetMs !== undefined && input.stoppedAtBudget === undefined) {
    const message = `The ${tier} tier took ${formatDuration(budget.elapsedMs)}, ${formatDuration(budget.overByMs)} over its budget of ${formatDuration(budget.budgetMs)}.`;
    (input.onBudgetExceeded === 'fail' ? failures : warnings).push(message);
  }
  const passed = failures.length === 0;
  const parts = [`${counts.passed} passed`, `${counts.failed} failed`, `${counts.skipped} skipped`];
  if (counts.flaky > 0) parts.push(`${counts.flaky} flaky`);
  const headline = `${tier}: ${passed ? 'passed' : 'failed'} — ${parts.join(', ')} in ${describeBudget(budget)}`;
  return { passed, failures, warnings, headline };
}
