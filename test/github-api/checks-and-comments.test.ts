/**
 * The stand-in's check runs and issue comments, driven by Octokit (@actions/github), GitHub's own
 * client: the shapes it sends and reads are GitHub's, and the stand-in answers as GitHub's docs
 * and error messages say — 50 annotations per request, 65,535 bytes of summary, 403 for a
 * read-only token, faults on demand.
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { refusedByModel } from '../helpers/conformance.js';

const TOKEN = 'ghs_checks';
const READ_ONLY = 'ghs_checks_readonly';
const SHA = 'c'.repeat(40);
let gh: LocalGitHubApi;
beforeAll(async () => {
  gh = await startLocalGitHubApi({ token: TOKEN, readOnlyTokens: [READ_ONLY] });
});
afterAll(async () => {
  await gh?.stop();
});

const annotation = (i: number) => ({ path: 'src/a.ts', start_line: i + 1, end_line: i + 1, annotation_level: 'failure' as const, message: `m${i}` });

/** The status and body of a request Octokit rejected. */
async function rejection(promise: Promise<unknown>): Promise<{ status: number; message: string; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status: number; message: string; response?: { data: unknown } };
    return { status: e.status, message: e.message, data: e.response?.data };
  }
  throw new Error('the request succeeded');
}

describe('local GitHub API: check runs', () => {
  it('creates a completed run, appends annotations on update, and lists them page by page', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'checks' };
    const created = await octokit.rest.checks.create({
      ...repo,
      name: 'unit tests',
      head_sha: SHA,
      conclusion: 'failure',
      output: { title: 't', summary: 's', annotations: Array.from({ length: 50 }, (_, i) => annotation(i)) },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'unit tests', head_sha: SHA, status: 'completed', conclusion: 'failure' });
    expect(created.data.html_url).toBe(`https://github.com/acme/checks/runs/${created.data.id}`);
    const updated = await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      output: { summary: 's2', annotations: Array.from({ length: 20 }, (_, i) => annotation(50 + i)) },
    });
    expect(updated.data.output).toMatchObject({ title: 't', summary: 's2', annotations_count: 70 });
    const all = await octokit.paginate(octokit.rest.checks.listAnnotations, { ...repo, check_run_id: created.data.id, per_page: 30 });
    expect(all.map((a) => a.message)).toEqual(Array.from({ length: 70 }, (_, i) => `m${i}`));
    expect(all[0]?.blob_href).toBe(`https://github.com/acme/checks/blob/${SHA}/src/a.ts`);
    expect(gh.checkRuns('acme/checks')[0]?.annotationBatches).toEqual([50, 20]);
  });

  it('answers 422 as GitHub does: 51 annotations, a summary over 65,535 bytes, a bad annotation, an unknown commit', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'limits' };
    const base = { ...repo, name: 'unit tests', head_sha: SHA, conclusion: 'success' as const };
    // 51 annotations and a text over 65,535 characters break the description's maxItems and
    // maxLength: declared, and refused.
    const tooMany = await refusedByModel(() =>
      rejection(
        octokit.rest.checks.create({ ...base, output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, (_, i) => annotation(i)) } }),
      ),
    );
    expect(tooMany).toMatchObject({ status: 422, data: { message: 'Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.' } });
    // 30,000 two-byte characters: under 65,535 characters, over 65,535 bytes.
    const big = await rejection(octokit.rest.checks.create({ ...base, output: { title: 't', summary: 'é'.repeat(33_000) } }));
    expect(big).toMatchObject({
      status: 422,
      data: { errors: [{ resource: 'CheckRun', field: 'summary', message: 'summary exceeds a maximum bytesize of 65535' }] },
    });
    const text = await refusedByModel(() => rejection(octokit.rest.checks.create({ ...base, output: { title: 't', summary: 's', text: 'x'.repeat(65_536) } })));
    expect(text).toMatchObject({ status: 422, data: { errors: [{ field: 'text' }] } });
    const noLine = await rejection(
      octokit.rest.checks.create({ ...base, output: { title: 't', summary: 's', annotations: [{ ...annotation(0), start_line: 0 }] } }),
    );
    expect(noLine.status).toBe(422);
    const columns = await rejection(
      octokit.rest.checks.create({ ...base, output: { title: 't', summary: 's', annotations: [{ ...annotation(0), end_line: 3, start_column: 1 }] } }),
    );
    expect(columns.status).toBe(422);
    const sha = await rejection(octokit.rest.checks.create({ ...base, head_sha: 'main' }));
    expect(sha).toMatchObject({ status: 422, data: { errors: [{ message: 'No commit found for SHA: main' }] } });
    const exactly = await octokit.rest.checks.create({ ...base, output: { title: 't', summary: 'x'.repeat(65_535) } });
    expect(exactly.status).toBe(201);
    expect(gh.checkRuns('acme/limits')).toHaveLength(1);
  });
});

