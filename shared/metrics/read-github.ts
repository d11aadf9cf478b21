/**
 * The releases of one or more environments as GitHub holds them: deployments with their statuses,
 * 100 per GraphQL request (REST would take one request per deployment for its statuses), newest
 * first, paging until past the start of the window before the metrics' window, then on until each
 * environment's last successful release before that (the base the first release's lead time is
 * counted from). Each deployment is read into a release record by release/read.ts, timed by
 * `createdAt` (never `updatedAt`, which moves when a later success marks it inactive); only
 * deployments and statuses our identity wrote count. Through the one GitHub client (client.ts).
 */
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { GitHubClient } from '../github/client.js';
import { gitHubErrorMessage } from '../github/client.js';
import type { DeploymentState } from '../github/deployments.js';
import { sameLogin } from '../github/identity.js';
import { splitRepository } from '../github/repository.js';
import { readGitHubRecord } from '../release/read.js';
import { closingFields } from '../release/schema.js';
import type { MetricsRelease, MetricsWindow } from './model.js';
import { previousWindow } from './window.js';

export interface GitHubReleasesRequest {
  /** `owner/repo`. */
  repository: string;
  environments: readonly string[];
  window: MetricsWindow;
  /** The login our records are written as (`github-actions[bot]`); anyone else's are skipped. */
  identity: string;
  /** The inputs these came from, for errors a person can act on. */
  inputNames: { token: string; environment: string };
  logger: Logger;
  /** Pages read past the previous window's start while looking for each environment's earlier success (default 2). */
  maxPagesPastWindow?: number;
}

export interface GitHubReleasesRead {
  /** Newest first: the window, the window before it, and each environment's last success before that. */
  releases: MetricsRelease[];
  pages: number;
  /** Deployments or statuses skipped as written by someone other than `identity`. */
  notOurs: number;
  /** GitHub's word after the last page. */
  rateLimit: { cost: number; remaining: number } | undefined;
}

/** GitHub could not be read (an outage, a network failure): the caller may read the ECS revision tags instead. */
export class GitHubUnavailableError extends UserError {
  override name = 'GitHubUnavailableError';
}

export const PAGE_SIZE = 100;
/** Our records hold a handful of statuses each (in_progress, paused, closing, inactive). */
const STATUSES_PER_DEPLOYMENT = 100;

const QUERY = `query deliveryMetricsReleases($owner: String!, $name: String!, $environments: [String!], $after: String, $firstPage: Boolean!) {
  rateLimit { cost remaining }
  repository(owner: $owner, name: $name) {
    environments(names: $environments, first: ${PAGE_SIZE}) @include(if: $firstPage) { nodes { name } }
    deployments(environments: $environments, first: ${PAGE_SIZE}, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId environment createdAt commitOid payload
        creator { __typename login }
        statuses(first: ${STATUSES_PER_DEPLOYMENT}) {
          totalCount
          nodes { state description createdAt logUrl creator { __typename login } }
        }
      }
    }
  }
}`;

interface Actor {
  __typename: string;
  login: string;
}
interface StatusNode {
  state: string;
  description: string | null;
  createdAt: string;
  logUrl: string | null;
  creator: Actor | null;
}
export interface DeploymentNode {
  databaseId: number | null;
  environment: string | null;
  createdAt: string;
  commitOid: string;
  payload: string | null;
  creator: Actor | null;
  statuses: { totalCount: number; nodes: (StatusNode | null)[] | null } | null;
}
interface Page {
  rateLimit: { cost: number; remaining: number } | null;
  repository: {
    environments?: { nodes: ({ name: string } | null)[] | null };
    deployments: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: (DeploymentNode | null)[] | null };
  } | null;
}

/** GraphQL names a bot without REST's `[bot]` suffix (`github-actions`), and says it is a Bot. */
export function restLogin(actor: Actor | null | undefined): string | undefined {
  if (!actor) return undefined;
  return actor.__typename === 'Bot' && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login;
}

