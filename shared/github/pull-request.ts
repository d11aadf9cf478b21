/**
 * The pull request a run reports on, and the commit its checks belong to, from the event
 * payload (GITHUB_EVENT_PATH). On `pull_request` GITHUB_SHA is a merge commit nobody sees, so a
 * check run goes on the head commit, which is what the pull request shows. On `workflow_run`
 * (the pattern that publishes a fork's results from the base repository) the payload names the
 * triggering run's head commit and, for a pull request from the same repository, the pull
 * request; GitHub leaves `pull_requests` empty for a fork's. A pull request is used only when its
 * head is the commit that ran: a `workflow_run` naming others (a branch's older pull request)
 * comments nowhere rather than on the wrong one.
 *
 * Results from a fork are marked (`fork`): the head repository GitHub names (`head.repo` of a
 * pull request, `head_repository` of a workflow run) is another repository than the base, or
 * GitHub says it was deleted (`null`). A payload that names none is taken as this repository's.
 */

export interface PullRequestTarget {
  /** The commit checks are attached to. */
  headSha: string;
  /** The pull request to comment on; absent outside one. */
  number?: number;
  /** The run whose results these are: the triggering run on `workflow_run`. */
  runUrl?: string;
  /** Its workflow's name: the triggering workflow on `workflow_run`. */
  workflow?: string;
  /**
   * The number came from the triggering run's own event file (an artifact a fork could forge),
   * so it must be checked against GitHub before anything is written on it.
   */
  numberToVerify?: boolean;
  /** The fork (`owner/repo`) the tested commit comes from, when it is not this repository's. */
  fork?: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The head repository when it is not the base one: `(deleted fork)` when GitHub says it is gone. */
function forkOf(head: Record<string, unknown>, headKey: string, base: string | undefined): { fork?: string } {
  if (!(headKey in head)) return {};
  const name = text(record(head[headKey])?.full_name);
  if (name === undefined) return { fork: '(deleted fork)' };
  return base !== undefined && name.toLowerCase() !== base.toLowerCase() ? { fork: name } : {};
}

/**
 * `triggeringEvent` is the triggering run's event payload when a `workflow_run` publisher was
 * given it (as an artifact): the only place a fork's pull request number is found. It is used
 * only when its head commit is the one that ran.
 */
export function pullRequestTarget(
  eventName: string | undefined,
  event: unknown,
  sha: string,
  triggeringEvent?: unknown,
  /** GITHUB_REPOSITORY, when the payload does not name its repository. */
  repository?: string,
): PullRequestTarget {
  const payload = record(event) ?? {};
  const base = text(record(payload.repository)?.full_name) ?? repository;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = record(payload.pull_request);
    const number = typeof pr?.number === 'number' ? pr.number : undefined;
    const head = record(pr?.head) ?? {};
    const headSha = text(head.sha) ?? sha;
    const prBase = text(record(record(pr?.base)?.repo)?.full_name) ?? base;
    return { headSha, ...(number !== undefined ? { number } : {}), ...forkOf(head, 'repo', prBase) };
  }
  if (eventName === 'workflow_run') {
    const run = record(payload.workflow_run);
    const headSha = text(run?.head_sha) ?? sha;
    const prs = Array.isArray(run?.pull_requests) ? run.pull_requests.map(record) : [];
    // Only a pull request whose head is the commit that ran: never another one of the branch.
    const pr = prs.find((p) => text(record(p?.head)?.sha) === headSha);
    const runUrl = text(run?.html_url);
    const workflow = text(run?.name);
    const context = { ...(runUrl ? { runUrl } : {}), ...(workflow ? { workflow } : {}), ...forkOf(run ?? {}, 'head_repository', base) };
    if (typeof pr?.number === 'number') return { headSha, number: pr.number, ...context };
    const triggering = record(record(triggeringEvent)?.pull_request);
    if (typeof triggering?.number === 'number' && text(record(triggering.head)?.sha) === headSha) {
      return { headSha, number: triggering.number, numberToVerify: true, ...context };
    }
    return { headSha, ...context };
  }
  return { headSha: sha };
}
