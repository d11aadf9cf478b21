/**
 * The follow phase: from the update ECS accepted to the result. ECS started nothing (the outcome
 * is the deployment already there's), `wait: false` (started), or the rollout followed to its
 * verdict: completed, paused at a gate, unknown, or failed (then roll-back-release.ts).
 */
import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { Logger } from '../core/logger.js';
import { primaryDeployment, rolloutCounts } from './assess-rollout.js';
import type { DeployResult, DeployStatus } from './deploy.js';
import type { DeployPlan } from './deploy-plan.js';
import { describeEarlySuccess, earlySuccessCleanup } from './early-success-cleanup.js';
import { countStopping } from './early-success-stopping.js';
import type { DeployRun } from './deploy-run.js';
import { alarmCheck, type PreparedAlarms } from './deployment-alarms.js';
import type { FollowResult } from './follow-rollout.js';
import type { FollowEnd, Follower } from './follower.js';
import { nativeFollower, type NativeFollowPlan } from './native-follower.js';
import { followSignal, verdictInRelease } from './release-link.js';
import { rollingFollower } from './rolling-follower.js';
import type { OneOffTaskResult } from './one-off-task.js';
import type { ResolvedRevision } from './resolve-revision.js';
import { rollBackRelease } from './roll-back-release.js';
import { NATIVE_STRATEGIES, nativeStrategy } from './service-deployment.js';
import type { StoppedTask } from './stopped-task.js';
import { revisionName } from './task-definition-source.js';
import type { ServiceUpdateResult } from './update-service.js';

export interface StartedRollout {
  plan: DeployPlan;
  revision: ResolvedRevision;
  update: ServiceUpdateResult;
  alarms: PreparedAlarms | undefined;
  preDeploy: OneOffTaskResult | undefined;
  updateStartedAt: number;
}

/** Makes the result; the follow adds what it learns (stopped tasks, the service deployment) as it goes. */
export type Finish = ((status: DeployStatus, message: string, extra?: Partial<DeployResult>) => DeployResult) & {
  base: { stoppedTasks: StoppedTask[]; serviceDeployment: ServiceDeployment | undefined; follow: FollowEnd | undefined };
};

function resultMaker(rollout: StartedRollout, serviceDeploymentArn: string | undefined, run: DeployRun): Finish {
  const base = {
    ...rollout.revision,
    deploymentId: rollout.update.deploymentId,
    stoppedTasks: [] as StoppedTask[],
    timeline: run.timeline,
    stats: run.stats,
    rolledBack: false,
    preDeploy: rollout.preDeploy,
    updateStartedAt: rollout.updateStartedAt,
    serviceDeploymentArn,
    serviceDeployment: undefined as ServiceDeployment | undefined,
    follow: undefined as FollowEnd | undefined,
  };
  const finish = (status: DeployStatus, message: string, extra: Partial<DeployResult> = {}): DeployResult => ({
    ...base,
    status,
    message,
    durationMs: run.clock.now() - run.startedAt,
    served: base.follow?.served ?? 'no',
    ...(rollout.alarms ? { alarms: rollout.alarms.watch.states() } : {}),
    ...extra,
  });
  return Object.assign(finish, { base });
}

