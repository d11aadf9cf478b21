/**
 * The deploy engine, shared by the `ecs-rolling-deploy` and `rollback` actions so both take the same
 * automated path. A deploy is its phases, each in its own file: resolve the service
 * (resolve-service.ts) → plan (deploy-plan.ts: everything decided once) → the revision rendered
 * (resolve-revision.ts) → preflight (preflight.ts: checked before any write) → the revision
 * registered (resolve-revision.ts) → pre-deploy task (pre-deploy.ts) → update (start-update.ts) → follow
 * (follow-release.ts) → roll back on failure (roll-back-release.ts) → record (record-release.ts, over
 * release/record.ts: the GitHub deployment and the revision's tags, ended in one `finally`).
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
 *   request.planOnly        stop after the plan: status 'planned', `result.plan` the release plan
 *                           (release-plan.ts); nothing registered, run, updated or recorded.
 *   request.planned         an approved plan: refused before any write unless the plan made now
 *                           matches it (plan-gate.ts). Every deploy's result carries its `plan`.
 *   request.strategy.earlySuccess  ECS's early success criteria for a ROLLING deploy (undefined
 *                           keeps the service's): success when ECS says COMPLETED at that healthy
 *                           percent; the result's `earlySuccess` says what ECS still cleans up.
 *
 * Several services in one release (deploy-services.ts: `deployServices(request, services, deps)`)
 * run one deploy() each, concurrently, linked by `deps.link` (release-link.ts): a barrier right
 * before the first write, one registration per family, a halt and a shared verdict (all or nothing).
 *
 * A rollback (the `rollback` action) is a deploy of an existing ARN with no changes:
 *   deploy({ cluster, service, taskDefinition: { kind: 'existing', ref: arn }, register: 'never',
 *            onFailure: 'stop', ... }, deps)
 *
 *   request.preflight       'refuse' (default) | 'warn': what preflight's problems do (below).
 *
 * Preflight (preflight.ts), after the revision is rendered and before anything is registered or
 * changed: the ECR images exist, the awslogs log groups exist, the service's target groups (and
 * the alternate one under a native strategy) exist, the role ARNs are well-formed; every problem
 * in one UserError. Its clients come lazily from `deps.preflight`.
 *
 * deploy() throws UserError for what the user can fix before anything changed (service missing,
 * unknown container, a deployment in progress, a bad task definition, a failed preflight). Once the service was
 * updated it never throws for a failed rollout: the result says what happened (status, cause,
 * stopped tasks, timeline) and the caller decides how to fail the step.
 *
 * `deps.record` says where the release record goes (the GitHub deployment with a token, the
 * revision's tags always) and, for a rollback, what it rolls back; the engine writes it. The hook
 * `planned` runs once the revision is known and before the service is touched (a caller may still
 * refuse there), `preDeployFinished` when the pre-deploy task ended.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Served } from '../release/schema.js';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { Logger } from '../core/logger.js';
import type { DeploymentRecord } from '../github/deployments.js';
import type { FailureCause } from './assess-rollout.js';
import { planDeploy } from './deploy-plan.js';
import { type DeployRun, startDeployRun } from './deploy-run.js';
import { prepareAlarmWatch, type AlarmView, type AlarmsRequest, type CloudWatchSender } from './deployment-alarms.js';
import type { EarlySuccessCleanup } from './early-success-cleanup.js';
import type { FollowStats } from './follow-rollout.js';
import { followRelease } from './follow-release.js';
import type { FollowEnd } from './follower.js';
import type { LogReader, OneOffTaskResult, TaskPlacement } from './one-off-task.js';
import { runPreDeploy, runTaskOnly } from './pre-deploy.js';
import type { EcsSender } from './raw-json.js';
import { DeployRecording, type DeployRecordContext } from './record-release.js';
import type { TaskDefinitionChanges } from './render-task-definition.js';
import { checkAgainstPlan } from './plan-gate.js';
import { preflight, settlePreflight, type PreflightClients } from './preflight.js';
import type { ReleaseLink } from './release-link.js';
import { buildReleasePlan, type ReleasePlan } from './release-plan.js';
import { registerRevision, renderRevision, type RenderedRevision, type ResolvedRevision } from './resolve-revision.js';
import { resolveService } from './resolve-service.js';
import type { EcsTag } from './revision-tags.js';
import type { ServiceSettings } from './service-settings.js';
import { startUpdate } from './start-update.js';
import type { StoppedTask } from './stopped-task.js';
import type { StrategyChoice } from './strategy-choice.js';
import { revisionName, type TaskDefinitionSource } from './task-definition-source.js';
import type { Timeline } from './timeline.js';
import type { VerificationGate } from './verification-gate.js';

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
  /**
   * How often ECS is read while following (every follower: rolling, native, the pre-deploy task,
   * the rollback). Default 2 s (1 s for a task). An engine option, not an input: the actions set
   * it only from COMMIT_TO_PROD_POLL_INTERVAL_MS, for local stacks whose clock runs faster.
   */
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
  /**
   * Plan only: read the service, render the revision, make the release plan (release-plan.ts) and
   * return it (status `planned`, `plan`) with nothing registered, run, updated or recorded.
   */
  planOnly?: boolean;
  /**
   * The plan this deploy was approved on (the `planned` input): refused before anything is written
   * unless the plan made now matches it (plan-gate.ts). `input` names it in the errors.
   */
  planned?: { plan: ReleasePlan; input: string } | undefined;
  /**
   * What preflight's problems do (preflight.ts): 'refuse' (default) throws before anything is
   * registered or changed; 'warn' prints them and goes on (the rollback action: see its README).
   */
  preflight?: 'refuse' | 'warn';
}

