import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Temporary directories for one test file, removed after its tests. */
export function scratchDirs(): (prefix: string) => string {
  const created: string[] = [];
  afterAll(() => {
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    created.push(dir);
    return dir;
  };
}

/** git with an author and no signing, as a workflow run's repository is made. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

/**
 * A workflow_dispatch caller of a reusable deploy workflow in .github/workflows, as a pipeline
 * calls it: job `deploy` to production with the deploy's permissions, `container: app`, the
 * given image and extra `with:` lines, then any further jobs' text.
 */
export function deployCaller(workflow: string, image: string, withLines: string[] = [], moreJobs = ''): string {
  return `name: release
on: workflow_dispatch
permissions:
  contents: read
jobs:
  deploy:
    uses: ./.github/workflows/${workflow}
    permissions:
      contents: read
      id-token: write
      deployments: write
    with:
      environment: production
      container: app
      image-ref: ${image}
${withLines.map((l) => `      ${l}\n`).join('')}${moreJobs}`;
}