export async function followRelease(rollout: StartedRollout, run: DeployRun): Promise<DeployResult> {
  const { plan, revision, update, alarms } = rollout;
  const { logger, timeline, clock } = run;
  const { service, deploymentId } = update;
  const arn = revision.taskDefinitionArn;
  // A native strategy's outcome is its service deployment's (service-deployment.ts).
  const serviceDeploymentArn = nativeStrategy(service) ? service.currentServiceDeployment : undefined;
  const finish = resultMaker(rollout, serviceDeploymentArn, run);
  // ECS started nothing: the outcome is that of the deployment already there, which may have FAILED.
  if (!update.startedDeployment) return alreadyThere(service, arn, deploymentId, plan.where, run, finish);
  timeline.add(`service updated: deployment ${deploymentId}`);
  logger.info(`Service updated to ${revisionName(arn)}: deployment ${deploymentId}.`);
  if (serviceDeploymentArn) logger.info(`ECS runs it as ${nativeStrategy(service)} service deployment ${serviceDeploymentArn}.`);
  // Recorded as started: not proven good until a later deploy of it says succeeded.
  if (!plan.wait) return finish('started', `Deployment ${deploymentId} of ${revisionName(arn)} started (not followed: wait is false).`);

  logger.info(`── Rollout of ${revisionName(arn)} (deployment ${deploymentId}) ──`);
  const link = run.deps.link;
  const follow = await chooseFollower(plan, serviceDeploymentArn, run).follow(
    {
      cluster: plan.cluster,
      service: plan.service,
      deploymentId,
      taskDefinitionArn: arn,
      previousTaskDefinitionArn: plan.previousTaskDefinitionArn,
      deadline: plan.deadline,
      maxFailedTasks: plan.maxFailedTasks,
      events: run.events,
      serviceDeploymentArn: serviceDeploymentArn ?? '',
      deploymentConfiguration: service.deploymentConfiguration as Record<string, unknown> | undefined,
      pauseAt: plan.pauseAt?.stage,
      ...(plan.pollIntervalMs !== undefined ? { pollIntervalMs: plan.pollIntervalMs } : {}),
      ...watchOptions(alarms, plan.rollingBakeMs, deploymentId, logger, clock),
    },
    followSignal(link, run.signal),
  );
  // One service of several: the release's verdict may take this one back too (release-link.ts).
  const verdict = await verdictInRelease(follow.verdict, link, run.signal);
  const undone = verdict !== follow.verdict;
  finish.base.stoppedTasks = follow.stoppedTasks;
  finish.base.serviceDeployment = follow.serviceDeployment;
  finish.base.follow = {
    kind: follow.kind,
    outcome: undone ? 'failed' : follow.outcome,
    cause: undone ? 'release-failed' : follow.cause,
    served: follow.served,
    endedAt: follow.endedAt,
  };
  if (verdict.state === 'paused') {
    const resume = `\`resume: continue\` or \`resume: rollback\`, service-deployment-arn ${serviceDeploymentArn} and hook-id ${verdict.hookId}`;
    if (!verdict.asked) {
      const reason = `the service deployment waits at a PAUSE lifecycle hook at ${verdict.stage} (hook ${verdict.hookId}) that this deploy did not ask for: the service's deploymentConfiguration has it (an earlier verify-at leaves its gate on the service)`;
      timeline.add(`paused at ${verdict.stage} (hook ${verdict.hookId}), not asked for`);
      const result = finish(
        'paused',
        `Deploy of ${revisionName(arn)} to ${plan.where} did not finish: ${reason}. It was not continued. Resume it with ${resume}, or deploy with \`verify-at\` to make the pause part of the plan; unanswered, ECS acts on the hook's timeout.`,
        { hookId: verdict.hookId, failure: { cause: 'timed-out', reason } },
      );
      logger.warning(result.message);
      return result;
    }
    const minutes = plan.pauseAt?.timeoutInMinutes;
    const line = `paused at ${verdict.stage}: hook ${verdict.hookId} awaits ContinueServiceDeployment (ECS rolls back after ${minutes}m)`;
    timeline.add(line);
    logger.info(`⏸ Service deployment ${serviceDeploymentArn} ${line}.`);
    const production = 'production traffic is still on the previous revision';
    return finish(
      'paused',
      `${revisionName(arn)} waits at ${verdict.stage} on ${plan.where} (${production}): verify it, then resume with ${resume}. Unanswered, ECS rolls it back after ${minutes}m.`,
      { hookId: verdict.hookId },
    );
  }
  if (verdict.state === 'unknown') {
    const result = finish('unknown', unknownOutcome(verdict.reason, follow.service ?? service, deploymentId, plan.where), {
      failure: { cause: 'unknown', reason: verdict.reason },
    });
    logger.info(`✗ ${result.message}`);
    timeline.add(`outcome unknown: ${verdict.reason}`);
    return result;
  }
  if (verdict.state === 'completed') {
    const counts = rolloutCounts(follow.service, deploymentId);
    timeline.add(`rollout completed: ${counts.running}/${counts.desired} running`);
    logger.info(
      `Deployment ${deploymentId} completed: ${revisionName(arn)} runs ${counts.running}/${counts.desired} tasks (${formatDuration(clock.now() - run.startedAt)}).`,
    );
    const early = earlySuccessCleanup(follow.service, deploymentId);
    if (early?.oldDeployments) early.oldStopping = await countStopping(run.ecs, plan.cluster, plan.service, arn);
    if (early) {
      logger.info(describeEarlySuccess(early, revisionName(arn)));
      timeline.add(`early success (${early.cleanup}): previous revision ${early.oldRunning} running, ${early.oldStopping ?? '?'} being stopped`);
    }
    return finish('succeeded', `${plan.where} runs ${revisionName(arn)}.`, { completedAt: follow.endedAt, ...(early ? { earlySuccess: early } : {}) });
  }
  return rollBackRelease({ ...rollout, verdict, follow: { ...follow, verdict }, serviceDeploymentArn, finish }, run);
}