export interface PreDeployTask {
  command?: readonly string[] | undefined;
  /** Default: the first essential container. */
  container?: string | undefined;
  /** The action's input that names `container`, for the error when the revision has no such container. */
  containerInput: string;
  timeoutMs: number;
  pollIntervalMs?: number;
  /** Placement given for the task; each member given replaces the service's (RunTaskRequest shapes). */
  placement?: TaskPlacement | undefined;
}

/** `unknown`: ECS could not be read after the update; the service was left as it is. */
/** `paused`: the service deployment waits at the verification gate (verifyAt) for a resume. */
/** `planned`: plan only (planOnly); nothing was changed, the result carries the plan. */
export type DeployStatus = 'succeeded' | 'rolled-back' | 'failed' | 'cancelled' | 'started' | 'unknown' | 'paused' | 'planned';

export interface DeployResult extends ResolvedRevision {
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
  /** ECS completed it under its early success criteria: what it still does in the background. */
  earlySuccess?: EarlySuccessCleanup | undefined;
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
  /** Whether the new revision served production traffic, as its follower saw it (follower.ts FollowEnd `served`). */
  served?: Served | undefined;
  /** The release record's GitHub deployment, when one was created. */
  githubDeployment?: DeploymentRecord | undefined;
  /** What the follow of the rollout said: outcome, cause, whether the revision served production. */
  follow?: FollowEnd | undefined;
  /** The release plan (made by every deploy before its first write; the whole result of planOnly). */
  plan?: ReleasePlan | undefined;
}

export interface DeployHooks {
  planned?(plan: ResolvedRevision): Promise<void> | void;
  /** The pre-deploy task ended (whatever its exit code), before the service is touched. */
  preDeployFinished?(result: OneOffTaskResult): Promise<void> | void;
}

export interface DeployDeps {
  ecs: EcsSender;
  logger: Logger;
  clock?: Clock;
  signal?: AbortSignal | undefined;
  hooks?: DeployHooks;
  /** Where the release record goes and what it says beyond the deploy (release/record.ts); without it, the revision's tags only. */
  record?: DeployRecordContext | undefined;
  /** Reads the pre-deploy task's log stream (CloudWatch Logs); without it its lines are not shown. */
  logs?: LogReader | undefined;
  /** Created only when there are alarms to watch. */
  cloudwatch?: () => Promise<CloudWatchSender>;
  /** The ECR, CloudWatch Logs and ELBv2 clients preflight reads with, each created only when a check needs it; without one, its checks are skipped. */
  preflight?: PreflightClients | undefined;
  /** One service of a release of several (deploy-services.ts, release-link.ts); without it, a release of this service alone. */
  link?: ReleaseLink | undefined;
}

export async function deploy(request: DeployRequest, deps: DeployDeps): Promise<DeployResult> {
  const run = startDeployRun(deps);
  const recording = new DeployRecording(deps.record ?? {}, run);
  let result: DeployResult | undefined;
  let thrown: unknown;
  try {
    result = await deployPhases(request, run, recording);
    result.githubDeployment = recording.github;
    return result;
  } catch (error) {
    thrown = error;
    throw error;
  } finally {
    // The record's one end, whatever path the deploy took.
    await recording.end(result, thrown);
  }
}

