/**
 * Follows one deployment of a service until it completes, fails, runs out of time or is
 * cancelled, showing what ECS does on the way: every new service event once and in order, a
 * progress line whenever the counts change, and the stopped reason, stop code and exit codes of
 * every task of the deployment that stops.
 *
 * Polls DescribeServices every `pollIntervalMs` (2 s) through core/poll.ts: at a fixed rate,
 * backing off only when ECS throttles, each wait cut to the time left before the deadline.
 */
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Service, type ServiceDeployment, type Task } from '@aws-sdk/client-ecs';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import { isThrottling, pollUntil } from '../core/poll.js';
import type { Logger } from '../core/logger.js';
import { assessRollout, failuresInARow, ourDeployment, rolloutCounts, type RolloutVerdict } from './assess-rollout.js';
import { captureResponseJson, type EcsSender } from './raw-json.js';
import { ProgressReporter } from './rollout-progress.js';
import { readServiceDeployment, serviceDeploymentVerdict, servesProduction, StageReporter } from './service-deployment.js';
import { awaitingAnyPause, awaitingGate, type VerifyStage } from './verification-gate.js';
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
   * Once COMPLETED, how long the release is still watched before it counts as good (the bake;
   * the deadline is moved past it). A failure in that time fails the rollout.
   */
  bakeMs?: number | undefined;
  /** Asked every poll (rollout and bake): a failure that DescribeServices alone cannot see (an alarm). */
  check?: ((service: Service | undefined) => Promise<FailedVerdict | undefined>) | undefined;
  /** A few words on what the bake watches, for its progress lines. */
  bakeWatching?: (() => string) | undefined;
  /**
   * A native strategy's service deployment (BLUE_GREEN, CANARY, LINEAR): its status decides the
   * outcome and its stages are shown (service-deployment.ts).
   */
  serviceDeploymentArn?: string | undefined;
  /** Stop following once the service deployment waits at this verification gate (verify-at). */
  pauseAt?: VerifyStage | undefined;
  /** The service's deploymentConfiguration, for the bake times the stage lines count down. */
  deploymentConfiguration?: Record<string, unknown> | undefined;
  /** Set once the new revision served production traffic (a task of it running behind a rolling service, or a native traffic weight above zero). */
  served?: { production: boolean };
}

export type FailedVerdict = Extract<RolloutVerdict, { state: 'failed' }>;

const BAKE_PROGRESS_EVERY_MS = 30_000;

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

