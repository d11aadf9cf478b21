/**
 * What the two followers of a service deployment share (rolling-follower.ts, native-follower.ts):
 * their plan, their result, and the watch of the service each look starts with — every new
 * service event once and in order, a progress line whenever the counts change, and the stopped
 * reason, stop code and exit codes of every task of the deployment that stops — and the poll
 * itself: DescribeServices every `pollIntervalMs` (2 s unless the plan says) through core/poll.ts,
 * at a fixed rate, backing off only when ECS throttles, each wait cut to the time left.
 */
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Service, type ServiceDeployment, type Task } from '@aws-sdk/client-ecs';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import { isThrottling, pollUntil } from '../core/poll.js';
import type { Logger } from '../core/logger.js';
import type { Served } from '../release/schema.js';
import { assessRollout, failuresInARow, ourDeployment, rolloutCounts, type RolloutVerdict } from './assess-rollout.js';
import { followCause, type FollowEnd, type FollowerKind } from './follower.js';
import { captureResponseJson, type EcsSender } from './raw-json.js';
import { ProgressReporter } from './rollout-progress.js';
import type { VerifyStage } from './verification-gate.js';
import type { ServiceEventStream } from './service-events.js';
import { describeStoppedTask, toStoppedTask, type StoppedTask } from './stopped-task.js';
import { revisionName } from './task-definition-source.js';
import type { Timeline } from './timeline.js';

export const DEFAULT_POLL_INTERVAL_MS = 2_000;
const MAX_TASK_WARNINGS = 5;
/** DescribeServices failures in a row (each already retried by the SDK) that end a follow. */
export const MAX_ERRORS_IN_A_ROW = 5;

export interface FollowRolloutOptions {
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn?: string | undefined;
  /** Clock time by which the rollout must be done. */
  deadline: number;
  /** Failed tasks of the deployment that fail it; Infinity leaves it to ECS. */
  maxFailedTasks: number;
  pollIntervalMs?: number;
  /** Shared between phases (rollout, rollback) so no event is printed twice. */
  events: ServiceEventStream;
  /**
   * Rolling: once COMPLETED, how long the release is still watched before it counts as good (the bake;
   * the deadline is moved past it). A failure in that time fails the rollout.
   */
  bakeMs?: number | undefined;
  /** Asked every poll (rollout and bake): a failure that DescribeServices alone cannot see (an alarm). */
  check?: ((service: Service | undefined) => Promise<FailedVerdict | undefined>) | undefined;
  /** A few words on what the bake watches, for its progress lines. */
  bakeWatching?: (() => string) | undefined;
  /** Native: stop following once the service deployment waits at this verification gate (verify-at). */
  pauseAt?: VerifyStage | undefined;
  /** Native: the service's deploymentConfiguration, for the bake times the stage lines count down. */
  deploymentConfiguration?: Record<string, unknown> | undefined;
}

export type FailedVerdict = Extract<RolloutVerdict, { state: 'failed' }>;

export interface FollowDeps {
  ecs: EcsSender;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal | undefined;
  timeline: Timeline;
  stats: FollowStats;
}

export interface FollowStats {
  describeServicesCalls: number;
  throttled: number;
  describeServiceDeploymentsCalls?: number;
}

export type FollowVerdict =
  | Exclude<RolloutVerdict, { state: 'in-progress' }>
  | { state: 'failed'; cause: 'timed-out' | 'cancelled'; reason: string; replacedBy?: undefined }
  /** The service deployment waits at the verification gate (pauseAt) for ContinueServiceDeployment. */
  | { state: 'paused'; hookId: string; stage: string; asked: boolean }
  /** ECS could not be read (DescribeServices failed persistently): nothing is known past `service`. */
  | { state: 'unknown'; reason: string };

export interface FollowResult extends FollowEnd {
  verdict: FollowVerdict;
  stoppedTasks: StoppedTask[];
  service: Service | undefined;
  /** The native strategy's service deployment as last seen. */
  serviceDeployment?: ServiceDeployment | undefined;
  /** Clock time the verdict was reached. */
  endedAt: number;
}

export async function describeService(ecs: EcsSender, cluster: string, service: string, stats?: FollowStats): Promise<Service | undefined> {
  if (stats) stats.describeServicesCalls++;
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return out.services?.[0];
}

/** A service as the SDK models it, and as ECS sent it (raw JSON, every member kept). */
export interface ServiceSnapshot {
  service: Service;
  raw: Record<string, unknown>;
}

