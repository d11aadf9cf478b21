import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import type { TierReport } from '../../shared/test-tier/report.js';
import { ageFixtures, sampleWorkspace } from './sample-workspace.js';

/** The command a tier runs: copy the fixture reports to where the tool would write them. */
const copyReports = (exit = 0) => `mkdir -p build/test-results\ncp fixtures/*.xml build/test-results/\nexit ${exit}\n`;

/** Runs the bundle after dating the workspace's fixtures back, as a checkout's files would be. */
function runTier(options: Parameters<typeof runBundle>[1] & { workspace: string }) {
  ageFixtures(options.workspace);
  return runBundle('run-test-tier', options);
}

function readReport(result: { outputs: Record<string, string> }): TierReport {
  return JSON.parse(readFileSync(result.outputs.report!, 'utf8')) as TierReport;
}

describe('run-test-tier: dialects through the bundle', () => {
  const table = [
    {
      fixture: 'surefire.xml',
      outputs: { passed: '3', failed: '2', skipped: '1', flaky: '2', total: '6' },
      first: { file: 'src/test/java/com/acme/payments/CalculatorTest.java', line: 27 },
    },
    {
      fixture: 'failsafe.xml',
      outputs: { passed: '2', failed: '1', skipped: '0', flaky: '1', total: '3' },
      first: { file: 'src/test/java/com/acme/payments/PaymentsApiIT.java', line: 88 },
    },
    {
      // Without fold-retries, Gradle's retry of closesPeriod() is a test of its own.
      fixture: 'gradle.xml',
      outputs: { passed: '2', failed: '2', skipped: '1', flaky: '0', total: '5' },
      first: { file: 'src/test/java/com/acme/payments/LedgerTest.java', line: 19 },
    },
    { fixture: 'pytest.xml', outputs: { passed: '2', failed: '2', skipped: '1', flaky: '0', total: '5' }, first: { file: 'tests/test_invoice.py', line: 15 } },
    { fixture: 'jest.xml', outputs: { passed: '2', failed: '1', skipped: '1', flaky: '0', total: '4' }, first: { file: 'web/src/cart.test.js', line: 14 } },
    { fixture: 'vitest.xml', outputs: { passed: '1', failed: '1', skipped: '1', flaky: '0', total: '3' }, first: { file: 'src/price.test.ts', line: 9 } },
    { fixture: 'go.xml', outputs: { passed: '1', failed: '2', skipped: '1', flaky: '0', total: '4' }, first: { file: 'ledger/ledger_test.go', line: 21 } },
    { fixture: 'nested.xml', outputs: { passed: '2', failed: '1', skipped: '0', flaky: '0', total: '3' }, first: { file: 'shipping/rate_spec.rb', line: 12 } },
  ];

  it.each(table)('$fixture: outputs, annotation on the failing line, summary and verdict', async ({ fixture, outputs, first }) => {
    const workspace = sampleWorkspace([fixture]);
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: copyReports(), reports: 'build/test-results/*.xml' } });
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ ...outputs, 'budget-exceeded': 'false' });
    const errors = r.annotations.filter((a) => a.level === 'error' && a.file);
    expect(errors[0]).toMatchObject(first);
    expect(r.annotations.find((a) => a.level === 'error' && a.title === undefined)?.message).toMatch(
      new RegExp(`${outputs.failed} of ${outputs.total} unit tests? failed`),
    );
    expect(r.summary).toContain('❌ unit tests failed');
    expect(r.summary).toContain(`${outputs.total} total: ${outputs.passed} passed`);
    expect(r.summary).toContain('<h4>Slowest tests</h4>');
  });

  it('every dialect at once: the JSON report holds verdict, counts, locations, flaky and slowest tests', async () => {
    const workspace = sampleWorkspace(table.map((t) => t.fixture).concat('failsafe-summary.xml'));
    // fold-retries: Gradle's test-retry attempts (gradle.xml) fold into one flaky test.
    const r = await runTier({
      workspace,
      inputs: { tier: 'integration', run: copyReports(1), reports: 'build/test-results/*.xml', annotate: '100', 'fold-retries': 'true' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ passed: '15', failed: '11', skipped: '6', flaky: '4', total: '32', 'budget-exceeded': 'false' });
    expect(path.dirname(r.outputs.report!)).toBe(r.runnerTemp);
    const report = readReport(r);
    expect(report).toMatchObject({
      schema: 'commit-to-prod/test-tier-report@1',
      tier: 'integration',
      verdict: 'failed',
      exitCode: 1,
      budgetSeconds: null,
      budgetExceeded: false,
    });
    expect(report.reasons).toEqual(['11 of 32 integration tests failed.', 'The test command exited with code 1.']);
    expect(report.reports).toHaveLength(9);
    expect(report.reports.find((f) => f.file === 'build/test-results/failsafe-summary.xml')).toMatchObject({
      tests: 0,
      problem: 'not a JUnit report (<failsafe-summary>)',
    });
    expect(report.failures.map((f) => f.location && `${f.location.file}:${f.location.line}`)).toContain('tests/conftest.py:5');
    expect(report.failures.every((f) => f.location)).toBe(true);
    expect(report.flaky.map((f) => f.title).sort()).toEqual([
      'com.acme.payments.CalculatorTest › formatsAmount',
      'com.acme.payments.CalculatorTest › roundsHalfEven',
      'com.acme.payments.LedgerTest › closesPeriod()',
      'com.acme.payments.PaymentsApiIT › listsPayments',
    ]);
    expect(report.slowest).toHaveLength(10);
    expect(report.slowest[0]).toMatchObject({ title: 'com.acme.payments.PaymentsApiIT › refundsPayment', seconds: 2.011 });
    // Flaky tests are warnings, failures are errors, each in the log and the summary.
    const flaky = r.annotations.filter((a) => a.level === 'warning' && a.title?.startsWith('Flaky: '));
    expect(flaky).toHaveLength(4);
    // Placed on the line whose first attempt failed.
    expect(flaky.find((a) => a.title?.includes('roundsHalfEven'))).toMatchObject({ file: 'src/test/java/com/acme/payments/CalculatorTest.java', line: 41 });
    expect(flaky.find((a) => a.title?.includes('closesPeriod'))).toMatchObject({ file: 'src/test/java/com/acme/payments/LedgerTest.java', line: 33 });
    expect(r.summary).toContain('<h4>Flaky tests (4): failed, then passed on a rerun</h4>');
    expect(r.summary).toMatch(
      /<details><summary>❌ com\.acme\.payments\.CalculatorTest › dividesByZero \(3 attempts\) — src\/test\/java\/com\/acme\/payments\/CalculatorTest\.java:27<\/summary>/,
    );
  });

  it('a passing tier succeeds, with its outputs and a green summary', async () => {
    const workspace = sampleWorkspace([]);
    writeFileSync(
      path.join(workspace, 'fixtures', 'TEST-ok.xml'),
      '<testsuite name="ok"><testcase classname="a.B" name="works" time="0.25"/><testcase classname="a.B" name="also" time="0.5"/></testsuite>',
    );
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: copyReports() } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ passed: '2', failed: '0', total: '2', 'budget-exceeded': 'false' });
    expect(r.summary).toContain('✅ unit tests passed');
    expect(r.summary).toMatch(/of 5m00s \(\d+%\)/);
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
  });
});