async function deployPhases(request: DeployRequest, run: DeployRun, recording: DeployRecording): Promise<DeployResult> {
  const { logger, timeline, deps } = run;
  const resolved = await resolveService(request, run);
  const plan = planDeploy(request, resolved, run.startedAt);
  if (plan.deadlineNote) logger.info(plan.deadlineNote);
  if (plan.strategy !== 'ROLLING')
    logger.info(`${plan.where} deploys with ECS's ${plan.strategy} strategy; ECS runs it and this action follows its service deployment.`);
  // A name that does not exist fails here, before anything changes.
  const alarms = await prepareAlarmWatch(plan.alarms, deps.cloudwatch, { logger, timeline });

  const changes = request.changes ?? { images: new Map(), environment: new Map() };
  const rendered = await logger.group('Task definition', () => renderRevision(plan, changes, run.ecs, logger));
  const releasePlan = buildReleasePlan(plan, resolved, rendered, request.preDeploy, run.clock.now());
  // Checks before any write, in plan mode too: nothing has been registered, run, updated or recorded yet.
  await logger.group('Preflight', async () => {
    // A task run on its own (run-task) is not registered with the service's target groups.
    const loadBalancers = plan.task === 'only' ? undefined : (resolved.snapshot.raw.loadBalancers as unknown[] | undefined);
    const subject = { document: rendered.document, loadBalancers, strategy: plan.strategy, where: plan.where };
    settlePreflight(await preflight(subject, deps.preflight ?? {}), request.preflight ?? 'refuse', logger, plan.where);
  });
  if (request.planned) {
    checkAgainstPlan(request.planned.plan, releasePlan, request.planned.input);
    logger.info(`${plan.where} and the revision are as planned at ${request.planned.plan.plannedAt}: deploying exactly that plan.`);
    timeline.add('as planned (the approved plan matches)');
  }
  if (request.planOnly) return plannedResult(releasePlan, rendered, run);
  // One service of several: nothing is written until every service of the release may write.
  await deps.link?.ready(releasePlan);
  const register = deps.link ? deps.link.register.bind(deps.link) : registerRevision;
  const revision = await register(rendered, request.revisionTags ?? [], run.ecs, logger);
  timeline.add(
    revision.registered
      ? `registered ${revisionName(revision.taskDefinitionArn)}`
      : `deploying ${revisionName(revision.taskDefinitionArn)} as is (no new revision)`,
  );
  await deps.hooks?.planned?.(revision);
  const serviceRaw = resolved.snapshot.raw;
  if (plan.task === 'only') return runTaskOnly(request, plan, revision, serviceRaw, run);
  await recording.open(plan, revision);
  if (plan.task === 'pre-deploy') recording.preDeploy();
  const preDeploy = plan.task === 'pre-deploy' ? await runPreDeploy(request, plan, revision, serviceRaw, run) : undefined;
  if (preDeploy) timeline.add(`pre-deploy task exited 0 (${formatDuration(preDeploy.durationMs)})`);

  // One service of several: another failed while this one was on its way here; it is not moved.
  if (deps.link?.halted.aborted) return notUpdatedResult(deps.link.haltReason(), plan.where, revision, run);
  const updateStartedAt = run.clock.now();
  const update = await startUpdate(plan, revision, resolved.snapshot.service, run);
  await recording.started(update.deploymentId);
  const result = await followRelease({ plan, revision, update, alarms, preDeploy, updateStartedAt }, run);
  result.plan = releasePlan;
  return result;
}

/** A service of a release that failed before this one was updated: left as it is, its record ended as the release's failure. */
function notUpdatedResult(reason: string, where: string, revision: ResolvedRevision, run: DeployRun): DeployResult {
  const message = `Not updated: ${reason}. ${where} stays on ${revisionName(revision.previousTaskDefinitionArn)} (the release is all or nothing).`;
  run.logger.info(`✗ ${message}`);
  run.timeline.add(`not updated: ${reason}`);
  return {
    ...revision,
    status: 'failed',
    deploymentId: undefined,
    rolledBack: false,
    failure: { cause: 'release-failed', reason },
    message,
    stoppedTasks: [],
    timeline: run.timeline,
    durationMs: run.clock.now() - run.startedAt,
    stats: run.stats,
  };
}

/** planOnly's result: the plan, and the revision as it would be (an ARN only when deployed as is). */
function plannedResult(releasePlan: ReleasePlan, rendered: RenderedRevision, run: DeployRun): DeployResult {
  const { previousTaskDefinitionArn, before, after } = rendered;
  return {
    taskDefinitionArn: rendered.baseArn ?? '',
    previousTaskDefinitionArn,
    registered: false,
    before,
    after,
    status: 'planned',
    deploymentId: undefined,
    rolledBack: false,
    message: releasePlan.changes
      ? `Planned: ${releasePlan.cluster}/${releasePlan.service} would change (see the plan); nothing was changed.`
      : `Planned: nothing would change on ${releasePlan.cluster}/${releasePlan.service}; nothing was changed.`,
    stoppedTasks: [],
    timeline: run.timeline,
    durationMs: run.clock.now() - run.startedAt,
    stats: run.stats,
    plan: releasePlan,
  };
}
