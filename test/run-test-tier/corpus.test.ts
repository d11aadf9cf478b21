import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../../local/runner/run-bundle.js';
import type { TierReport } from '../../shared/test-tier/report.js';

// The corpus: reports written the way each producer writes them (see each entry's `source`),
// with the counts the counting rule gives beside them in expected.json — worked out by hand
// from the rule, not from this code. Every file goes through the bundle in both modes.

const corpus = path.join(repoRoot, 'test/fixtures/junit/corpus');

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
  total: number;
}

interface Expected {
  tool: string;
  source: string;
  counts: Counts;
  foldRetries: Counts;
  note?: string;
  /** `truncated`, or the problem the JSON report names for the file. */
  problem?: string;
}

const expected = JSON.parse(readFileSync(path.join(corpus, 'expected.json'), 'utf8')) as Record<string, Expected>;

/** A workspace whose test command writes the one report, after the tier has started. */
function workspaceWith(file: string): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'ctp-tier-corpus-'));
  mkdirSync(path.join(ws, 'fixtures'));
  copyFileSync(path.join(corpus, file), path.join(ws, 'fixtures', file));
  return ws;
}

const outputsOf = (c: Counts) => ({ passed: `${c.passed}`, failed: `${c.failed}`, skipped: `${c.skipped}`, flaky: `${c.flaky}`, total: `${c.total}` });

describe('run-test-tier: the report corpus through the bundle', () => {
  it('covers every file in the corpus, and every file has its expected counts', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(corpus).filter((f) => f.endsWith('.xml'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  const cases = Object.entries(expected).flatMap(([file, e]) => [
    { file, mode: 'default', fold: false, counts: e.counts, e },
    { file, mode: 'fold-retries', fold: true, counts: e.foldRetries, e },
  ]);

  it.each(cases)('$file ($mode)', async ({ file, fold, counts, e }) => {
    const r = await runBundle('run-test-tier', {
      workspace: workspaceWith(file),
      inputs: {
        tier: 'unit',
        run: `mkdir -p reports\ncp fixtures/${file} reports/\n`,
        reports: 'reports/*.xml',
        'fold-retries': fold ? 'true' : 'false',
        annotate: 'false',
        'fail-on-empty': 'false',
      },
    });
    expect(r.outputs, r.log).toMatchObject(outputsOf(counts));
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as TierReport;
    expect(report.counts).toEqual(counts);
    const failing = counts.failed > 0 || e.problem === 'truncated';
    expect(r.exitCode).toBe(failing ? 1 : 0);
    expect(report.verdict).toBe(failing ? 'failed' : 'passed');
    if (e.problem === 'truncated') {
      expect(report.reports[0]!.problem).toMatch(/ends inside <system-out>: it is truncated/);
    } else if (e.problem) {
      expect(report.reports[0]).toMatchObject({ tests: 0, problem: e.problem });
      expect(r.annotations.find((a) => a.level === 'warning')?.message).toBe(
        `reports/${file} is not a JUnit report (its root element is <testng-results>, not <testsuites> or <testsuite>); it was not counted.`,
      );
    } else {
      expect(report.reports).toEqual([{ file: `reports/${file}`, tests: expect.any(Number) }]);
    }
    if (counts.failed > 0) expect(report.reasons[0]).toBe(`${counts.failed} of ${counts.total} unit test${counts.total === 1 ? '' : 's'} failed.`);
    expect(report.flaky).toHaveLength(counts.flaky);
  });
});
