import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { mergeShardReports, type ShardReport } from '../../shared/test-tier/merge.js';
import type { TierReport } from '../../shared/test-tier/report.js';
import { skewedSuite, writeSuite } from './generated-suite.js';

// The merge step through the bundle: four shards of a generated suite (two failing tests),
// downloaded as artifacts would be, merged into the verdict one unsharded run gives.

const readReport = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as TierReport;
const RUN_SHARD = 'rm -rf build/test-results\nsh bin/run-tests.sh "$TEST_SHARD_FILES" build/test-results\n';

async function runShards(workspace: string, total: number): Promise<string[]> {
  const files: string[] = [];
  for (let k = 1; k <= total; k++) {
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'unit', run: RUN_SHARD, reports: 'build/test-results/*.xml', shard: `${k}/${total}`, 'test-files': 'tests/*.test.sh' },
    });
    // As download-artifact lays them out: one folder per shard's artifact.
    const dir = path.join(workspace, 'shard-reports', `unit-report-${k}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(r.outputs.report!, path.join(dir, 'report.json'));
    files.push(path.join(dir, 'report.json'));
  }
  return files;
}

describe('run-test-tier: merge-reports', () => {
  it('gives the counts, failures and per-file times of one unsharded run, one verdict, and how even the split was', async () => {
    const workspace = writeSuite(skewedSuite(20, { failing: [3, 11] }));
    const whole = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'unit', run: 'ls tests/*.test.sh > all.txt\nsh bin/run-tests.sh all.txt build/test-results\n', reports: 'build/test-results/*.xml' },
    });
    const unsharded = readReport(whole.outputs.report!);
    await runShards(workspace, 4);

    const r = await runBundle('run-test-tier', { workspace, inputs: { tier: 'unit', 'merge-reports': 'shard-reports/*/report.json', budget: '5m' } });
    expect(r.exitCode).toBe(1);
    const merged = readReport(r.outputs.report!);
    expect(merged.counts).toEqual(unsharded.counts);
    expect(merged.counts).toMatchObject({ total: 40, failed: 2 });
    expect(r.outputs).toMatchObject({ total: '40', failed: '2', passed: '38', skipped: '0', flaky: '0', 'budget-exceeded': 'false' });
    expect(merged.failures.map((f) => f.title).sort()).toEqual(unsharded.failures.map((f) => f.title).sort());
    expect(merged.files).toEqual(unsharded.files);
    expect(merged.testSeconds).toBeCloseTo(unsharded.testSeconds, 2);
    expect(merged.merged?.shards.map((s) => s.index)).toEqual([1, 2, 3, 4]);
    expect(merged.merged?.shards.reduce((n, s) => n + s.files, 0)).toBe(20);
    expect(merged.durationSeconds).toBe(Math.max(...(merged.merged?.shards.map((s) => s.durationSeconds) ?? [])));
    // One verdict: the tier's count, then which shard failed and why.
    // (No timings: every file counts the same, and both failing files fell to shard 4.)
    expect(merged.reasons).toEqual(['2 of 40 unit tests failed.', 'Shard 4/4 failed: 2 of 10 unit tests failed. The test command exited with code 1.']);
    expect(r.summary).toContain('❌ unit tests failed');
    expect(r.summary).toMatch(/Split<\/td><td>4 of 4 shards reported; the slowest, \d\/4, took [^<]+ against [^<]+ for an even split \(\d+% over\)/);
    expect(r.summary).toContain('<h4>Shards</h4>');
    // The merged report is what the next run's split reads.
    expect(Object.keys(merged.files)).toHaveLength(20);
  });

  it('a missing shard fails the tier, naming it', async () => {
    const workspace = writeSuite(skewedSuite(6));
    await runShards(workspace, 3);
    const r = await runBundle('run-test-tier', { workspace, inputs: { tier: 'unit', 'merge-reports': 'shard-reports/unit-report-[13]/report.json' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toContain(
      'The report of shard 2/3 is missing: it did not finish, or the artifact was not downloaded. The counts are of the other shards.',
    );
  });

  const bad: { inputs: Record<string, string>; message: RegExp }[] = [
    {
      inputs: { 'merge-reports': 'nothing/*.json' },
      message: /^Input 'merge-reports' has an invalid value "nothing\/\*\.json": expected globs that match the shards' JSON reports/,
    },
    {
      inputs: { 'merge-reports': 'tests/f000.test.sh' },
      message: /^Input 'merge-reports' has an invalid value "tests\/f000\.test\.sh": expected the shards' JSON reports/,
    },
    {
      inputs: { 'merge-reports': 'x/*.json', run: 'make test' },
      message: /^Input 'run' has an invalid value "make test": expected empty when `merge-reports` is set/,
    },
    {
      inputs: { 'merge-reports': 'x/*.json', shard: '1/2' },
      message: /^Input 'shard' has an invalid value "1\/2": expected empty when `merge-reports` is set/,
    },
    { inputs: {}, message: /^Input 'run' is required: expected the test command .*, or `merge-reports` to merge a sharded tier/ },
  ];
  it.each(bad)('bad input $inputs', async ({ inputs, message }) => {
    const workspace = writeSuite(skewedSuite(1));
    const r = await runBundle('run-test-tier', { workspace, inputs: { tier: 'unit', ...inputs } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.message).toMatch(message);
  });

  it('refuses an unsharded report and another tier’s', async () => {
    const workspace = writeSuite(skewedSuite(2));
    const whole = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'unit', run: 'ls tests/*.test.sh > all.txt\nsh bin/run-tests.sh all.txt build/test-results\n', reports: 'build/test-results/*.xml' },
    });
    copyFileSync(whole.outputs.report!, path.join(workspace, 'whole.json'));
    const r = await runBundle('run-test-tier', { workspace, inputs: { tier: 'unit', 'merge-reports': 'whole.json' } });
    expect(r.annotations[0]?.message).toMatch(/^Input 'merge-reports' has an invalid value "whole.json": expected the reports of sharded runs/);
    await runShards(workspace, 1);
    const other = await runBundle('run-test-tier', { workspace, inputs: { tier: 'integration', 'merge-reports': 'shard-reports/*/report.json' } });
    expect(other.annotations[0]?.message).toMatch(/expected reports of the integration tier \(this one is of the unit tier\)/);
  });
});

describe('mergeShardReports: the wall time and the budget', () => {
  // Real shard reports with the times a slow runner would have written.
  function shard(index: number, durationSeconds: number, files: Record<string, number>): ShardReport {
    const report = {
      schema: 'commit-to-prod/test-tier-report@1',
      tier: 'unit',
      verdict: 'passed',
      reasons: [],
      warnings: [],
      exitCode: 0,
      durationSeconds,
      budgetSeconds: 300,
      budgetExceeded: false,
      overBudgetSeconds: 0,
      counts: { passed: 2, failed: 0, skipped: 0, flaky: 0, total: 2 },
      testSeconds: durationSeconds,
      reports: [{ file: `build/${index}.xml`, tests: 2 }],
      staleReports: [],
      failures: [],
      failuresOmitted: 0,
      flaky: [],
      flakyOmitted: 0,
      slowest: [],
      files,
      fileTests: Object.fromEntries(Object.keys(files).map((f) => [f, 1])),
      shard: { index, total: 2, files: Object.keys(files).length, suiteFiles: 3, timedFiles: 3, expectedSeconds: durationSeconds, idealSeconds: 150 },
    } satisfies TierReport;
    return { file: `r${index}.json`, report };
  }

  it('takes the slowest shard as the wall time, fails it over the budget, and says how uneven the split was', () => {
    const outcome = mergeShardReports({
      tier: 'unit',
      shards: [shard(2, 100, { c: 100 }), shard(1, 320, { a: 300, b: 20 })],
      budgetMs: 300_000,
      onBudgetExceeded: 'fail',
      failOnEmpty: true,
    });
    expect(outcome.budget).toMatchObject({ elapsedMs: 320_000, exceeded: true, overByMs: 20_000 });
    expect(outcome.verdict.failures).toEqual(['The unit tier took 5m20s, 20s over its budget of 5m00s.']);
    expect(outcome.report.merged).toMatchObject({ idealSeconds: 210, unevenness: 0.524, missing: [] });
    expect(outcome.report.counts.total).toBe(4);
    const warned = mergeShardReports({
      tier: 'unit',
      shards: [shard(1, 320, { a: 1 }), shard(2, 10, { a: 2 })],
      budgetMs: 300_000,
      onBudgetExceeded: 'warn',
      failOnEmpty: true,
    });
    expect(warned.verdict.passed).toBe(true);
    expect(warned.report.files).toEqual({ a: 2 });
    expect(warned.verdict.warnings).toEqual([
      '1 test file ran in more than one shard (a: Shard 1/2, Shard 2/2): a shard ran more than its files?',
      'The unit tier took 5m20s, 20s over its budget of 5m00s.',
    ]);
  });
});

describe('mergeShardReports: empty shards', () => {
  it('says once which shards got no files, not once per shard', async () => {
    const workspace = writeSuite(skewedSuite(2));
    const files = await runShards(workspace, 4);
    const shards = files.map((file) => ({ file, report: readReport(file) }));
    const { verdict } = mergeShardReports({ tier: 'unit', shards, onBudgetExceeded: 'fail', failOnEmpty: true });
    expect(verdict.passed).toBe(true);
    expect(verdict.warnings).toEqual(['Shards 3/4, 4/4 got no test files (2 files over 4 shards) and ran nothing. Fewer shards would do.']);
  });
});
