/**
 * Where delivery metrics find commits (model.ts CommitSource): the checked-out history
 * (`actions/checkout` with `fetch-depth: 0`), read once with one `git log` and walked in memory
 * as git walks `base..head`, else GitHub's GraphQL API through the one client (a commit's
 * `history`, 100 per request, down to `base`). A shallow checkout is not trusted for ranges: its
 * oldest commits look like roots, so a range across the cut would look shorter than it is.
 */
import { exec } from '../core/exec.js';
import type { Logger } from '../core/logger.js';
import type { GitHubClient } from '../github/client.js';
import { splitRepository } from '../github/repository.js';
import type { CommitInfo, CommitSource } from './model.js';

export interface CommitSourceOptions {
  /** The checked-out repository (GITHUB_WORKSPACE); undefined when there is none. */
  workspace: string | undefined;
  /** For commits the history lacks; undefined without a token. */
  client: GitHubClient | undefined;
  /** `owner/repo`. */
  repository: string;
  logger: Logger;
  /** Commits read through the API for one range before it is given up as unknown (default 500). */
  maxApiCommitsPerRange?: number;
}

export interface CountedCommitSource extends CommitSource {
  /** How each question was answered, for the log and the report. */
  readonly stats: { fromHistory: number; fromApi: number; unknown: number; apiRequests: number };
}

interface LocalCommit extends CommitInfo {
  parents: string[];
  time: number;
}

const SEP = '\x1f';
const END = '\x1e';

/** The whole checked-out history, once: sha → commit; empty (with the reason logged) when there is none to trust. */
export async function readLocalHistory(workspace: string | undefined, logger: Logger): Promise<Map<string, LocalCommit>> {
  const commits = new Map<string, LocalCommit>();
  if (!workspace) return commits;
  const shallow = await exec('git', ['-C', workspace, 'rev-parse', '--is-shallow-repository'], { stream: false });
  if (shallow.exitCode !== 0) {
    logger.info(`No git history in ${workspace} (${shallow.stderr.trim().split('\n')[0] ?? 'not a repository'}): commits are read through the API.`);
    return commits;
  }
  if (shallow.stdout.trim() === 'true') {
    logger.warning('The checkout is shallow: commits are read through the API. Check out with `fetch-depth: 0` to read them from the history.');
    return commits;
  }
  const log = await exec('git', ['-C', workspace, 'log', '--all', `--format=%H${SEP}%P${SEP}%cI${SEP}%B${END}`], {
    stream: false,
    maxCaptureBytes: 1 << 30,
  });
  if (log.exitCode !== 0) {
    logger.warning(`git log failed in ${workspace}: ${log.stderr.trim().split('\n')[0] ?? ''}; commits are read through the API.`);
    return commits;
  }
  for (const entry of log.stdout.split(END)) {
    const [sha, parents, committedAt, message] = entry.replace(/^\n/, '').split(SEP);
    if (!sha || !committedAt) continue;
    const time = Date.parse(committedAt);
    // git writes the committer's offset (+02:00); the metrics compare UTC instants.
    commits.set(sha, { sha, parents: parents ? parents.split(' ') : [], committedAt: new Date(time).toISOString(), time, message: (message ?? '').trimEnd() });
  }
  logger.info(`Commits: ${commits.size} read from the checked-out history.`);
  return commits;
}

/**
 * git's `base..head` over the history in memory: walked newest first from both ends, commits
 * reached from `base` painted out (and what they reach), until only painted commits are left.
 */
export function localRange(history: ReadonlyMap<string, LocalCommit>, base: string, head: string): CommitInfo[] | undefined {
  const from = history.get(base);
  const to = history.get(head);
  if (!from || !to) return undefined;
  const flags = new Map<string, 'in' | 'out'>([
    [head, 'in'],
    [base, 'out'],
  ]);
  const queue: LocalCommit[] = [to, from];
  const push = (c: LocalCommit) => {
    let i = 0;
    while (i < queue.length && queue[i]!.time >= c.time) i++;
    queue.splice(i, 0, c);
  };
  queue.sort((a, b) => b.time - a.time);
  while (queue.some((c) => flags.get(c.sha) === 'in')) {
    const c = queue.shift()!;
    const flag = flags.get(c.sha)!;
    for (const p of c.parents) {
      const parent = history.get(p);
      if (!parent) continue;
      const had = flags.get(p);
      if (flag === 'out' && had !== 'out') {
        flags.set(p, 'out');
        push(parent);
      } else if (flag === 'in' && had === undefined) {
        flags.set(p, 'in');
        push(parent);
      }
    }
  }
  return [...flags]
    .filter(([, f]) => f === 'in')
    .map(([sha]) => history.get(sha)!)
    .sort((a, b) => b.time - a.time)
    .map(({ sha, committedAt, message }) => ({ sha, committedAt, message }));
}

