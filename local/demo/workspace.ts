/**
 * The sample app's repository, as a user's would be: its sources with the example workflows
 * copied unchanged into .github/workflows/, a git repository whose commits are the releases.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../runner/run-bundle.js';

export const SAMPLE_APP = path.join(repoRoot, 'local/sample-app');

/** The workflows the demo runs: every one of workflows-examples/, copied as a user copies them. */
export const DEMO_WORKFLOWS = [
  'commit-stage.yml',
  'pipeline.yml',
  'deploy.yml',
  'rollback.yml',
  'pipeline-verified.yml',
  'deploy-verified.yml',
  'delivery-metrics.yml',
];

export function prepareWorkspace(base: string): string {
  const workspace = path.join(base, 'sample-app');
  const build = path.join(SAMPLE_APP, 'build');
  cpSync(SAMPLE_APP, workspace, { recursive: true, filter: (p) => p !== build && !p.startsWith(`${build}/`) });
  const workflows = path.join(workspace, '.github/workflows');
  mkdirSync(workflows, { recursive: true });
  for (const file of DEMO_WORKFLOWS) cpSync(path.join(repoRoot, 'workflows-examples', file), path.join(workflows, file));
  git(workspace, 'init', '-q', '-b', 'main');
  return workspace;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@localhost', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** What a release changes in the sample app besides its VERSION. */
export interface ReleaseChanges {
  /** A change no test before the deploy sees: the image's default makes it fail its health check. */
  brokenImage?: boolean;
  /** The broken default fixed, and a new one no test sees: half the answers are 500s, while the health check passes. */
  errorsImage?: boolean;
  /**
   * A clean-up line in the image that takes the home page with it: the health check, /version
   * and every test before the deploy still pass; only the acceptance tier asks for the page.
   */
  noHomePage?: boolean;
}

/** A commit on main: the release's VERSION (and its changes); its sha becomes github.sha. */
export function commitRelease(workspace: string, version: string, changes: ReleaseChanges = {}): string {
  writeFileSync(path.join(workspace, 'VERSION'), `${version}\n`);
  const dockerfile = path.join(workspace, 'Dockerfile');
  const edit = (from: string, to: string) => writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace(from, to));
  if (changes.brokenImage) edit('ARG BROKEN=false', 'ARG BROKEN=true');
  if (changes.errorsImage) {
    edit('ARG BROKEN=true', 'ARG BROKEN=false');
    edit('ARG ERRORS=false', 'ARG ERRORS=true');
  }
  if (changes.noHomePage) edit('# bin/migrate (the deploy', 'RUN rm -f /app/www/*.html\n# bin/migrate (the deploy');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '--allow-empty', '-m', `release ${version}`);
  return git(workspace, 'rev-parse', 'HEAD');
}
