/**
 * A one-off task of a revision (a migration before a rollout, or a standalone task): RunTask with
 * a command override for one container, placed like the service's own tasks (its network
 * configuration, launch type or capacity provider strategy), tagged like the revision; then
 * followed — PROVISIONING → PENDING → RUNNING → STOPPED, its container's log lines streamed as
 * they come (CloudWatch Logs, for the awslogs driver: the group and `prefix/container/task-id`
 * stream of the revision's log configuration, read with GetLogEvents from the head of the task's
 * own stream), its exit code and stop reason. Timed out or cancelled, the task is stopped
 * (StopTask) and the result says so; it is never left running by this code.
 */
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { systemClock, type Clock } from '../core/clock.js';
import { pollUntil } from '../core/poll.js';
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

export interface OneOffTaskResult {
  taskArn: string;
  container: string;
  /** The container's exit code; undefined when it never ran or was stopped before exiting. */
  exitCode: number | undefined;
  stoppedReason: string | undefined;
  stopCode: string | undefined;
  /** The last lines of its log (at most LAST_LINES). */
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

const LAST_LINES = 20;
export const ONE_OFF_POLL_MS = 1_000;
/** A quiet task still gets a progress line this often. */
const PROGRESS_EVERY_MS = 30_000;
/** How long a task being stopped is followed until ECS reports it STOPPED (StopTask retried meanwhile). */
const STOP_WAIT_MS = 60_000;

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

  const stream = new LogStream(logStreamOf(definition, taskId), deps.logs, logger);
  if (!stream.where) logger.info(`  (container ${container} does not log with awslogs: its lines are not shown here)`);
  let status = task.lastStatus ?? 'PROVISIONING';
  logger.info(`  [${formatDuration(0)}] ${status}`);
  let ending: OneOffTaskResult['ending'] = 'exited';
  let last: Task | undefined = task;
  let lastProgressAt = started;
  /** One DescribeTasks: the task's state, its new log lines, a progress line; true once STOPPED. */
  const look = async (): Promise<true | undefined> => {
    try {
      last = (await ecs.send(new DescribeTasksCommand({ cluster: request.cluster, tasks: [taskArn] }))).tasks?.[0] ?? last;
    } catch (error) {
      logger.debug(`DescribeTasks ${taskId}: ${errorMessage(error)}`);
      return undefined;
    }
    await stream.read();
    const now = last?.lastStatus ?? status;
    if (now !== status || clock.now() - lastProgressAt >= PROGRESS_EVERY_MS) {
      // A change, or a long quiet stretch: say where the task stands and for how long.
      lastProgressAt = clock.now();
      logger.info(`  [${formatDuration(clock.now() - started)}] ${now}${now === status ? ` (still; ${stream.shown} log lines so far)` : ''}`);
      status = now;
    }
    return status === 'STOPPED' ? true : undefined;
  };
  const quiet = { intervalMs: interval, clock, sleepFirst: true, isThrottling: () => false };
  const ran = status === 'STOPPED' ? undefined : await pollUntil(look, { ...quiet, deadline: started + request.timeoutMs, signal });
  if (ran && ran.state !== 'done') {
    ending = ran.state === 'cancelled' ? 'cancelled' : 'timed-out';
    logger.info(`  ${ending === 'cancelled' ? 'Cancelled' : `Timed out after ${formatDuration(request.timeoutMs)}`}: stopping ${taskId} (StopTask).`);
    const reason = ending === 'cancelled' ? 'commit-to-prod: the job was cancelled' : `commit-to-prod: timed out after ${formatDuration(request.timeoutMs)}`;
    let stopSent = false;
    const stop = async () => {
      try {
        await ecs.send(new StopTaskCommand({ cluster: request.cluster, task: taskArn, reason }));
        stopSent = true;
      } catch (error) {
        // Tried again at the next poll: the task must not be left running.
        logger.warning(`StopTask ${taskId} failed (${errorMessage(error)}); trying again.`);
      }
    };
    await stop();
    // Once stopping (a cancellation included), no wait is cut short by the aborted signal.
    const stopped = await pollUntil(
      async () => {
        if (await look()) return true;
        if (!stopSent) await stop();
        return undefined;
      },
      { ...quiet, deadline: clock.now() + STOP_WAIT_MS },
    );
    if (stopped.state !== 'done') {
      logger.warning(
        !stopSent
          ? `StopTask ${taskId} kept failing for ${formatDuration(STOP_WAIT_MS)}: the task may still be running; stop it by hand.`
          : `${taskId} was stopped (StopTask) but ECS did not report it STOPPED within ${formatDuration(STOP_WAIT_MS)}.`,
      );
    }
  }
  const stoppedSeenAt = clock.now();
  // The lines written just before the exit.
  await stream.read();
  const c = last?.containers?.find((x) => x.name === container);
  return {
    taskArn,
    container,
    exitCode: c?.exitCode,
    stoppedReason: last?.stoppedReason,
    stopCode: last?.stopCode,
    lastLines: stream.last,
    linesShown: stream.shown,
    ending,
    durationMs: stoppedSeenAt - started,
    stoppedSeenAt,
  };
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

function logStreamOf(definition: Record<string, unknown>, taskId: string): { group: string; stream: string } | undefined {
  const config = definition.logConfiguration as { logDriver?: unknown; options?: Record<string, unknown> } | undefined;
  if (config?.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (typeof group !== 'string' || typeof prefix !== 'string') return undefined;
  return { group, stream: `${prefix}/${String(definition.name)}/${taskId}` };
}

/** The task's stream read forward from its head; each line printed once. */
class LogStream {
  readonly last: string[] = [];
  shown = 0;
  private token: string | undefined;

  constructor(
    readonly where: { group: string; stream: string } | undefined,
    private readonly logs: LogReader | undefined,
    private readonly logger: Logger,
  ) {}

  async read(): Promise<void> {
    if (!this.where || !this.logs) return;
    for (let page = 0; page < 10; page++) {
      let out: Awaited<ReturnType<LogReader['getLogEvents']>>;
      try {
        out = await this.logs.getLogEvents({
          logGroupName: this.where.group,
          logStreamName: this.where.stream,
          startFromHead: true,
          ...(this.token ? { nextToken: this.token } : {}),
        });
      } catch (error) {
        // The stream appears once the container writes; until then there is nothing to read.
        if ((error as { name?: string }).name !== 'ResourceNotFoundException') this.logger.debug(`GetLogEvents: ${errorMessage(error)}`);
        return;
      }
      const events = out.events ?? [];
      for (const e of events) {
        const line = e.message ?? '';
        this.logger.info(`  | ${line}`);
        this.shown++;
        this.last.push(line);
        if (this.last.length > LAST_LINES) this.last.shift();
      }
      const same = out.nextForwardToken === this.token;
      this.token = out.nextForwardToken ?? this.token;
      if (events.length === 0 || same) return;
    }
  }
}
