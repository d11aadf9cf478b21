import type { ParsedTestCase, TestProblem } from './junit-parser.js';

/**
 * Folds retries written as separate `<testcase>` elements into one test, for the tools that
 * write each attempt as its own element (Gradle's test-retry plugin, pytest-rerunfailures with
 * some reporters, jest-circus retries). It is opt-in (`fold-retries`): by default a repeated
 * name is another test — `test.each` with one title, TestNG data providers, nested `describe`s
 * — and folding those would hide a failure behind a pass.
 *
 * Attempts are the same test only when they share classname, name and file **inside the same
 * `<testsuite>` element**; never across suites, files or reports. A folded test is passed and
 * flaky when any attempt passed and any failed, in either order; failed when every attempt
 * that ran failed. Each suite's tests are handed on when the suite closes, so memory is bounded
 * by the largest suite, not the report.
 */

interface Attempts {
  first: ParsedTestCase;
  count: number;
  time: number;
  passed: boolean;
  /** Every failed attempt's problem (retries are a handful, not thousands). */
  failures: TestProblem[];
  /** Failed attempts beyond the elements themselves (Surefire reruns inside one element). */
  extraFailedRuns: number;
  /** Earlier failures a passing attempt reported itself (flakyFailure, flaky="true"). */
  flakyAttempts: TestProblem[];
  markedFlaky: boolean;
  lastFailed?: ParsedTestCase;
}

export class RetryFolder {
  /** Open suites' tests by key, in first-seen order. */
  private readonly open = new Map<number, Map<string, Attempts>>();

  constructor(private readonly emit: (test: ParsedTestCase) => void) {}

  add(test: ParsedTestCase): void {
    let suite = this.open.get(test.suiteIndex);
    if (!suite) {
      suite = new Map();
      this.open.set(test.suiteIndex, suite);
    }
    const key = `${test.classname}\u0000${test.name}\u0000${test.file ?? ''}`;
    let attempts = suite.get(key);
    if (!attempts) {
      attempts = { first: test, count: 0, time: 0, passed: false, failures: [], extraFailedRuns: 0, flakyAttempts: [], markedFlaky: false };
      suite.set(key, attempts);
    }
    attempts.count++;
    attempts.time += test.time;
    if (test.flakyAttempts.length > 0) attempts.flakyAttempts.push(...test.flakyAttempts);
    attempts.markedFlaky ||= test.markedFlaky;
    if (test.outcome === 'passed') attempts.passed = true;
    else if (test.outcome === 'failed' || test.outcome === 'error') {
      attempts.failures.push(test.problem ?? { kind: 'failure', message: '', details: '' });
      attempts.extraFailedRuns += test.rerunAttempts;
      attempts.lastFailed = test;
    }
  }

  /** The suite element closed: its tests are complete. */
  endSuite(suiteIndex: number): void {
    const suite = this.open.get(suiteIndex);
    if (!suite) return;
    this.open.delete(suiteIndex);
    for (const attempts of suite.values()) this.emit(folded(attempts));
  }

  /** The report ended (or broke off): hand on whatever is still open. */
  end(): void {
    for (const index of [...this.open.keys()]) this.endSuite(index);
  }
}

function folded(a: Attempts): ParsedTestCase {
  if (a.count === 1) return a.first;
  const base = { ...a.first, time: a.time, markedFlaky: a.markedFlaky };
  if (a.failures.length > 0 && a.passed) {
    // Failed, then passed (or the other way round): flaky, and it counts as a pass.
    const { problem: _problem, skipMessage: _skipMessage, ...rest } = base;
    return { ...rest, outcome: 'passed', flakyAttempts: [...a.failures, ...a.flakyAttempts], rerunAttempts: 0 };
  }
  if (a.failures.length > 0) {
    const last = a.lastFailed!;
    return {
      ...base,
      outcome: last.outcome,
      problem: a.failures[0]!,
      flakyAttempts: [],
      rerunAttempts: a.failures.length - 1 + a.extraFailedRuns,
      ...(last.file !== undefined ? { file: last.file } : {}),
    };
  }
  if (a.passed) {
    const { problem: _problem, skipMessage: _skipMessage, ...rest } = base;
    return { ...rest, outcome: 'passed', flakyAttempts: a.flakyAttempts, rerunAttempts: 0 };
  }
  return { ...base, outcome: 'skipped', flakyAttempts: [], rerunAttempts: 0 };
}
