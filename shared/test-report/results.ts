import type { ParsedTestCase, TestProblem } from './junit-parser.js';

/**
 * The running totals of a tier's reports, fed one test case at a time as the parser streams.
 * It keeps counts for every test but details only where a person will read them: failures and
 * flaky tests (up to a cap, each with a truncated trace) and the slowest ten. A 100,000-test
 * report therefore costs the memory of a few hundred records, not of the document.
 *
 * Retries are folded together: a test that failed and then passed is flaky, whether the tool
 * says so itself (Surefire's `flakyFailure`) or writes each attempt as its own `<testcase>`
 * (Gradle's test-retry plugin, jest-circus retries).
 */

export interface TestCounts {
  /** Passed tests, flaky ones included. */
  passed: number;
  /** Failed or errored tests. */
  failed: number;
  skipped: number;
  /** Tests that failed and then passed on a rerun. */
  flaky: number;
  total: number;
}

export interface FailedTest {
  suite: string;
  classname: string;
  name: string;
  kind: TestProblem['kind'];
  type?: string;
  message: string;
  details: string;
  /** How many times it ran and failed (1 without reruns). */
  attempts: number;
  seconds: number;
  file?: string;
  line?: number;
  reportFile: string;
}

export interface FlakyTest {
  suite: string;
  classname: string;
  name: string;
  /** Failed attempts before the one that passed. */
  failedAttempts: number;
  /** The first failed attempt's message. */
  message: string;
  details: string;
  seconds: number;
  reportFile: string;
}

export interface TimedTest {
  classname: string;
  name: string;
  seconds: number;
  outcome: ParsedTestCase['outcome'] | 'flaky';
}

export interface ReportFileResult {
  file: string;
  tests: number;
  /** Why the file did not count in full: malformed, or not a JUnit report. */
  problem?: string;
}

export interface TestResultsOptions {
  /** Failures and flaky tests kept with details (default 1,000 each); the rest are only counted. */
  maxKept?: number;
  /** How many of the slowest tests are kept (default 10). */
  slowest?: number;
}

export function testTitle(test: { classname: string; name: string }): string {
  if (!test.classname || test.name.startsWith(test.classname)) return test.name || test.classname;
  return `${test.classname} › ${test.name}`;
}

export class TestResults {
  readonly counts: TestCounts = { passed: 0, failed: 0, skipped: 0, flaky: 0, total: 0 };
  readonly failures: FailedTest[] = [];
  readonly flaky: FlakyTest[] = [];
  readonly reports: ReportFileResult[] = [];
  /** Sum of the tests' own times, in seconds. */
  testSeconds = 0;
  private readonly maxKept: number;
  private readonly slowestCount: number;
  private readonly slow: TimedTest[] = [];
  /** Every failed test's key, kept or not, so a later passing attempt turns it flaky. */
  private readonly failedKeys = new Map<string, FailedTest | null>();

  constructor(options: TestResultsOptions = {}) {
    this.maxKept = options.maxKept ?? 1_000;
    this.slowestCount = options.slowest ?? 10;
  }

  get failuresOmitted(): number {
    return this.counts.failed - this.failures.length;
  }

  get flakyOmitted(): number {
    return this.counts.flaky - this.flaky.length;
  }

  /** The slowest tests, slowest first. */
  get slowest(): readonly TimedTest[] {
    return this.slow;
  }

  add(test: ParsedTestCase): void {
    this.testSeconds += test.time;
    const key = `${test.reportFile}\u0000${test.classname}\u0000${test.name}`;
    const earlier = this.failedKeys.get(key);
    const failed = test.outcome === 'failed' || test.outcome === 'error';

    if (earlier !== undefined) {
      // Another attempt of a test that already failed: a retry, not another test.
      if (failed) {
        if (earlier) earlier.attempts++;
        this.noteTime(test, test.outcome);
        return;
      }
      if (test.outcome === 'passed') {
        this.failedKeys.delete(key);
        this.counts.failed--;
        this.counts.passed++;
        this.counts.flaky++;
        const attempts = earlier?.attempts ?? 1;
        if (earlier) this.failures.splice(this.failures.indexOf(earlier), 1);
        this.keepFlaky({
          suite: test.suite,
          classname: test.classname,
          name: test.name,
          failedAttempts: attempts,
          message: earlier?.message ?? '',
          details: earlier?.details ?? '',
          seconds: test.time,
          reportFile: test.reportFile,
        });
        this.noteTime(test, 'flaky');
        return;
      }
    }

    this.counts.total++;
    switch (test.outcome) {
      case 'skipped':
        this.counts.skipped++;
        break;
      case 'passed':
        this.counts.passed++;
        if (test.flakyAttempts.length > 0) {
          this.counts.flaky++;
          const first = test.flakyAttempts[0]!;
          this.keepFlaky({
            suite: test.suite,
            classname: test.classname,
            name: test.name,
            failedAttempts: test.flakyAttempts.length,
            message: first.message,
            details: first.details,
            seconds: test.time,
            reportFile: test.reportFile,
          });
          this.noteTime(test, 'flaky');
          return;
        }
        break;
      case 'failed':
      case 'error': {
        this.counts.failed++;
        const problem = test.problem ?? { kind: 'failure' as const, message: '', details: '' };
        let record: FailedTest | null = null;
        if (this.failures.length < this.maxKept) {
          record = {
            suite: test.suite,
            classname: test.classname,
            name: test.name,
            kind: problem.kind,
            ...(problem.type ? { type: problem.type } : {}),
            message: problem.message,
            details: problem.details,
            attempts: 1 + test.rerunAttempts,
            seconds: test.time,
            ...(test.file !== undefined ? { file: test.file } : {}),
            ...(test.line !== undefined ? { line: test.line } : {}),
            reportFile: test.reportFile,
          };
          this.failures.push(record);
        }
        this.failedKeys.set(key, record);
        break;
      }
    }
    this.noteTime(test, test.outcome);
  }

  addReport(result: ReportFileResult): void {
    this.reports.push(result);
  }

  private keepFlaky(test: FlakyTest): void {
    if (this.flaky.length < this.maxKept) this.flaky.push(test);
  }

  private noteTime(test: ParsedTestCase, outcome: TimedTest['outcome']): void {
    const slow = this.slow;
    if (slow.length === this.slowestCount && test.time <= slow[slow.length - 1]!.seconds) return;
    let at = slow.findIndex((t) => test.time > t.seconds);
    if (at === -1) at = slow.length;
    slow.splice(at, 0, { classname: test.classname, name: test.name, seconds: test.time, outcome });
    if (slow.length > this.slowestCount) slow.pop();
  }
}
