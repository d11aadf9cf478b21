import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_START_TAG_CHARS, MalformedReportError, parseJUnitReport, type ParsedTestCase } from '../../shared/test-report/junit-parser.js';
import { stackCandidates } from '../../shared/test-report/source-location.js';

/** A report is outside input (a fork's artifact): its size and shape must not cost the runner. */

function report(xml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-untrusted-report-'));
  const file = path.join(dir, 'report.xml');
  writeFileSync(file, xml);
  return file;
}

async function parse(file: string): Promise<ParsedTestCase[]> {
  const cases: ParsedTestCase[] = [];
  await parseJUnitReport(file, (t) => cases.push(t));
  return cases;
}

describe('JUnit reports from outside', () => {
  it('an attribute longer than the start-tag limit stops the read with a malformed-report error', async () => {
    const huge = 'x'.repeat(MAX_START_TAG_CHARS + 600_000);
    const error = await parse(report(`<testsuite name="s"><testcase name="${huge}"/></testsuite>`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedReportError);
    expect((error as Error).message).toMatch(/attributes run past 1048576 characters/);
  });

  it('names, classes, files and failure types are kept to 2,000 characters, messages to 1,000', async () => {
    const long = 'n'.repeat(50_000);
    const [test] = await parse(
      report(
        `<testsuite name="${long}"><testcase name="${long}" classname="${long}" file="${long}"><failure type="${long}" message="${long}">trace</failure></testcase></testsuite>`,
      ),
    );
    expect(test!.name).toHaveLength(2_001);
    expect(test!.classname).toHaveLength(2_001);
    expect(test!.suite).toHaveLength(2_001);
    expect(test!.file).toHaveLength(2_001);
    expect(test!.problem?.type).toHaveLength(2_001);
    expect(test!.problem?.message).toHaveLength(1_001);
  });

  it('finding source lines in a trace takes linear time, whatever the trace holds', () => {
    // Each of these took seconds per 4,000 characters with the previous patterns (quadratic).
    for (const trace of ['at '.concat('a.'.repeat(20_000)), 'a.'.repeat(20_000), `${'a/'.repeat(20_000)}x.ts`, 'x(A.java:1)'.repeat(4_000)]) {
      const started = performance.now();
      stackCandidates(trace, 'github.com/acme/x');
      expect(performance.now() - started, trace.slice(0, 20)).toBeLessThan(2_000);
    }
  });
});
