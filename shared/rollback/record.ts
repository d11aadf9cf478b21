/**
 * The audit record of one rollback, kept in both places the release history is read from: a
 * GitHub deployment (payload `kind: rollback` with from, to, reason, who, and the record that
 * chose the target; statuses in_progress → success / failure / error), and tags on the two
 * revisions (tags.ts). Written at the engine's hooks: the GitHub deployment once the
 * plan is final and before the service is touched, the tags once the service is on its way back.
 * Recording never blocks a rollback: a failure to record is a warning.
 */
import { errorMessage } from '../core/errors.js';
import { createDeploymentRecord, type DeploymentRecord, type DeploymentState } from '../github/deployments.js';
import type { Logger } from '../core/logger.js';
import type { ResolvedRevision } from '../ecs/resolve-revision.js';
import type { EcsSender } from '../ecs/raw-json.js';
import { tagResource } from '../ecs/register-task-definition.js';
import { SHA_TAG } from './revision-match.js';
import { revisionName } from '../ecs/task-definition-source.js';
import type { RollbackTarget } from './pick-rollback-target.js';
import { rolledBackFromTags, rolledBackToTags } from './tags.js';

export interface RollbackRecordOptions {
  cluster: string;
  service: string;
  target: RollbackTarget;
  reason: string;
  requestedBy: string;
  github?:
    | {
        token: string;
        apiUrl: string;
        repository: string;
        environment: string;
        /** The commit to record when the target's own is unknown (GITHUB_SHA). */
        fallbackRef: string;
        logUrl: string | undefined;
      }
    | undefined;
}

export class RollbackRecord {
  private deployment: DeploymentRecord | undefined;

  constructor(
    private readonly options: RollbackRecordOptions,
    private readonly ecs: EcsSender,
    private readonly logger: Logger,
  ) {}

  /** The GitHub deployment, once created. */
  get github(): DeploymentRecord | undefined {
    return this.deployment;
  }

  /** Creates the GitHub deployment (before the service is touched). */
  async open(plan: ResolvedRevision): Promise<void> {
    const { github, cluster, service, target, reason, requestedBy } = this.options;
    if (!github) return;
    const from = target.current.arn;
    const to = target.target.arn;
    const sha = target.target.tags.get(SHA_TAG) ?? target.deployment?.sha;
    this.deployment = await createDeploymentRecord(
      {
        token: github.token,
        apiUrl: github.apiUrl,
        repository: github.repository,
        // The environment then shows the commit that runs after the rollback.
        ref: sha && /^[0-9a-f]{40}$/.test(sha) ? sha : github.fallbackRef,
        environment: github.environment,
        description: `Rollback ${revisionName(from)} → ${revisionName(to)}: ${reason}`,
        payload: {
          kind: 'rollback',
          cluster,
          service,
          // The same fields as an ecs-rolling-deploy record, so either reads the other's.
          taskDefinitionArn: to,
          previousTaskDefinitionArn: from,
          registered: false,
          images: Object.fromEntries(plan.after.map((i) => [i.container, i.image])),
          previousImages: Object.fromEntries(plan.before.map((i) => [i.container, i.image])),
          from,
          to,
          reason,
          requestedBy,
          source: target.source,
          chosenFrom: target.chosenFrom,
        },
        logUrl: github.logUrl,
      },
      this.logger,
    );
  }

  /** The service was updated: the record goes in_progress and both revisions are tagged. */
  async started(deploymentId: string): Promise<void> {
    const { target, reason, requestedBy } = this.options;
    const from = target.current.arn;
    const to = target.target.arn;
    await this.deployment?.setStatus('in_progress', `Rolling back to ${revisionName(to)} (${deploymentId})`);
    // The decision is recorded once the service is on its way back, whatever the outcome.
    const at = new Date();
    try {
      await Promise.all([
        tagResource(this.ecs, to, rolledBackToTags({ from, at, reason, requestedBy })),
        tagResource(this.ecs, from, rolledBackFromTags({ to, at })),
      ]);
    } catch (error) {
      this.logger.warning(`Could not tag the revisions with the rollback: ${errorMessage(error)}`);
    }
  }

  async finish(state: DeploymentState, description: string): Promise<void> {
    await this.deployment?.setStatus(state, description);
  }
}
