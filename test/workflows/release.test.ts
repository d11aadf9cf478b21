/**
 * .github/workflows/release.yml itself, run by the local workflow runner against the GitHub
 * stand-in (releases and git refs, held to GitHub's OpenAPI description by the conformance layer)
 * on a scratch repository shaped like this one: actions/*, a package.json whose `check-dist` and
 * a `.ci/run` stand for the real dist/ check and suite (running the real suite inside a test is not
 * the point: which job runs what, and what is published when, is).
 */
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { runWorkflow } from '../../local/workflow-runner/run-workflow.js';
import { git, scratchDirs } from './scratch.js';

const temp = scratchDirs();
const TOKEN = 'ghs_release_test';
let github: LocalGitHubApi;
beforeAll(async () => {
  github = await startLocalGitHubApi({ token: TOKEN, immutableReleases: ['acme/commit-to-prod', 'acme/failing', 'acme/off-main'] });
});
afterAll(() => github?.stop());

/** A repository shaped like this one, with release.yml copied unchanged; `suite` is what .ci/run does. */
function repository(suite: string): { dir: string; sha: string } {
  const dir = temp('ctp-release-');
  for (const action of ['build-push-image', 'rollback']) {
    mkdirSync(path.join(dir, 'actions', action), { recursive: true });
    writeFileSync(path.join(dir, 'actions', action, 'action.yml'), `name: ${action}\nruns:\n  using: node24\n  main: ../../dist/${action}/index.js\n`);
  }
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'scratch-release', version: '1.0.0', private: true, scripts: { 'check-dist': 'echo dist/ matches the sources' } }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'scratch-release', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'scratch-release', version: '1.0.0' } } }, null, 2)}\n`,
  );
  mkdirSync(path.join(dir, '.ci'));
  writeFileSync(path.join(dir, '.ci/run'), `#!/usr/bin/env bash\n${suite}\n`);
  chmodSync(path.join(dir, '.ci/run'), 0o755);
  mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
  copyFileSync(path.join(repoRoot, '.github/workflows/release.yml'), path.join(dir, '.github/workflows/release.yml'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'first');
  git(dir, 'tag', 'v1.1.0');
  writeFileSync(path.join(dir, 'CHANGES'), 'a change\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'second');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

async function release(repo: { dir: string; sha: string }, name: string, tag: string) {
  git(repo.dir, 'tag', tag, repo.sha);
  const lines: string[] = [];
  const result = await runWorkflow(path.join(repo.dir, '.github/workflows/release.yml'), {
    event: 'push',
    workspace: repo.dir,
    secrets: { GITHUB_TOKEN: TOKEN },
    stateDir: temp('ctp-release-state-'),
    github: { repository: name, sha: repo.sha, ref: `refs/tags/${tag}`, apiUrl: github.url, defaultBranch: 'main' },
    onLog: (l) => lines.push(l),
  });
  return { ...result, log: lines.join('\n'), job: (id: string) => result.jobs.find((j) => j.id === id)! };
}

describe('release.yml through the local runner, against the GitHub stand-in', () => {
  it('drafts the release with its notes, publishes it (immutable) after verify, then moves the major tag', async () => {
    const repo = repository('echo the suite passed');
    github.setRef('acme/commit-to-prod', 'refs/tags/v1', 'e'.repeat(40));
    const run = await release(repo, 'acme/commit-to-prod', 'v1.2.0');
    expect(run.conclusion, run.log).toBe('success');
    expect(run.jobs.map((j) => [j.id, j.result])).toEqual([
      ['draft', 'success'],
      ['verify', 'success'],
      ['publish', 'success'],
    ]);
    const [published] = github.releases('acme/commit-to-prod');
    expect(published).toMatchObject({ tag_name: 'v1.2.0', target_commitish: repo.sha, draft: false, immutable: true });
    const notes = published!.body!;
    expect(notes).toContain(`- uses: acme/commit-to-prod/actions/build-push-image@${repo.sha} # v1.2.0`);
    expect(notes).toContain(`- uses: acme/commit-to-prod/actions/rollback@${repo.sha} # v1.2.0`);
    expect(notes).toContain('gh release verify v1.2.0 --repo acme/commit-to-prod');
    expect(notes).toContain(`\`npm run check-dist\` rebuilt \`dist/\` from the sources at ${repo.sha}`);
    // What changed since the previous version tag, as GitHub generates it.
    expect(notes).toContain('**Full Changelog**: https://github.com/acme/commit-to-prod/compare/v1.1.0...v1.2.0');
    expect(github.refs('acme/commit-to-prod')).toMatchObject({ 'refs/tags/v1': repo.sha, 'refs/tags/v1.2.0': repo.sha });
    // The draft came before the tests, the publishing after them.
    const requests = github.requests.filter((r) => r.includes('/repos/acme/commit-to-prod/'));
    expect(requests).toEqual([
      'POST /repos/acme/commit-to-prod/releases/generate-notes',
      'POST /repos/acme/commit-to-prod/releases',
      `PATCH /repos/acme/commit-to-prod/releases/${published!.id}`,
      'GET /repos/acme/commit-to-prod/git/ref/tags/v1',
      'PATCH /repos/acme/commit-to-prod/git/refs/tags/v1',
    ]);
    expect(run.job('publish').summary).toContain('Released v1.2.0 (immutable); v1 →');
  });

  it('a failing suite leaves the draft unpublished and the major tag where it was', async () => {
    const repo = repository('echo a test failed; exit 1');
    const run = await release(repo, 'acme/failing', 'v2.0.0');
    expect(run.conclusion).toBe('failure');
    expect(run.jobs.map((j) => [j.id, j.result])).toEqual([
      ['draft', 'success'],
      ['verify', 'failure'],
      ['publish', 'skipped'],
    ]);
    expect(github.releases('acme/failing')).toEqual([expect.objectContaining({ tag_name: 'v2.0.0', draft: true, immutable: false, published_at: null })]);
    expect(github.refs('acme/failing')).toEqual({});
  });

  it('a release GitHub did not make immutable stops before the major tag moves, saying which setting to turn on', async () => {
    const repo = repository('true');
    const run = await release(repo, 'acme/mutable', 'v1.0.0');
    expect(run.job('publish').result).toBe('failure');
    expect(run.log).toContain(
      "v1.0.0 was published but is not immutable: turn on Settings → General → Releases → 'Enable release immutability' (v1 was not moved)",
    );
    expect(github.refs('acme/mutable')).toEqual({ 'refs/tags/v1.0.0': repo.sha });
  });

  it('a tag that is not on main drafts nothing', async () => {
    const repo = repository('true');
    git(repo.dir, 'checkout', '-q', '-b', 'side');
    writeFileSync(path.join(repo.dir, 'SIDE'), 'x\n');
    git(repo.dir, 'add', '-A');
    git(repo.dir, 'commit', '-q', '-m', 'side');
    const side = { dir: repo.dir, sha: git(repo.dir, 'rev-parse', 'HEAD') };
    const run = await release(side, 'acme/off-main', 'v1.3.0');
    expect(run.job('draft').result).toBe('failure');
    expect(run.log).toContain(`v1.3.0 (${side.sha}) is not a commit of main`);
    expect(github.releases('acme/off-main')).toEqual([]);
  });
});
