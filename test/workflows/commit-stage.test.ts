import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { type JobRunResult, runWorkflow, type RunWorkflowOptions } from '../../local/workflow-runner/run-workflow.js';
import { fileSeconds, skewedSuite, writeSuite } from '../run-test-tier/generated-suite.js';
import { git, scratchDirs } from './scratch.js';

// workflows-examples/commit-stage.yml itself, run by the local workflow runner on a generated
// suite of 24 test files: the build in the busybox image, the unit tier as a matrix of 4 shards
// (in that image too), the merge job with the budget, and the timings that the default branch
// saves through actions/cache and a pull request's run splits by and compares with.

const temp = scratchDirs();

const vars = {
  BUILD_IMAGE: 'ctp/busybox:latest',
  BUILD_COMMAND: 'sh build.sh',
  BUILD_OUTPUT: 'build',
  UNIT_TEST_FILES: 'tests/*.test.sh',
  UNIT_TEST_COMMAND: 'sh bin/run-tests.sh "$TEST_SHARD_FILES" build/test-results',
  UNIT_TEST_REPORTS: 'build/test-results/*.xml',
};

/** Commits the suite (with one failing test, or none) and the example workflow; returns the commit. */
function commit(repo: string, failing: number[] = []): string {
  writeSuite(skewedSuite(24, { failing }), repo);
  writeFileSync(path.join(repo, 'build.sh'), 'mkdir -p build && echo built > build/app.txt\n');
  mkdirSync(path.join(repo, '.github/workflows'), { recursive: true });
  copyFileSync(path.join(repoRoot, 'workflows-examples/commit-stage.yml'), path.join(repo, '.github/workflows/commit-stage.yml'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', `suite, failing: ${failing.join(',') || 'none'}`);
  return git(repo, 'rev-parse', 'HEAD');
}

async function run(repo: string, sha: string, stateDir: string, options: RunWorkflowOptions) {
  const lines: string[] = [];
  const result = await runWorkflow(path.join(repo, '.github/workflows/commit-stage.yml'), {
    workspace: repo,
    stateDir,
    vars,
    onLog: (l) => lines.push(l),
    ...options,
    github: { repository: 'acme/app', sha, defaultBranch: 'main', ...options.github },
  });
  return { ...result, log: lines.join('\n') };
}

/** Each shard's files and expected seconds, from its job summary. */
function shardRows(jobs: JobRunResult[]): { files: number; expected: string }[] {
  return jobs
    .filter((j) => j.id === 'unit')
    .map((j) => {
      const m = /Shard<\/td><td>\d\/4: (\d+) of 24 test files[^;]*; expected ([^ ]+) /.exec(j.summary);
      expect(m, j.summary).not.toBeNull();
      return { files: Number(m![1]), expected: m![2]! };
    });
}

describe('workflows-examples/commit-stage.yml: the sharded unit tier', () => {
  it('on main: four shards and one verdict, timings saved; on a pull request: split by them and compared with main', async () => {
    const repo = temp('ctp-commit-stage-repo-');
    git(repo, 'init', '-q', '-b', 'main');
    const stateDir = temp('ctp-commit-stage-state-');

    // The default branch: pipeline.yml calls the commit stage on every push to main.
    const main = await run(repo, commit(repo), stateDir, { event: 'workflow_call', github: { ref: 'refs/heads/main' } });
    expect(main.conclusion, main.log).toBe('success');
    expect(main.jobs.map((j) => [j.id, j.result])).toEqual([
      ['build', 'success'],
      ['unit', 'success'],
      ['unit', 'success'],
      ['unit', 'success'],
      ['unit', 'success'],
      ['unit-tier', 'success'],
    ]);
    // No timings yet (the cache missed): every file counts the same, 6 a shard.
    expect(shardRows(main.jobs).map((r) => r.files)).toEqual([6, 6, 6, 6]);
    const tier = main.jobs.find((j) => j.id === 'unit-tier')!;
    const verdict = tier.steps.find((s) => s.id === 'unit')!;
    expect(verdict.outputs).toMatchObject({ total: '48', passed: '48', failed: '0', 'budget-exceeded': 'false' });
    expect(tier.summary).toMatch(/Split<\/td><td>4 of 4 shards reported; the slowest, \d\/4, took/);
    expect(tier.summary).toContain('| unit tier | 48 passed, 0 failed in');
    expect(main.log).toMatch(/Cache saved with key: unit-timings-/);

    // A pull request with one new failure: its shards split by main's times, and its verdict
    // says what changed since main.
    const suite = skewedSuite(24);
    const total = suite.reduce((sum, f) => sum + fileSeconds(f), 0);
    const pr = await run(repo, commit(repo, [5]), stateDir, {
      event: 'pull_request',
      github: { ref: 'refs/pull/7/merge', headRef: 'feature', baseRef: 'main' },
    });
    expect(pr.conclusion).toBe('failure');
    const rows = shardRows(pr.jobs);
    expect(rows.reduce((n, r) => n + r.files, 0)).toBe(24);
    // Balanced by time, not by count: the heavy files each get a shard with fewer files.
    expect(new Set(rows.map((r) => r.files)).size).toBeGreaterThan(1);
    for (const r of rows) expect(Number.parseFloat(r.expected)).toBeLessThanOrEqual((total / 4) * 1.15);
    const prTier = pr.jobs.find((j) => j.id === 'unit-tier')!;
    expect(prTier.result).toBe('failure');
    expect(prTier.steps.find((s) => s.id === 'unit')!.outputs).toMatchObject({ total: '48', failed: '1' });
    expect(prTier.summary).toContain('<h4>Since the base branch</h4>');
    expect(prTier.summary).toContain('<tr><td>🆕 new failures</td><td>1</td><td>tests/f005.test.sh › second</td></tr>');
    // Timings are saved on the default branch only.
    expect(pr.log).not.toMatch(/Cache saved with key/);
  });
});
