/**
 * The roll-back phase: a rollout failed. Say what failed and why (the stopped tasks' reasons),
 * then go back to the revision that ran before, as the plan allows: a native service deployment
 * through ECS (StopServiceDeployment ROLLBACK, never a second UpdateService), a rolling one by an
 * update back to the previous revision, followed unless cancelled or out of time.
 */
import type { FollowResult, FollowVerdict } from './follow-rollout.js';
import { newStoppedTasks } from './follow-rollout.js';
import { formatDuration } from '../core/duration.js';
import type { Logger } from '../core/logger.js';
import { rolloutCounts } from './assess-rollout.js';
import type { DeployResult, DeployStatus } from './deploy.js';
import type { DeployRun } from './deploy-run.js';
import type { Finish, StartedRollout } from './follow-release.js';
import { DEFAULT_POLL_INTERVAL_MS } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';
import { rollBackService } from './rollback-service.js';
import { rollBackServiceDeployment } from './service-deployment.js';
import { describeStoppedTask, stoppedReasons, type StoppedTask } from './stopped-task.js';
import { revisionName } from './task-definition-source.js';

type FailedVerdict = Exclude<FollowVerdict, { state: 'completed' | 'unknown' | 'paused' }>;

export interface FailedRollout extends StartedRollout {
  verdict: FailedVerdict;
  follow: FollowResult;
  serviceDeploymentArn: string | undefined;
  finish: Finish;
}

export async function rollBackRelease(failed: FailedRollout, run: DeployRun): Promise<DeployResult> {
  const { plan, revision, verdict, follow, alarms, finish } = failed;
  const { logger, timeline } = run;
  const arn = revision.taskDefinitionArn;
  const previous = plan.previousTaskDefinitionArn;
  // ECS may have rolled back on an alarm before a poll saw it in ALARM (and it may be OK again):
  // ask once more which, then the alarms' history.
  const ecsAlarm =
    verdict.cause === 'alarm-rollback' && alarms
      ? (alarms.watch.firing ?? (await alarms.watch.poll())[0] ?? (await alarms.watch.lastFired()))?.cause
      : undefined;
  const what = failureHeadline(verdict, arn, plan.where, plan.deadline - plan.startedAt, ecsAlarm);
  const why = stoppedReasons(follow.stoppedTasks);
  timeline.add(`rollout failed: ${verdict.reason}`);
  // The step's failure message repeats this with the outcome of the rollback: one error annotation, not two.
  logger.info(`✗ ${what}${why ? ` ${why}` : ''}`);
  const failure = { cause: verdict.cause, reason: verdict.reason };
  const ecsRolledBack = verdict.cause === 'circuit-breaker-rollback' || verdict.cause === 'alarm-rollback' || verdict.cause === 'ecs-rollback';
  const rollBack = ecsRolledBack || (plan.onFailure === 'roll-back' && verdict.cause !== 'superseded');
  // A revision whose own deployment FAILED is no place to go back to.
  const previousFailed = plan.previousFailed;

  if (!rollBack || !previous || previous === arn || (previousFailed && !ecsRolledBack)) {
    const note =
      verdict.cause === 'superseded'
        ? ' Left as it is: another deployment replaced this one.'
        : !previous
          ? ' No previous revision to roll back to.'
          : previousFailed && rollBack && previous !== arn
            ? ` Not rolled back: the previous revision ${revisionName(previous)} had FAILED its own deployment; ECS keeps the service as it is.`
            : ' Not rolled back (rollback-on-failure is off); ECS keeps the service as it is.';
    const status: DeployStatus = verdict.cause === 'cancelled' ? 'cancelled' : 'failed';
    return finish(status, `${what}${why ? ` ${why}` : ''}${note}`, { failure });
  }

  // Cancelled or out of time: start the rollback (one call, ECS finishes it) without waiting.
  const followRollback = verdict.cause !== 'cancelled' && verdict.cause !== 'timed-out';
  const rollbackStartedAt = run.clock.now();
  if (failed.serviceDeploymentArn) {
    const native = await rollBackServiceDeployment(run.ecs, failed.serviceDeploymentArn, {
      startedByEcs: ecsRolledBack,
      follow: followRollback,
      cancelled: verdict.cause === 'cancelled',
      previous: revisionName(previous),
      clock: run.clock,
      deadline: plan.deadline,
      pollIntervalMs: plan.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      signal: run.signal,
      log: (line) => {
        logger.info(line);
        timeline.add(line);
      },
    });
    logger.info(native.where);
    return finish(native.status, `${what}${why ? ` ${why}` : ''} ${native.where}`, {
      failure,
      rolledBack: native.rolledBack,
      rollbackStartedAt,
      serviceDeployment: native.serviceDeployment ?? finish.base.serviceDeployment,
    });
  }
  logger.info(`── Rollback to ${revisionName(previous)} ──`);
  const rollback = await rollBackService(
    {
      cluster: plan.cluster,
      service: follow.service ?? failed.update.service,
      toTaskDefinitionArn: previous,
      fromTaskDefinitionArn: arn,
      desiredCount: plan.desiredCount !== undefined ? plan.previousDesiredCount : undefined,
      deadline: plan.deadline,
      events: run.events,
      pollIntervalMs: plan.pollIntervalMs,
      follow: followRollback,
    },
    run.follow,
  );
  const rollbackVerdict: FollowVerdict | undefined = rollback.follow?.verdict;
  const deploymentId = failed.update.deploymentId;
  // Tasks that failed health checks drain before they stop; by now their reasons are known.
  const stoppedTasks = [...follow.stoppedTasks, ...(await lateStoppedTasks(run.ecs, plan.cluster, deploymentId, follow.stoppedTasks, logger))];
  const why2 = stoppedReasons(stoppedTasks);
  let where2: string;
  let status: DeployStatus;
  let rolledBack = false;
  if (!followRollback) {
    where2 = `Rollback to ${revisionName(previous)} started (deployment ${rollback.deploymentId}); ECS completes it.`;
    status = verdict.cause === 'cancelled' ? 'cancelled' : 'failed';
  } else if (rollbackVerdict?.state === 'unknown') {
    where2 = `The rollback to ${revisionName(previous)} (deployment ${rollback.deploymentId}) was started, but its outcome is unknown: ${rollbackVerdict.reason}; the service is left as it is.`;
    status = 'unknown';
  } else if (rollbackVerdict?.state === 'completed') {
    const counts = rolloutCounts(rollback.follow?.service, rollback.deploymentId);
    where2 = `Rolled back: the service is back on revision ${revisionName(previous)} (${counts.running}/${counts.desired} running).`;
    status = 'rolled-back';
    rolledBack = true;
  } else {
    where2 = `The rollback to ${revisionName(previous)} (deployment ${rollback.deploymentId}) did not complete: ${(rollbackVerdict && 'reason' in rollbackVerdict ? rollbackVerdict.reason : undefined) ?? 'unknown'}.`;
    status = 'failed';
  }
  logger.info(where2);
  return finish(status, `${what}${why2 ? ` ${why2}` : ''} ${where2}`, {
    failure,
    rolledBack,
    rollbackDeploymentId: rollback.deploymentId,
    rollbackStartedAt,
    stoppedTasks,
  });
}

