/**
 * What a build knows about the commit it is building, from the variables and the event payload
 * the runner provides. Pure: the caller reads the environment and the event file, so tag and
 * label rules are tested as tables.
 */
export interface GitContext {
  /** Full commit SHA (GITHUB_SHA). */
  sha: string;
  /** Full ref, e.g. `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/12/merge`. */
  ref: string;
  /** The branch built: the pushed branch, or a pull request's head branch. */
  branch?: string;
  /** The tag name, for a tag push. */
  tag?: string;
  /** A pull request build (its ref is a merge ref, never the default branch). */
  pullRequest: boolean;
  /** The pull request's number, from the event payload or `refs/pull/<n>/…`. */
  pullRequestNumber?: number;
  /**
   * The pull request's head commit (payload `pull_request.head.sha`): what the author pushed.
   * `sha` stays GITHUB_SHA, the merge commit GitHub built for the pull request.
   */
  headSha?: string;
  /** The repository's default branch: event payload first, then the given fallback. */
  defaultBranch: string;
  /** `owner/name`. */
  repository: string;
  /** e.g. `https://github.com`. */
  serverUrl: string;
  /** ISO time of the commit when the payload carries it (push events do). */
  commitTime?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function gitContextFrom(env: Env, event: unknown, fallbackDefaultBranch = 'main'): GitContext {
  const payload = record(event) ?? {};
  const ref = env.GITHUB_REF ?? '';
  const pullRequest = ref.startsWith('refs/pull/');
  const branch = ref.startsWith('refs/heads/')
    ? ref.slice('refs/heads/'.length)
    : pullRequest
      ? (text(env.GITHUB_HEAD_REF) ?? text(record(record(payload.pull_request)?.head)?.ref))
      : undefined;
  const pr = record(payload.pull_request);
  const numberFromRef = /^refs\/pull\/(\d+)\//.exec(ref)?.[1];
  const pullRequestNumber = pullRequest ? (typeof pr?.number === 'number' ? pr.number : numberFromRef ? Number(numberFromRef) : undefined) : undefined;
  const headSha = pullRequest ? text(record(pr?.head)?.sha) : undefined;
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  const defaultBranch = text(record(payload.repository)?.default_branch) ?? fallbackDefaultBranch;
  const commitTime = text(record(payload.head_commit)?.timestamp);
  return {
    sha: env.GITHUB_SHA ?? '',
    ref,
    ...(branch ? { branch } : {}),
    ...(tag ? { tag } : {}),
    pullRequest,
    ...(pullRequestNumber !== undefined ? { pullRequestNumber } : {}),
    ...(headSha ? { headSha } : {}),
    defaultBranch,
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    ...(commitTime ? { commitTime } : {}),
  };
}