describe('local GitHub API: issue comments', () => {
  it('lists with paging and a Link header, creates and updates', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'comments' };
    for (let i = 0; i < 5; i++) gh.addComment('acme/comments', 4, `note ${i}`, 'reviewer');
    const mine = await octokit.rest.issues.createComment({ ...repo, issue_number: 4, body: 'first' });
    expect(mine.status).toBe(201);
    expect(mine.data.user?.login).toBe('github-actions[bot]');
    const page = await octokit.rest.issues.listComments({ ...repo, issue_number: 4, per_page: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: 4, per_page: 2 });
    expect(all.map((c) => c.body)).toEqual(['note 0', 'note 1', 'note 2', 'note 3', 'note 4', 'first']);
    const edited = await octokit.rest.issues.updateComment({ ...repo, comment_id: mine.data.id, body: 'second' });
    expect(edited.data.body).toBe('second');
    expect(gh.comments('acme/comments', 4).at(-1)?.body).toBe('second');
    const other = await octokit.rest.issues.listComments({ ...repo, issue_number: 5 });
    expect(other.data).toEqual([]);
    const tooLong = await rejection(octokit.rest.issues.createComment({ ...repo, issue_number: 4, body: 'x'.repeat(65_537) }));
    expect(tooLong).toMatchObject({ status: 422, data: { errors: [{ resource: 'IssueComment', message: 'Body is too long (maximum is 65536 characters)' }] } });
    const missing = await rejection(octokit.rest.issues.updateComment({ ...repo, comment_id: 999_999, body: 'x' }));
    expect(missing.status).toBe(404);
  });
});

describe('local GitHub API: tokens and faults', () => {
  it('a read-only token reads but every write is 403 "Resource not accessible by integration"', async () => {
    const octokit = getOctokit(READ_ONLY, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'fork-pr' };
    expect((await octokit.rest.issues.listComments({ ...repo, issue_number: 1 })).status).toBe(200);
    const check = await rejection(octokit.rest.checks.create({ ...repo, name: 'n', head_sha: SHA }));
    expect(check).toMatchObject({ status: 403, data: { message: 'Resource not accessible by integration' } });
    const comment = await rejection(octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: 'x' }));
    expect(comment.status).toBe(403);
    const bad = await rejection(getOctokit('ghs_wrong', { baseUrl: gh.url }).rest.issues.listComments({ ...repo, issue_number: 1 }));
    expect(bad.status).toBe(401);
    expect(gh.checkRuns('acme/fork-pr')).toEqual([]);
  });

  it('serves faults on demand: a count of 5xx, and a secondary rate limit with retry-after', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'faults' };
    gh.fail({ status: 502, times: 2, match: /acme\/faults/ });
    expect((await rejection(octokit.rest.issues.listComments({ ...repo, issue_number: 1 }))).status).toBe(502);
    expect((await rejection(octokit.rest.issues.listComments({ ...repo, issue_number: 1 }))).status).toBe(502);
    expect((await octokit.rest.issues.listComments({ ...repo, issue_number: 1 })).status).toBe(200);
    gh.fail({ status: 429, times: 1, retryAfterSeconds: 7 });
    const limited = await fetch(`${gh.url}/repos/acme/faults/issues/1/comments`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    gh.clearFaults();
  });

  it('serves a limit told by headers, as GitHub documents it: x-ratelimit-remaining 0 and the reset time', async () => {
    gh.fail({ status: 403, times: 2, rateLimitResetSeconds: 30, match: /acme\/headers/ });
    const primary = await fetch(`${gh.url}/repos/acme/headers/issues/1/comments`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(primary.status).toBe(403);
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(primary.headers.get('x-ratelimit-reset')) - Date.now() / 1_000).toBeGreaterThan(25);
    expect(((await primary.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/);
    gh.clearFaults();
    gh.fail({ status: 429, times: 1, rateLimitResetSeconds: 5, secondary: true });
    const secondary = await fetch(`${gh.url}/repos/acme/headers/issues/1/comments`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(secondary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(((await secondary.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    gh.clearFaults();
  });
});

describe('local GitHub API: identities', () => {
  it('a token writes as its identity (comments, deployments); any other as github-actions[bot]', async () => {
    const app = await startLocalGitHubApi({ identities: { ghs_app: 'deploy-app[bot]', ghp_user: 'octocat' } });
    try {
      const repo = { owner: 'acme', repo: 'who' };
      const comment = async (token: string) =>
        (await getOctokit(token, { baseUrl: app.url }).rest.issues.createComment({ ...repo, issue_number: 1, body: 'x' })).data.user;
      expect(await comment('ghs_app')).toMatchObject({ login: 'deploy-app[bot]', type: 'Bot' });
      expect(await comment('ghp_user')).toMatchObject({ login: 'octocat', type: 'User' });
      expect(await comment('ghs_other')).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' });
      const d = await getOctokit('ghs_app', { baseUrl: app.url }).rest.repos.createDeployment({ ...repo, ref: SHA, required_contexts: [] });
      expect((d.data as { creator: { login: string } }).creator.login).toBe('deploy-app[bot]');
    } finally {
      await app.stop();
    }
  });
});