async function lateStoppedTasks(ecs: EcsSender, cluster: string, deploymentId: string, known: readonly StoppedTask[], logger: Logger): Promise<StoppedTask[]> {
  try {
    const late = await newStoppedTasks(ecs, cluster, deploymentId, new Set(known.map((t) => t.taskArn)));
    for (const t of late) if (t.failed) logger.info(`  ${describeStoppedTask(t)}`);
    return late;
  } catch (error) {
    logger.debug(`could not list the stopped tasks of ${deploymentId}: ${(error as Error).message}`);
    return [];
  }
}

function failureHeadline(
  verdict: Exclude<FollowVerdict, { state: 'completed' | 'unknown' | 'paused' }>,
  arn: string,
  where: string,
  timeoutMs: number,
  alarm?: string | undefined,
): string {
  const rev = revisionName(arn);
  switch (verdict.cause) {
    case 'alarm':
    case 'failed-tasks':
      return `Deploy of ${rev} to ${where} failed: ${verdict.reason}.`;
    case 'circuit-breaker-rollback':
      return `Deploy of ${rev} to ${where} failed: ECS's deployment circuit breaker failed it (${verdict.reason}) and rolled back to ${revisionName(verdict.replacedBy?.taskDefinition)}.`;
    case 'alarm-rollback':
      return alarm
        ? `Deploy of ${rev} to ${where} failed: rolled back by ECS on ${alarm} (ECS: ${verdict.reason}), to ${revisionName(verdict.replacedBy?.taskDefinition)}.`
        : `Deploy of ${rev} to ${where} failed: a CloudWatch alarm of the service's deployment configuration failed it (${verdict.reason}) and ECS rolled back to ${revisionName(verdict.replacedBy?.taskDefinition)}.`;
    case 'ecs-rollback':
      return `Deploy of ${rev} to ${where} failed: ECS rolled the service deployment back to ${revisionName(verdict.replacedBy?.taskDefinition)}: ${verdict.reason}.`;
    case 'rollout-failed':
      return `Deploy of ${rev} to ${where} failed: ECS marked the deployment FAILED (${verdict.reason}).`;
    case 'superseded':
      return `Deploy of ${rev} to ${where} failed: ${verdict.reason}.`;
    case 'timed-out':
      return `Deploy of ${rev} to ${where} timed out: not COMPLETED within the ${formatDuration(timeoutMs)} timeout${verdict.reason.includes('(') ? ` ${verdict.reason.slice(verdict.reason.indexOf('('))}` : ''}.`;
    case 'cancelled':
      return `Deploy of ${rev} to ${where} was cancelled.`;
    case 'release-failed':
      return `Deploy of ${rev} to ${where} is undone with its release (all or nothing): ${verdict.reason}.`;
  }
}
