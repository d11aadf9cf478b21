/**
 * The verdict on one DescribeServices snapshot of a rollout: still going, done, or failed (and
 * why). Pure, so every way a rollout ends is a row in a table test. The rules:
 *  - success only when our deployment is COMPLETED, runs its desired count and is the only
 *    deployment left (old tasks drained): a rollout ECS rolled back is never a success; under the
 *    service's early success criteria (a ROLLING service), when ECS says COMPLETED;
 *  - failure when ECS marks our deployment FAILED (circuit breaker), when ECS or someone else put
 *    another deployment in its place, or when `maxFailedTasks` of its tasks failed.
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { enabledEarlySuccess } from './strategy-choice.js';

export type FailureCause =
  /** Failed tasks of the new revision reached max-failed-tasks. */
  | 'failed-tasks'
  /** ECS marked the deployment FAILED (its circuit breaker) without rolling back. */
  | 'rollout-failed'
  /** ECS's circuit breaker failed the deployment and rolled back to the previous one. */
  | 'circuit-breaker-rollback'
  /** A CloudWatch alarm of the service's deployment configuration failed it and ECS rolled back. */
  | 'alarm-rollback'
  /** An alarm the deploy watches went into ALARM during the rollout or the bake (deployment-alarms.ts). */
  | 'alarm'
  /** ECS rolled a native (BLUE_GREEN, CANARY, LINEAR) deployment back: a lifecycle hook, a stop request. */
  | 'ecs-rollback'
  /** Another deployment replaced ours (someone else deployed meanwhile). */
  | 'superseded'
  | 'timed-out'
  | 'cancelled'
  /** Another service of the same release failed (deploy-services.ts): all or nothing, so this one goes back too. */
  | 'release-failed';

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

/** `failed` is the count given (see failuresInARow), or else ECS's own. */
export function rolloutCounts(service: Service | undefined, deploymentId: string, observedFailures?: number): RolloutCounts {
  const ours = ourDeployment(service, deploymentId);
  const others = (service?.deployments ?? []).filter((d) => d.id !== deploymentId);
  return {
    desired: ours?.desiredCount ?? service?.desiredCount ?? 0,
    running: ours?.runningCount ?? 0,
    pending: ours?.pendingCount ?? 0,
    oldRunning: others.reduce((sum, d) => sum + (d.runningCount ?? 0), 0),
    failed: observedFailures ?? ours?.failedTasks ?? 0,
  };
}

/**
 * Failed tasks as ECS counts them. Deployment.failedTasks is "the number of consecutively failed
 * tasks" (the breaker's resetOnHealthyTask, on by default, resets it when a task reaches a
 * healthy state), and only ECS sees when a task becomes healthy: a poll every 2 s cannot, since
 * a task can fail, another pass its health check and a third fail between two polls. So ECS's
 * own count decides whenever ECS reports one; the failed stops we see are what is left when it
 * does not, added up over the rollout. Stops that are not the release's fault are never
 * counted here (see stopped-task.ts).
 */
export function failuresInARow(reported: number | undefined, failedStopsSeen: number): number {
  return reported ?? failedStopsSeen;
}