describe('run-test-tier: budget', () => {
  const slowRun = `sleep 1.3\n${copyReports()}`;
  /** Writes the report, then goes on running (copyReports ends with `exit`). */
  const reportThen = (rest: string) => `mkdir -p build/test-results\ncp fixtures/*.xml build/test-results/\n${rest}`;
  const passingWorkspace = () => {
    const workspace = sampleWorkspace([]);
    writeFileSync(path.join(workspace, 'fixtures', 'TEST-ok.xml'), '<testsuite name="ok"><testcase classname="a.B" name="works" time="1.2"/></testsuite>');
    return workspace;
  };

  it('fail: the command is stopped when the budget runs out, and what it wrote is still summarised', async () => {
    const r = await runTier({
      workspace: passingWorkspace(),
      inputs: { tier: 'unit', run: reportThen('sleep 1.3\n'), budget: '1s', 'on-budget-exceeded': 'fail' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs['budget-exceeded']).toBe('true');
    const failure = r.annotations.find((a) => a.level === 'error' && /budget/.test(a.message));
    expect(failure?.message).toMatch(/^The unit tests were stopped at the 1s budget; the counts are of the reports written before that/);
    // No "exited with code 143": the signal's exit code says nothing about the tests.
    expect(failure?.message).not.toMatch(/exited with code/);
    expect(readReport(r)).toMatchObject({ verdict: 'failed', budgetSeconds: 1, budgetExceeded: true, counts: { passed: 1, total: 1 } });
    expect(r.summary).toContain('stopped at the 1s budget');
    expect(r.summary).toContain('<h4>Slowest tests</h4>');
  });

  it('warn: an overrun warns, the tier still passes', async () => {
    const r = await runTier({ workspace: passingWorkspace(), inputs: { tier: 'functional', run: slowRun, budget: '1s', 'on-budget-exceeded': 'warn' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['budget-exceeded']).toBe('true');
    expect(r.annotations.find((a) => a.level === 'warning')?.message).toMatch(/^The functional tier took 1\.\d+s, 0\.\d+s over its budget of 1s\.$/);
    expect(readReport(r)).toMatchObject({ verdict: 'passed', budgetExceeded: true });
  });

  const marker = () => `600.${Math.floor(Math.random() * 1e6)}`;
  const running = (text: string) =>
    execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(text));

  it('a `sleep 600` under `budget: 3s` ends the step in seconds, failed, with nothing left running', async () => {
    const seconds = marker();
    const started = Date.now();
    const r = await runTier({
      workspace: passingWorkspace(),
      inputs: { tier: 'unit', run: reportThen(`sleep ${seconds} &\nsleep ${seconds}\n`), budget: '3s' },
    });
    expect(r.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(/^The unit tests were stopped at the 3s budget/);
    // The background sleep was in the command's process group too.
    expect(running(`sleep ${seconds}`)).toEqual([]);
    expect(readReport(r).counts).toMatchObject({ passed: 1, total: 1 });
  });

  it('a command that ignores SIGTERM is killed after the grace period', async () => {
    const seconds = marker();
    const started = Date.now();
    const r = await runTier({
      workspace: passingWorkspace(),
      inputs: { tier: 'unit', run: `trap '' TERM\nsleep ${seconds}\n`, budget: '2s', 'fail-on-empty': 'false' },
    });
    expect(r.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(/^The unit tests were stopped at the 2s budget/);
    expect(running(`sleep ${seconds}`)).toEqual([]);
  });

  it('cancellation (or a step timeout) still summarises the reports written before it', async () => {
    const seconds = marker();
    const r = await runTier({
      workspace: passingWorkspace(),
      inputs: { tier: 'integration', run: reportThen(`echo reports-written\nsleep ${seconds}\n`) },
      cancel: { whenLogMatches: /^reports-written$/ },
    });
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('❌ integration tests failed');
    expect(r.summary).toContain('The integration tests were cancelled; the counts are of the reports written before that.');
    expect(r.summary).toContain('1 total: 1 passed');
    expect(running(`sleep ${seconds}`)).toEqual([]);
  });

  it('main killed outright (SIGKILL): the post step stops the test processes it left, and only those', async () => {
    const seconds = marker();
    // A stranger with the same command line, outside the tier: it must survive the cleanup.
    const stranger = spawn('sleep', [seconds], { detached: true, stdio: 'ignore' });
    try {
      const r = await runTier({
        workspace: passingWorkspace(),
        inputs: { tier: 'unit', run: `sleep ${seconds} &\necho command-started\nsleep ${seconds}\n` },
        cancel: { whenLogMatches: /^command-started$/, signal: 'SIGKILL' },
      });
      expect(r.signal).toBe('SIGKILL');
      expect(r.post?.exitCode, r.post?.log).toBe(0);
      // The shell and its two sleeps.
      expect(r.post?.log).toMatch(/Stopped 3 process\(es\) of the test command left behind by the main step/);
      expect(running(`sleep ${seconds}`)).toHaveLength(1);
      expect(stranger.exitCode).toBeNull();
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('tiers other than unit have no budget unless given', async () => {
    const r = await runTier({ workspace: passingWorkspace(), inputs: { tier: 'acceptance', run: copyReports() } });
    expect(r.exitCode).toBe(0);
    expect(readReport(r).budgetSeconds).toBeNull();
    expect(r.summary).toContain('(no budget)');
  });
});

describe('run-test-tier: reports', () => {
  it('fail-on-empty (the default): no report is a failure; false makes it a warning', async () => {
    const strict = await runTier({ workspace: sampleWorkspace([]), inputs: { tier: 'unit', run: 'echo no reports here' } });
    expect(strict.exitCode).toBe(1);
    expect(strict.annotations.at(-1)?.message).toMatch(/No JUnit report matched `reports`/);
    expect(strict.outputs.total).toBe('0');

    const lenient = await runTier({ workspace: sampleWorkspace([]), inputs: { tier: 'unit', run: 'echo no reports here', 'fail-on-empty': 'false' } });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.annotations.find((a) => a.level === 'warning')?.message).toMatch(/No JUnit report matched/);

    // A report with no test in it (a filter that selected nothing) is empty too.
    const none = await runTier({
      workspace: sampleWorkspace([]),
      inputs: { tier: 'unit', run: `echo '<testsuite name="com.acme.NothingTest" tests="0"/>' > TEST-none.xml` },
    });
    expect(none.exitCode).toBe(1);
    expect(none.annotations.at(-1)?.message).toBe('The 1 JUnit report found holds no test: check that the test command selects any.');
  });

  it('a malformed report fails the tier, naming the file and the position', async () => {
    const r = await runTier({
      workspace: sampleWorkspace(['malformed.xml', 'vitest.xml']),
      inputs: { tier: 'unit', run: copyReports(), reports: 'build/test-results/*.xml' },
    });
    expect(r.exitCode).toBe(1);
    const final = r.annotations.at(-1)!;
    expect(final.message).toContain('Malformed JUnit XML in build/test-results/malformed.xml at line 5, column 13: unexpected close tag.');
    // The well-formed report still counts.
    expect(r.outputs.total).toBe('4');
  });

  it('reports older than the tier (an earlier tier, an earlier run) are ignored', async () => {
    const workspace = sampleWorkspace(['surefire.xml']);
    mkdirSync(path.join(workspace, 'build/test-results'), { recursive: true });
    writeFileSync(
      path.join(workspace, 'build/test-results/TEST-old.xml'),
      '<testsuite name="old"><testcase classname="old.T" name="gone"><failure message="stale"/></testcase></testsuite>',
    );
    const old = new Date(Date.now() - 60_000);
    const { utimesSync } = await import('node:fs');
    utimesSync(path.join(workspace, 'build/test-results/TEST-old.xml'), old, old);
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: 'cp fixtures/surefire.xml build/test-results/TEST-new.xml' } });
    expect(r.outputs.total).toBe('6');
    expect(r.log).toMatch(/Ignored 1 report\(s\) written before this tier started/);
    expect(readReport(r).staleReports).toEqual(['build/test-results/TEST-old.xml']);
  });

  it('a failing command with no failing test says where to look', async () => {
    const workspace = sampleWorkspace([]);
    writeFileSync(path.join(workspace, 'fixtures', 'TEST-ok.xml'), '<testsuite name="ok"><testcase classname="a.B" name="works"/></testsuite>');
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: `${copyReports()}`.replace('exit 0', 'echo "[ERROR] COMPILATION ERROR" >&2; exit 3') } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.at(-1)?.message).toMatch(/exited with code 3 although no report shows a failing test/);
  });
});

describe('run-test-tier: annotations', () => {
  /** 30 failures: 10 distinct places, each failing three times (a parametrised test). */
  function parametrisedFailures(workspace: string): void {
    mkdirSync(path.join(workspace, 'src'), { recursive: true });
    writeFileSync(path.join(workspace, 'src/param.test.ts'), 'x\n'.repeat(100));
    const cases = Array.from({ length: 30 }, (_, i) => {
      const place = i % 10;
      return `<testcase classname="src/param.test.ts" name="case ${i}" time="0.01"><failure message="expected ${place}" type="AssertionError">AssertionError: expected ${place}\n ❯ src/param.test.ts:${place + 1}:5</failure></testcase>`;
    });
    writeFileSync(path.join(workspace, 'fixtures', 'TEST-param.xml'), `<testsuites><testsuite name="param">${cases.join('')}</testsuite></testsuites>`);
  }

  it('deduplicates by place and message, and caps at the limit', async () => {
    const workspace = sampleWorkspace([]);
    parametrisedFailures(workspace);
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: copyReports(), annotate: '4' } });
    const failures = r.annotations.filter((a) => a.level === 'error' && a.title);
    expect(failures).toHaveLength(4);
    expect(new Set(failures.map((a) => `${a.file}:${a.line}`)).size).toBe(4);
    expect(failures.map((a) => a.line)).toEqual([1, 2, 3, 4]);
    expect(r.log).toMatch(/Annotations: 20 duplicate failures \(same place, same message\) folded into one annotation; 6 more failures not annotated/);
    expect(readReport(r).failures).toHaveLength(30);
  });

  it("defaults to GitHub's own limit of 10 errors per step, the verdict included, and `false` turns them off", async () => {
    const workspace = sampleWorkspace([]);
    parametrisedFailures(workspace);
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: copyReports() } });
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    expect(errors.filter((a) => a.title)).toHaveLength(9);
    expect(errors.at(-1)!.message).toBe('30 of 30 unit tests failed.');

    const off = await runTier({ workspace, inputs: { tier: 'unit', run: copyReports(), annotate: 'false' } });
    expect(off.annotations.filter((a) => a.title)).toEqual([]);
    expect(off.exitCode).toBe(1);
  });
});

