/**
 * The deploy engine: render → register → update → follow → (on failure) roll back, shared by the
 * `ecs-rolling-deploy` and `rollback` actions so both take the same automated path.
 *
 * API
 *   const result = await deploy(request, { ecs, logger, clock?, signal?, hooks? });
 *
 *   request.taskDefinition  where the revision comes from (task-definition-source.ts):
 *                             { kind: 'service' }                 the service's current one
 *                             { kind: 'existing', ref }           an ARN or family[:revision]
 *                             { kind: 'document', document, source }  a parsed JSON/YAML file
 *   request.changes         images / environment by container (rendered onto the source; any
 *                           change means a new revision). Unknown containers fail before
 *                           anything is registered.
 *   request.register        'if-changed' (default) registers only when rendering changed
 *                           something (a document is always registered); 'never' deploys the
 *                           existing revision as is and refuses changes that would need one.
 *   request.onFailure       'roll-back' (default): update back to the revision that was PRIMARY
 *                           before, follow it, report; 'stop': report the failure and leave the
 *                           service as ECS has it (ECS's own circuit breaker still acts).
 *   request.timeoutMs       hard deadline for everything from the first call to the verdict.
 *   request.maxFailedTasks  failed tasks of the new revision that fail the rollout.
 *   request.waitForInProgress  wait for another IN_PROGRESS deployment instead of refusing.
 *   request.wait            false: stop after the service update (status 'started').
 *   request.alarms          CloudWatch alarm names added to the service's deployment alarms
 *                           (checked to exist before anything changes); every watched alarm
 *                           (these and the service's own) in ALARM fails the rollout, unless
 *                           ECS rolls back on it itself (then that is followed and reported).
 *   request.bakeMs          once COMPLETED, how long the release is still watched (alarms,
 *                           ECS's view) before it counts as good. Default 0.
 *
 * A rollback (the `rollback` action) is a deploy of an existing ARN with no changes:
 *   deploy({ cluster, service, taskDefinition: { kind: 'existing', ref: arn }, register: 'never',
 *            onFailure: 'stop', ... }, deps)
 *
 * deploy() throws UserError for what the user can fix before anything changed (service missing,
 * unknown container, a deployment in progress, a bad task definition). Once the service was
 * updated it never throws for a failed rollout: the result says what happened (status, cause,
 * stopped tasks, timeline) and the caller decides how to fail the step.
 *
 * Hooks run at the two moments an audit record needs: `planned` once the revision is known and
 * before the service is touched, `finished` with the result.
 */
