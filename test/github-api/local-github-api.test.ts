/**
 * The local GitHub API stand-in, driven by the same Octokit the actions use (@actions/github), so
 * what the deploy and rollback actions record and read back is what GitHub would answer.
 */
import { getOctokit } from '@actions/github';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { createDeploymentRecord } from '../../shared/github/deployments.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { refusedByModel } from '../helpers/conformance.js';

const TOKEN = 'ghs_standin';
const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);
let gh: LocalGitHubApi;
beforeAll(async () => {
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  await gh?.stop();
});

describe('local GitHub API: deployments and statuses', () => {
  it('creates, filters and pages deployments, newest first', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'filters' };
    for (const [sha, environment] of [
      [SHA1, 'staging'],
      [SHA1, 'production'],
      [SHA2, 'production'],
    ] as const) {
      const created = await octokit.rest.repos.createDeployment({
        ...repo,
        ref: sha,
        environment,
        payload: { n: `${sha[0]}-${environment}` },
        required_contexts: [],
        auto_merge: false,
      });
      expect(created.status).toBe(201);
    }
    const prod = await octokit.rest.repos.listDeployments({ ...repo, environment: 'production' });
    expect(prod.data.map((d) => d.payload)).toEqual([{ n: '2-production' }, { n: '1-production' }]);
    const bySha = await octokit.rest.repos.listDeployments({ ...repo, sha: SHA1 });
    expect(bySha.data.map((d) => d.environment)).toEqual(['production', 'staging']);
    const page2 = await octokit.rest.repos.listDeployments({ ...repo, per_page: 2, page: 2 });
    expect(page2.data).toHaveLength(1);
    const other = await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'other' });
    expect(other.data).toEqual([]);
  });

  it('records statuses newest first and marks older successful deployments inactive', async () => {
    const octokit = getOctokit(TOKEN, { baseUrl: gh.url });
    const repo = { owner: 'acme', repo: 'statuses' };
    const ids: number[] = [];
    for (const sha of [SHA1, SHA2]) {
      const d = await octokit.rest.repos.createDeployment({ ...repo, ref: sha, environment: 'production', required_contexts: [] });
      const id = (d.data as { id: number }).id;
      ids.push(id);
      await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'in_progress', log_url: 'https://run/1' });
      await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: id, state: 'success', log_url: 'https://run/1' });
    }
    const first = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: ids[0]! });
    expect(first.data.map((s) => s.state)).toEqual(['inactive', 'success', 'in_progress']);
    const second = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: ids[1]! });
    expect(second.data.map((s) => s.state)).toEqual(['success', 'in_progress']);
    expect(second.data[0]!.log_url).toBe('https://run/1');
    await refusedByModel(() =>
      expect(octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: ids[0]!, state: 'bogus' as 'success' })).rejects.toMatchObject({
        status: 422,
      }),
    );
    await expect(octokit.rest.repos.getDeployment({ ...repo, deployment_id: 9999 })).rejects.toMatchObject({ status: 404 });
  });

  it('refuses a wrong token, and the deploy record degrades to a warning', async () => {
    const logger = new MemoryLogger();
    const record = await createDeploymentRecord(
      { token: 'wrong', apiUrl: gh.url, repository: 'acme/auth', ref: SHA1, environment: 'production', description: 'x', payload: {} },
      logger,
    );
    expect(record).toBeUndefined();
    expect(logger.annotations).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(/Could not create a GitHub deployment record .*Bad credentials/) }),
    ]);
    expect(gh.deployments('acme/auth')).toEqual([]);
  });
});

describe('the deploy record through the one GitHub client: a status write is retried before it degrades to a warning', () => {
  /** A second of the client's waits lasts 10 ms here. */
  const pacing = { secondMs: 10, writeIntervalMs: 0 };
  const open = async (repo: string, logger: MemoryLogger) => {
    const record = await createDeploymentRecord(
      { token: TOKEN, apiUrl: gh.url, repository: repo, ref: SHA1, environment: 'production', description: 'deploy', payload: {}, pacing },
      logger,
    );
    expect(record).toBeDefined();
    return record!;
  };
  const states = (repo: string) => gh.deployments(repo)[0]!.statuses.map((s) => s.state);

  it('a 5xx on the status write: tried again, and the status is recorded', async () => {
    const repo = 'acme/status-5xx';
    const logger = new MemoryLogger();
    const record = await open(repo, logger);
    gh.fail({ status: 502, times: 2, match: new RegExp(`POST /repos/${repo}/deployments/\\d+/statuses`) });
    await record.setStatus('in_progress', 'deploying');
    expect(states(repo)).toEqual(['in_progress']);
    const writes = gh.requests.filter((q) => q.startsWith(`POST /repos/${repo}/deployments/${record.id}/statuses`));
    expect(writes).toHaveLength(3);
    expect(logger.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/statuses failed \(502 .*\); trying again \(attempt 2 of 3\)/),
      expect.stringMatching(/statuses failed \(502 .*\); trying again \(attempt 3 of 3\)/),
    ]);
  });

  it('a secondary rate limit (retry-after, or x-ratelimit-remaining: 0 and a reset) on the status write: waited out, then recorded', async () => {
    const repo = 'acme/status-limited';
    const logger = new MemoryLogger();
    const record = await open(repo, logger);
    gh.fail({ status: 403, times: 1, retryAfterSeconds: 5, match: new RegExp(`POST /repos/${repo}/deployments/\\d+/statuses`) });
    await record.setStatus('in_progress', 'deploying');
    gh.fail({ status: 429, times: 1, rateLimitResetSeconds: 1, secondary: true, match: new RegExp(`POST /repos/${repo}/deployments/\\d+/statuses`) });
    await record.setStatus('success', 'deployed');
    expect(states(repo)).toEqual(['success', 'in_progress']);
    expect(logger.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/statuses met a secondary rate limit; retrying in 5000 ms \(attempt 2 of 3\)/),
      expect.stringMatching(/statuses met a secondary rate limit; retrying in 60000 ms \(attempt 2 of 3\)/),
    ]);
  });

  it('GitHub still failing after the last attempt: one warning, and the deploy goes on', async () => {
    const repo = 'acme/status-down';
    const logger = new MemoryLogger();
    const record = await open(repo, logger);
    gh.fail({ status: 503, match: new RegExp(`POST /repos/${repo}/deployments/\\d+/statuses`) });
    try {
      await expect(record.setStatus('failure', 'rolled back')).resolves.toBeUndefined();
    } finally {
      gh.clearFaults();
    }
    expect(states(repo)).toEqual([]);
    expect(logger.annotations.at(-1)?.message).toMatch(
      new RegExp(`Could not set GitHub deployment ${record.id} to failure: POST /repos/${repo}/deployments/${record.id}/statuses: 503 `),
    );
  });
});
