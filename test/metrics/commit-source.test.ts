import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { silentLogger } from '../../shared/core/logger.js';
import { openGitHubClient } from '../../shared/github/client.js';
import { openCommitSource } from '../../shared/metrics/commit-source.js';

/**
 * Commits for lead times: a real git history (with a merge) walked as `git log base..head`, and
 * the API (GraphQL `history`, through the stand-in validated against GitHub's schema) for commits
 * the checkout lacks.
 */
let dir: string;
let github: LocalGitHubApi;
const sha: Record<string, string> = {};

function git(...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).trim();
}
function commit(name: string, hour: number, message = name): void {
  writeFileSync(path.join(dir, name), name);
  git('add', name);
  const date = `2026-11-01T${String(hour).padStart(2, '0')}:00:00Z`;
  execFileSync('git', ['-C', dir, 'commit', '-q', '-m', message], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
      GIT_COMMITTER_DATE: date,
      GIT_AUTHOR_DATE: date,
    },
  });
  sha[name] = git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ctp-commits-'));
  git('init', '-q', '-b', 'main');
  for (const [i, name] of ['c1', 'c2', 'c3'].entries()) commit(name, i + 1);
  git('checkout', '-q', '-b', 'side');
  commit('s1', 4, 's1\n\nHotfix: true');
  git('checkout', '-q', 'main');
  commit('c4', 5);
  commit('c5', 6);
  execFileSync('git', ['-C', dir, 'merge', '-q', '--no-ff', '-m', 'merge side', 'side'], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
      GIT_COMMITTER_DATE: '2026-11-01T07:00:00Z',
    },
  });
  sha.m = git('rev-parse', 'HEAD');
  github = await startLocalGitHubApi({ token: 'ghs_test' });
  github.seedCommits('acme/app', [
    { sha: 'a'.repeat(40), parents: [], committedAt: '2026-10-01T10:00:00Z', message: 'first' },
    { sha: 'b'.repeat(40), parents: ['a'.repeat(40)], committedAt: '2026-10-02T10:00:00Z', message: 'second' },
    { sha: 'c'.repeat(40), parents: ['b'.repeat(40)], committedAt: '2026-10-03T10:00:00Z', message: 'third\n\nHotfix: true' },
  ]);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await github?.stop();
});

describe('openCommitSource', () => {
  it('reads ranges from the checked-out history as git does: base..head, merges included, nothing when head is behind', async () => {
    const source = await openCommitSource({ workspace: dir, client: undefined, repository: 'acme/app', logger: silentLogger });
    const shas = async (base: string, head: string) => (await source.between(sha[base]!, sha[head]!))?.map((c) => c.sha);
    expect(await shas('c2', 'c5')).toEqual([sha.c5, sha.c4, sha.c3]);
    // The merge brings the side branch's commit too, newest committer time first.
    expect(await shas('c5', 'm')).toEqual([sha.m, sha.s1]);
    // A rollback to an older commit brings nothing new.
    expect(await shas('c5', 'c2')).toEqual([]);
    expect(git('rev-list', '--count', `${sha.c2}..${sha.m}`)).toBe('5');
    expect(await shas('c2', 'm')).toHaveLength(5);
    expect(await source.commit(sha.s1!)).toEqual({ sha: sha.s1, committedAt: '2026-11-01T04:00:00.000Z', message: 's1\n\nHotfix: true' });
    expect(source.stats).toMatchObject({ fromHistory: 5, fromApi: 0 });
  });

  it('reads what the checkout lacks through the API (one GraphQL request per 100 commits), and says when neither knows', async () => {
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger });
    const source = await openCommitSource({ workspace: dir, client, repository: 'acme/app', logger: silentLogger });
    expect(await source.between('a'.repeat(40), 'c'.repeat(40))).toEqual([
      { sha: 'c'.repeat(40), committedAt: '2026-10-03T10:00:00Z', message: 'third\n\nHotfix: true' },
      { sha: 'b'.repeat(40), committedAt: '2026-10-02T10:00:00Z', message: 'second' },
    ]);
    expect(await source.commit('b'.repeat(40))).toMatchObject({ message: 'second' });
    expect(await source.between('f'.repeat(40), 'c'.repeat(40))).toBeUndefined();
    // Asked again: answered from what was read.
    await source.between('a'.repeat(40), 'c'.repeat(40));
    expect(client.requests).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql']);
    expect(source.stats).toMatchObject({ fromApi: 2, unknown: 1 });
  });
});
