import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('npm run local-workflow without --sha', () => {
  it('runs for the workspace’s HEAD, so actions/checkout finds the commit', () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'ctp-cli-sha-'));
    made.push(ws);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, encoding: 'utf8' }).trim();
    git('init', '-q');
    writeFileSync(
      path.join(ws, 'wf.yml'),
      [
        'on: push',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
        '      - run: echo "checked out $(git rev-parse HEAD) for ${{ github.sha }}"',
        '',
      ].join('\n'),
    );
    git('add', 'wf.yml');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one');
    const head = git('rev-parse', 'HEAD');
    const out = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), ['local/workflow-runner/cli.ts', path.join(ws, 'wf.yml'), '--workspace', ws], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`github.sha: ${head} (HEAD of ${ws}`);
    expect(out.stdout).toContain(`checked out ${head} for ${head}`);
    expect(out.status).toBe(0);
  });
});
