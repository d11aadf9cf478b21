/**
 * A one-off task of a revision (a migration before a rollout, or a standalone task): RunTask with
 * a command override for one container, placed like the service's own tasks (its network
 * configuration, launch type or capacity provider strategy), tagged like the revision; then
 * followed until it stops (one-off-task-follower.ts: its log lines, exit code and stop reason;
 * timed out or cancelled, it is stopped, never left running).
 */
import { RunTaskCommand } from '@aws-sdk/client-ecs';
import { systemClock, type Clock } from '../core/clock.js';
import type { FollowEnd } from './follower.js';
import { oneOffTaskFollower } from './one-off-task-follower.js';
import { formatDuration } from '../core/duration.js';
import { errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { EcsSender } from './raw-json.js';
import { isClientException } from './register-task-definition.js';
import type { EcsTag } from './revision-tags.js';
import { revisionName } from './task-definition-source.js';

/** What reads a log stream: the CloudWatch Logs client, or anything with its GetLogEvents. */
export interface LogReader {
  getLogEvents(input: { logGroupName: string; logStreamName: string; startFromHead: boolean; nextToken?: string }): Promise<{
    events?: { message?: string | undefined }[] | undefined;
    nextForwardToken?: string | undefined;
  }>;
}

export interface OneOffTaskRequest {
  cluster: string;
  taskDefinitionArn: string;
  /** The registered revision's container definitions (for the container and its log configuration). */
  containerDefinitions: Record<string, unknown>[];
  /** The container to run the command in; default the first essential one. */
  container?: string | undefined;
  /** The input that named the container, for the error when it does not exist. */
  containerInput: string;
  /** The command override; undefined runs the container's own command. */
  command?: readonly string[] | undefined;
  /** The service whose placement the task takes (DescribeServices raw JSON), when there is one. */
  placement?: Record<string, unknown> | undefined;
  /** Placement given explicitly: replaces the service's member by member. */
  placementOverride?: TaskPlacement | undefined;
  tags: readonly EcsTag[];
  timeoutMs: number;
  /** What the task is, in messages: e.g. "pre-deploy task". */
  label: string;
  pollIntervalMs?: number;
}

export interface OneOffTaskResult extends FollowEnd {
  taskArn: string;
  container: string;
  /** The container's exit code; undefined when it never ran or was stopped before exiting. */
  exitCode: number | undefined;
  stoppedReason: string | undefined;
  stopCode: string | undefined;
  /** The last lines of its log (at most 20). */
  lastLines: string[];
  linesShown: number;
  /** 'exited' on its own; 'timed-out' or 'cancelled' when this code stopped it. */
  ending: 'exited' | 'timed-out' | 'cancelled';
  durationMs: number;
  /** Clock time the task was seen STOPPED (for the benchmark: stop → service update). */
  stoppedSeenAt: number;
}

export interface OneOffTaskDeps {
  ecs: EcsSender;
  logs: LogReader | undefined;
  logger: Logger;
  clock?: Clock;
  signal?: AbortSignal | undefined;
}

export const ONE_OFF_POLL_MS = 1_000;

export async function runOneOffTask(request: OneOffTaskRequest, deps: OneOffTaskDeps): Promise<OneOffTaskResult> {
  const clock = deps.clock ?? systemClock;
  const { ecs, logger, signal } = deps;
  const container = chooseContainer(request);
  const definition = request.containerDefinitions.find((c) => c.name === container)!;
  const started = clock.now();
  const interval = request.pollIntervalMs ?? ONE_OFF_POLL_MS;

  const out = await ecs
    .send(
      new RunTaskCommand({
        cluster: request.cluster,
        taskDefinition: request.taskDefinitionArn,
        count: 1,
        startedBy: 'commit-to-prod',
        ...(request.command ? { overrides: { containerOverrides: [{ name: container, command: [...request.command] }] } } : {}),
        ...placementOf(request.placement, request.placementOverride),
        ...(request.tags.length > 0 ? { tags: request.tags.slice(0, 50).map((t) => ({ key: t.key, value: t.value })) } : {}),
      }),
    )
    .catch((error: unknown) => {
      if (isClientException(error))
        throw new UserError(`ECS refused to run the ${request.label} of ${revisionName(request.taskDefinitionArn)}: ${errorMessage(error)}`);
      throw error;
    });
  const task = out.tasks?.[0];
  if (!task?.taskArn) {
    const failure = out.failures?.[0];
    throw new UserError(
      `ECS did not start the ${request.label} of ${revisionName(request.taskDefinitionArn)}: ${failure?.reason ?? 'no task and no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}.`,
    );
  }
  const taskArn = task.taskArn;
  const taskId = taskArn.split('/').at(-1) ?? taskArn;
  logger.info(
    `Started the ${request.label} ${taskId} (${revisionName(request.taskDefinitionArn)}, container ${container}${request.command ? `: ${request.command.join(' ')}` : ''}).`,
  );

  return oneOffTaskFollower({ ...deps, clock }).follow(
    {
      cluster: request.cluster,
      taskArn,
      container,
      definition,
      label: request.label,
      timeoutMs: request.timeoutMs,
      pollIntervalMs: interval,
      startedAt: started,
      task,
    },
    signal,
  );
}

/** The one line that says how the task ended, for logs and failure messages. */
export function describeOneOffTask(result: OneOffTaskResult, label: string, timeoutMs: number): string {
  const id = result.taskArn.split('/').at(-1);
  if (result.ending === 'timed-out') return `The ${label} ${id} did not finish within ${formatDuration(timeoutMs)}; it was stopped (StopTask).`;
  if (result.ending === 'cancelled') return `The job was cancelled while the ${label} ${id} ran; it was stopped (StopTask).`;
  const code = result.exitCode === undefined ? 'no exit code' : `exit code ${result.exitCode}`;
  return `The ${label} ${id} stopped with ${code} (${result.stoppedReason ?? 'no reason given'}${result.stopCode ? `, ${result.stopCode}` : ''}).`;
}

function chooseContainer(request: OneOffTaskRequest): string {
  const names = request.containerDefinitions.map((c) => String(c.name));
  if (request.container !== undefined) {
    if (!names.includes(request.container)) {
      throw new UserError(
        `Input '${request.containerInput}' has an invalid value ${JSON.stringify(request.container)}: ${revisionName(request.taskDefinitionArn)} has no such container (its containers: ${names.join(', ')}).`,
      );
    }
    return request.container;
  }
  const essential = request.containerDefinitions.find((c) => c.essential !== false);
  return String((essential ?? request.containerDefinitions[0])?.name);
}

/** Where a one-off task runs, as RunTask takes it. */
export interface TaskPlacement {
  networkConfiguration?: Record<string, unknown> | undefined;
  launchType?: string | undefined;
  capacityProviderStrategy?: Record<string, unknown>[] | undefined;
}

/**
 * RunTask's placement: the service's network configuration, and its launch type or capacity
 * provider strategy, each replaced by what was given (a launch type given drops the service's
 * strategy and the other way round: RunTask takes one or the other).
 */
export function placementOf(service: Record<string, unknown> | undefined, given: TaskPlacement = {}): Record<string, unknown> {
  const own = service ?? {};
  const ownStrategy = Array.isArray(own.capacityProviderStrategy) && own.capacityProviderStrategy.length > 0 ? own.capacityProviderStrategy : undefined;
  const network = given.networkConfiguration ?? own.networkConfiguration;
  const explicit = given.launchType !== undefined || given.capacityProviderStrategy !== undefined;
  const where = given.launchType
    ? { launchType: given.launchType }
    : given.capacityProviderStrategy
      ? { capacityProviderStrategy: given.capacityProviderStrategy }
      : ownStrategy
        ? { capacityProviderStrategy: ownStrategy }
        : typeof own.launchType === 'string'
          ? { launchType: own.launchType }
          : {};
  return {
    ...(network ? { networkConfiguration: network } : {}),
    ...where,
    ...(!explicit && typeof own.platformVersion === 'string' && own.platformVersion !== 'LATEST' ? { platformVersion: own.platformVersion } : {}),
  };
}
