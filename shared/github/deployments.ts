/**
 * The audit record of a deploy as a GitHub deployment: one deployment per release for an
 * environment, its payload naming the revisions, and statuses in_progress → success / failure /
 * error / inactive with the workflow run as log_url. Every call goes through the one GitHub
 * client (client.ts: Octokit, loaded only when a token is given, with the retry and throttling
 * plugins), so a status write that meets a 5xx or a secondary rate limit is tried again before
 * it gives up. A GitHub outage never blocks a deploy: the record then degrades to a warning, and
 * the ECS revision tags remain.
 */
import type { Logger } from '../core/logger.js';
import { type GitHubClientOptions, gitHubErrorMessage, isNotFound, type Octokit, openGitHubClient } from './client.js';

export type DeploymentState = 'in_progress' | 'queued' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentRecordOptions {
  token: string;
  /** GITHUB_API_URL (GitHub Enterprise and the local stand-in differ from api.github.com). */
  apiUrl: string;
  /** `owner/repo`. */
  repository: string;
  /** The commit (SHA) being deployed. */
  ref: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
  /** The workflow run, shown by GitHub as the status's "View logs". */
  logUrl?: string | undefined;
  /** A task that deploys to production by default in GitHub's UI. */
  productionEnvironment?: boolean | undefined;
  /** e.g. the service's load balancer URL. */
  environmentUrl?: string | undefined;
  /** The client's waits (tests shorten them); GitHub's own pace when absent. */
  pacing?: GitHubClientOptions['pacing'];
}

export interface DeploymentRecord {
  id: number;
  url: string;
  setStatus(state: DeploymentState, description: string): Promise<void>;
}

/** Where a record's statuses go, and what each status links to. */
export type DeploymentStatusOptions = Pick<DeploymentRecordOptions, 'token' | 'apiUrl' | 'repository' | 'environment' | 'logUrl' | 'environmentUrl' | 'pacing'>;

/** The one client, for the record's calls. */
async function octokitFor(options: Pick<DeploymentRecordOptions, 'token' | 'apiUrl' | 'pacing'>, logger: Logger): Promise<Octokit> {
  return (await openGitHubClient({ token: options.token, apiUrl: options.apiUrl, logger, pacing: options.pacing })).octokit;
}

export async function createDeploymentRecord(options: DeploymentRecordOptions, logger: Logger): Promise<DeploymentRecord | undefined> {
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo) {
    logger.warning(`Not recording a GitHub deployment: GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo.`);
    return undefined;
  }
  try {
    const octokit = await octokitFor(options, logger);
    const created = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: options.ref,
      environment: options.environment,
      description: options.description.slice(0, 140),
      payload: options.payload,
      // The commit passed its checks to get here; GitHub's own gate (required contexts, merging
      // the default branch in) would only refuse or alter the release.
      auto_merge: false,
      required_contexts: [],
      ...(options.productionEnvironment !== undefined ? { production_environment: options.productionEnvironment } : {}),
    });
    if (created.status !== 201 || !('id' in created.data)) {
      logger.warning(`GitHub did not create a deployment record: ${JSON.stringify(created.data).slice(0, 200)}`);
      return undefined;
    }
    const id = created.data.id;
    logger.info(`GitHub deployment ${id} created for environment '${options.environment}'.`);
    return statusWriter(octokit, { owner, repo, id, url: created.data.url }, options, logger);
  } catch (error) {
    logger.warning(`Could not create a GitHub deployment record (the ECS revision tags remain the record): ${gitHubErrorMessage(error)}`);
    return undefined;
  }
}

/** The record's status writer: a write that still fails once the client gave up is a warning, never the step's failure. */
function statusWriter(
  octokit: Octokit,
  deployment: { owner: string; repo: string; id: number; url: string },
  options: DeploymentStatusOptions,
  logger: Logger,
): DeploymentRecord {
  const { owner, repo, id } = deployment;
  return {
    id,
    url: deployment.url,
    async setStatus(state, description) {
      try {
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: id,
          state,
          description: description.slice(0, 140),
          ...(options.logUrl ? { log_url: options.logUrl } : {}),
          ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
          environment: options.environment,
          auto_inactive: state === 'success',
        });
      } catch (error) {
        logger.warning(`Could not set GitHub deployment ${id} to ${state}: ${gitHubErrorMessage(error)}`);
      }
    },
  };
}

/** A writer for the statuses of deployment `id`, found by other means (deployment-history.ts). */
export async function openDeploymentRecord(
  options: DeploymentStatusOptions,
  deployment: { id: number; url: string },
  logger: Logger,
): Promise<DeploymentRecord> {
  const [owner, repo] = options.repository.split('/');
  return statusWriter(await octokitFor(options, logger), { owner: owner ?? '', repo: repo ?? '', ...deployment }, options, logger);
}

/** A deployment read back by its id, with a writer for its statuses. */
export interface ExistingDeployment {
  record: DeploymentRecord;
  environment: string;
  sha: string;
  description: string | null;
  payload: Record<string, unknown>;
  /** Newest first. */
  states: DeploymentState[];
}

/**
 * The deployment `id` of the repository, to carry it on (a resumed deploy): undefined when GitHub
 * has no such deployment (404). Any other failure to read it throws, for the caller to weigh.
 * Statuses are written to the deployment's own environment unless `environment` is given.
 */
export async function existingDeploymentRecord(
  options: Omit<DeploymentStatusOptions, 'environment'> & { environment?: string | undefined },
  id: number,
  logger: Logger,
): Promise<ExistingDeployment | undefined> {
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo) throw new Error(`GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo`);
  const octokit = await octokitFor(options, logger);
  let data: Awaited<ReturnType<Octokit['rest']['repos']['getDeployment']>>['data'];
  try {
    ({ data } = await octokit.rest.repos.getDeployment({ owner, repo, deployment_id: id }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id, per_page: 100 });
  const environment = options.environment ?? data.environment;
  return {
    record: statusWriter(octokit, { owner, repo, id, url: data.url }, { ...options, environment }, logger),
    environment: data.environment,
    sha: data.sha,
    description: data.description ?? null,
    payload: payloadObject(data.payload),
    states: [...statuses.data].sort((a, b) => b.id - a.id).map((s) => s.state as DeploymentState),
  };
}

/** A deployment's payload as an object (GitHub hands it back as a string when it was sent as one). */
export function payloadObject(payload: unknown): Record<string, unknown> {
  if (typeof payload === 'string') {
    try {
      const parsed: unknown = JSON.parse(payload);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
}
