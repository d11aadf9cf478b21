/**
 * actions/checkout, locally: the job's fresh workspace gets a clone of the repository the run is
 * for (the `workspace` given to the runner, a git repository on this machine) with `github.sha`
 * (or the `ref:` asked for) checked out, detached, as the action leaves it. Nothing else of the
 * machine's directory comes along: what the job needs from an earlier job must come through an
 * artifact or the cache, as on GitHub.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CheckoutRequest {
  /** The repository on this machine (a work tree or a bare repository). */
  source: string;
  /** The job workspace. */
  workspace: string;
  /** `path:` (relative to the workspace). */
  path: string;
  /** What to check out: `ref:` when given, else github.sha. */
  commit: string;
  /**
   * `fetch-depth: 0`: all of history, every branch (as `origin/<branch>`) and every tag, as
   * actions/checkout fetches them; otherwise only the commit.
   */
  fullHistory?: boolean;
}

export async function checkoutInto(request: CheckoutRequest): Promise<{ directory: string; commit: string }> {
  const target = path.resolve(request.workspace, request.path || '.');
  const rel = path.relative(request.workspace, target);
  if (rel.startsWith('..') || path.isAbsolute(rel))
    throw new Error(`actions/checkout: path '${request.path}' is outside the workspace ${request.workspace} (the action refuses it too)`);
  if (!existsSync(path.join(request.source, '.git')) && !existsSync(path.join(request.source, 'HEAD')))
    throw new Error(
      `actions/checkout: ${request.source} is not a git repository; the local runner clones the run's repository (the workspace option) at github.sha, so make it one (git init, commit) and pass that commit as github.sha`,
    );
  mkdirSync(target, { recursive: true });
  // The action cleans the directory it checks out into (clean: true); a leftover is our bug.
  if (readdirSync(target).length > 0 && rel === '') throw new Error(`actions/checkout: the job workspace ${target} is not empty`);
  const git = (cwd: string, ...args: string[]) => run('git', ['-c', 'advice.detachedHead=false', ...args], { cwd, encoding: 'utf8' });
  await git(target, 'init', '-q');
  await git(target, 'remote', 'add', 'origin', path.resolve(request.source));
  try {
    await git(target, 'fetch', '-q', '--no-tags', 'origin', request.commit);
  } catch (e) {
    throw new Error(
      `actions/checkout: '${request.commit}' is not in ${request.source} (${((e as { stderr?: string }).stderr ?? (e as Error).message).trim()}); github.sha must be a commit of the run's repository`,
    );
  }
  if (request.fullHistory) await git(target, 'fetch', '-q', '--tags', 'origin', '+refs/heads/*:refs/remotes/origin/*');
  await git(target, 'checkout', '-q', '--detach', 'FETCH_HEAD');
  const { stdout } = await git(target, 'rev-parse', 'HEAD');
  return { directory: target, commit: stdout.trim() };
}
