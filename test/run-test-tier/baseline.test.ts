import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { compareWithBaseline } from '../../shared/test-tier/baseline.js';
import type { TierReport } from '../../shared/test-tier/report.js';
import { type SuiteFile, writeSuite } from './generated-suite.js';

// The comparison with the base branch's report in the job summary (no github-token needed):
// the base branch's run and a pull request's run of a generated suite that differ in every way
// the comparison looks for.

const RUN_ALL = 'ls tests/*.test.sh > all.txt\nsh bin/run-tests.sh all.txt build/test-results\n';
const file = (n: number, cases: SuiteFile['cases']): SuiteFile => ({ path: `tests/f${n}.test.sh`, cases });
const ok = (name: string, seconds = 0.2) => ({ name, seconds });

const main: SuiteFile[] = [
  file(0, [ok('a'), ok('b')]),
  file(1, [ok('a'), { name: 'broken', seconds: 0.1, fails: true }]),
  file(2, [ok('a'), { name: 'fixed', seconds: 0.1, fails: true }]),
  file(3, [ok('a'), ok('regresses')]),
  file(4, [ok('a', 0.5), ok('b', 0.5)]),
  file(5, [ok('a'), ok('b')]),
  file(6, [ok('a'), ok('dropped')]),
  file(7, [ok('a'), ok('wobbles')]),
];
const pullRequest: SuiteFile[] = [
  file(0, [ok('a'), ok('b')]),
  file(1, [ok('a'), { name: 'broken', seconds: 0.1, fails: true }]),
  file(2, [ok('a'), ok('fixed')]),
  file(3, [ok('a'), { name: 'regresses', seconds: 0.1, fails: true }]),
  file(4, [ok('a', 2.5), ok('b', 2.5)]),
  file(6, [ok('a')]),
  file(7, [ok('a'), { name: 'wobbles', seconds: 0.2, flaky: true }]),
];

async function runSuite(suite: SuiteFile[], inputs: Record<string, string> = {}, workspace = writeSuite(suite)) {
  return {
    workspace,
    result: await runBundle('run-test-tier', { workspace, inputs: { tier: 'unit', run: RUN_ALL, reports: 'build/test-results/*.xml', ...inputs } }),
  };
}

describe('run-test-tier: since the base branch (baseline-report)', () => {
  it('finds new failures, failing there too, fixed, newly flaky, removed and much slower, and how close to the budget', async () => {
    const base = await runSuite(main);
    const pr = writeSuite(pullRequest);
    copyFileSync(base.result.outputs.report!, path.join(pr, 'baseline.json'));
    const { result: r } = await runSuite(pullRequest, { 'baseline-report': 'baseline.json' }, pr);
    // A failure that fails on the base branch too still fails the tier.
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error' && !a.title)?.message).toMatch(/^2 of 13 unit tests failed\./);
    const row = (change: string) => new RegExp(`<tr><td>${change}</td><td>([^<]*)</td><td>([^<]*)</td></tr>`).exec(r.summary)?.slice(1);
    expect(r.summary).toContain('<h4>Since the base branch</h4>');
    expect(row('🆕 new failures')).toEqual(['1', 'tests/f3.test.sh › regresses']);
    expect(row('failing on the base branch too \\(still failing this tier\\)')).toEqual(['1', 'tests/f1.test.sh › broken']);
    expect(row('✅ no longer failing \\(fixed\\)')).toEqual(['1', 'tests/f2.test.sh › fixed']);
    expect(row('newly flaky')).toEqual(['1', 'tests/f7.test.sh › wobbles']);
    expect(row('removed tests')).toEqual(['3', 'tests/f5.test.sh (gone, 2 tests), tests/f6.test.sh (2 → 1)']);
    expect(row('much slower test files \\(≥ 1.5× and ≥ 1s more\\)')).toEqual(['1', 'tests/f4.test.sh (1s → 5s)']);
    expect(row('time against the budget')).toEqual(['0%', expect.stringMatching(/^[\d.]+m?s of 5m00s; on the base branch [\d.]+m?s \(0%\)$/)]);
    // Each failure is marked: new, or failing on the base branch too.
    expect(r.summary).toContain('<summary>❌ 🆕 tests/f3.test.sh › regresses');
    expect(r.summary).toContain('<summary>❌ tests/f1.test.sh › broken (fails on the base branch too)');
  });

  it('close to the budget is flagged; a shard leaves fixed and removed to the merge', async () => {
    const base = JSON.parse(readFileSync((await runSuite(main)).result.outputs.report!, 'utf8')) as TierReport;
    const now = JSON.parse(readFileSync((await runSuite(pullRequest)).result.outputs.report!, 'utf8')) as TierReport;
    const slow = compareWithBaseline({ ...now, durationSeconds: 250, budgetSeconds: 300 }, { ...base, durationSeconds: 150 });
    expect(slow.budget).toEqual({ seconds: 250, budgetSeconds: 300, share: 250 / 300, beforeSeconds: 150, beforeShare: 0.5, close: true });
    expect(compareWithBaseline({ ...now, durationSeconds: 200, budgetSeconds: 300 }, base).budget?.close).toBe(false);
    const shard = compareWithBaseline(
      { ...now, shard: { index: 1, total: 2, files: 7, suiteFiles: 14, timedFiles: 14, expectedSeconds: 1, idealSeconds: 1 } },
      base,
    );
    expect(shard).toMatchObject({ partial: true, noLongerFailing: [], removed: [], newlyFlaky: ['tests/f7.test.sh › wobbles'] });
    expect([...shard.newFailures]).toEqual(['tests/f3.test.sh › regresses']);
    // A report from before per-file fields compares its failures only.
    const old = compareWithBaseline(now, { failures: base.failures });
    expect(old).toMatchObject({ removed: [], slower: [], newlyFlaky: ['tests/f7.test.sh › wobbles'] });
  });
});
