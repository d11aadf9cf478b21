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
