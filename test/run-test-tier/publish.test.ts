/**
 * run-test-tier with a github-token, through the bundle against the local GitHub API stand-in:
 * the check run holds every annotation (in batches GitHub accepts), the pull-request comment is
 * one per tier and workflow and updated in place, a read-only token and a GitHub outage leave
 * the verdict to the tests.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { runBundle } from '../../local/runner/run-bundle.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';
import { ageFixtures, sampleWorkspace } from './sample-workspace.js';

const TOKEN = 'ghs_publish_rw';
const READ_ONLY = 'ghs_publish_fork';
const HEAD = 'feedc0de'.repeat(5);
const copyReports = (exit = 0) => `mkdir -p build/test-results\ncp fixtures/*.xml build/test-results/\nexit ${exit}\n`;

let gh: LocalGitHubApi;
beforeAll(async () => {
  gh = await startLocalGitHubApi({ token: TOKEN, readOnlyTokens: [READ_ONLY] });
});
afterAll(async () => {
  await gh?.stop();
});

/** A workspace whose report has `failed` failing tests (each on its own line of web/src/many.test.js) and `passed` passing ones. */
function workspaceWith(failed: number, passed = 3): string {
  const workspace = sampleWorkspace([]);
  mkdirSync(path.join(workspace, 'web/src'), { recursive: true });
  writeFileSync(path.join(workspace, 'web/src/many.test.js'), Array.from({ length: 2_000 }, (_, i) => `// line ${i + 1}`).join('\n'));
  const cases = [
    ...Array.from(
      { length: failed },
      (_, i) =>
        `<testcase classname="many" name="case ${i + 1}" time="0.01"><failure message="expected ${i} to be ${i + 1}">AssertionError: expected ${i} to be ${i + 1}\n    at Object.&lt;anonymous&gt; (/home/runner/work/shop/shop/web/src/many.test.js:${i + 10}:15)</failure></testcase>`,
    ),
    ...Array.from({ length: passed }, (_, i) => `<testcase classname="many" name="ok ${i + 1}" time="0.01"/>`),
  ];
  writeFileSync(
    path.join(workspace, 'fixtures', 'junit.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="jest tests"><testsuite name="many" tests="${cases.length}">${cases.join('\n')}</testsuite></testsuites>\n`,
  );
  return workspace;
}

function pullRequest(repository: string, number: number) {
  return {
    repository,
    eventName: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    sha: 'a'.repeat(40),
    headRef: 'feature',
    baseRef: 'main',
    workflow: 'ci',
    apiUrl: gh.url,
    event: { number, pull_request: { number, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } }, repository: { default_branch: 'main' } },
  };
}

function runTier(workspace: string, inputs: Record<string, string>, github: Record<string, unknown>) {
  ageFixtures(workspace);
  return runBundle('run-test-tier', {
    workspace,
    inputs: { tier: 'unit', run: copyReports(), reports: 'build/test-results/*.xml', ...inputs },
    github,
  });
}