describe('run-test-tier: bad input fails before anything runs', () => {
  const cases: { inputs: Record<string, string>; message: RegExp }[] = [
    {
      inputs: { tier: 'my tier' },
      message: /Input 'tier' has an invalid value "my tier": expected one of `unit`, `integration`, `functional`, `acceptance`, or a custom name/,
    },
    {
      inputs: { tier: 'unit', 'on-budget-exceeded': 'explode' },
      message: /Input 'on-budget-exceeded' has an invalid value "explode": expected one of `fail`, `warn`/,
    },
    { inputs: { tier: 'unit', budget: 'soon' }, message: /Input 'budget' has an invalid value "soon": expected a duration/ },
    { inputs: { tier: 'unit', 'fold-retries': 'sometimes' }, message: /Input 'fold-retries' has an invalid value "sometimes": expected `true` or `false`/ },
    { inputs: { tier: 'unit', annotate: 'lots' }, message: /Input 'annotate' has an invalid value "lots"/ },
    {
      inputs: { tier: 'integration', 'compose-file': 'stack/missing.yml' },
      message: /Input 'compose-file' has an invalid value "stack\/missing.yml": expected a Compose file that exists/,
    },
    { inputs: { tier: 'unit', 'compose-services': 'db' }, message: /Input 'compose-services' .*to be used together with `compose-file`/ },
    { inputs: { tier: 'unit', 'working-directory': 'nowhere' }, message: /Input 'working-directory' has an invalid value "nowhere"/ },
    { inputs: { tier: 'unit', shell: 'bash -c "$(curl x)"' }, message: /Input 'shell' has an invalid value/ },
    { inputs: { tier: 'unit', env: '1BAD=x' }, message: /Input 'env' has an invalid value "1BAD=x"/ },
  ];
  it.each(cases)('$inputs', async ({ inputs, message }) => {
    const workspace = sampleWorkspace([]);
    const r = await runTier({ workspace, inputs: { run: 'touch ran', ...inputs } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.message).toMatch(message);
    expect(existsSync(path.join(workspace, 'ran'))).toBe(false);
  });
});

describe('run-test-tier: a big report', () => {
  it('20,000 tests with 5,000 failures: counts exact, details capped in the report and the summary', async () => {
    const workspace = sampleWorkspace([]);
    // Written by the test command itself, as a test tool would.
    const generator = `
i=0
{
  echo '<?xml version="1.0" encoding="UTF-8"?><testsuites>'
  while [ $i -lt 200 ]; do
    echo "<testsuite name=\\"big.Suite$i\\">"
    j=0
    while [ $j -lt 100 ]; do
      if [ $((j % 4)) -eq 0 ]; then
        echo "<testcase classname=\\"big.Suite$i\\" name=\\"case$j\\" time=\\"0.001\\"><failure message=\\"boom $i/$j\\">trace line $j</failure></testcase>"
      else
        echo "<testcase classname=\\"big.Suite$i\\" name=\\"case$j\\" time=\\"0.002\\"/>"
      fi
      j=$((j + 1))
    done
    echo '</testsuite>'
    i=$((i + 1))
  done
  echo '</testsuites>'
} > TEST-big.xml
`;
    const r = await runTier({ workspace, inputs: { tier: 'unit', run: generator, reports: 'TEST-big.xml' } });
    expect(r.outputs).toMatchObject({ total: '20000', failed: '5000', passed: '15000' });
    const report = readReport(r);
    expect(report.failures).toHaveLength(1000);
    expect(report.failuresOmitted).toBe(4000);
    expect(r.summary.length).toBeLessThan(100_000);
    expect(r.summary).toContain('… and 4950 more failures: see the JSON report.');
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(10);
    expect(r.log).toMatch(/4991 more failures not annotated/);
  });
});