export async function describeServiceRaw(ecs: EcsSender, cluster: string, service: string, stats?: FollowStats): Promise<ServiceSnapshot | undefined> {
  if (stats) stats.describeServicesCalls++;
  const { command, json } = captureResponseJson(new DescribeServicesCommand({ cluster, services: [service] }));
  const out = await ecs.send(command);
  const typed = out.services?.[0];
  if (!typed) return undefined;
  const raw = ((json().services as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
  return { service: typed, raw };
}

/** A target of the new revision registered behind the load balancer (ECS's own event words). */
const REGISTERED_TARGETS = /registered \d+ targets? in/;
/** ECS's stop reason for a task the load balancer found unhealthy ("Task failed ELB health checks in (target-group …)"). */
const FAILED_LB_HEALTH = /failed ELB health checks/i;

/** Failures that say the new revision's tasks were unhealthy: failed tasks, or ECS's circuit breaker. */
const TASK_HEALTH_CAUSES: readonly string[] = ['failed-tasks', 'rollout-failed', 'circuit-breaker-rollback'];

/**
 * The release failed on its tasks' health: by its cause, or a task of the revision stopped for
 * failing the load balancer's health checks. Behind a load balancer, whether such a release's
 * targets were ever healthy (and so took a request) ECS does not say: it served `unknown`.
 */
export function failedOnTaskHealth(cause: string | undefined, stopped: readonly StoppedTask[], taskDefinitionArn: string): boolean {
  if (cause !== undefined && TASK_HEALTH_CAUSES.includes(cause)) return true;
  return stopped.some((t) => t.taskDefinitionArn === taskDefinitionArn && FAILED_LB_HEALTH.test(t.stoppedReason));
}

/**
 * One look at the service: DescribeServices, the deployment's newly stopped tasks, new events, a
 * progress line, and the rolling verdict on what ECS says. Shared by both service followers.
 */
export class ServiceWatch {
  readonly stoppedTasks: StoppedTask[] = [];
  service: Service | undefined;
  /** It served for sure: completed, or a task of it ran with no load balancer in front. */
  private servedSurely = false;
  /** A target of it was registered behind the load balancer: it served unless none was ever healthy. */
  private registered = false;
  private readonly progress = new ProgressReporter();
  private readonly seenStopped = new Set<string>();
  private readonly labels: { revision: string; previous: string | undefined };
  private stopReasonsUnreadable = false;
  private errorsInARow = 0;

  constructor(
    private readonly plan: FollowRolloutOptions,
    private readonly deps: FollowDeps,
  ) {
    this.labels = {
      revision: revisionName(plan.taskDefinitionArn),
      previous: plan.previousTaskDefinitionArn ? revisionName(plan.previousTaskDefinitionArn) : undefined,
    };
  }

  /** The verdict of this look; throws what DescribeServices threw (see `guard`). */
  async look(): Promise<RolloutVerdict> {
    const { ecs, logger, timeline, stats } = this.deps;
    const plan = this.plan;
    this.service = await describeService(ecs, plan.cluster, plan.service, stats);
    this.errorsInARow = 0;
    // Stop reasons explain a rollout; they never decide whether it is followed (a missing
    // ecs:ListTasks permission or a throttled DescribeTasks must not end a follow half-way).
    let freshStopped: StoppedTask[] = [];
    try {
      freshStopped = await newStoppedTasks(ecs, plan.cluster, plan.deploymentId, this.seenStopped);
    } catch (error) {
      if (!this.stopReasonsUnreadable) {
        logger.warning(`Could not read why tasks stopped (${errorMessage(error)}); following the rollout without stop reasons until it works.`);
        this.stopReasonsUnreadable = true;
      }
    }
    const ours = ourDeployment(this.service, plan.deploymentId);
    for (const event of plan.events.take(this.service?.events)) {
      logger.info(`  event: ${event.message ?? ''}`);
      if ((ours?.runningCount ?? 0) > 0 && REGISTERED_TARGETS.test(event.message ?? '')) this.registered = true;
    }
    // No load balancer: a running task of the revision is what serves.
    if ((ours?.runningCount ?? 0) > 0 && this.withoutLoadBalancer()) this.servedSurely = true;
    for (const task of freshStopped) this.report(task);
    const failed = this.stoppedTasks.filter((t) => t.failed).length;
    const observedFailures = failuresInARow(ours?.failedTasks, failed);
    const line = this.progress.update(rolloutCounts(this.service, plan.deploymentId, observedFailures), this.labels, timeline.elapsed());
    if (line) {
      logger.info(line);
      timeline.add(line.replace(/^\[[^\]]*\] /, ''));
    }
    const verdict = assessRollout(this.service, plan.deploymentId, {
      maxFailedTasks: plan.maxFailedTasks,
      observedFailures,
      previousTaskDefinition: plan.previousTaskDefinitionArn,
      taskDefinition: plan.taskDefinitionArn,
    });
    if (verdict.state === 'completed') this.servedSurely = true;
    return verdict;
  }

  /**
   * Whether the new revision served production traffic (follower.ts FollowEnd `served`). Behind a
   * load balancer a registered target takes requests only once it passed the health checks, which
   * ECS does not report: targets registered and then stopped for failing them leave it unknown.
   */
  served(verdict: FollowVerdict): Served {
    if (this.servedSurely) return 'yes';
    if (!this.registered) return 'no';
    const cause = verdict.state === 'failed' ? verdict.cause : undefined;
    return failedOnTaskHealth(cause, this.stoppedTasks, this.plan.taskDefinitionArn) ? 'unknown' : 'yes';
  }

  private withoutLoadBalancer(): boolean {
    return (this.service?.loadBalancers ?? []).length === 0;
  }

  private report(task: StoppedTask): void {
    const { logger, timeline } = this.deps;
    this.stoppedTasks.push(task);
    // A task that ran did its work behind no load balancer, or was registered behind it (ECS
    // registers a running task's target), however briefly a look saw it.
    if (task.ran && task.taskDefinitionArn === this.plan.taskDefinitionArn) {
      if (this.withoutLoadBalancer()) this.servedSurely = true;
      else this.registered = true;
    }
    const line = describeStoppedTask(task);
    // A warning each for the first few (they explain the failure); a crash loop of a large
    // service would otherwise bury the log's annotations.
    if (task.failed && this.stoppedTasks.filter((t) => t.failed).length <= MAX_TASK_WARNINGS) {
      logger.warning(`${this.labels.revision}: ${line}`);
      timeline.add(`${this.labels.revision}: ${line}`);
    } else {
      logger.info(`  ${line}`);
      if (task.failed) timeline.add(`${this.labels.revision}: ${line}`);
    }
  }

  /**
   * The service was already updated: one failed look (the SDK has retried it already) must not
   * abandon a rollout, but a persistent failure ends it as `unknown` rather than being waited out.
   * Throttling goes to the poll, which slows down.
   */
  guard(look: () => Promise<FollowResult | undefined>, end: (verdict: FollowVerdict) => FollowResult): () => Promise<FollowResult | undefined> {
    return async () => {
      try {
        return await look();
      } catch (error) {
        if (isThrottling(error)) throw error;
        if (++this.errorsInARow >= MAX_ERRORS_IN_A_ROW) {
          return end({ state: 'unknown', reason: `DescribeServices failed ${this.errorsInARow} times in a row (last: ${errorMessage(error)})` });
        }
        this.deps.logger.warning(`Could not read the rollout's state (${errorMessage(error)}); trying again.`);
        return undefined;
      }
    };
  }

  /** The follow's result for a verdict. */
  end(kind: FollowerKind, verdict: FollowVerdict, serviceDeployment?: ServiceDeployment): FollowResult {
    const outcome = verdict.state === 'completed' ? 'succeeded' : verdict.state;
    return {
      kind,
      outcome,
      cause: verdict.state === 'failed' ? followCause(verdict.cause) : verdict.state === 'unknown' ? 'unreadable' : undefined,
      served: this.served(verdict),
      verdict,
      stoppedTasks: this.stoppedTasks,
      service: this.service,
      serviceDeployment,
      endedAt: this.deps.clock.now(),
    };
  }
}

/** The poll both service followers run: `look` until it has a result, the deadline (which may move), or a cancellation. */
export async function pollService(
  look: () => Promise<FollowResult | undefined>,
  options: { deadline: () => number; intervalMs: number | undefined; wakeBy?: () => number | undefined },
  deps: FollowDeps,
  signal: AbortSignal | undefined,
): Promise<'timed-out' | 'cancelled' | FollowResult> {
  const { logger, stats, clock } = deps;
  const polled = await pollUntil(look, {
    deadline: options.deadline,
    intervalMs: options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    clock,
    signal: signal ?? deps.signal,
    onThrottled: (interval) => {
      stats.throttled++;
      logger.warning(`ECS is throttling DescribeServices; polling every ${formatDuration(interval)} until it stops.`);
    },
    ...(options.wakeBy ? { wakeBy: options.wakeBy } : {}),
  });
  return polled.state === 'done' ? polled.value : polled.state;
}

/**
 * Stopped tasks of the deployment not reported yet (ECS starts service tasks with startedBy = the
 * deployment id). A task being stopped counts once ECS gave its reason, even while it still drains
 * from the load balancer: that is when the failure is known.
 */
export async function newStoppedTasks(ecs: EcsSender, cluster: string, deploymentId: string, seen: Set<string>): Promise<StoppedTask[]> {
  const fresh: string[] = [];
  let nextToken: string | undefined;
  do {
    const listed = await ecs.send(
      new ListTasksCommand({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const arn of listed.taskArns ?? []) if (!seen.has(arn)) fresh.push(arn);
    nextToken = listed.nextToken;
  } while (nextToken);
  if (fresh.length === 0) return [];
  const described: Task[] = [];
  // DescribeTasks takes at most 100 tasks a call.
  for (let i = 0; i < fresh.length; i += 100) {
    described.push(...((await ecs.send(new DescribeTasksCommand({ cluster, tasks: fresh.slice(i, i + 100) }))).tasks ?? []));
  }
  const tasks = described.filter((t) => t.taskArn && !seen.has(t.taskArn) && (t.lastStatus === 'STOPPED' || Boolean(t.stoppedReason)));
  for (const t of tasks) if (t.taskArn) seen.add(t.taskArn);
  return tasks.map(toStoppedTask).sort((a, b) => (a.stoppedAt?.valueOf() ?? 0) - (b.stoppedAt?.valueOf() ?? 0));
}