describe('run-test-tier: publishing to GitHub', () => {
  it('120 failures: one check run on the head commit with all 120 annotations in batches of at most 50, and one comment', async () => {
    const repo = 'acme/many-failures';
    const r = await runTier(workspaceWith(120), { 'github-token': TOKEN }, pullRequest(repo, 7));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.failed).toBe('120');
    const runs = gh.checkRuns(repo);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run).toMatchObject({ name: 'unit tests', head_sha: HEAD, status: 'completed', conclusion: 'failure' });
    expect(run.annotationBatches).toEqual([50, 50, 20]);
    expect(run.annotations).toHaveLength(120);
    expect(new Set(run.annotations.map((a) => a.start_line)).size).toBe(120);
    expect(run.annotations[0]).toMatchObject({
      path: 'web/src/many.test.js',
      start_line: 10,
      end_line: 10,
      annotation_level: 'failure',
      title: 'many › case 1 failed',
    });
    expect(run.annotations[119]).toMatchObject({ start_line: 129, message: 'expected 119 to be 120' });
    expect(run.output.title).toBe('unit: 120 failed, 3 passed, 0 skipped');
    expect(run.output.summary).toContain('| 123 | 3 | 120 | 0 | 0 |');
    expect(run.output.text).toContain('<h4>Failures (120)</h4>');
    expect(run.details_url).toBe('https://github.com/acme/many-failures/actions/runs/4242');
    // The requests: one create, two updates, one comment lookup, one comment.
    expect(gh.requests.filter((q) => q.includes(repo))).toEqual([
      `POST /repos/${repo}/check-runs`,
      `PATCH /repos/${repo}/check-runs/${run.id}`,
      `PATCH /repos/${repo}/check-runs/${run.id}`,
      `GET /repos/${repo}/issues/7/comments?per_page=100&page=1`,
      `POST /repos/${repo}/issues/7/comments`,
    ]);
    const comments = gh.comments(repo, 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith('<!-- commit-to-prod:run-test-tier tier=unit workflow=ci -->')).toBe(true);
    expect(comments[0]!.body).toContain(`(https://github.com/${repo}/blob/${HEAD}/web/src/many.test.js#L10)`);
    expect(comments[0]!.body).toContain('… and 90 more');
    // The job summary links the check run and the comment; the step still annotates as before.
    expect(r.summary).toContain(`<a href="${run.html_url}">unit tests</a> (120 annotations)`);
    expect(r.summary).toContain(`#7</a> (created)`);
    expect(r.annotations.filter((a) => a.level === 'error' && a.file).length).toBeLessThanOrEqual(9);
  });

  it('a second run updates the same comment instead of adding one, paging past others’ comments', async () => {
    const repo = 'acme/sticky';
    for (let i = 0; i < 120; i++) gh.addComment(repo, 9, `review note ${i}`, 'reviewer');
    const first = await runTier(workspaceWith(2), { 'github-token': TOKEN }, pullRequest(repo, 9));
    expect(first.exitCode).toBe(1);
    const created = gh.comments(repo, 9).filter((c) => c.user.type === 'Bot');
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toContain('❌ unit tests failed');

    // Fixed: with on-failure a passing run creates nothing, but the failing comment is brought up to date.
    const second = await runTier(workspaceWith(0), { 'github-token': TOKEN }, pullRequest(repo, 9));
    expect(second.exitCode).toBe(0);
    const after = gh.comments(repo, 9).filter((c) => c.user.type === 'Bot');
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(created[0]!.id);
    expect(after[0]!.body).toContain('✅ unit tests passed');
    expect(gh.requests.filter((q) => q.startsWith(`PATCH /repos/${repo}/issues/comments/`))).toHaveLength(1);
    expect(gh.checkRuns(repo).map((c) => c.conclusion)).toEqual(['failure', 'success']);

    // Another tier of the same workflow keeps its own comment.
    await runTier(workspaceWith(1), { tier: 'integration', 'github-token': TOKEN }, pullRequest(repo, 9));
    expect(gh.comments(repo, 9).filter((c) => c.user.type === 'Bot')).toHaveLength(2);
  });

  it('on-failure and a passing tier with no earlier comment: nothing is created; off: not even looked up', async () => {
    const repo = 'acme/quiet';
    const passing = await runTier(workspaceWith(0), { 'github-token': TOKEN }, pullRequest(repo, 3));
    expect(passing.exitCode).toBe(0);
    expect(gh.comments(repo, 3)).toEqual([]);
    const off = await runTier(workspaceWith(1), { 'github-token': TOKEN, comment: 'off' }, pullRequest(repo, 3));
    expect(off.exitCode).toBe(1);
    expect(gh.comments(repo, 3)).toEqual([]);
    expect(gh.requests.filter((q) => q.includes(`${repo}/issues`))).toHaveLength(1);
    expect(gh.checkRuns(repo)).toHaveLength(2);
  });

  it('a push comments nowhere and puts the check run on GITHUB_SHA', async () => {
    const repo = 'acme/pushed';
    const sha = 'b'.repeat(40);
    const r = await runTier(workspaceWith(1), { 'github-token': TOKEN, comment: 'always' }, { repository: repo, sha, apiUrl: gh.url, event: {} });
    expect(r.exitCode).toBe(1);
    expect(gh.checkRuns(repo).map((c) => c.head_sha)).toEqual([sha]);
    expect(gh.requests.filter((q) => q.includes(`${repo}/issues`))).toEqual([]);
  });

  it('a read-only token (fork, Dependabot): one notice, summary and step annotations kept, the verdict follows the tests', async () => {
    const repo = 'acme/from-a-fork';
    const failing = await runTier(workspaceWith(2), { 'github-token': READ_ONLY, comment: 'always' }, pullRequest(repo, 11));
    expect(failing.exitCode).toBe(1);
    const notices = failing.annotations.filter((a) => a.level === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.message).toMatch(/may not write the check run or the pull-request comment .*Resource not accessible by integration.*workflow_run/);
    expect(failing.annotations.filter((a) => a.level === 'error' && a.file === 'web/src/many.test.js')).toHaveLength(2);
    expect(failing.summary).toContain('❌ unit tests failed');
    expect(failing.summary).toContain('Not published on GitHub: the token may not write');
    expect(failing.log).not.toContain(READ_ONLY);

    const passing = await runTier(workspaceWith(0), { 'github-token': READ_ONLY, comment: 'always' }, pullRequest(repo, 11));
    expect(passing.exitCode).toBe(0);
    expect(passing.annotations.filter((a) => a.level === 'warning' || a.level === 'error')).toEqual([]);
    expect(gh.checkRuns(repo)).toEqual([]);
    expect(gh.comments(repo, 11)).toEqual([]);
  });

  it('a GitHub outage (5xx): a warning, a bounded number of requests, and the verdict unchanged', async () => {
    const repo = 'acme/outage';
    gh.fail({ status: 503, match: /acme\/outage/ });
    try {
      const passing = await runTier(workspaceWith(0), { 'github-token': TOKEN, comment: 'always' }, pullRequest(repo, 5));
      expect(passing.exitCode).toBe(0);
      const warnings = passing.annotations.filter((a) => a.level === 'warning');
      expect(warnings.at(-1)?.message).toMatch(
        /Could not publish the unit results to GitHub \(the check run: POST \/repos\/acme\/outage\/check-runs: 503 .*the tier's verdict stands/,
      );
      // Three attempts at the check run, then nothing more is sent.
      expect(gh.requests.filter((q) => q.includes(repo))).toEqual(Array(3).fill(`POST /repos/${repo}/check-runs`));

      const failing = await runTier(workspaceWith(1), { 'github-token': TOKEN }, pullRequest(repo, 5));
      expect(failing.exitCode).toBe(1);
      expect(failing.outputs.failed).toBe('1');
    } finally {
      gh.clearFaults();
    }
  });

  it('a secondary rate limit is waited out as retry-after asks, then the run is published', async () => {
    const repo = 'acme/rate-limited';
    gh.fail({ status: 403, times: 1, retryAfterSeconds: 1, match: /check-runs/ });
    const r = await runTier(workspaceWith(1), { 'github-token': TOKEN }, pullRequest(repo, 2));
    expect(r.exitCode).toBe(1);
    expect(gh.checkRuns(repo)).toHaveLength(1);
    expect(r.log).toMatch(/secondary rate limit.*retrying in 1000 ms/);
  });

  it('workflow_run from the base repository: a fork’s results go on its pull request, named by the event artifact and confirmed by GitHub', async () => {
    const repo = 'acme/fork-publisher';
    const workflowRun = (number?: number) => ({
      repository: repo,
      eventName: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'f'.repeat(40),
      workflow: 'publish-test-results',
      apiUrl: gh.url,
      event: {
        workflow_run: {
          id: 99,
          name: 'test-tiers',
          event: 'pull_request',
          head_sha: HEAD,
          html_url: `https://github.com/${repo}/actions/runs/99`,
          // GitHub leaves this empty for a fork's pull request.
          pull_requests: number === undefined ? [] : [{ number, head: { sha: HEAD } }],
        },
      },
    });
    gh.addPullRequest(repo, 21, HEAD);
    const workspace = workspaceWith(2);
    writeFileSync(path.join(workspace, 'event.json'), JSON.stringify({ pull_request: { number: 21, head: { sha: HEAD } } }));
    const r = await runTier(workspace, { 'github-token': TOKEN, comment: 'always', 'event-file': 'event.json' }, workflowRun());
    expect(r.exitCode).toBe(1);
    expect(gh.checkRuns(repo).map((c) => [c.head_sha, c.details_url])).toEqual([[HEAD, `https://github.com/${repo}/actions/runs/99`]]);
    const comments = gh.comments(repo, 21);
    expect(comments).toHaveLength(1);
    // The marker names the triggering workflow, so the same-repository runs' comment is the same one.
    expect(comments[0]!.body.startsWith('<!-- commit-to-prod:run-test-tier tier=unit workflow=test-tiers -->')).toBe(true);
    expect(comments[0]!.body).toContain(`[workflow run](https://github.com/${repo}/actions/runs/99)`);

    // A forged event file naming another pull request: checked against GitHub, and not commented on.
    gh.addPullRequest(repo, 22, 'a'.repeat(40));
    const forged = workspaceWith(1);
    writeFileSync(path.join(forged, 'event.json'), JSON.stringify({ pull_request: { number: 22, head: { sha: HEAD } } }));
    const f = await runTier(forged, { 'github-token': TOKEN, comment: 'always', 'event-file': 'event.json' }, workflowRun());
    expect(f.exitCode).toBe(1);
    expect(gh.comments(repo, 22)).toEqual([]);
    expect(f.annotations.some((a) => a.level === 'warning' && /Not commenting on pull request #22: its head is a{40}/.test(a.message))).toBe(true);
    expect(gh.checkRuns(repo)).toHaveLength(2);

    // A same-repository pull request is named by the payload itself.
    const own = await runTier(workspaceWith(1), { 'github-token': TOKEN, comment: 'always' }, workflowRun(23));
    expect(own.exitCode).toBe(1);
    expect(gh.comments(repo, 23)).toHaveLength(1);
    expect(gh.requests.filter((q) => q.includes(`${repo}/pulls/23`))).toEqual([]);
  });

  it('a fork’s passing results through the workflow_run publisher never become a green check under the base repository’s check name', async () => {
    const repo = 'acme/fork-attack';
    // The attack: a fork's run uploads reports that all pass (whatever its code really does); the
    // base repository's publisher turns them into a check run on the fork's head commit.
    const forkRun = {
      repository: repo,
      eventName: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'f'.repeat(40),
      workflow: 'publish-test-results',
      apiUrl: gh.url,
      event: {
        repository: { full_name: repo },
        workflow_run: {
          id: 101,
          name: 'test-tiers',
          event: 'pull_request',
          head_sha: HEAD,
          head_repository: { full_name: 'mallory/fork-attack' },
          html_url: `https://github.com/${repo}/actions/runs/101`,
          pull_requests: [],
        },
      },
    };
    const r = await runTier(workspaceWith(0, 5), { 'github-token': TOKEN }, forkRun);
    expect(r.exitCode).toBe(0);
    const runs = gh.checkRuns(repo);
    expect(runs.map((c) => [c.name, c.conclusion])).toEqual([['unit tests (fork)', 'neutral']]);
    expect(runs.filter((c) => c.name === 'unit tests')).toEqual([]);
    expect(runs[0]!.output.title).toMatch(/^Reported by a fork's run, not checked by this repository/);
    expect(r.log).toMatch(/come from a fork \(mallory\/fork-attack\).*never as this repository's 'unit tests'/);

    // The same repository's own run (its head repository is the base) keeps the real name.
    const own = { ...forkRun, event: { ...forkRun.event, workflow_run: { ...forkRun.event.workflow_run, head_repository: { full_name: repo } } } };
    await runTier(workspaceWith(0, 5), { 'github-token': TOKEN }, own);
    expect(gh.checkRuns(repo).map((c) => [c.name, c.conclusion])).toEqual([
      ['unit tests (fork)', 'neutral'],
      ['unit tests', 'success'],
    ]);
  });

  it('a look-alike comment carrying our marker by someone else is left alone; mentions and references from test names reach nobody', async () => {
    const repo = 'acme/hijack';
    const planted = gh.addComment(repo, 12, '<!-- commit-to-prod:run-test-tier tier=unit workflow=ci -->\nAll green, merge away', 'mallory');
    const workspace = workspaceWith(0);
    writeFileSync(
      path.join(workspace, 'fixtures', 'junit.xml'),
      '<testsuite name="many" tests="1"><testcase classname="many" name="pings @acme/admins about #1 via https://evil.example" time="0.01"><failure message="cc @octocat, see GH-2">boom</failure></testcase></testsuite>',
    );
    const r = await runTier(workspace, { 'github-token': TOKEN }, pullRequest(repo, 12));
    expect(r.exitCode).toBe(1);
    const comments = gh.comments(repo, 12);
    expect(comments.map((c) => c.user.login)).toEqual(['mallory', 'github-actions[bot]']);
    expect(comments[0]!.body).toBe(planted.body);
    const ours = comments[1]!.body;
    const summary = gh.checkRuns(repo)[0]!.output.summary ?? '';
    for (const text of [ours, summary]) {
      for (const raw of ['@acme', '@octocat', '#1 ', 'GH-2', 'https://evil']) expect(text).not.toContain(raw);
      expect(text.replaceAll('\u200B', '')).toContain('pings @acme/admins about #1 via https://evil.example');
    }
  });

  it('with the base branch’s report: what is new, what failed there too, what no longer fails', async () => {
    const repo = 'acme/baseline';
    const base = await runTier(workspaceWith(2), {}, pullRequest(repo, 30));
    expect(base.exitCode).toBe(1);
    const workspace = workspaceWith(3);
    // The base branch failed cases 1 and 2, and a test since renamed.
    const baseline = JSON.parse(readFileSync(base.outputs.report!, 'utf8')) as { failures: { title: string }[] };
    baseline.failures.push({ ...baseline.failures[0]!, title: 'many › renamed' });
    writeFileSync(path.join(workspace, 'baseline.json'), JSON.stringify(baseline));
    const r = await runTier(workspace, { 'github-token': TOKEN, 'baseline-report': 'baseline.json' }, pullRequest(repo, 30));
    expect(r.exitCode).toBe(1);
    const body = gh.comments(repo, 30)[0]!.body;
    expect(body).toContain('Since the base branch: 1 new failure, 2 failing there too, 1 no longer failing.');
    expect(body).toMatch(/- ❌ 🆕 \*\*many › case 3\*\*/);
    expect(gh.checkRuns(repo)[0]!.output.summary).toContain('1 new failure');

    // A baseline that is not there yet compares with nothing; one that is not a report is refused.
    const none = await runTier(workspaceWith(1), { 'github-token': TOKEN, 'baseline-report': 'nowhere.json' }, pullRequest(repo, 31));
    expect(none.exitCode).toBe(1);
    expect(gh.comments(repo, 31)[0]!.body).not.toContain('Since the base branch');
    const wrong = workspaceWith(1);
    writeFileSync(path.join(wrong, 'baseline.json'), '{"not":"a report"}');
    const refused = await runTier(wrong, { 'github-token': TOKEN, 'baseline-report': 'baseline.json' }, pullRequest(repo, 32));
    expect(refused.exitCode).toBe(1);
    expect(refused.log).toMatch(/baseline-report.*commit-to-prod\/test-tier-report@1/);
    expect(refused.log).not.toContain('Running the unit tests');
  });

  it('through the runner’s proxy (http_proxy): GitHub is reached only through it, and the run is published', async () => {
    // The bundle loads undici on the first GitHub request (shared/core/undici-on-demand.ts): the proxy
    // dispatcher @actions/http-client makes must become undici's real ProxyAgent by then. The API's
    // host name resolves nowhere; only the proxy, which tunnels to the stand-in, can reach it.
    const proxy = await startConnectProxy(gh.url);
    try {
      const repo = 'acme/behind-a-proxy';
      const apiUrl = `http://api.github.proxied.test:${new URL(gh.url).port}`;
      const workspace = workspaceWith(2);
      ageFixtures(workspace);
      const r = await runBundle('run-test-tier', {
        workspace,
        inputs: { tier: 'unit', run: copyReports(), reports: 'build/test-results/*.xml', 'github-token': TOKEN },
        github: { ...pullRequest(repo, 9), apiUrl },
        env: { http_proxy: proxy.url },
      });
      expect(r.exitCode, r.log).toBe(1);
      expect(r.outputs.failed).toBe('2');
      expect(gh.checkRuns(repo)).toHaveLength(1);
      expect(gh.checkRuns(repo)[0]).toMatchObject({ name: 'unit tests', conclusion: 'failure' });
      expect(gh.requests.filter((q) => q.includes(repo))).toContain(`POST /repos/${repo}/check-runs`);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(apiUrl).host]));
      expect(proxy.refused).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('an event-file that does not exist is an input error', async () => {
    const r = await runTier(workspaceWith(0), { 'github-token': TOKEN, 'event-file': 'missing/event.json' }, pullRequest('acme/bad-event', 1));
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(/event-file.*missing\/event\.json/);
    expect(r.log).not.toContain('Running the unit tests');
  });

  it('rejects an unknown comment mode before anything runs', async () => {
    const r = await runTier(workspaceWith(0), { 'github-token': TOKEN, comment: 'sometimes' }, pullRequest('acme/bad-input', 1));
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(/comment/);
    expect(r.log).not.toContain('Running the unit tests');
    expect(gh.requests.filter((q) => q.includes('acme/bad-input'))).toEqual([]);
  });
});
