import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow, type RunWorkflowOptions, type WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';
import { git, scratchDirs } from './scratch.js';

// Jobs as GitHub runs them: each in its own empty workspace, checkout cloning the run's commit,
// files passing between jobs only as artifacts or through the cache, matrices, jobs side by side.

const temp = scratchDirs();

/** A repository holding `workflow.yml` and `files`, committed; returns it and the commit. */
function repository(workflow: string, files: Record<string, string> = {}): { dir: string; sha: string } {
  const dir = temp('ctp-jobs-repo-');
  writeFileSync(path.join(dir, 'workflow.yml'), workflow);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'one');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

async function run(repo: { dir: string; sha: string }, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult & { log: string }> {
  const lines: string[] = [];
  const result = await runWorkflow(path.join(repo.dir, 'workflow.yml'), {
    workspace: repo.dir,
    stateDir: options.stateDir ?? temp('ctp-jobs-state-'),
    onLog: (l) => lines.push(l),
    ...options,
    github: { sha: repo.sha, repository: 'acme/app', ...options.github },
  });
  return { ...result, log: lines.join('\n') };
}

const CHECKOUT = `      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
`;

describe('each job in its own workspace', () => {
  const build = `      - run: mkdir -p build && echo "built from $(cat VERSION)" > build/app.txt
`;
  it('fails a job that looks for a file an earlier job wrote, as GitHub does', async () => {
    const repo = repository(
      `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
${CHECKOUT}${build}
  image:
    needs: build
    runs-on: ubuntu-latest
    steps:
${CHECKOUT}      - run: cat build/app.txt
`,
      { VERSION: '1.0.0\n' },
    );
    const r = await run(repo);
    expect(r.conclusion).toBe('failure');
    const image = r.jobs.find((j) => j.id === 'image')!;
    expect(image.result).toBe('failure');
    expect(image.steps[1]!.log).toMatch(/cat: build\/app.txt: No such file or directory/);
    // Its own workspace, named as the runner names it, with the repository checked out.
    expect(image.workspace).toMatch(/\/work\/image-[^/]+\/app\/app$/);
    expect(image.workspace).not.toBe(r.jobs.find((j) => j.id === 'build')!.workspace);
  });

  it('passes files between jobs as artifacts: names, paths, and a missing artifact failing', async () => {
    const repo = repository(
      `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
${CHECKOUT}${build}      - run: mkdir -p reports && echo r > reports/unit.xml && echo s > reports/skip.xml && echo hidden > build/.secret
      - id: up
        uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: build-output
          path: build/
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: reports
          path: |
            reports/*.xml
            !reports/skip.xml
            build/app.txt
      - name: same name again
        continue-on-error: true
        uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: build-output
          path: build/
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
        with:
          name: nothing
          path: no-such-dir/
  image:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: build-output
          path: build
      - run: cat build/app.txt && test ! -e build/.secret && echo "no hidden file"
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          path: all
      - run: find all -type f | sort
  missing:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: site
`,
      { VERSION: '2.0.0\n' },
    );
    const r = await run(repo);
    const byId = Object.fromEntries(r.jobs.map((j) => [j.id, j]));
    expect(byId.build!.result, r.log).toBe('success');
    expect(byId.build!.steps[3]!.outputs['artifact-id']).toMatch(/^\d+$/);
    // A name already uploaded in the run is refused (upload-artifact v4: no overwrite by default).
    expect(byId.build!.steps[5]!.outcome).toBe('failure');
    expect(byId.build!.steps[5]!.message).toMatch(/an artifact with this name already exists on the workflow run/);
    // No files: a warning, and no artifact.
    expect(byId.build!.steps[6]!.annotations).toEqual([
      { level: 'warning', message: expect.stringMatching(/^No files were found with the provided path: no-such-dir\//) },
    ]);
    expect(byId.image!.result).toBe('success');
    expect(byId.image!.steps[1]!.log).toBe('built from 2.0.0\nno hidden file');
    // Every artifact into path/<name>, each relative to the least common ancestor of its paths.
    expect(byId.image!.steps[3]!.log).toBe('all/build-output/app.txt\nall/reports/build/app.txt\nall/reports/reports/unit.xml');
    expect(byId.missing!.result).toBe('failure');
    expect(byId.missing!.steps[0]!.message).toMatch(/Unable to download artifact\(s\): Artifact not found for name: site/);
  });

  it('checks out github.sha, not whatever the repository is at now, and announces what it does differently', async () => {
    const repo = repository(`on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${CHECKOUT}      - run: cat VERSION; git rev-parse HEAD\n`, {
      VERSION: 'old\n',
    });
    writeFileSync(path.join(repo.dir, 'VERSION'), 'new\n');
    git(repo.dir, 'commit', '-qam', 'two');
    const r = await run(repo);
    expect(r.jobs[0]!.steps[1]!.log).toBe(`old\n${repo.sha}`);
    expect(r.notices).toContainEqual(expect.stringMatching(/^actions\/checkout: clones the run's repository/));
    const unknown = await run(repo, { github: { sha: '1111111111111111111111111111111111111111' } });
    expect(unknown.jobs[0]!.steps[0]!.message).toMatch(/'1111111111111111111111111111111111111111' is not in /);
  });
});

describe('actions/cache', () => {
  it('saves at the end of the job, restores by key in a later run, falls back to restore-keys, never overwrites an entry', async () => {
    const workflow = (key: string) => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: cache
        uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3
        with:
          path: deps
          key: ${key}
          restore-keys: |
            deps-
      - env:
          HIT: \${{ steps.cache.outputs.cache-hit }}
        run: |
          echo "hit=[$HIT] $(cat deps/lib.txt 2>/dev/null || echo empty)"
          mkdir -p deps && echo "made for ${key}" > deps/lib.txt
`;
    const stateDir = temp('ctp-jobs-cache-');
    const first = await run(repository(workflow('deps-1')), { stateDir });
    expect(first.jobs[0]!.steps[1]!.log).toBe('hit=[] empty');
    expect(first.log).toMatch(/Cache saved with key: deps-1/);
    const again = await run(repository(workflow('deps-1')), { stateDir });
    expect(again.jobs[0]!.steps[1]!.log).toBe('hit=[true] made for deps-1');
    expect(again.log).toMatch(/Cache hit occurred on the primary key deps-1, not saving cache\./);
    const other = await run(repository(workflow('deps-2')), { stateDir });
    expect(other.jobs[0]!.steps[1]!.log).toBe('hit=[false] made for deps-1');
    // Another branch does not see main's entries… except that main is the default branch; a
    // feature branch's own entry is not seen from main.
    const feature = await run(repository(workflow('deps-feature')), { stateDir, github: { ref: 'refs/heads/feature' } });
    expect(feature.jobs[0]!.steps[1]!.log).toMatch(/^hit=\[false\] made for deps-/);
    const fromMain = await run(repository(workflow('deps-feature')), { stateDir });
    expect(fromMain.jobs[0]!.steps[1]!.log).toMatch(/^hit=\[false\]/);
  });

  it('does not save from a job that failed (post-if: success()), so a later run misses', async () => {
    const workflow = (fail: boolean) => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: cache
        uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3
        with:
          path: deps
          key: deps-failing
      - env:
          HIT: \${{ steps.cache.outputs.cache-hit }}
        run: |
          echo "hit=[$HIT]"
          mkdir -p deps && echo made > deps/lib.txt
          ${fail ? 'exit 1' : 'true'}
`;
    const stateDir = temp('ctp-jobs-cache-fail-');
    const failed = await run(repository(workflow(true)), { stateDir });
    expect(failed.conclusion).toBe('failure');
    expect(failed.log).toMatch(/○ Post .*\(skipped: post-if: success\(\), the job is failing\)/);
    expect(failed.log).not.toMatch(/Cache saved with key/);
    const next = await run(repository(workflow(false)), { stateDir });
    expect(next.jobs[0]!.steps[1]!.log).toBe('hit=[]');
    expect(next.log).toMatch(/Cache saved with key: deps-failing/);
  });
});

describe('strategy.matrix and jobs side by side', () => {
  it('runs one job per combination, with include/exclude, the matrix context and names as GitHub forms them', async () => {
    const repo = repository(`on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        tier: [unit, integration, functional]
    steps:
      - run: echo "\${{ matrix.tier }} \${{ strategy.job-index }}/\${{ strategy.job-total }}" > out.txt && cat out.txt
  grid:
    name: grid \${{ matrix.os }}-\${{ matrix.node }}
    runs-on: ubuntu-latest
    strategy:
      matrix:
        os: [linux, mac]
        node: [20, 22]
        exclude:
          - os: mac
            node: 20
        include:
          - os: linux
            extra: yes
          - os: windows
            node: 18
    steps:
      - run: echo "\${{ matrix.os }} \${{ matrix.node }} [\${{ matrix.extra }}]"
  after:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.test.result }}"
`);
    const r = await run(repo);
    expect(r.conclusion).toBe('success');
    const tests = r.jobs.filter((j) => j.id === 'test');
    expect(tests.map((j) => j.name)).toEqual(['test (unit)', 'test (integration)', 'test (functional)']);
    expect(tests.map((j) => j.steps[0]!.log)).toEqual(['unit 0/3', 'integration 1/3', 'functional 2/3']);
    expect(new Set(tests.map((j) => j.workspace)).size).toBe(3);
    const grid = r.jobs.filter((j) => j.id === 'grid');
    expect(grid.map((j) => j.steps[0]!.log)).toEqual(['linux 20 [yes]', 'linux 22 [yes]', 'mac 22 []', 'windows 18 []']);
    expect(grid.map((j) => j.name)).toEqual(['grid linux-20', 'grid linux-22', 'grid mac-22', 'grid windows-18']);
    expect(r.jobs.find((j) => j.id === 'after')!.steps[0]!.log).toBe('success');
  });

  it('fail-fast cancels the rest of the matrix; max-parallel runs them one at a time; without fail-fast all run', async () => {
    const workflow = (failFast: boolean) => `on: push
jobs:
  m:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: ${failFast}
      max-parallel: 1
      matrix:
        n: [1, 2, 3]
    steps:
      - run: test "\${{ matrix.n }}" != 1
  after:
    needs: m
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.m.result }}"
`;
    const fast = await run(repository(workflow(true)));
    expect(fast.jobs.filter((j) => j.id === 'm').map((j) => j.result)).toEqual(['failure', 'cancelled', 'cancelled']);
    expect(fast.jobs.find((j) => j.id === 'after')!.steps[0]!.log).toBe('failure');
    const all = await run(repository(workflow(false)));
    expect(all.jobs.filter((j) => j.id === 'm').map((j) => j.result)).toEqual(['failure', 'success', 'success']);
  });

  it('starts independent jobs together, up to maxParallelJobs', async () => {
    const repo = repository(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1
  b:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 1
`);
    const together = await run(repo);
    const [a, b] = together.jobs;
    // Each sleeps 1 s: side by side they share most of that second.
    const overlap = (x: typeof a, y: typeof a) => Math.min(x!.endedAt!, y!.endedAt!) - Math.max(x!.endedAt! - x!.durationMs, y!.endedAt! - y!.durationMs) > 500;
    expect(overlap(a, b)).toBe(true);
    // Lines of jobs running side by side say whose they are.
    expect(together.log).toMatch(/^\[a\] {4}▶ Run sleep 1$/m);
    expect(together.log).toMatch(/^\[b\] {4}▶ Run sleep 1$/m);
    const oneByOne = await run(repo, { maxParallelJobs: 1 });
    expect(overlap(oneByOne.jobs[0], oneByOne.jobs[1])).toBe(false);
    expect(oneByOne.notices).toContain('independent jobs run one after another here (maxParallelJobs is 1; GitHub starts them in parallel)');
  });
});

describe('environments and the CLI', () => {
  it('gives a job in an environment that environment’s variables and secrets over the repository’s (CLI --env-var, --env-secret)', () => {
    const repo = repository(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
        run: echo "cluster=\${{ vars.ECS_CLUSTER }} region=\${{ vars.AWS_REGION }} token=$TOKEN"
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "cluster=[\${{ vars.ECS_CLUSTER }}] region=\${{ vars.AWS_REGION }}"
`);
    const cli = (...extra: string[]) =>
      spawnSync(
        'npx',
        [
          'tsx',
          'local/workflow-runner/cli.ts',
          path.join(repo.dir, 'workflow.yml'),
          '--workspace',
          repo.dir,
          '--sha',
          repo.sha,
          '--state-dir',
          temp('ctp-jobs-cli-'),
          ...extra,
        ],
        { cwd: path.join(__dirname, '../..'), encoding: 'utf8' },
      );
    const out = cli(
      '--var',
      'AWS_REGION=eu-west-1',
      '--env-var',
      'production:ECS_CLUSTER=payments-production',
      '--env-secret',
      'production:DEPLOY_TOKEN=t0ps3cret',
      '--max-parallel-jobs',
      '2',
    );
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('cluster=payments-production region=eu-west-1 token=***');
    expect(out.stdout).toContain('cluster=[] region=eu-west-1');
    expect(out.stdout).not.toContain('t0ps3cret');
    const bad = cli('--max-parallel-jobs', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-parallel-jobs expects a whole number of at least 1, got "0"');
  });
});
