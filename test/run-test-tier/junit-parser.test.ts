import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedReportError, parseJUnitReport, type ParsedTestCase } from '../../shared/test-report/junit-parser.js';
import { locateFailure, WorkspaceFiles } from '../../shared/test-report/source-location.js';
import { TestResults } from '../../shared/test-report/results.js';
import { RetryFolder } from '../../shared/test-report/retry-folding.js';
import { fixtures, sampleWorkspace } from './sample-workspace.js';

async function parse(file: string, options: { foldRetries?: boolean } = {}): Promise<{ cases: ParsedTestCase[]; results: TestResults }> {
  const cases: ParsedTestCase[] = [];
  const results = new TestResults();
  const folder = options.foldRetries ? new RetryFolder((c) => results.add(c)) : undefined;
  try {
    await parseJUnitReport(
      file,
      (c) => {
        cases.push(c);
        if (folder) folder.add(c);
        else results.add(c);
      },
      folder ? { onSuiteEnd: (i) => folder.endSuite(i) } : {},
    );
  } finally {
    folder?.end();
  }
  return { cases, results };
}

function tempFile(name: string, content: string | Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ctp-junit-')), name);
  writeFileSync(file, content);
  return file;
}

// Each fixture is shaped as its tool writes it; the expectations are what a person reading the
// raw XML would count by the counting rule (every <testcase> one test; retries folded only on
// request, below).
describe('JUnit dialects', () => {
  const table = [
    {
      fixture: 'surefire.xml',
      counts: { passed: 3, failed: 2, skipped: 1, flaky: 2, total: 6 },
      located: ['src/test/java/com/acme/payments/CalculatorTest.java:27', 'src/test/java/com/acme/payments/CalculatorTest.java:52'],
    },
    {
      fixture: 'failsafe.xml',
      counts: { passed: 2, failed: 1, skipped: 0, flaky: 1, total: 3 },
      located: ['src/test/java/com/acme/payments/PaymentsApiIT.java:88'],
    },
    {
      // Gradle's test-retry attempts are separate tests unless fold-retries is set (below).
      fixture: 'gradle.xml',
      counts: { passed: 2, failed: 2, skipped: 1, flaky: 0, total: 5 },
      located: ['src/test/java/com/acme/payments/LedgerTest.java:19', 'src/test/java/com/acme/payments/LedgerTest.java:33'],
    },
    { fixture: 'pytest.xml', counts: { passed: 2, failed: 2, skipped: 1, flaky: 0, total: 5 }, located: ['tests/test_invoice.py:15', 'tests/conftest.py:5'] },
    { fixture: 'jest.xml', counts: { passed: 2, failed: 1, skipped: 1, flaky: 0, total: 4 }, located: ['web/src/cart.test.js:14'] },
    { fixture: 'vitest.xml', counts: { passed: 1, failed: 1, skipped: 1, flaky: 0, total: 3 }, located: ['src/price.test.ts:9'] },
    { fixture: 'go.xml', counts: { passed: 1, failed: 2, skipped: 1, flaky: 0, total: 4 }, located: ['ledger/ledger_test.go:21', 'ledger/ledger_test.go:52'] },
    { fixture: 'nested.xml', counts: { passed: 2, failed: 1, skipped: 0, flaky: 0, total: 3 }, located: ['shipping/rate_spec.rb:12'] },
  ];
  const workspace = sampleWorkspace([]);
  const files = new WorkspaceFiles(workspace);

  it.each(table)('$fixture: counts and failure locations', async ({ fixture, counts, located }) => {
    const { results } = await parse(path.join(fixtures, fixture));
    expect(results.counts).toEqual(counts);
    const where = results.failures.map((f) => locateFailure(f, workspace, workspace, files)).map((l) => (l ? `${l.file}:${l.line}` : 'nowhere'));
    expect(where).toEqual(located);
  });

  it('Surefire: rerunFailure after failure is one failed test with every attempt counted; flakyFailure/flakyError are flaky passes', async () => {
    const { cases, results } = await parse(path.join(fixtures, 'surefire.xml'));
    const divide = cases.find((c) => c.name === 'dividesByZero')!;
    expect(divide).toMatchObject({
      outcome: 'failed',
      rerunAttempts: 2,
      problem: { kind: 'failure', type: 'org.opentest4j.AssertionFailedError', message: 'expected: <Infinity> but was: <NaN>' },
    });
    expect(results.failures.find((f) => f.name === 'dividesByZero')!.attempts).toBe(3);
    expect(results.flaky.map((f) => [f.name, f.failedAttempts, f.message])).toEqual([
      ['roundsHalfEven', 1, 'expected: <2.5> but was: <2.4999>'],
      ['formatsAmount', 1, 'Timed out after 100 ms'],
    ]);
    // A rerun's trace comes from <stackTrace>, never from its <system-out>.
    expect(results.flaky[0]!.details).toContain('CalculatorTest.java:41');
    expect(results.flaky[0]!.details).not.toContain('warming rounding cache');
    expect(cases.find((c) => c.name === 'loadsRatesFromDatabase')!.outcome).toBe('error');
    expect(cases.find((c) => c.name === 'parsesCurrency')!.skipMessage).toBe('Disabled until EUR rounding lands');
  });

  it('a rerunFailure with no passing attempt and no <failure> of its own still fails', async () => {
    const file = tempFile(
      'TEST-x.xml',
      `<testsuite name="x"><testcase classname="a.B" name="c" time="1"><rerunFailure message="boom" type="E"><stackTrace>E: boom</stackTrace></rerunFailure></testcase></testsuite>`,
    );
    const { results } = await parse(file);
    expect(results.counts).toMatchObject({ failed: 1, passed: 0, flaky: 0 });
    expect(results.failures[0]).toMatchObject({ message: 'boom', details: 'E: boom' });
  });

  it('Gradle test-retry with fold-retries: a failed attempt followed by a passing one is flaky, not a failure', async () => {
    const { results } = await parse(path.join(fixtures, 'gradle.xml'), { foldRetries: true });
    expect(results.counts).toEqual({ passed: 2, failed: 1, skipped: 1, flaky: 1, total: 4 });
    expect(results.flaky.map((f) => [f.name, f.message])).toEqual([['closesPeriod()', 'java.lang.AssertionError: period still open']]);
    expect(results.failures.map((f) => f.name)).toEqual(['rejectsUnbalancedEntry()']);
  });

  it('jest-junit writes no message attribute: the first line of the trace is the message', async () => {
    const { results } = await parse(path.join(fixtures, 'jest.xml'));
    expect(results.failures[0]!.message).toBe('Error: expect(received).toBe(expected) // Object.is equality');
  });

  it('go-junit-report: the skip reason comes from the body', async () => {
    const { cases } = await parse(path.join(fixtures, 'go.xml'));
    expect(cases.find((c) => c.name === 'TestExport')!.skipMessage).toBe('Skipped: ledger_test.go:30: needs S3');
  });

  it('nested testsuites: each case belongs to its innermost suite', async () => {
    const { cases } = await parse(path.join(fixtures, 'nested.xml'));
    expect(cases.map((c) => c.suite)).toEqual(['billing.InvoiceSpec.Totals', 'billing.InvoiceSpec.Totals', 'shipping.RateSpec']);
  });

  it('keeps the ten slowest, slowest first', async () => {
    const results = new TestResults();
    for (const f of table.map((t) => t.fixture)) await parseJUnitReport(path.join(fixtures, f), (c) => results.add(c));
    expect(results.slowest).toHaveLength(10);
    expect(results.slowest[0]).toMatchObject({ name: 'refundsPayment', seconds: 2.011 });
    const times = results.slowest.map((t) => t.seconds);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe('the counting rule', () => {
  const report = (cases: string) => tempFile('TEST-rule.xml', `<testsuites>${cases}</testsuites>`);

  it('first match wins: flaky="true", then a not-run status, then failure, error, skipped, passed', async () => {
    const { results, cases } = await parse(
      report(
        `<testsuite name="s">` +
          `<testcase classname="c" name="marked flaky with a failure" flaky="true"><failure>boom</failure></testcase>` +
          `<testcase classname="c" name="disabled despite a failure" status="disabled"><failure>boom</failure></testcase>` +
          `<testcase classname="c" name="notrun" status="notrun"/>` +
          `<testcase classname="c" name="NotRun as .NET writes it" status="NotRun"/>` +
          `<testcase classname="c" name="ignored" status="ignored"/>` +
          `<testcase classname="c" name="status run, failed" status="run"><failure message="m"/></testcase>` +
          `<testcase classname="c" name="error"><error message="e"/></testcase>` +
          `<testcase classname="c" name="failure and skipped"><skipped/><failure message="f"/></testcase>` +
          `<testcase classname="c" name="skipped"><skipped/></testcase>` +
          `<testcase classname="c" name="passed"/>` +
          `</testsuite>`,
      ),
    );
    expect(cases.map((c) => c.outcome)).toEqual(['passed', 'skipped', 'skipped', 'skipped', 'skipped', 'failed', 'error', 'failed', 'skipped', 'passed']);
    expect(results.counts).toEqual({ passed: 2, failed: 3, skipped: 5, flaky: 1, total: 10 });
    expect(results.flaky[0]).toMatchObject({ name: 'marked flaky with a failure', message: 'boom', failedAttempts: 1 });
  });

  it('attribute counts are never trusted over the elements', async () => {
    const { results } = await parse(
      report(
        `<testsuite name="s" tests="40" failures="0" errors="0" skipped="0"><testcase classname="c" name="a"><failure message="x"/></testcase></testsuite>`,
      ),
    );
    expect(results.counts).toEqual({ passed: 0, failed: 1, skipped: 0, flaky: 0, total: 1 });
  });

  const sameName = `<testsuite name="src/a.test.ts"><testcase classname="" name="handles empty input"><failure>Error: boom</failure></testcase></testsuite><testsuite name="src/b.test.ts"><testcase classname="" name="handles empty input"/></testsuite>`;

  it('same-named cases in two suites are two tests, with or without fold-retries', async () => {
    for (const foldRetries of [false, true]) {
      const { results } = await parse(report(sameName), { foldRetries });
      expect(results.counts).toEqual({ passed: 1, failed: 1, skipped: 0, flaky: 0, total: 2 });
    }
  });

  it('two suite elements with the same name are still two suites: never folded across them', async () => {
    const twice = `<testsuite name="s"><testcase classname="c" name="t"><failure/></testcase></testsuite><testsuite name="s"><testcase classname="c" name="t"/></testsuite>`;
    const { results } = await parse(report(twice), { foldRetries: true });
    expect(results.counts).toMatchObject({ passed: 1, failed: 1, flaky: 0, total: 2 });
  });

  it('fold-retries: the same classname, name and file in one suite; pass-then-fail is flaky too; different files are not folded', async () => {
    const { results } = await parse(
      report(
        `<testsuite name="s">` +
          `<testcase classname="c" name="order" time="1"/><testcase classname="c" name="order" time="2"><failure message="later"/></testcase>` +
          `<testcase classname="c" name="always" file="a.py"><failure message="1st"/></testcase><testcase classname="c" name="always" file="a.py"><error message="2nd"/></testcase>` +
          `<testcase classname="c" name="other file" file="a.py"><failure/></testcase><testcase classname="c" name="other file" file="b.py"/>` +
          `<testsuite name="inner"><testcase classname="c" name="order"/></testsuite>` +
          `</testsuite>`,
      ),
      { foldRetries: true },
    );
    expect(results.counts).toEqual({ passed: 3, failed: 2, skipped: 0, flaky: 1, total: 5 });
    expect(results.flaky[0]).toMatchObject({ name: 'order', failedAttempts: 1, message: 'later', seconds: 3 });
    expect(results.failures.find((f) => f.name === 'always')).toMatchObject({ attempts: 2, message: '1st' });
  });
});

describe('malformed and unusual reports', () => {
  it('names the file, line and column of the error', async () => {
    const error = await parseJUnitReport(path.join(fixtures, 'malformed.xml'), () => {}, { displayName: 'reports/malformed.xml' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedReportError);
    expect(error).toMatchObject({ file: 'reports/malformed.xml', line: 5, column: 13 });
    expect((error as Error).message).toBe('Malformed JUnit XML in reports/malformed.xml at line 5, column 13: unexpected close tag.');
  });

  it('an empty file (a crashed test runner) is malformed, not silently empty', async () => {
    const error = await parseJUnitReport(tempFile('TEST-empty.xml', ''), () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedReportError);
    expect((error as Error).message).toMatch(/root element/);
  });

  it('a truncated file (a killed JVM) reports where it ends', async () => {
    const error = await parseJUnitReport(
      tempFile('TEST-cut.xml', '<testsuite name="a">\n<testcase name="b" classname="c">\n<failure message="m">at x'),
      () => {},
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedReportError);
    expect((error as MalformedReportError).line).toBe(3);
    expect((error as Error).message).toMatch(/at line 3, column \d+: the file ends inside <failure>: it is truncated/);
  });

  it('skips a byte-order mark and a non-JUnit root such as failsafe-summary.xml', async () => {
    const bom = await parse(
      tempFile(
        'TEST-bom.xml',
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<testsuite name="s"><testcase classname="a" name="b"/></testsuite>')]),
      ),
    );
    expect(bom.results.counts.total).toBe(1);
    const summary = await parseJUnitReport(path.join(fixtures, 'failsafe-summary.xml'), () => {});
    expect(summary).toEqual({ isJUnit: false, rootElement: 'failsafe-summary', testCases: 0 });
  });

  it('truncates huge failure text while it streams, and drops system-out entirely', async () => {
    const huge = 'x'.repeat(3_000_000);
    const file = tempFile(
      'TEST-big.xml',
      `<testsuite name="s"><testcase classname="a" name="b"><failure message="m">${huge}</failure><system-out>${huge}</system-out></testcase></testsuite>`,
    );
    const { results } = await parse(file);
    expect(results.failures[0]!.details.length).toBeLessThan(4_100);
    expect(results.failures[0]!.details).toMatch(/… \(truncated\)$/);
  });

  it('reads times written with a grouping separator by old Surefire versions', async () => {
    const { cases } = await parse(tempFile('TEST-t.xml', '<testsuite name="s"><testcase classname="a" name="b" time="1,234.5"/></testsuite>'));
    expect(cases[0]!.time).toBe(1234.5);
  });
});