const COMMIT_QUERY = `query deliveryMetricsCommit($owner: String!, $name: String!, $oid: GitObjectID!) {
  repository(owner: $owner, name: $name) { object(oid: $oid) { ... on Commit { oid committedDate message } } }
}`;
const HISTORY_QUERY = `query deliveryMetricsHistory($owner: String!, $name: String!, $oid: GitObjectID!, $after: String) {
  repository(owner: $owner, name: $name) {
    object(oid: $oid) { ... on Commit { history(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { oid committedDate message } } } }
  }
}`;
type ApiCommit = { oid: string; committedDate: string; message: string };

export async function openCommitSource(options: CommitSourceOptions): Promise<CountedCommitSource> {
  const history = await readLocalHistory(options.workspace, options.logger);
  const stats = { fromHistory: 0, fromApi: 0, unknown: 0, apiRequests: 0 };
  const { owner, repo } = splitRepository(options.repository);
  const ranges = new Map<string, Promise<CommitInfo[] | undefined>>();
  const singles = new Map<string, Promise<CommitInfo | undefined>>();
  const asInfo = (c: ApiCommit): CommitInfo => ({ sha: c.oid, committedAt: c.committedDate, message: c.message });
  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T | undefined> => {
    if (!options.client) return undefined;
    stats.apiRequests++;
    try {
      return await options.client.octokit.graphql<T>(query, { owner, name: repo, ...variables });
    } catch (error) {
      options.logger.debug(`commit lookup failed: ${(error as Error).message}`);
      return undefined;
    }
  };

  const apiRange = async (base: string, head: string): Promise<CommitInfo[] | undefined> => {
    const found: CommitInfo[] = [];
    let after: string | null = null;
    while (found.length < (options.maxApiCommitsPerRange ?? 500)) {
      type History = {
        repository: { object: { history?: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ApiCommit[] } } | null } | null;
      };
      const page: History | undefined = await graphql<History>(HISTORY_QUERY, { oid: head, after });
      const h: NonNullable<NonNullable<NonNullable<History['repository']>['object']>['history']> | undefined = page?.repository?.object?.history;
      if (!h) return undefined;
      for (const c of h.nodes) {
        if (c.oid === base) return found;
        found.push(asInfo(c));
      }
      if (!h.pageInfo.hasNextPage) return undefined;
      after = h.pageInfo.endCursor;
    }
    return undefined;
  };

  return {
    stats,
    between(base, head) {
      const key = `${base}..${head}`;
      let answer = ranges.get(key);
      if (!answer) {
        answer = (async () => {
          const local = localRange(history, base, head);
          if (local) {
            stats.fromHistory++;
            return local;
          }
          const remote = await apiRange(base, head);
          if (remote) stats.fromApi++;
          else stats.unknown++;
          return remote;
        })();
        ranges.set(key, answer);
      }
      return answer;
    },
    commit(sha) {
      let answer = singles.get(sha);
      if (!answer) {
        answer = (async () => {
          const local = history.get(sha);
          if (local) {
            stats.fromHistory++;
            return { sha, committedAt: local.committedAt, message: local.message };
          }
          type One = { repository: { object: ApiCommit | null } | null };
          const found = (await graphql<One>(COMMIT_QUERY, { oid: sha }))?.repository?.object;
          if (found?.oid) stats.fromApi++;
          else stats.unknown++;
          return found?.oid ? asInfo(found) : undefined;
        })();
        singles.set(sha, answer);
      }
      return answer;
    },
  };
}
