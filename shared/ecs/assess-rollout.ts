/**
 * The verdict on one DescribeServices snapshot of a rollout: still going, done, or failed (and
 * why). Pure, so every way a rollout ends is a row in a table test. The rules:
 *  - success only when our deployment is COMPLETED, runs its desired count and is the only
 *    deployment left (old tasks drained): a rollout ECS rolled back is never a success;
 *  - failure when ECS marks our deployment FAILED (circuit breaker), when ECS or someone else put
 *    another deployment in its place, or when `maxFailedTasks` of its tasks failed.
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';

export type FailureCause =
  /** Failed tasks of the new revision reached max-failed-tasks. */
  | 'failed-tasks'
  /** ECS marked the deployment FAILED (its circuit breaker) without rolling back. */
  | 'rollout-failed'
  /** ECS's circuit breaker failed the deployment and rolled back to the previous one. */
  | 'circuit-breaker-rollback'
  /** Another deployment replaced ours (someone else deployed meanwhile). */
  | 'superseded'
  | 'timed-out'
  | 'cancelled';

export type RolloutVerdict =
  | { state: 'in-progress' }
  | { state: 'completed' }
  | { state: 'failed'; cause: FailureCause; reason: string; replacedBy?: { deploymentId: string; taskDefinition: string } };

export interface RolloutCounts {
  desired: number;
  running: number;
  pending: number;
  /** Tasks of other (older) deployments still running. */
  oldRunning: number;
  failed: number;
}

export function ourDeployment(service: Service | undefined, deploymentId: string): Deployment | undefined {
  return service?.deployments?.find((d) => d.id === deploymentId);
}

export function primaryDeployment(service: Service | undefined): Deployment | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY');
}

export function rolloutCounts(service: Service | undefined, deploymentId: string, observedFailures = 0): RolloutCounts {
  const ours = ourDeployment(service, deploymentId);
  const others = (service?.deployments ?? []).filter((d) => d.id !== deploymentId);
  return {
    desired: ours?.desiredCount ?? service?.desiredCount ?? 0,
    running: ours?.runningCount ?? 0,
    pending: ours?.pendingCount ?? 0,
    oldRunning: others.reduce((sum, d) => sum + (d.runningCount ?? 0), 0),
    failed: Math.max(ours?.failedTasks ?? 0, observedFailures),
  };
}

export function assessRollout(
  service: Service | undefined,
  deploymentId: string,
  options: { maxFailedTasks: number; observedFailures?: number; previousTaskDefinition?: string | undefined },
): RolloutVerdict {
  const ours = ourDeployment(service, deploymentId);
  const primary = primaryDeployment(service);
  const replacedBy = primary && primary.id !== deploymentId ? { deploymentId: primary.id ?? '?', taskDefinition: primary.taskDefinition ?? '?' } : undefined;

  if (service?.status !== 'ACTIVE') {
    return { state: 'failed', cause: 'superseded', reason: `the service is ${service?.status ?? 'gone'}` };
  }
  // ECS's rollback replaces our deployment with one of the previous revision; a rollback that
  // already finished leaves no trace of ours but that.
  const rolledBackByEcs = replacedBy && (ours?.rolloutState === 'FAILED' || (!ours && replacedBy.taskDefinition === options.previousTaskDefinition));
  if (rolledBackByEcs) {
    return { state: 'failed', cause: 'circuit-breaker-rollback', reason: ours?.rolloutStateReason ?? 'ECS rolled the deployment back', replacedBy };
  }
  if (ours?.rolloutState === 'FAILED') {
    return { state: 'failed', cause: 'rollout-failed', reason: ours.rolloutStateReason ?? 'ECS marked the deployment FAILED' };
  }
  if (!ours) return { state: 'failed', cause: 'superseded', reason: `deployment ${deploymentId} is no longer on the service` };
  if (replacedBy) {
    return { state: 'failed', cause: 'superseded', reason: `deployment ${replacedBy.deploymentId} replaced it`, replacedBy };
  }
  const counts = rolloutCounts(service, deploymentId, options.observedFailures);
  if (counts.failed >= options.maxFailedTasks) {
    return {
      state: 'failed',
      cause: 'failed-tasks',
      reason: `${counts.failed} task${counts.failed === 1 ? '' : 's'} of the new revision failed (max-failed-tasks ${options.maxFailedTasks})`,
    };
  }
  const completed = ours.rolloutState === 'COMPLETED' || ours.rolloutState === undefined;
  if (completed && counts.running === counts.desired && counts.pending === 0 && (service.deployments?.length ?? 0) === 1) {
    return { state: 'completed' };
  }
  return { state: 'in-progress' };
}