export interface FollowResult {
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

export async function followRollout(options: FollowRolloutOptions, deps: FollowDeps): Promise<FollowResult> {
  const { ecs, logger, clock, signal, timeline, stats } = deps;
  const progress = new ProgressReporter();
  const seenStopped = new Set<string>();
  const stoppedTasks: StoppedTask[] = [];
  const labels = {
    revision: revisionName(options.taskDefinitionArn),
    previous: options.previousTaskDefinitionArn ? revisionName(options.previousTaskDefinitionArn) : undefined,
  };
  let errorsInARow = 0;
  let stopReasonsUnreadable = false;
  let service: Service | undefined;
  let deadline = options.deadline;
  let bakeUntil: number | undefined;
  let bakeReportedAt = 0;
  let serviceDeployment: ServiceDeployment | undefined;
  const stages = new StageReporter(clock, options.deploymentConfiguration);
  const end = (verdict: FollowVerdict): FollowResult => ({ verdict, stoppedTasks, service, serviceDeployment, endedAt: clock.now() });

  const look = async (): Promise<FollowResult | undefined> => {
    try {
      service = await describeService(ecs, options.cluster, options.service, stats);
      errorsInARow = 0;
      // Stop reasons explain a rollout; they never decide whether it is followed (a missing
      // ecs:ListTasks permission or a throttled DescribeTasks must not end a follow half-way).
      let freshStopped: StoppedTask[] = [];
      try {
        freshStopped = await newStoppedTasks(ecs, options.cluster, options.deploymentId, seenStopped);
      } catch (error) {
        if (!stopReasonsUnreadable) {
          logger.warning(`Could not read why tasks stopped (${errorMessage(error)}); following the rollout without stop reasons until it works.`);
          stopReasonsUnreadable = true;
        }
      }

      for (const event of options.events.take(service?.events)) logger.info(`  event: ${event.message ?? ''}`);
      for (const task of freshStopped) {
        stoppedTasks.push(task);
        const line = describeStoppedTask(task);
        // A warning each for the first few (they explain the failure); a crash loop of a large
        // service would otherwise bury the log's annotations.
        if (task.failed && stoppedTasks.filter((t) => t.failed).length <= MAX_TASK_WARNINGS) {
          logger.warning(`${labels.revision}: ${line}`);
          timeline.add(`${labels.revision}: ${line}`);
        } else {
          logger.info(`  ${line}`);
          if (task.failed) timeline.add(`${labels.revision}: ${line}`);
        }
      }
      const observedFailures = failuresInARow(ourDeployment(service, options.deploymentId)?.failedTasks, stoppedTasks.filter((t) => t.failed).length);
      const counts = rolloutCounts(service, options.deploymentId, observedFailures);
      if (options.served && !options.serviceDeploymentArn && counts.running > 0) options.served.production = true;
      const line = progress.update(counts, labels, timeline.elapsed());
      if (line) {
        logger.info(line);
        timeline.add(line.replace(/^\[[^\]]*\] /, ''));
      }

      let verdict = assessRollout(service, options.deploymentId, {
        maxFailedTasks: options.maxFailedTasks,
        observedFailures,
        previousTaskDefinition: options.previousTaskDefinitionArn,
        taskDefinition: options.taskDefinitionArn,
      });
      if (options.serviceDeploymentArn) {
        stats.describeServiceDeploymentsCalls = (stats.describeServiceDeploymentsCalls ?? 0) + 1;
        serviceDeployment = await readServiceDeployment(ecs, options.serviceDeploymentArn);
        if (options.served && servesProduction(serviceDeployment)) options.served.production = true;
        const stageLine = stages.update(serviceDeployment, timeline.elapsed());
        if (stageLine) {
          logger.info(stageLine);
          timeline.add(stageLine.replace(/^\[[^\]]*\] /, ''));
        }
        // ECS's record decides: success only when SUCCESSFUL (after the bake), its own rollbacks
        // with the stage they happened at. Of the deployment's view only our failed-task limit counts.
        // A pause nobody here asked for ends the follow too: waiting out the deadline would only
        // end in a rollback the hook's own timeout will do anyway.
        const gate = options.pauseAt ? awaitingGate(serviceDeployment, options.pauseAt) : awaitingAnyPause(serviceDeployment);
        if (gate) return end({ state: 'paused', ...gate, asked: options.pauseAt !== undefined });
        const native = serviceDeploymentVerdict(serviceDeployment, options.previousTaskDefinitionArn);
        verdict = native ?? (verdict.state === 'failed' && verdict.cause === 'failed-tasks' ? verdict : { state: 'in-progress' });
      }
      // An alarm names the cause better than ECS's bare FAILED; what ECS already acted on
      // (its rollback, another deployment) stands as ECS reports it.
      const caught = verdict.state === 'failed' && verdict.cause !== 'rollout-failed' ? undefined : await options.check?.(service);
      if (caught) return end(caught);
      if (verdict.state !== 'in-progress' && verdict.state !== 'completed') return end(verdict);
      if (verdict.state === 'completed') {
        if (!options.bakeMs || options.bakeMs <= 0) return end(verdict);
        const now = clock.now();
        if (bakeUntil === undefined) {
          bakeUntil = now + options.bakeMs;
          deadline = Math.max(deadline, bakeUntil);
          bakeReportedAt = now;
          const watching = options.bakeWatching?.();
          logger.info(
            `Deployment ${options.deploymentId} is COMPLETED; baking for ${formatDuration(options.bakeMs)}${watching ? ` (${watching})` : ''} before it counts as good.`,
          );
          timeline.add(`COMPLETED; baking ${formatDuration(options.bakeMs)}`);
        } else if (now >= bakeUntil) {
          logger.info(`Bake of ${formatDuration(options.bakeMs)} passed${options.bakeWatching ? ` (${options.bakeWatching()})` : ''}.`);
          timeline.add('bake passed');
          return end(verdict);
        } else if (now - bakeReportedAt >= BAKE_PROGRESS_EVERY_MS) {
          bakeReportedAt = now;
          const watching = options.bakeWatching?.();
          logger.info(`  baking: ${formatDuration(bakeUntil - now)} left${watching ? ` (${watching})` : ''}`);
        }
      }
      return undefined;
    } catch (error) {
      if (isThrottling(error)) throw error;
      // The service was already updated: one failed poll (the SDK has retried it already) must
      // not abandon a rollout, but a persistent failure is reported rather than waited out.
      if (++errorsInARow >= MAX_ERRORS_IN_A_ROW) {
        return end({ state: 'unknown', reason: `DescribeServices failed ${errorsInARow} times in a row (last: ${errorMessage(error)})` });
      }
      logger.warning(`Could not read the rollout's state (${errorMessage(error)}); trying again.`);
      return undefined;
    }
  };
  const polled = await pollUntil(look, {
    deadline: () => deadline,
    intervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    clock,
    signal,
    onThrottled: (interval) => {
      stats.throttled++;
      logger.warning(`ECS is throttling DescribeServices; polling every ${formatDuration(interval)} until it stops.`);
    },
    // The bake ends on time, not up to a poll interval late.
    wakeBy: () => bakeUntil,
  });
  if (polled.state === 'done') return polled.value;
  if (polled.state === 'cancelled') return end({ state: 'failed', cause: 'cancelled', reason: 'the job was cancelled' });
  const stage = options.serviceDeploymentArn ? ` (${stages.where(serviceDeployment)})` : '';
  return end({ state: 'failed', cause: 'timed-out', reason: `the rollout did not complete within the deadline${stage}` });
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
