/**
 * The audit record of a deploy as a GitHub deployment: one deployment per release for an
 * environment, its payload naming the revisions, and statuses in_progress → success / failure /
 * error / inactive with the workflow run as log_url. @actions/github (Octokit) is loaded only when
 * a token is given, so it costs nothing at start-up. A GitHub outage never blocks a deploy: the
 * record degrades to a warning, and the ECS revision tags remain.
 */
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

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
}

export interface DeploymentRecord {
  id: number;
  url: string;
  setStatus(state: DeploymentState, description: string): Promise<void>;
}

export async function createDeploymentRecord(options: DeploymentRecordOptions, logger: Logger): Promise<DeploymentRecord | undefined> {
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo) {
    logger.warning(`Not recording a GitHub deployment: GITHUB_REPOSITORY is ${JSON.stringify(options.repository)}, expected owner/repo.`);
    return undefined;
  }
  try {
    const { getOctokit } = await import('@actions/github');
    const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
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
    return {
      id,
      url: created.data.url,
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
          logger.warning(`Could not set GitHub deployment ${id} to ${state}: ${errorMessage(error)}`);
        }
      },
    };
  } catch (error) {
    logger.warning(`Could not create a GitHub deployment record (the ECS revision tags remain the record): ${errorMessage(error)}`);
    return undefined;
  }
}