/**
 * The follower, chosen here once, from the plan: a native strategy's deployment is followed
 * through the service deployment UpdateService started; a rolling one through ECS's deployment.
 */
function chooseFollower(plan: DeployPlan, serviceDeploymentArn: string | undefined, run: DeployRun): Follower<NativeFollowPlan, FollowResult> {
  return NATIVE_STRATEGIES.includes(plan.strategy) && serviceDeploymentArn ? nativeFollower(run.follow) : rollingFollower(run.follow);
}

/** The follow's bake and alarm check, when there is a bake or an alarm to watch. */
function watchOptions(alarms: PreparedAlarms | undefined, bakeMs: number | undefined, deploymentId: string, logger: Logger, clock: Clock) {
  return {
    ...(bakeMs ? { bakeMs } : {}),
    ...(alarms
      ? {
          check: alarmCheck(alarms.watch, { deploymentId, ecsRollsBackOn: alarms.ecsRollsBackOn, logger, now: () => clock.now() }),
          bakeWatching: () => `alarms: ${alarms.watch.summary()}`,
        }
      : {}),
  };
}

/**
 * UpdateService started no deployment (the same revision, no force): the outcome is that of the
 * PRIMARY deployment already there — success only when it runs this revision and COMPLETED.
 */
function alreadyThere(service: Service, taskDefinitionArn: string, deploymentId: string, where: string, run: DeployRun, finish: Finish): DeployResult {
  const primary = primaryDeployment(service);
  const rev = revisionName(taskDefinitionArn);
  run.timeline.add(`ECS started no new deployment: ${deploymentId} of ${revisionName(primary?.taskDefinition)} is ${primary?.rolloutState ?? 'PRIMARY'}`);
  if (primary?.taskDefinition !== taskDefinitionArn || service.taskDefinition !== taskDefinitionArn) {
    const message = `ECS started no new deployment of ${rev}, and ${where} does not run it (PRIMARY deployment ${deploymentId} runs ${revisionName(primary?.taskDefinition)}).`;
    return finish('failed', message, { failure: { cause: 'superseded', reason: message } });
  }
  if (primary.rolloutState === 'FAILED') {
    const reason = primary.rolloutStateReason ?? 'ECS marked the deployment FAILED';
    const message = `Deploy of ${rev} to ${where} failed: ECS started no new deployment, and its PRIMARY deployment ${deploymentId} of ${rev} is FAILED (${reason}). Fix the release, or set force-new-deployment to try the same revision again.`;
    return finish('failed', message, { failure: { cause: 'rollout-failed', reason } });
  }
  if (primary.rolloutState === 'IN_PROGRESS') {
    const message = `ECS started no new deployment: deployment ${deploymentId} of ${rev} is still IN_PROGRESS, not proven yet.`;
    return finish('started', message);
  }
  run.logger.info(
    `The service already runs ${rev} (deployment ${deploymentId}, ${primary.rolloutState ?? 'no rollout state'}); ECS started no new deployment. Set force-new-deployment to replace its tasks.`,
  );
  return finish('succeeded', `${where} already runs ${rev}.`);
}

/** The step's message when ECS could not be read any more: what is known, and that nothing was done. */
function unknownOutcome(reason: string, service: Service, deploymentId: string, where: string): string {
  const counts = rolloutCounts(service, deploymentId);
  const ours = service.deployments?.find((d) => d.id === deploymentId);
  return `The outcome of deployment ${deploymentId} to ${where} is unknown: ${reason}. The service is left as it is (not rolled back). Last known state: ${ours?.rolloutState ?? 'not listed'}, ${counts.running}/${counts.desired} running, ${counts.oldRunning} of older deployments running. Check the service in the ECS console before deploying again.`;
}