import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import { systemClock, type Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { primaryDeployment, rolloutCounts, type FailureCause } from './assess-rollout.js';
import {
  DEFAULT_POLL_INTERVAL_MS,
  followRollout,
  isThrottling,
  newStoppedTasks,
  type FollowDeps,
  type ServiceSnapshot,
  type FollowStats,
  type FollowVerdict,
} from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';
import { describeTaskDefinition, registerTaskDefinition, tagResource } from './register-task-definition.js';
import {
  containerImages,
  hasChanges,
  registrableTaskDefinition,
  renderTaskDefinition,
  type ContainerImage,
  type TaskDefinitionChanges,
  type TaskDefinitionDocument,
} from './render-task-definition.js';
import { TAG_PREFIX, type EcsTag } from './revision-tags.js';
import { rollBackService } from './rollback-service.js';
import { ServiceEventStream } from './service-events.js';
import { describeStoppedTask, type StoppedTask } from './stopped-task.js';
import { nativeStrategy, rollBackServiceDeployment } from './service-deployment.js';
import { applyStrategyChoice, MAX_NATIVE_DEADLINE_MS, nativeWaitMs, requireTrafficShiftable, splitBakeTime, type StrategyChoice } from './strategy-choice.js';
import { revisionName, type TaskDefinitionSource } from './task-definition-source.js';
import { Timeline } from './timeline.js';
import { updateService } from './update-service.js';
import { describeOneOffTask, runOneOffTask, type LogReader, type OneOffTaskResult, type TaskPlacement } from './one-off-task.js';
import type { ServiceSettings } from './service-settings-input.js';
import { requireServiceSnapshot } from './require-service.js';
import type { VerificationGate } from './verification-gate.js';
import { alarmCheck, prepareAlarmWatch, type AlarmView, type AlarmsRequest, type CloudWatchSender, type PreparedAlarms } from './deployment-alarms.js';

export interface DeployRequest {
  cluster: string;
  service: string;
  taskDefinition: TaskDefinitionSource;
  changes?: TaskDefinitionChanges;
  register?: 'if-changed' | 'never';
  /** Tags for a newly registered revision (provenance and the user's). */
  revisionTags?: EcsTag[];
  desiredCount?: number | undefined;
  minimumHealthyPercent?: number | undefined;
  maximumPercent?: number | undefined;
  /** ECS's deployment circuit breaker on/off for this rollout (undefined keeps the service's). */
  circuitBreaker?: boolean | undefined;
  forceNewDeployment?: boolean;
  /** Managed tags, tag propagation, the service-managed EBS volume: sent only when set. */
  serviceSettings?: ServiceSettings | undefined;
  /** The deployment strategy (and its settings) for this deploy; undefined keeps the service's. */
  strategy?: StrategyChoice | undefined;
  wait?: boolean;
  timeoutMs: number;
  /** Add what a native strategy's bakes and hook timeouts may take to `timeoutMs` (timeout: auto). */
  timeoutCoversBakes?: boolean;
  maxFailedTasks: number;
  onFailure?: 'roll-back' | 'stop';
  waitForInProgress?: boolean;
  pollIntervalMs?: number;
  alarms?: AlarmsRequest | undefined;
  bakeMs?: number | undefined;
  /**
   * A verification gate (verify-at): a PAUSE hook at that stage, and the deploy ends `paused` once
   * the service deployment waits there (verification-gate.ts). Needs a native strategy.
   */
  verifyAt?: VerificationGate | undefined;
  /**
   * A one-off task of the revision to run before the service is updated (a migration): only exit
   * code 0 lets the update start; anything else throws, with the service untouched.
   */
  preDeploy?: PreDeployTask | undefined;
  /**
   * Run `preDeploy` as a standalone task and stop there: no service update, no outcome tag (the
   * revision was not deployed). The result carries the task; its status is that of the task.
   */
  runTaskOnly?: boolean;
}

export interface PreDeployTask {
  command?: readonly string[] | undefined;
  /** Default: the first essential container. */
  container?: string | undefined;
  timeoutMs: number;
  pollIntervalMs?: number;
  /** Placement given for the task; each member given replaces the service's (RunTaskRequest shapes). */
  placement?: TaskPlacement | undefined;
}

/** `unknown`: ECS could not be read after the update; the service was left as it is. */
/** `paused`: the service deployment waits at the verification gate (verifyAt) for a resume. */
export type DeployStatus = 'succeeded' | 'rolled-back' | 'failed' | 'cancelled' | 'started' | 'unknown' | 'paused';

export interface DeployPlan {
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string | undefined;
  registered: boolean;
  before: ContainerImage[];
  after: ContainerImage[];
}

export interface DeployResult extends DeployPlan {
  status: DeployStatus;
  deploymentId: string | undefined;
  rolledBack: boolean;
  rollbackDeploymentId?: string | undefined;
  /** Set when the rollout did not succeed. */
  failure?: { cause: FailureCause | 'unknown'; reason: string } | undefined;
  /** One paragraph for the step's failure message: what failed, why, where the service is. */
  message: string;
  stoppedTasks: StoppedTask[];
  timeline: Timeline;
  durationMs: number;
  stats: FollowStats;
  /** Clock time the rollout was seen COMPLETED (for the latency benchmark). */
  completedAt?: number | undefined;
  /** Clock time the rollback was started. */
  rollbackStartedAt?: number | undefined;
  /** The task run before the update (pre-deploy), when there was one. */
  preDeploy?: OneOffTaskResult | undefined;
  /** Clock time UpdateService was sent (for the benchmark: pre-deploy task stopped → update). */
  updateStartedAt?: number | undefined;
  /** The watched alarms as last read (none watched: undefined). */
  alarms?: AlarmView[] | undefined;
  /** A native strategy's service deployment (BLUE_GREEN, CANARY, LINEAR). */
  serviceDeploymentArn?: string | undefined;
  /** status `paused`: the PAUSE hook the service deployment waits at. */
  hookId?: string | undefined;
  /** The native service deployment as last seen (its stages for the summary). */
  serviceDeployment?: ServiceDeployment | undefined;
}

export interface DeployHooks {
  planned?(plan: DeployPlan): Promise<void> | void;
  serviceUpdated?(plan: DeployPlan & { deploymentId: string }): Promise<void> | void;
  /** The pre-deploy task ended (whatever its exit code), before the service is touched. */
  preDeployFinished?(result: OneOffTaskResult): Promise<void> | void;
}

export interface DeployDeps {
  ecs: EcsSender;
  logger: Logger;
  clock?: Clock;
  signal?: AbortSignal | undefined;
  hooks?: DeployHooks;
  /** Reads the pre-deploy task's log stream (CloudWatch Logs); without it its lines are not shown. */
  logs?: LogReader | undefined;
  /** Created only when there are alarms to watch. */
  cloudwatch?: () => Promise<CloudWatchSender>;
}

export async function deploy(request: DeployRequest, deps: DeployDeps): Promise<DeployResult> {
  const clock = deps.clock ?? systemClock;
  const { ecs, logger, signal } = deps;
  const startedAt = clock.now();
  let deadline = startedAt + request.timeoutMs;
  const timeline = new Timeline(() => clock.now(), startedAt);
  const stats: FollowStats = { describeServicesCalls: 0, throttled: 0 };
  const followDeps: FollowDeps = { ecs, logger, clock, signal, timeline, stats };
  const events = new ServiceEventStream();
  const where = `${request.cluster}/${request.service}`;

  // 1. The service as it is, and nothing else deploying to it.
  // Waits and rollouts are printed outside groups: a collapsed group would hide the progress
  // people are watching.
  const first = await requireServiceSnapshot(ecs, request.cluster, request.service, stats);
  // 0. Only services ECS itself deploys: before anything is registered or recorded.
  requireEcsController(first.service, where);
  const snapshot = await waitUntilNoRolloutInProgress(first, request, deadline, events, followDeps);
  let service = snapshot.service;
  const strategy = request.strategy?.strategy ?? service.deploymentConfiguration?.strategy ?? 'ROLLING';
  const { choice: strategyChoice, rollingBakeMs } = splitBakeTime(request.strategy, strategy, request.bakeMs);
  requireTrafficShiftable(request.strategy?.strategy, service.loadBalancers, where);
  if (request.verifyAt && strategy === 'ROLLING') {
    throw new UserError(
      `verify-at: ${where} deploys with the ROLLING strategy, which has no lifecycle stages to pause at; nothing was registered or changed.`,
      { hint: "Set strategy: blue-green, canary or linear (the service needs its load balancer's advancedConfiguration), or leave verify-at empty." },
    );
  }
  if (request.timeoutCoversBakes) {
    const config = applyStrategyChoice(
      structuredClone((snapshot.raw.deploymentConfiguration as Record<string, unknown> | undefined) ?? {}),
      strategyChoice ?? {},
    );
    const extra = nativeWaitMs(config);
    if (extra > 0) {
      deadline = startedAt + Math.min(MAX_NATIVE_DEADLINE_MS, request.timeoutMs + extra);
      logger.info(
        `Deadline ${formatDuration(deadline - startedAt)}: ${formatDuration(request.timeoutMs)} plus ${formatDuration(extra)} of bakes and hook timeouts (timeout: auto, at most 6h).`,
      );
    }
  }
  if (strategy !== 'ROLLING') logger.info(`${where} deploys with ECS's ${strategy} strategy; ECS runs it and this action follows its service deployment.`);
  const previous = currentRevision(service, logger);
  const previousPrimary = primaryDeployment(service);
  const previousDesired = service.desiredCount;

  // 1b. The alarms to watch: a name that does not exist fails here, before anything changes.
  const alarms = await prepareAlarmWatch(request.alarms, snapshot.raw.deploymentConfiguration as Record<string, unknown> | undefined, deps.cloudwatch, {
    logger,
    timeline,
  });

  // 2. The revision to deploy: rendered and registered only when something changed.
  const plan = await logger.group('Task definition', () => resolveRevision(request, previous, ecs, logger));
  timeline.add(
    plan.registered ? `registered ${revisionName(plan.taskDefinitionArn)}` : `deploying ${revisionName(plan.taskDefinitionArn)} as is (no new revision)`,
  );
  await deps.hooks?.planned?.(plan);
  if (request.runTaskOnly) {
    const task = await runRevisionTask(request, plan, snapshot.raw, deadline, deps, clock);
    const ok = task.ending === 'exited' && task.exitCode === 0;
    const lines = ok ? '' : lastLinesText(task);
    return {
      ...plan,
      status: ok ? 'succeeded' : task.ending === 'cancelled' ? 'cancelled' : 'failed',
      message: `${describeOneOffTask(task, 'task', task.timeoutMs)}${lines}`,
      deploymentId: undefined,
      rolledBack: false,
      stoppedTasks: [],
      timeline,
      stats,
      durationMs: clock.now() - startedAt,
      preDeploy: task,
    };
  }
  const preDeploy = request.preDeploy ? await runPreDeploy(request, plan, snapshot.raw, previous, deadline, deps, clock) : undefined;
  if (preDeploy) timeline.add(`pre-deploy task exited 0 (${formatDuration(preDeploy.durationMs)})`);

  // 3. The update. A cancellation that arrived while registering stops here, before ECS is touched.
  if (signal?.aborted) {
    throw new UserError(
      `Cancelled before the service was updated: ${where} still runs ${revisionName(previous)}${plan.registered ? ` (${revisionName(plan.taskDefinitionArn)} was registered but not deployed)` : ''}.`,
    );
  }
  events.prime(service.events);
  const updateStartedAt = clock.now();
  const update = await updateService(
    ecs,
    request.cluster,
    service,
    {
      taskDefinitionArn: plan.taskDefinitionArn,
      desiredCount: request.desiredCount,
      minimumHealthyPercent: request.minimumHealthyPercent,
      maximumPercent: request.maximumPercent,
      circuitBreaker:
        request.circuitBreaker === undefined
          ? undefined
          : { enable: request.circuitBreaker, rollback: request.circuitBreaker && (request.onFailure ?? 'roll-back') === 'roll-back' },
      forceNewDeployment: request.forceNewDeployment,
      settings: request.serviceSettings,
      alarms: request.alarms,
      strategy: strategyChoice,
      verificationGate: request.verifyAt,
    },
    snapshot.raw.deploymentConfiguration as Record<string, unknown> | undefined,
  ).catch((error: unknown) => {
    if (error instanceof UserError) throw error;
    // ECS did not answer (after the SDK's retries), and the service shows no deployment of ours:
    // say where things stand instead of an internal error.
    throw new UserError(
      `ECS did not answer UpdateService for ${where} (${(error as Error).message}); the service was not updated and still runs ${revisionName(previous)}${plan.registered ? ` (${revisionName(plan.taskDefinitionArn)} was registered but not deployed)` : ''}.`,
      { cause: error, hint: 'Run the deploy again once ECS answers; nothing needs undoing.' },
    );
  });
  service = update.service;
  const deploymentId = update.deploymentId;
  await deps.hooks?.serviceUpdated?.({ ...plan, deploymentId });
  // A native strategy's outcome is its service deployment's (service-deployment.ts).
  const serviceDeploymentArn = nativeStrategy(service) ? service.currentServiceDeployment : undefined;
  const base = {
    ...plan,
    deploymentId,
    stoppedTasks: [] as StoppedTask[],
    timeline,
    stats,
    rolledBack: false,
    preDeploy,
    updateStartedAt,
    serviceDeploymentArn,
    serviceDeployment: undefined as ServiceDeployment | undefined,
  };
  const finish = (status: DeployStatus, message: string, extra: Partial<DeployResult> = {}): DeployResult => ({
    ...base,
    status,
    message,
    durationMs: clock.now() - startedAt,
    ...(alarms ? { alarms: alarms.watch.states() } : {}),
    ...extra,
  });

  if (!update.startedDeployment) {
    // ECS started nothing: the outcome is that of the deployment already there, which may have FAILED.
    const result = alreadyThere(service, plan.taskDefinitionArn, deploymentId, where, timeline, logger, finish);
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }
  timeline.add(`service updated: deployment ${deploymentId}`);
  logger.info(`Service updated to ${revisionName(plan.taskDefinitionArn)}: deployment ${deploymentId}.`);
  if (serviceDeploymentArn) logger.info(`ECS runs it as ${nativeStrategy(service)} service deployment ${serviceDeploymentArn}.`);
  if (request.wait === false) {
    // Recorded as started: not proven good until a later deploy of it says succeeded.
    const result = finish('started', `Deployment ${deploymentId} of ${revisionName(plan.taskDefinitionArn)} started (not followed: wait is false).`);
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }

  // 4. Follow.
  logger.info(`── Rollout of ${revisionName(plan.taskDefinitionArn)} (deployment ${deploymentId}) ──`);
  const follow = await followRollout(
    {
      cluster: request.cluster,
      service: request.service,
      deploymentId,
      taskDefinitionArn: plan.taskDefinitionArn,
      previousTaskDefinitionArn: previous,
      deadline,
      maxFailedTasks: request.maxFailedTasks,
      events,
      serviceDeploymentArn,
      deploymentConfiguration: service.deploymentConfiguration as Record<string, unknown> | undefined,
      pauseAt: request.verifyAt?.stage,
      ...(request.pollIntervalMs !== undefined ? { pollIntervalMs: request.pollIntervalMs } : {}),
      ...watchOptions(alarms, rollingBakeMs, deploymentId, logger, clock),
    },
    followDeps,
  );
  base.stoppedTasks = follow.stoppedTasks;
  base.serviceDeployment = follow.serviceDeployment;
  const verdict = follow.verdict;
  if (verdict.state === 'paused' && !verdict.asked) {
    const reason = `the service deployment waits at a PAUSE lifecycle hook at ${verdict.stage} (hook ${verdict.hookId}) that this deploy did not ask for: the service's deploymentConfiguration has it (an earlier verify-at leaves its gate on the service)`;
    timeline.add(`paused at ${verdict.stage} (hook ${verdict.hookId}), not asked for`);
    const result = finish(
      'paused',
      `Deploy of ${revisionName(plan.taskDefinitionArn)} to ${where} did not finish: ${reason}. It was not continued. Resume it with \`resume: continue\` or \`resume: rollback\`, service-deployment-arn ${serviceDeploymentArn} and hook-id ${verdict.hookId}, or deploy with \`verify-at\` to make the pause part of the plan; unanswered, ECS acts on the hook's timeout.`,
      { hookId: verdict.hookId, failure: { cause: 'timed-out', reason } },
    );
    logger.warning(result.message);
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }
  if (verdict.state === 'paused') {
    const gate = request.verifyAt!;
    const line = `paused at ${verdict.stage}: hook ${verdict.hookId} awaits ContinueServiceDeployment (ECS rolls back after ${gate.timeoutInMinutes}m)`;
    timeline.add(line);
    logger.info(`⏸ Service deployment ${serviceDeploymentArn} ${line}.`);
    const production = 'production traffic is still on the previous revision';
    const result = finish(
      'paused',
      `${revisionName(plan.taskDefinitionArn)} waits at ${verdict.stage} on ${where} (${production}): verify it, then resume with \`resume: continue\` or \`resume: rollback\`, service-deployment-arn ${serviceDeploymentArn} and hook-id ${verdict.hookId}. Unanswered, ECS rolls it back after ${gate.timeoutInMinutes}m.`,
      { hookId: verdict.hookId },
    );
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }
  if (verdict.state === 'unknown') {
    const result = finish('unknown', unknownOutcome(verdict.reason, follow.service ?? service, deploymentId, where), {
      failure: { cause: 'unknown', reason: verdict.reason },
    });
    logger.info(`✗ ${result.message}`);
    timeline.add(`outcome unknown: ${verdict.reason}`);
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }
  if (verdict.state === 'completed') {
    const counts = rolloutCounts(follow.service, deploymentId);
    timeline.add(`rollout completed: ${counts.running}/${counts.desired} running`);
    logger.info(
      `Deployment ${deploymentId} completed: ${revisionName(plan.taskDefinitionArn)} runs ${counts.running}/${counts.desired} tasks (${formatDuration(clock.now() - startedAt)}).`,
    );
    const result = finish('succeeded', `${where} runs ${revisionName(plan.taskDefinitionArn)}.`, { completedAt: follow.endedAt });
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }

  // 5. Failure: say what and why, then roll back.
  // ECS may have rolled back on an alarm before a poll saw it in ALARM: ask once more which.
  const ecsAlarm = verdict.cause === 'alarm-rollback' && alarms ? (alarms.watch.firing ?? (await alarms.watch.poll())[0])?.cause : undefined;
  const what = failureHeadline(verdict, plan.taskDefinitionArn, where, deadline - startedAt, ecsAlarm);
  const why = stoppedReasons(follow.stoppedTasks);
  timeline.add(`rollout failed: ${verdict.reason}`);
  // The step's failure message repeats this with the outcome of the rollback: one error annotation, not two.
  logger.info(`✗ ${what}${why ? ` ${why}` : ''}`);
  const failure = { cause: verdict.cause, reason: verdict.reason };
  const ecsRolledBack = verdict.cause === 'circuit-breaker-rollback' || verdict.cause === 'alarm-rollback' || verdict.cause === 'ecs-rollback';
  const rollBack = ecsRolledBack || ((request.onFailure ?? 'roll-back') === 'roll-back' && verdict.cause !== 'superseded');
  // A revision whose own deployment FAILED is no place to go back to.
  const previousFailed = previousPrimary?.rolloutState === 'FAILED' && previousPrimary.taskDefinition === previous;

  if (!rollBack || !previous || previous === plan.taskDefinitionArn || (previousFailed && !ecsRolledBack)) {
    const note =
      verdict.cause === 'superseded'
        ? ' Left as it is: another deployment replaced this one.'
        : !previous
          ? ' No previous revision to roll back to.'
          : previousFailed && rollBack && previous !== plan.taskDefinitionArn
            ? ` Not rolled back: the previous revision ${revisionName(previous)} had FAILED its own deployment; ECS keeps the service as it is.`
            : ' Not rolled back (rollback-on-failure is off); ECS keeps the service as it is.';
    const status: DeployStatus = verdict.cause === 'cancelled' ? 'cancelled' : 'failed';
    const result = finish(status, `${what}${why ? ` ${why}` : ''}${note}`, { failure });
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }

  const latest = follow.service ?? service;
  // Cancelled or out of time: start the rollback (one call, ECS finishes it) without waiting.
  const followRollback = verdict.cause !== 'cancelled' && verdict.cause !== 'timed-out';
  const rollbackStartedAt = clock.now();
  if (serviceDeploymentArn) {
    // A native deployment is rolled back by ECS (StopServiceDeployment), never by a second UpdateService.
    const native = await rollBackServiceDeployment(ecs, serviceDeploymentArn, {
      startedByEcs: ecsRolledBack,
      follow: followRollback,
      cancelled: verdict.cause === 'cancelled',
      previous: revisionName(previous),
      clock,
      deadline,
      pollIntervalMs: request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      signal,
      log: (line) => {
        logger.info(line);
        timeline.add(line);
      },
    });
    logger.info(native.where);
    const result = finish(native.status, `${what}${why ? ` ${why}` : ''} ${native.where}`, {
      failure,
      rolledBack: native.rolledBack,
      rollbackStartedAt,
      serviceDeployment: native.serviceDeployment ?? base.serviceDeployment,
    });
    await recordOutcome(ecs, plan, result, logger);
    return result;
  }
  logger.info(`── Rollback to ${revisionName(previous)} ──`);
  const rollback = await rollBackService(
    {
      cluster: request.cluster,
      service: latest,
      toTaskDefinitionArn: previous,
      fromTaskDefinitionArn: plan.taskDefinitionArn,
      desiredCount: request.desiredCount !== undefined ? previousDesired : undefined,
      deadline,
      events,
      pollIntervalMs: request.pollIntervalMs,
      follow: followRollback,
    },
    followDeps,
  );
  const rollbackVerdict: FollowVerdict | undefined = rollback.follow?.verdict;
  // Tasks that failed health checks drain before they stop; by now their reasons are known.
  const stoppedTasks = [...follow.stoppedTasks, ...(await lateStoppedTasks(ecs, request.cluster, deploymentId, follow.stoppedTasks, logger))];
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
  const result = finish(status, `${what}${why2 ? ` ${why2}` : ''} ${where2}`, {
    failure,
    rolledBack,
    rollbackDeploymentId: rollback.deploymentId,
    rollbackStartedAt,
    stoppedTasks,
  });
  await recordOutcome(ecs, plan, result, logger);
  return result;
}

/**
 * The pre-deploy task: run as the revision about to be deployed, placed like the service's tasks,
 * tagged like the revision. Anything but exit code 0 stops the deploy here, service untouched.
 */
async function runPreDeploy(
  request: DeployRequest,
  plan: DeployPlan,
  serviceRaw: Record<string, unknown>,
  previous: string | undefined,
  deadline: number,
  deps: DeployDeps,
  clock: Clock,
): Promise<OneOffTaskResult> {
  const where = `${request.cluster}/${request.service}`;
  const result = await runRevisionTask(request, plan, serviceRaw, deadline, deps, clock);
  const what = describeOneOffTask(result, 'pre-deploy task', result.timeoutMs);
  deps.logger.info(what);
  if (result.ending === 'exited' && result.exitCode === 0) return result;
  const untouched = `${where} was not updated and still runs ${revisionName(previous)}${plan.registered ? ` (${revisionName(plan.taskDefinitionArn)} was registered but not deployed)` : ''}.`;
  throw new UserError(`${what} ${untouched}${lastLinesText(result)}`);
}

function lastLinesText(task: OneOffTaskResult): string {
  return task.lastLines.length > 0 ? ` Its last lines:\n${task.lastLines.map((l) => `  | ${l}`).join('\n')}` : '';
}

/** The revision's one-off task (request.preDeploy), followed to its end; never throws for how it ended. */
async function runRevisionTask(
  request: DeployRequest,
  plan: DeployPlan,
  serviceRaw: Record<string, unknown>,
  deadline: number,
  deps: DeployDeps,
  clock: Clock,
): Promise<OneOffTaskResult & { timeoutMs: number }> {
  const pre = request.preDeploy ?? { timeoutMs: deadline - clock.now() };
  const label = request.runTaskOnly ? 'task' : 'pre-deploy task';
  const described = await describeTaskDefinition(deps.ecs, plan.taskDefinitionArn);
  const timeoutMs = Math.max(0, Math.min(pre.timeoutMs, deadline - clock.now()));
  deps.logger.info(`── ${request.runTaskOnly ? 'One-off task' : 'Pre-deploy task'} (${revisionName(plan.taskDefinitionArn)}) ──`);
  const result = await runOneOffTask(
    {
      cluster: request.cluster,
      taskDefinitionArn: plan.taskDefinitionArn,
      containerDefinitions: (described.document.containerDefinitions as Record<string, unknown>[]) ?? [],
      container: pre.container,
      containerInput: 'pre-deploy-container',
      command: pre.command,
      placement: serviceRaw,
      ...(pre.placement ? { placementOverride: pre.placement } : {}),
      tags: request.revisionTags ?? [],
      timeoutMs,
      label,
      ...(pre.pollIntervalMs !== undefined ? { pollIntervalMs: pre.pollIntervalMs } : {}),
    },
    { ecs: deps.ecs, logs: deps.logs, logger: deps.logger, clock, signal: deps.signal },
  );
  await deps.hooks?.preDeployFinished?.(result);
  return { ...result, timeoutMs };
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

function inProgress(service: Service) {
  return (service.deployments ?? []).find((d) => d.rolloutState === 'IN_PROGRESS');
}

/** Refuses, or waits (streaming its events), while another deployment is IN_PROGRESS. */
async function waitUntilNoRolloutInProgress(
  snapshot: ServiceSnapshot,
  request: DeployRequest,
  deadline: number,
  events: ServiceEventStream,
  deps: FollowDeps,
): Promise<ServiceSnapshot> {
  const { logger, clock, signal } = deps;
  let service = snapshot.service;
  let blocking = inProgress(service);
  if (!blocking) return snapshot;
  const describe = (d: NonNullable<typeof blocking>) =>
    `deployment ${d.id} of ${revisionName(d.taskDefinition)} (${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, started ${d.createdAt ? d.createdAt.toISOString() : 'at an unknown time'})`;
  if (!request.waitForInProgress) {
    throw new UserError(
      `Another deployment of ${request.cluster}/${request.service} is IN_PROGRESS: ${describe(blocking)}. Not starting a second one on top of it; set wait-for-in-progress: true to wait for it, or retry when it is done.`,
    );
  }
  logger.info(`Waiting for ${describe(blocking)} to finish (wait-for-in-progress).`);
  deps.timeline.add(`waiting for ${blocking.id} to finish`);
  events.prime(service.events);
  let interval = request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  while (blocking) {
    const remaining = deadline - clock.now();
    if (signal?.aborted) throw new UserError('Cancelled while waiting for another deployment to finish; nothing was changed.');
    if (remaining <= 0) {
      throw new UserError(`Timed out waiting for ${describe(blocking)} to finish; nothing was changed.`);
    }
    await clock.sleep(Math.min(remaining, interval), signal);
    try {
      snapshot = await requireServiceSnapshot(deps.ecs, request.cluster, request.service, deps.stats);
      service = snapshot.service;
      interval = request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      interval = Math.min(30_000, interval * 2);
      continue;
    }
    for (const e of events.take(service.events)) logger.info(`  event: ${e.message ?? ''}`);
    blocking = inProgress(service);
  }
  deps.timeline.add('the other deployment finished');
  return snapshot;
}

/**
 * CODE_DEPLOY and EXTERNAL services are deployed by CodeDeploy or through task sets; UpdateService
 * cannot roll out a revision to them. Refused before anything is registered or recorded.
 */
function requireEcsController(service: Service, where: string): void {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller === 'ECS') return;
  const instead =
    controller === 'CODE_DEPLOY'
      ? 'deploy it with AWS CodeDeploy (aws-actions/amazon-ecs-deploy-task-definition with codedeploy-appspec), or re-create the service with the ECS deployment controller and its BLUE_GREEN strategy'
      : 'deploy it through its task sets (CreateTaskSet / UpdateServicePrimaryTaskSet) with the tool that manages it';
  throw new UserError(
    `${where} uses the ${controller} deployment controller; ecs-rolling-deploy rolls out only services with the ECS deployment controller (UpdateService cannot change a ${controller} service's task definition). Nothing was registered or changed.`,
    { hint: `To deploy it, ${instead}.` },
  );
}

/**
 * The revision the service runs: its taskDefinition, which ECS keeps equal to the PRIMARY
 * deployment's. When they differ (the service is being changed right now) the service's own
 * field is taken and the difference shown.
 */
function currentRevision(service: Service, logger: Logger): string | undefined {
  const primary = primaryDeployment(service);
  if (primary?.taskDefinition && service.taskDefinition && primary.taskDefinition !== service.taskDefinition) {
    logger.warning(
      `The service's task definition (${revisionName(service.taskDefinition)}) is not its PRIMARY deployment's (${revisionName(primary.taskDefinition)}); taking the service's as the current revision.`,
    );
  }
  return service.taskDefinition ?? primary?.taskDefinition;
}

/**
 * UpdateService started no deployment (the same revision, no force): the outcome is that of the
 * PRIMARY deployment already there — success only when it runs this revision and COMPLETED.
 */
function alreadyThere(
  service: Service,
  taskDefinitionArn: string,
  deploymentId: string,
  where: string,
  timeline: Timeline,
  logger: Logger,
  finish: (status: DeployStatus, message: string, extra?: Partial<DeployResult>) => DeployResult,
): DeployResult {
  const primary = primaryDeployment(service);
  const rev = revisionName(taskDefinitionArn);
  timeline.add(`ECS started no new deployment: ${deploymentId} of ${revisionName(primary?.taskDefinition)} is ${primary?.rolloutState ?? 'PRIMARY'}`);
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
  logger.info(
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

async function resolveRevision(request: DeployRequest, current: string | undefined, ecs: EcsSender, logger: Logger): Promise<DeployPlan> {
  const changes = request.changes ?? { images: new Map(), environment: new Map() };
  const previous = current;
  let base: TaskDefinitionDocument;
  let baseArn: string | undefined;
  const source = request.taskDefinition;
  const ref = source.kind === 'existing' ? source.ref : source.kind === 'service' ? current : undefined;
  // The running revision, for the before/after images (and as the base when deploying from it).
  const running = previous ? await describeTaskDefinition(ecs, previous).catch(() => undefined) : undefined;
  const beforeImages: ContainerImage[] = running ? containerImages(running.document) : [];
  if (source.kind === 'document') {
    base = registrableTaskDefinition(source.document, source.source);
  } else {
    if (!ref) throw new UserError(`The service has no task definition to start from; give one in 'task-definition'.`);
    const described = running && ref === previous ? running : await describeTaskDefinition(ecs, ref);
    base = described.document;
    baseArn = described.arn;
    if (described.status !== 'ACTIVE') logger.warning(`${revisionName(described.arn)} is ${described.status}; ECS may refuse to deploy it.`);
  }
  const rendered = renderTaskDefinition(base, changes);
  const mustRegister = source.kind === 'document' || (hasChanges(changes) && rendered.changed) || !baseArn;
  if (!mustRegister) {
    logger.info(`Deploying ${revisionName(baseArn)} as is: no new revision registered.`);
    return { taskDefinitionArn: baseArn!, previousTaskDefinitionArn: previous, registered: false, before: beforeImages, after: rendered.after };
  }
  if (request.register === 'never') {
    throw new UserError(
      `Deploying ${revisionName(baseArn ?? String(base.family))} would need a new revision (the changes alter it), but this deploy may not register one.`,
    );
  }
  for (const { container, image } of rendered.after) {
    // "Before" is what runs now, not what the file says.
    const was = (running ? beforeImages : rendered.before).find((b) => b.container === container)?.image;
    logger.info(`  ${container}: ${was && was !== image ? `${was} → ` : ''}${image}`);
  }
  const arn = await registerTaskDefinition(ecs, rendered.document, request.revisionTags ?? []);
  logger.info(`Registered ${revisionName(arn)}.`);
  return { taskDefinitionArn: arn, previousTaskDefinitionArn: previous, registered: true, before: beforeImages, after: rendered.after };
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
  }
}

/** The distinct stopped reasons of failed tasks, e.g. "Stopped tasks: … (EssentialContainerExited; app exit 1) ×2". */
export function stoppedReasons(tasks: readonly StoppedTask[]): string {
  const failed = tasks.filter((t) => t.failed);
  if (failed.length === 0) return '';
  const counts = new Map<string, number>();
  for (const t of failed) {
    const text = describeStoppedTask(t).replace(/^task \S+ stopped: /, '');
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return `Why: ${[...counts].map(([text, n]) => (n > 1 ? `${text} ×${n}` : text)).join('; ')}.`;
}

/** The revision's own record of how its deploy ended (the audit trail without a GitHub token). */
async function recordOutcome(ecs: EcsSender, plan: DeployPlan, result: DeployResult, logger: Logger): Promise<void> {
  try {
    await tagResource(ecs, plan.taskDefinitionArn, [
      { key: `${TAG_PREFIX}outcome`, value: result.status },
      ...(result.deploymentId ? [{ key: `${TAG_PREFIX}deployment`, value: result.deploymentId }] : []),
    ]);
  } catch (error) {
    logger.warning(`Could not tag ${revisionName(plan.taskDefinitionArn)} with the outcome: ${(error as Error).message}`);
  }
}
