/**
 * The record phase: the deploy's side of the release record (release/record.ts). Opened once the
 * revision is known and before the service is touched (after closing records earlier runs left
 * unfinished), marked started when UpdateService is accepted, and ended by `deploy()`'s `finally`
 * from the result or the error, whatever path the deploy took. A standalone task (run-task)
 * deploys nothing and opens no record.
 */
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { closeUnfinishedRecords } from '../release/close-unfinished.js';
import { type ReleaseContext, type ReleaseEnding, ReleaseRecord, type RollbackFields } from '../release/record.js';
import { pausedDescription } from '../release/resume-record.js';
import type { ReleaseCause, Served } from '../release/schema.js';
import type { DeployResult } from './deploy.js';
import { failedOnTaskHealth } from './follow-rollout.js';
import type { DeployPlan } from './deploy-plan.js';
import type { EcsSender } from './raw-json.js';
import type { ResolvedRevision } from './resolve-revision.js';

/** What the caller tells the engine about the record: where GitHub is, the commit, and (a rollback) what it rolls back. */
export interface DeployRecordContext extends ReleaseContext {
  rollback?: RollbackFields | undefined;
}

/**
 * Whether the release served production traffic: what its follower saw (follower.ts `served`),
 * else what the tasks stopped during the whole deploy say (a rollback's included): a task of the
 * new revision that ran under a rolling update served (it was registered with the load balancer
 * once RUNNING; the follower may never have polled while it did, e.g. an alarm rollback between
 * two polls), unless the release failed on its tasks' health (failed tasks, the circuit breaker, a
 * failed load-balancer health check: then whether a target was ever healthy nobody can tell). Not
 * for a native strategy: its green tasks run before any production traffic reaches them. A deploy
 * not followed to its end: unknown.
 */
function servedOf(result: DeployResult): Served {
  if (result.status === 'succeeded' || result.served === 'yes') return 'yes';
  const ran = !result.serviceDeploymentArn && result.stoppedTasks.some((t) => t.ran && t.taskDefinitionArn === result.taskDefinitionArn);
  if (ran) return failedOnTaskHealth(result.failure?.cause, result.stoppedTasks, result.taskDefinitionArn) ? 'unknown' : 'yes';
  if (result.served === 'unknown' || result.status === 'started' || result.status === 'unknown') return 'unknown';
  return 'no';
}

const ECS_ROLLBACKS: readonly string[] = ['circuit-breaker-rollback', 'alarm-rollback', 'ecs-rollback'];

export class DeployRecording {
  private record: ReleaseRecord | undefined;
  private phase: 'before' | 'pre-deploy' | 'updated' = 'before';
  private plan: DeployPlan | undefined;

  constructor(
    private readonly context: DeployRecordContext,
    private readonly deps: { ecs: EcsSender; logger: Logger; clock: Clock; signal: AbortSignal | undefined },
  ) {}

  /** The GitHub deployment, when one was created. */
  get github() {
    return this.record?.github;
  }

  async open(plan: DeployPlan, revision: ResolvedRevision): Promise<void> {
    this.plan = plan;
    const { github } = this.context;
    if (github) {
      await closeUnfinishedRecords({ cluster: plan.cluster, service: plan.service }, { ...github, environment: github.environment ?? plan.service }, this.deps);
    }
    const rollback = this.context.rollback;
    this.record = await ReleaseRecord.open(
      { kind: rollback ? 'rollback' : 'deploy', cluster: plan.cluster, service: plan.service, strategy: plan.strategy, revision, rollback },
      this.context,
      this.deps,
    );
  }

  preDeploy(): void {
    this.phase = 'pre-deploy';
  }

  async started(deploymentId: string): Promise<void> {
    this.phase = 'updated';
    await this.record?.started(deploymentId);
    if (this.context.rollback) await this.record?.markRollback(this.context.rollback);
  }

  /** Ends the record from how the deploy ended: its result, or the error it threw. */
  async end(result: DeployResult | undefined, error: unknown): Promise<void> {
    if (!this.record) return;
    try {
      await this.record.end(result ? this.ending(result) : this.thrown(error));
    } catch (failure) {
      this.deps.logger.warning(`Could not end the release record: ${errorMessage(failure)}`);
    }
  }

  private ending(result: DeployResult): ReleaseEnding {
    // A plan only opens no record; this is never reached with `planned`.
    if (result.status === 'planned') throw new Error('a planned deploy has no release record to end');
    const cause = result.failure?.cause as ReleaseCause | undefined;
    const served = servedOf(result);
    return {
      outcome: result.status,
      text: this.text(result),
      cause,
      rolledBackBy: cause && ECS_ROLLBACKS.includes(cause) ? 'ecs' : result.rolledBack ? 'action' : undefined,
      served,
      deploymentId: result.deploymentId,
      serviceDeploymentArn: result.serviceDeploymentArn,
    };
  }

  /** The status description: a paused deploy names its stage and hook and how to resume. */
  private text(result: DeployResult): string {
    if (result.status === 'cancelled') return `Cancelled: ${result.message}`;
    if (result.status !== 'paused' || !result.hookId) return result.message;
    const stage = result.serviceDeployment?.lifecycleStage ?? 'a PAUSE hook';
    return pausedDescription(result.taskDefinitionArn, stage, result.hookId, this.plan?.pauseAt?.timeoutInMinutes);
  }

  private thrown(error: unknown): ReleaseEnding {
    const cancelled = this.deps.signal?.aborted === true;
    const cause: ReleaseCause = cancelled ? 'cancelled' : this.phase === 'pre-deploy' ? 'failed-migration' : 'error';
    return {
      outcome: cancelled ? 'cancelled' : 'failed',
      text: `${cancelled ? 'Cancelled' : 'Failed'}: ${errorMessage(error)}`,
      cause,
      served: this.phase === 'updated' ? 'unknown' : 'no',
    };
  }
}
