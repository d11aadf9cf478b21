import type { ParsedTestCase, TestProblem } from './junit-parser.js';

/**
 * The running totals of a tier's reports, fed one test case at a time as the parser streams.
 * It keeps counts for every test but details only where a person will read them: failures and
 * flaky tests (up to a cap, each with a truncated trace) and the slowest ten. A 100,000-test
 * report therefore costs the memory of a few hundred records, not of the document.
 *
 * Every `<testcase>` is one test: same-named cases are parameterised tests, `describe` blocks
 * or other files far more often than retries, and folding them would hide a failure. A test is
 * flaky when the tool says so itself (Surefire's `flakyFailure`, Android's `flaky="true"`);
 * tools that write each attempt as its own element are folded first, on request, by
 * retry-folding.ts.
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

  /** Counts one test. Every `<testcase>` is its own test here; retries are folded, when asked,
   * before this (retry-folding.ts). */
  add(test: ParsedTestCase): void {
    this.testSeconds += test.time;
    this.counts.total++;
    switch (test.outcome) {
      case 'skipped':
        this.counts.skipped++;
        break;
      case 'passed':
        this.counts.passed++;
        if (test.flakyAttempts.length > 0 || test.markedFlaky) {
          this.counts.flaky++;
          const first = test.flakyAttempts[0];
          this.keepFlaky({
            suite: test.suite,
            classname: test.classname,
            name: test.name,
            // flaky="true" without a failure element says it failed at least once, not how often.
            failedAttempts: Math.max(1, test.flakyAttempts.length),
            message: first?.message ?? '',
            details: first?.details ?? '',
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
        if (this.failures.length < this.maxKept) {
          this.failures.push({
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
          });
        }
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
