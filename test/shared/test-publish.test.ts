/**
 * Publishing a tier's results, below the bundle: text cut to GitHub's limits, the pull request a
 * run reports on, every failure and flaky test as an annotation, and the retries (waited on a
 * fake clock) against the local GitHub API stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { pullRequestTarget } from '../../shared/github/pull-request.js';
import { describeComparison } from '../../shared/test-publish/baseline.js';
import { compareWithBaseline } from '../../shared/test-tier/baseline.js';
import { checkRunAnnotations } from '../../shared/test-publish/check-run-annotations.js';
import { checkRunOutput } from '../../shared/test-publish/check-run-output.js';
import { commentBody, commentMarker } from '../../shared/test-publish/comment-body.js';
import { publishTierResults } from '../../shared/test-publish/publish.js';
import { fitToBytes } from '../../shared/test-publish/text-limit.js';
import type { TierReport } from '../../shared/test-tier/report.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { MemoryLogger } from '../helpers/memory-logger.js';

const SHA = 'd'.repeat(40);

function report(failed: number, options: { message?: string; flaky?: number } = {}): TierReport {
  const failures = Array.from({ length: failed }, (_, i) => ({
    title: `suite › test ${i}`,
    suite: 'suite',
    classname: 'suite',
    name: `test ${i}`,
    kind: 'failure' as const,
    message: options.message ?? `expected ${i}`,
    details: `AssertionError: expected ${i}\n    at src/x.test.ts:${i + 1}:3`,
    attempts: 1,
    seconds: 0.1,
    ...(i % 2 === 0 ? { location: { file: 'src/x.test.ts', line: i + 1 } } : {}),
    report: 'build/TEST-x.xml',
  }));
  const flaky = Array.from({ length: options.flaky ?? 0 }, (_, i) => ({
    title: `suite › wobbly ${i}`,
    suite: 'suite',
    classname: 'suite',
    name: `wobbly ${i}`,
    failedAttempts: 1,
    message: 'timeout',
    seconds: 1,
    report: 'build/TEST-y.xml',
  }));
  return {
    schema: 'commit-to-prod/test-tier-report@1',
    tier: 'unit',
    verdict: failed > 0 ? 'failed' : 'passed',
    reasons: failed > 0 ? [`${failed} of ${failed + 1} unit tests failed.`] : [],
    warnings: [],
    exitCode: failed > 0 ? 1 : 0,
    durationSeconds: 12,
    budgetSeconds: 300,
    budgetExceeded: false,
    overBudgetSeconds: 0,
    counts: { passed: 1, failed, skipped: 0, flaky: flaky.length, total: failed + 1 },
    testSeconds: 1,
    reports: [{ file: 'build/TEST-x.xml', tests: failed + 1 }],
    staleReports: [],
    failures,
    failuresOmitted: 0,
    flaky,
    flakyOmitted: 0,
    slowest: [],
    files: {},
    fileTests: {},
  };
}

const link = (file: string, line?: number) => `https://github.com/acme/x/blob/${SHA}/${file}${line ? `#L${line}` : ''}`;

describe('text limits', () => {
  it('cuts at a byte budget, never inside a character, with the note', () => {
    const text = `${'é'.repeat(40_000)}\nend`;
    const cut = fitToBytes(text, 65_535, (n) => `cut ${n} bytes`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(65_535);
    expect(cut).not.toContain('\uFFFD');
    expect(cut).toMatch(/cut \d+ bytes\n$/);
    expect(fitToBytes('short', 10, () => 'note')).toBe('short');
  });

  it('1,000 failures with 5 kB messages: check-run output and comment stay under GitHub’s limits, with a link', () => {
    const big = report(1_000, { message: 'x'.repeat(5_000) });
    const output = checkRunOutput({ report: big, summaryHtml: '<p>row</p>\n'.repeat(20_000), runUrl: 'https://github.com/acme/x/actions/runs/1', link });
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(output.text)).toBeLessThanOrEqual(65_535);
    expect(output.text).toMatch(/cut by \d+ bytes .*\[workflow run\]\(https:\/\/github.com\/acme\/x\/actions\/runs\/1\)/);
    const marker = commentMarker('unit', 'ci');
    const body = commentBody({ report: big, marker, headSha: SHA, link, runUrl: 'https://github.com/acme/x/actions/runs/1' });
    expect([...body].length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(marker)).toBe(true);
    expect(body).toContain('… and 970 more');
  });

  it('escapes what would break the comment: markdown in titles, `--` in a workflow name', () => {
    expect(commentMarker('unit', 'ci -- nightly')).toBe('<!-- commit-to-prod:run-test-tier tier=unit workflow=ci - nightly -->');
    const r = report(1, { message: 'a | b <script>' });
    expect(commentBody({ report: r, marker: 'm', headSha: SHA, link })).toContain('a \\| b \\<script\\>');
  });
});

describe('annotations', () => {
  it('every failure and flaky test, on its line or its report', () => {
    const annotations = checkRunAnnotations(report(3, { flaky: 2 }));
    expect(annotations.map((a) => [a.annotation_level, a.path, a.start_line])).toEqual([
      ['failure', 'src/x.test.ts', 1],
      ['failure', 'build/TEST-x.xml', 1],
      ['failure', 'src/x.test.ts', 3],
      ['warning', 'build/TEST-y.xml', 1],
      ['warning', 'build/TEST-y.xml', 1],
    ]);
    expect(annotations[0]).toMatchObject({ title: 'suite › test 0 failed', message: 'expected 0', raw_details: expect.stringContaining('AssertionError') });
  });
});

describe('since the base branch', () => {
  it('new failures first and marked; those failing there too and those no longer failing counted', () => {
    const now = report(3); // test 0, 1, 2
    const base = { failures: [...report(2).failures.slice(1), { ...report(1).failures[0]!, title: 'suite › gone' }] }; // test 1, gone
    const c = compareWithBaseline(now, base);
    expect([...c.newFailures]).toEqual(['suite › test 0', 'suite › test 2']);
    expect(c.stillFailing).toBe(1);
    expect(c.noLongerFailing).toEqual(['suite › gone']);
    expect(describeComparison(c)).toBe('Since the base branch: 2 new failures, 1 failing there too, 1 no longer failing.');
    const body = commentBody({ report: now, comparison: c, marker: 'm', headSha: SHA, link });
    expect(body).toContain('Since the base branch: 2 new failures');
    const bullets = body.split('\n').filter((l) => l.startsWith('- ❌'));
    expect(bullets.map((l) => l.replace(/ — .*/, ''))).toEqual([
      '- ❌ 🆕 **suite › test 0**',
      '- ❌ 🆕 **suite › test 2**',
      '- ❌ **suite › test 1**: expected 1',
    ]);
  });
});

