/**
 * Publishing a tier's results, below the bundle: text cut to GitHub's limits, the pull request a
 * run reports on, every failure and flaky test as an annotation, and the one GitHub client's
 * retries and rate limits (its waits shortened: a second lasts `SECOND_MS`) against the local
 * GitHub API stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { pullRequestTarget } from '../../shared/github/pull-request.js';
import { describeComparison } from '../../shared/test-publish/baseline.js';
import { compareWithBaseline } from '../../shared/test-tier/baseline.js';
import { checkRunAnnotations } from '../../shared/test-publish/check-run-annotations.js';
import { checkRunOutput } from '../../shared/test-publish/check-run-output.js';
import { commentBody, commentMarker } from '../../shared/test-publish/comment-body.js';
import { checkRunIdentity, publishTierResults } from '../../shared/test-publish/publish.js';
import { fitToBytes } from '../../shared/test-publish/text-limit.js';
import type { TierReport } from '../../shared/test-tier/report.js';
import { MemoryLogger } from '../helpers/memory-logger.js';

const SHA = 'd'.repeat(40);
/** How long a second of the GitHub client's waits lasts here. */
const SECOND_MS = 10;

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
    // A pull request of the branch whose head is another commit: never commented on (no first-one fallback).
    [
      'workflow_run',
      { workflow_run: { head_sha: SHA, name: 'ci', pull_requests: [{ number: 6, head: { sha: 'e'.repeat(40) } }] } },
      { headSha: SHA, workflow: 'ci' },
    ],
    // Results from a fork are marked as such, whichever event carries them.
    [
      'workflow_run',
      { repository: { full_name: 'acme/x' }, workflow_run: { head_sha: SHA, name: 'ci', head_repository: { full_name: 'mallory/x' }, pull_requests: [] } },
      { headSha: SHA, workflow: 'ci', fork: 'mallory/x' },
    ],
    [
      'workflow_run',
      { repository: { full_name: 'acme/x' }, workflow_run: { head_sha: SHA, name: 'ci', head_repository: { full_name: 'acme/x' }, pull_requests: [] } },
      { headSha: SHA, workflow: 'ci' },
    ],
    [
      'pull_request_target',
      { pull_request: { number: 8, head: { sha: SHA, repo: { full_name: 'mallory/x' } }, base: { repo: { full_name: 'acme/x' } } } },
      { headSha: SHA, number: 8, fork: 'mallory/x' },
    ],
    [
      'pull_request',
      { pull_request: { number: 9, head: { sha: SHA, repo: null }, base: { repo: { full_name: 'acme/x' } } } },
      { headSha: SHA, number: 9, fork: '(deleted fork)' },
    ],
  ] as const)('%s', (eventName, event, expected) => {
    expect(pullRequestTarget(eventName, event, 'e'.repeat(40))).toEqual(expected);
  });
});

describe('a fork’s results', () => {
  it.each([
    ['passed', undefined, { name: 'unit tests', conclusion: 'success' }],
    ['failed', undefined, { name: 'unit tests', conclusion: 'failure' }],
    ['passed', 'mallory/x', { name: 'unit tests (fork)', conclusion: 'neutral' }],
    ['failed', 'mallory/x', { name: 'unit tests (fork)', conclusion: 'failure' }],
  ] as const)('%s, fork %s: never success under the base repository’s check name', (verdict, fork, expected) => {
    expect(checkRunIdentity('unit', verdict, fork)).toEqual(expected);
  });
});

