/**
 * Reading back the audit record: the GitHub deployments of one environment, newest first, each
 * with its statuses. Statuses cost one request per deployment, so deployments are yielded one
 * at a time and the caller stops as soon as it has what it needs. Through the one GitHub client
 * (client.ts), loaded only when this runs, i.e. only when a token was given.
 */
import { type Logger, silentLogger } from '../core/logger.js';
import { type GitHubClientOptions, openGitHubClient } from './client.js';
import { payloadObject, type DeploymentState } from './deployments.js';

export interface DeploymentHistoryOptions {
  token: string;
  apiUrl: string;
  /** `owner/repo`. */
  repository: string;
  environment: string;
  /** Stop after this many deployments (newest first); GitHub keeps every one ever made. */
  limit?: number;
  /** Where the client's retries are told (default: nowhere). */
  logger?: Logger;
  /** The client's waits (tests shorten them). */
  pacing?: GitHubClientOptions['pacing'];
}

export interface DeploymentHistoryEntry {
  id: number;
  url: string;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  creator: string | undefined;
  description: string | null;
  /** The payload as an object (GitHub hands it back as a string when it was sent as one). */
  payload: Record<string, unknown>;
  /** Newest first. */
  states: DeploymentState[];
  /** Newest first, with who wrote each (anyone with `deployments: write` can add a status), what it said and when. */
  statuses: { state: DeploymentState; creator: string | undefined; description?: string | undefined; createdAt?: string | undefined }[];
}

export const DEFAULT_HISTORY_LIMIT = 100;

export async function* deploymentHistory(options: DeploymentHistoryOptions): AsyncGenerator<DeploymentHistoryEntry> {
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo`);
  const { octokit } = await openGitHubClient({ token: options.token, apiUrl: options.apiUrl, logger: options.logger ?? silentLogger, pacing: options.pacing });
  const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
  const perPage = Math.min(100, limit);
  let seen = 0;
  for (let page = 1; seen < limit; page++) {
    const { data } = await octokit.rest.repos.listDeployments({ owner, repo, environment: options.environment, per_page: perPage, page });
    for (const d of data) {
      if (seen++ >= limit) return;
      const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id, per_page: 100 });
      yield {
        id: d.id,
        url: d.url,
        sha: d.sha,
        ref: d.ref,
        environment: d.environment,
        createdAt: d.created_at,
        creator: d.creator?.login,
        description: d.description ?? null,
        payload: payloadObject(d.payload),
        ...statesOf(statuses.data),
      };
    }
    if (data.length < perPage) return;
  }
}

function statesOf(
  data: readonly { id: number; state: string; creator?: { login: string } | null; description?: string | null; created_at?: string }[],
): Pick<DeploymentHistoryEntry, 'states' | 'statuses'> {
  // GitHub lists statuses newest first; sort anyway, the order is what the verdict rests on.
  const statuses = [...data]
    .sort((a, b) => b.id - a.id)
    .map((s) => ({ state: s.state as DeploymentState, creator: s.creator?.login, description: s.description ?? undefined, createdAt: s.created_at }));
  return { states: statuses.map((s) => s.state), statuses };
}