describe('the pull request a run reports on', () => {
  it.each([
    ['pull_request', { pull_request: { number: 4, head: { sha: SHA } } }, { headSha: SHA, number: 4 }],
    ['pull_request_target', { pull_request: { number: 5, head: { sha: SHA } } }, { headSha: SHA, number: 5 }],
    ['push', { head_commit: {} }, { headSha: 'e'.repeat(40) }],
    [
      'workflow_run',
      { workflow_run: { head_sha: SHA, html_url: 'https://github.com/acme/x/actions/runs/9', name: 'ci', pull_requests: [{ number: 6, head: { sha: SHA } }] } },
      { headSha: SHA, number: 6, runUrl: 'https://github.com/acme/x/actions/runs/9', workflow: 'ci' },
    ],
    // A fork's pull request: GitHub leaves workflow_run.pull_requests empty.
    ['workflow_run', { workflow_run: { head_sha: SHA, name: 'ci', pull_requests: [] } }, { headSha: SHA, workflow: 'ci' }],
  ] as const)('%s', (eventName, event, expected) => {
    expect(pullRequestTarget(eventName, event, 'e'.repeat(40))).toEqual(expected);
  });
});

describe('publishTierResults against the stand-in', () => {
  let gh: LocalGitHubApi;
  beforeAll(async () => {
    gh = await startLocalGitHubApi({ token: 'ghs_unit' });
  });
  afterAll(async () => {
    await gh?.stop();
  });
  const request = (repository: string, r: TierReport, clock = fakeClock()) => ({
    token: 'ghs_unit',
    comment: 'always' as const,
    report: r,
    summaryHtml: '<p>summary</p>',
    repository,
    serverUrl: 'https://github.com',
    apiUrl: gh.url,
    target: { headSha: SHA, number: 1 },
    runUrl: 'https://github.com/acme/x/actions/runs/1',
    workflow: 'ci',
    logger: new MemoryLogger(),
    clock,
  });

  it('1,000 failures: 20 check-run requests and 2 for the comment', async () => {
    const outcome = await publishTierResults(request('acme/thousand', report(1_000)));
    expect(outcome.requests).toBe(22);
    expect(gh.checkRuns('acme/thousand')[0]?.annotations).toHaveLength(1_000);
  });

  it('retries a 502 on doubling waits, and stops after the last attempt with one warning', async () => {
    const clock = fakeClock();
    gh.fail({ status: 502, times: 1, match: /acme\/flaky-github/ });
    const ok = await publishTierResults(request('acme/flaky-github', report(1), clock));
    expect(ok.checkRun).toBeDefined();
    expect(clock.sleeps).toEqual([1_000]);

    const down = fakeClock();
    gh.fail({ status: 500, match: /acme\/down/ });
    const r = request('acme/down', report(1), down);
    const outcome = await publishTierResults(r);
    gh.clearFaults();
    expect(outcome.checkRun).toBeUndefined();
    expect(outcome.requests).toBe(3);
    expect(down.sleeps).toEqual([1_000, 2_000]);
    expect(r.logger.annotations.filter((a) => a.level === 'warning').at(-1)?.message).toMatch(/the tier's verdict stands/);
  });

  it('waits a secondary rate limit as long as retry-after says, and gives up on one longer than a minute', async () => {
    const clock = fakeClock();
    gh.fail({ status: 429, times: 1, retryAfterSeconds: 30, match: /acme\/limited/ });
    const ok = await publishTierResults(request('acme/limited', report(1), clock));
    expect(ok.checkRun).toBeDefined();
    expect(clock.sleeps).toEqual([30_000]);

    const long = fakeClock();
    gh.fail({ status: 403, times: 1, retryAfterSeconds: 3_600, match: /acme\/long-limit/ });
    const outcome = await publishTierResults(request('acme/long-limit', report(1), long));
    expect(outcome.failed).toMatch(/403 You have exceeded a secondary rate limit/);
    expect(long.sleeps).toEqual([]);
    gh.clearFaults();
  });
});