describe('text from tests is neutralised where GitHub would link or notify', () => {
  const hostile = '@acme/security-team see #123, GH-7, https://evil.example/x and www.evil.example (@octocat)';
  const hostileReport = () => {
    const r = report(1, { message: hostile });
    r.failures[0]!.title = `suite › pings @acme/security-team about #42`;
    return r;
  };
  const raw = ['@acme', '@octocat', '#123', '#42', 'GH-7', 'https://evil', 'www.evil'];

  it('in the comment and the check run’s summary: no mention, issue reference or autolink survives; the text still reads the same', () => {
    const body = commentBody({ report: hostileReport(), marker: 'm', headSha: SHA, link });
    const { summary } = checkRunOutput({ report: hostileReport(), summaryHtml: '', link });
    for (const text of [body, summary]) {
      for (const r of raw) expect(text).not.toContain(r);
      expect(text.replaceAll('\u200B', '')).toContain('@acme/security-team see #123, GH-7, https://evil.example/x and www.evil.example');
    }
    // Our own links are untouched.
    expect(body).toContain(`(https://github.com/acme/x/blob/${SHA}/src/x.test.ts#L1)`);
  });

  it('in the check run’s text (the job summary’s HTML): text between tags only, never an attribute or a character reference', () => {
    const html = `<p><a href="https://github.com/acme/x/actions/runs/1">run</a></p><table><tr><td>${hostile} it&#39;s</td></tr></table>`;
    const { text } = checkRunOutput({ report: report(0), summaryHtml: html, link });
    for (const r of raw) expect(text).not.toContain(r);
    expect(text).toContain('<a href="https://github.com/acme/x/actions/runs/1">run</a>');
    expect(text).toContain('it&#39;s');
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
  const request = (repository: string, r: TierReport) => ({
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
    pacing: { secondMs: SECOND_MS, writeIntervalMs: 0 },
  });
  const warnings = (logger: MemoryLogger) => logger.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

  it('1,000 failures: 20 check-run requests and 2 for the comment', async () => {
    const outcome = await publishTierResults(request('acme/thousand', report(1_000)));
    expect(outcome.requests).toBe(22);
    expect(gh.checkRuns('acme/thousand')[0]?.annotations).toHaveLength(1_000);
  });

  it('retries a 502 after the retry plugin’s waits (1 s, then 4 s), and stops after the last attempt with one warning', async () => {
    const ok = request('acme/flaky-github', report(1));
    gh.fail({ status: 502, times: 1, match: /acme\/flaky-github/ });
    const published = await publishTierResults(ok);
    expect(published.checkRun).toBeDefined();
    expect(published.requests).toBe(4); // the check run twice, the comment lookup, the comment
    expect(warnings(ok.logger)).toEqual([
      expect.stringMatching(/POST \/repos\/acme\/flaky-github\/check-runs failed \(502 .*Unicorn.*\); trying again \(attempt 2 of 3\)/),
    ]);

    gh.fail({ status: 500, match: /acme\/down/ });
    const r = request('acme/down', report(1));
    const started = performance.now();
    const outcome = await publishTierResults(r);
    const waited = performance.now() - started;
    gh.clearFaults();
    expect(outcome.checkRun).toBeUndefined();
    expect(outcome.requests).toBe(3);
    // 1 + 4 "seconds" of waiting between the three attempts.
    expect(waited).toBeGreaterThanOrEqual(5 * SECOND_MS - 5);
    const said = warnings(r.logger);
    expect(said.slice(0, 2)).toEqual([expect.stringMatching(/attempt 2 of 3/), expect.stringMatching(/attempt 3 of 3/)]);
    expect(said.at(-1)).toMatch(/the tier's verdict stands/);
  });

  it('waits a secondary rate limit as long as retry-after says, and gives up on one longer than a minute', async () => {
    const ok = request('acme/limited', report(1));
    gh.fail({ status: 429, times: 1, retryAfterSeconds: 30, match: /acme\/limited/ });
    const started = performance.now();
    const published = await publishTierResults(ok);
    expect(published.checkRun).toBeDefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(30 * SECOND_MS - 5);
    expect(warnings(ok.logger)).toEqual([
      expect.stringMatching(/POST \/repos\/acme\/limited\/check-runs met a secondary rate limit; retrying in 30000 ms \(attempt 2 of 3\)/),
    ]);

    const long = request('acme/long-limit', report(1));
    gh.fail({ status: 403, times: 1, retryAfterSeconds: 3_600, match: /acme\/long-limit/ });
    const outcome = await publishTierResults(long);
    expect(outcome.failed).toMatch(/403 You have exceeded a secondary rate limit/);
    expect(outcome.requests).toBe(1);
    expect(warnings(long.logger).filter((w) => /retrying/.test(w))).toEqual([]);
    gh.clearFaults();
  });

  it('the sticky comment is ours only if our identity wrote it: a look-alike by someone else is left alone', async () => {
    const repo = 'acme/look-alike';
    const marker = commentMarker('unit', 'ci');
    const planted = gh.addComment(repo, 1, `${marker}\n### ✅ unit tests passed (trust me)`, 'mallory');
    const first = await publishTierResults(request(repo, report(1)));
    expect(first.comment?.action).toBe('created');
    const second = await publishTierResults(request(repo, report(0)));
    expect(second.comment).toMatchObject({ action: 'updated', id: first.comment?.id });
    const comments = gh.comments(repo, 1);
    expect(comments.map((c) => c.user.login)).toEqual(['mallory', 'github-actions[bot]']);
    expect(comments[0]!.body).toBe(planted.body);
    expect(gh.requests.filter((q) => q.startsWith(`PATCH /repos/${repo}/issues/comments/${planted.id}`))).toEqual([]);
  });

  it('with another identity (a GitHub App’s token), the Actions bot’s marked comment is not ours either', async () => {
    const app = await startLocalGitHubApi({ token: 'ghs_app', identities: { ghs_app: 'deploy-app[bot]' } });
    try {
      const repo = 'acme/app-identity';
      const theirs = app.addComment(repo, 1, `${commentMarker('unit', 'ci')}\nold`);
      const r = { ...request(repo, report(1)), token: 'ghs_app', apiUrl: app.url, identity: 'deploy-app[bot]' };
      expect((await publishTierResults(r)).comment?.action).toBe('created');
      expect((await publishTierResults({ ...r, report: report(2) })).comment?.action).toBe('updated');
      const comments = app.comments(repo, 1);
      expect(comments.map((c) => c.user.login)).toEqual(['github-actions[bot]', 'deploy-app[bot]']);
      expect(comments[0]!.body).toBe(theirs.body);
    } finally {
      await app.stop();
    }
  });

  it('a limit told by x-ratelimit-remaining: 0 is waited out until x-ratelimit-reset when that is within a minute', async () => {
    const soon = request('acme/reset-soon', report(1));
    gh.fail({ status: 403, times: 1, rateLimitResetSeconds: 2, secondary: true, match: /acme\/reset-soon/ });
    expect((await publishTierResults(soon)).checkRun).toBeDefined();
    // Without retry-after a secondary limit is waited a minute, as GitHub's docs say.
    expect(warnings(soon.logger)).toEqual([expect.stringMatching(/secondary rate limit; retrying in 60000 ms/)]);

    const primary = request('acme/reset-soon-primary', report(1));
    gh.fail({ status: 429, times: 1, rateLimitResetSeconds: 2, match: /acme\/reset-soon-primary/ });
    expect((await publishTierResults(primary)).checkRun).toBeDefined();
    expect(warnings(primary.logger)).toEqual([expect.stringMatching(/met the rate limit; retrying in [2-4]000 ms \(attempt 2 of 3\)/)]);

    const late = request('acme/reset-late', report(1));
    gh.fail({ status: 403, times: 1, rateLimitResetSeconds: 3_600, match: /acme\/reset-late/ });
    const outcome = await publishTierResults(late);
    expect(outcome.failed).toMatch(/403 API rate limit exceeded/);
    expect(outcome.requests).toBe(1);
    gh.clearFaults();
  });
});