export async function readGitHubReleases(client: GitHubClient, request: GitHubReleasesRequest): Promise<GitHubReleasesRead> {
  const { owner, repo } = splitRepository(request.repository);
  const started = Date.now();
  const cutoff = previousWindow(request.window).start;
  const needBase = new Set(request.environments);
  const releases: MetricsRelease[] = [];
  let notOurs = 0;
  let pages = 0;
  let pastWindow = 0;
  let after: string | null = null;
  let rateLimit: GitHubReleasesRead['rateLimit'];
  for (;;) {
    const page = await fetchPage(client, request, { owner, name: repo, environments: [...request.environments], after, firstPage: pages === 0 });
    pages++;
    if (!page.repository) throw new UserError(`GitHub knows no repository ${request.repository} (or the token may not see it).`);
    if (page.repository.environments) checkEnvironments(request, page.repository.environments.nodes ?? []);
    rateLimit = page.rateLimit ?? undefined;
    const nodes = (page.repository.deployments.nodes ?? []).filter((n): n is DeploymentNode => n !== null);
    for (const node of nodes) {
      if (!sameLogin(restLogin(node.creator), request.identity)) {
        notOurs++;
        continue;
      }
      const release = releaseOf(node, request.identity);
      notOurs += release.notOurs;
      if (node.createdAt >= cutoff) releases.push(release.release);
      else if (needBase.has(node.environment ?? '') && release.release.record.outcome === 'succeeded') {
        releases.push(release.release);
        needBase.delete(node.environment ?? '');
      }
    }
    const oldest = nodes.at(-1)?.createdAt;
    request.logger.info(
      `GitHub: page ${pages}: ${nodes.length} deployment(s)${oldest ? ` back to ${oldest}` : ''}; ${releases.length} release(s) so far; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const { hasNextPage, endCursor } = page.repository.deployments.pageInfo;
    if (!hasNextPage || !endCursor) break;
    if (oldest !== undefined && oldest < cutoff && (needBase.size === 0 || ++pastWindow > (request.maxPagesPastWindow ?? 2))) break;
    after = endCursor;
  }
  return { releases, pages, notOurs, rateLimit };
}

async function fetchPage(client: GitHubClient, request: GitHubReleasesRequest, variables: Record<string, unknown>): Promise<Page> {
  try {
    return await client.octokit.graphql<Page>(QUERY, variables);
  } catch (error) {
    const errors = (error as { errors?: { type?: string; message?: string }[] }).errors;
    if (Array.isArray(errors)) {
      if (errors.some((e) => e.type === 'FORBIDDEN')) {
        throw new UserError(
          `Input '${request.inputNames.token}': the token may not read deployments of ${request.repository} (GitHub: ${errors[0]?.message ?? 'FORBIDDEN'}).`,
          { hint: 'Give the job `permissions: deployments: read` (and `contents: read`).' },
        );
      }
      throw new Error(`GitHub's GraphQL API refused the releases query: ${errors.map((e) => e.message).join('; ')}`);
    }
    const status = (error as { status?: number }).status;
    if (status === 401) throw new UserError(`Input '${request.inputNames.token}': GitHub does not accept the token (401 Bad credentials).`);
    if (status === 403 || status === 404) {
      throw new UserError(`Input '${request.inputNames.token}': GitHub refused to read deployments of ${request.repository}: ${gitHubErrorMessage(error)}`);
    }
    throw new GitHubUnavailableError(`GitHub could not be read: ${gitHubErrorMessage(error)}`, { cause: error });
  }
}

function checkEnvironments(request: GitHubReleasesRequest, found: ({ name: string } | null)[]): void {
  const names = new Set(found.flatMap((e) => (e ? [e.name] : [])));
  const unknown = request.environments.filter((e) => !names.has(e));
  if (unknown.length > 0) {
    throw new UserError(
      `Input '${request.inputNames.environment}': ${request.repository} has no environment ${unknown.map((e) => JSON.stringify(e)).join(', ')}` +
        `${names.size > 0 ? ` (of those asked for, it has ${[...names].map((n) => JSON.stringify(n)).join(', ')})` : ''}.`,
      {
        hint: 'Name an environment of the repository (Settings → Environments); a deployment creates one, so an environment with none yet has no releases to measure.',
      },
    );
  }
}

/** One deployment node as a release record: statuses our identity wrote, newest first, timed by their createdAt. */
export function releaseOf(node: DeploymentNode, identity: string): { release: MetricsRelease; notOurs: number } {
  const all = (node.statuses?.nodes ?? []).filter((s): s is StatusNode => s !== null);
  const ours = all.filter((s) => sameLogin(restLogin(s.creator), identity));
  const statuses = ours
    .map((s) => ({
      state: s.state.toLowerCase() as DeploymentState,
      creator: restLogin(s.creator),
      description: s.description ?? undefined,
      createdAt: s.createdAt,
      logUrl: s.logUrl,
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const payload = parsePayload(node.payload);
  const record = readGitHubRecord({ environment: node.environment ?? '', sha: node.commitOid, payload, statuses });
  const closing = statuses.find((s) => Object.keys(closingFields(s.description)).length > 0);
  // The first in_progress status is written when the service was updated: when it began to reach production.
  const serviceUpdatedAt = statuses.findLast((s) => s.state === 'in_progress')?.createdAt;
  return {
    release: {
      id: String(node.databaseId ?? ''),
      source: 'github',
      record,
      createdAt: node.createdAt,
      finishedAt: closing?.createdAt,
      logUrl: closing?.logUrl ?? undefined,
      ...(serviceUpdatedAt ? { serviceUpdatedAt } : {}),
    },
    notOurs: all.length - ours.length,
  };
}

function parsePayload(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    // GitHub keeps a payload sent as a JSON string as that string.
    const object = typeof value === 'string' ? JSON.parse(value) : value;
    return typeof object === 'object' && object !== null && !Array.isArray(object) ? (object as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
