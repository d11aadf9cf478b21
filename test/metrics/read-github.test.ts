import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { UserError } from '../../shared/core/errors.js';
import { silentLogger } from '../../shared/core/logger.js';
import { openGitHubClient } from '../../shared/github/client.js';
import { GitHubUnavailableError, readGitHubReleases } from '../../shared/metrics/read-github.js';
import { parseWindow } from '../../shared/metrics/window.js';
import { seedRelease, shaOf } from '../helpers/release-history.js';

/**
 * The GitHub reader against the stand-in's GraphQL endpoint (validated against GitHub's schema):
 * a seeded history of hundreds of releases read in pages of 100, with the number of requests
 * worked out from the seeding, every release timed by createdAt, only our identity's records.
 */
const REPO = 'acme/payments-api';
const HOUR = 3_600_000;
const now = new Date();
let github: LocalGitHubApi;

// 400 production releases, one every 6 hours back from a minute ago (100 days); every tenth (i % 10 = 5) rolled back by an alarm.
const at = (i: number) => new Date(now.getTime() - 60_000 - i * 6 * HOUR);
beforeAll(async () => {
  github = await startLocalGitHubApi({ token: 'ghs_test', withoutDeploymentsTokens: ['ghs_nodeploy'] });
  for (let i = 399; i >= 0; i--) {
    const failed = i % 10 === 5;
    seedRelease(github, REPO, {
      environment: 'production',
      sha: shaOf(i),
      at: at(i),
      ...(failed ? { outcome: 'rolled-back', cause: 'alarm-rollback', by: 'ecs', served: 'yes' } : {}),
      // GitHub marks an older success inactive when a newer one succeeds: a status days later, which moves updatedAt.
      extraStatuses: failed ? [] : [{ state: 'inactive', description: 'superseded', createdAt: new Date(at(i).getTime() + 72 * HOUR).toISOString() }],
    });
  }
  // Someone else's deployments and statuses: never releases of ours.
  for (let i = 0; i < 5; i++) seedRelease(github, REPO, { environment: 'production', sha: shaOf(i, 'e'), at: at(i * 7 + 3), creator: 'mallory' });
  seedRelease(github, REPO, {
    environment: 'production',
    sha: shaOf(1000),
    at: new Date(now.getTime() - 2 * HOUR),
    outcome: 'rolled-back',
    cause: 'alarm',
    by: 'action',
    served: 'yes',
    extraStatuses: [
      { state: 'success', description: 'All good [outcome=succeeded served=yes]', createdAt: new Date(now.getTime() - HOUR).toISOString(), creator: 'mallory' },
    ],
  });
  for (let i = 0; i < 30; i++) seedRelease(github, REPO, { environment: 'staging', sha: shaOf(i, 'b'), at: at(i) });
});
afterAll(() => github.stop());

const request = (overrides: Partial<Parameters<typeof readGitHubReleases>[1]> = {}) => ({
  repository: REPO,
  environments: ['production'],
  window: parseWindow('30d', now),
  identity: 'github-actions[bot]',
  inputNames: { token: 'github-token', environment: 'environment' },
  logger: silentLogger,
  ...overrides,
});

describe('readGitHubReleases', () => {
  it('pages a history of 400 releases 100 at a time, to just past the previous window and the success before it', async () => {
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger, readOnly: true });
    const read = await readGitHubReleases(client, request());
    // Created within 60 days (this window and the one before): i·6 h + 1 min ≤ 60 d → i = 0…239, 240 releases,
    // plus our rolled-back one 2 h ago; the success before that is i = 240 (240 % 10 ≠ 5).
    expect(read.releases).toHaveLength(242);
    expect(read.releases.at(-1)?.record.sha).toBe(shaOf(240));
    // 405 + 1 deployments newest first; i = 240 is the 247th node (5 of mallory's and ours of 2 h ago before it), on page 3.
    expect(read.pages).toBe(3);
    expect(client.requests).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql']);
    // mallory's 5 deployments on those pages, and the success status she added to ours.
    expect(read.notOurs).toBe(6);
  });

  it('times a release by createdAt and its end by the closing status, never updatedAt; trusts only our statuses', async () => {
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger, readOnly: true });
    const { releases } = await readGitHubReleases(client, request());
    const r7 = releases.find((r) => r.record.sha === shaOf(7))!;
    expect(r7.createdAt).toBe(at(7).toISOString());
    expect(r7.finishedAt).toBe(new Date(at(7).getTime() + 5 * 60_000).toISOString());
    expect(r7.serviceUpdatedAt).toBe(new Date(at(7).getTime() + 60_000).toISOString());
    expect(r7.record).toMatchObject({ outcome: 'succeeded', served: 'yes', environment: 'production', kind: 'deploy' });
    expect(r7.logUrl).toMatch(/^https:\/\/github\.com\/acme\/payments-api\/actions\/runs\/\d+$/);
    expect(releases.find((r) => r.record.sha === shaOf(15))?.record).toMatchObject({ outcome: 'rolled-back', cause: 'alarm-rollback', rolledBackBy: 'ecs' });
    // mallory's later "success" on our rolled-back release is not read.
    expect(releases.find((r) => r.record.sha === shaOf(1000))?.record).toMatchObject({ outcome: 'rolled-back', cause: 'alarm', rolledBackBy: 'action' });
    expect(releases.some((r) => r.record.sha?.startsWith('e'))).toBe(false);
    expect(releases.every((r) => r.source === 'github' && /^\d+$/.test(r.id))).toBe(true);
  });

  it('reads several environments in the same pages', async () => {
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger, readOnly: true });
    const read = await readGitHubReleases(client, request({ environments: ['production', 'staging'] }));
    expect(read.releases.filter((r) => r.record.environment === 'staging')).toHaveLength(30);
    expect(read.releases.filter((r) => r.record.environment === 'production')).toHaveLength(242);
  });

  it('names the input for an environment the repository does not have, and for a token without deployments: read', async () => {
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger, readOnly: true });
    const unknown = readGitHubReleases(client, request({ environments: ['production', 'prod'] }));
    await expect(unknown).rejects.toThrow(UserError);
    await expect(unknown).rejects.toThrow(/Input 'environment': acme\/payments-api has no environment "prod"/);
    const weak = await openGitHubClient({ token: 'ghs_nodeploy', apiUrl: github.url, logger: silentLogger, readOnly: true });
    await expect(readGitHubReleases(weak, request())).rejects.toThrow(/Input 'github-token': the token may not read deployments of acme\/payments-api/);
  });

  it('tells an outage apart (after the client retried it), so the caller can read the ECS tags instead', async () => {
    github.fail({ status: 503, match: /^POST \/graphql/ });
    try {
      const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger, pacing: { secondMs: 1 } });
      await expect(readGitHubReleases(client, request())).rejects.toThrow(GitHubUnavailableError);
      expect(client.requests).toHaveLength(3);
    } finally {
      github.clearFaults();
    }
  });
});