export function assessRollout(
  service: Service | undefined,
  deploymentId: string,
  options: { maxFailedTasks: number; observedFailures?: number; previousTaskDefinition?: string | undefined; taskDefinition?: string | undefined },
): RolloutVerdict {
  const ours = ourDeployment(service, deploymentId);
  const primary = primaryDeployment(service);
  const replacedBy = primary && primary.id !== deploymentId ? { deploymentId: primary.id ?? '?', taskDefinition: primary.taskDefinition ?? '?' } : undefined;

  if (service?.status !== 'ACTIVE') {
    return { state: 'failed', cause: 'superseded', reason: `the service is ${service?.status ?? 'gone'}` };
  }
  // The deployment followed must be the one that runs the revision deployed.
  if (ours && options.taskDefinition && ours.taskDefinition !== options.taskDefinition) {
    return {
      state: 'failed',
      cause: 'superseded',
      reason: `deployment ${deploymentId} runs ${ours.taskDefinition ?? 'an unknown task definition'}, not ${options.taskDefinition}`,
    };
  }
  if (ours?.rolloutState === 'FAILED') {
    const reason = ours.rolloutStateReason ?? 'ECS marked the deployment FAILED';
    // ECS replaced a FAILED deployment with one of the previous revision: its own rollback, by
    // the circuit breaker or by a CloudWatch alarm (its reason says which).
    if (replacedBy && replacedBy.taskDefinition === options.previousTaskDefinition) {
      return { state: 'failed', cause: rollbackCause(reason, service), reason, replacedBy };
    }
    if (replacedBy) return { state: 'failed', cause: 'superseded', reason: `${reason}; deployment ${replacedBy.deploymentId} replaced it`, replacedBy };
    return { state: 'failed', cause: 'rollout-failed', reason };
  }
  if (!ours) {
    // Our deployment is gone. Only ECS's own record (its events) can say that it rolled it back;
    // a new PRIMARY of the previous revision may as well be someone else's update.
    const why = rollbackEvent(service, deploymentId);
    if (replacedBy && why) return { state: 'failed', cause: rollbackCause(why, service), reason: why, replacedBy };
    return {
      state: 'failed',
      cause: 'superseded',
      reason: replacedBy
        ? `deployment ${deploymentId} is no longer on the service; deployment ${replacedBy.deploymentId} (${replacedBy.taskDefinition}) replaced it`
        : `deployment ${deploymentId} is no longer on the service`,
      ...(replacedBy ? { replacedBy } : {}),
    };
  }
  if (replacedBy) {
    return { state: 'failed', cause: 'superseded', reason: `deployment ${replacedBy.deploymentId} replaced it`, replacedBy };
  }
  const counts = rolloutCounts(service, deploymentId, options.observedFailures);
  if (counts.failed >= options.maxFailedTasks) {
    return {
      state: 'failed',
      cause: 'failed-tasks',
      reason: `${counts.failed} task${counts.failed === 1 ? '' : 's'} of the new revision failed in a row (max-failed-tasks ${options.maxFailedTasks})`,
    };
  }
  // Under ECS's early success criteria COMPLETED is ECS's verdict on its own: the older tasks may
  // still run (DEFERRED) and the new revision still be scaled up, in the background.
  if (ours.rolloutState === 'COMPLETED' && earlySuccessOf(service)) return { state: 'completed' };
  // ECS reports no rolloutState for services behind a Classic Load Balancer: the counts decide.
  const completed = ours.rolloutState === 'COMPLETED' || ours.rolloutState === undefined;
  if (completed && counts.running === counts.desired && counts.pending === 0 && (service.deployments?.length ?? 0) === 1) {
    return { state: 'completed' };
  }
  return { state: 'in-progress' };
}

/** Whose rollback it was, from ECS's reason (or event): a CloudWatch alarm's, else the breaker's. */
function rollbackCause(reason: string, service: Service): 'alarm-rollback' | 'circuit-breaker-rollback' {
  if (/alarm/i.test(reason)) return 'alarm-rollback';
  if (/circuit breaker/i.test(reason)) return 'circuit-breaker-rollback';
  return service.deploymentConfiguration?.alarms?.enable && !service.deploymentConfiguration.deploymentCircuitBreaker?.enable
    ? 'alarm-rollback'
    : 'circuit-breaker-rollback';
}

/** ECS's event saying that it failed (and rolled back) this deployment, if it is still listed. */
function rollbackEvent(service: Service, deploymentId: string): string | undefined {
  const event = (service.events ?? []).find((e) => e.message?.includes(deploymentId) && /deployment failed|rolling back|alarm/i.test(e.message));
  return event?.message;
}

/** The service's early success criteria, when ECS deploys it with them (enabled, ROLLING). */
export function earlySuccessOf(service: Service | undefined) {
  const config = service?.deploymentConfiguration;
  return (config?.strategy ?? 'ROLLING') === 'ROLLING' ? enabledEarlySuccess(config) : undefined;
}
