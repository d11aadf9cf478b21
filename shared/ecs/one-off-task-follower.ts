/**
 * Follows a one-off task (one-off-task.ts started it) until it stops: PROVISIONING → PENDING →
 * RUNNING → STOPPED, its container's log lines streamed as they come (CloudWatch Logs, for the
 * awslogs driver: the group and `prefix/container/task-id` stream of the revision's log
 * configuration, read with GetLogEvents from the head of the task's own stream), its exit code and
 * stop reason. Timed out or cancelled, the task is stopped (StopTask) and followed until ECS says
 * STOPPED; it is never left running by this code. A one-off task never serves production traffic.
 */
import { DescribeTasksCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { pollUntil } from '../core/poll.js';
import type { Follower } from './follower.js';
import type { LogReader, OneOffTaskResult } from './one-off-task.js';
import type { EcsSender } from './raw-json.js';

const LAST_LINES = 20;
/** A quiet task still gets a progress line this often. */
const PROGRESS_EVERY_MS = 30_000;
/** How long a task being stopped is followed until ECS reports it STOPPED (StopTask retried meanwhile). */
const STOP_WAIT_MS = 60_000;

export interface OneOffTaskFollowPlan {
  cluster: string;
  taskArn: string;
  container: string;
  /** The container's definition (its log configuration). */
  definition: Record<string, unknown>;
  label: string;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Clock time RunTask was sent. */
  startedAt: number;
  /** The task as RunTask returned it. */
  task: Task;
}

export function oneOffTaskFollower(deps: {
  ecs: EcsSender;
  logs: LogReader | undefined;
  logger: Logger;
  clock: Clock;
}): Follower<OneOffTaskFollowPlan, OneOffTaskResult> {
  return { kind: 'one-off-task', follow: (plan, signal) => followTask(plan, deps, signal) };
}

async function followTask(
  plan: OneOffTaskFollowPlan,
  deps: { ecs: EcsSender; logs: LogReader | undefined; logger: Logger; clock: Clock },
  signal: AbortSignal | undefined,
): Promise<OneOffTaskResult> {
  const { ecs, logs, logger, clock } = deps;
  const { taskArn, container, definition, task, startedAt: started, pollIntervalMs: interval } = plan;
  const taskId = taskArn.split('/').at(-1) ?? taskArn;
  const stream = new LogStream(logStreamOf(definition, taskId), logs, logger);
  if (!stream.where) logger.info(`  (container ${container} does not log with awslogs: its lines are not shown here)`);
  let status = task.lastStatus ?? 'PROVISIONING';
  logger.info(`  [${formatDuration(0)}] ${status}`);
  let ending: OneOffTaskResult['ending'] = 'exited';
  let last: Task | undefined = task;
  let lastProgressAt = started;
  /** One DescribeTasks: the task's state, its new log lines, a progress line; true once STOPPED. */
  const look = async (): Promise<true | undefined> => {
    try {
      last = (await ecs.send(new DescribeTasksCommand({ cluster: plan.cluster, tasks: [taskArn] }))).tasks?.[0] ?? last;
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
  const ran = status === 'STOPPED' ? undefined : await pollUntil(look, { ...quiet, deadline: started + plan.timeoutMs, signal });
  if (ran && ran.state !== 'done') {
    ending = ran.state === 'cancelled' ? 'cancelled' : 'timed-out';
    logger.info(`  ${ending === 'cancelled' ? 'Cancelled' : `Timed out after ${formatDuration(plan.timeoutMs)}`}: stopping ${taskId} (StopTask).`);
    const reason = ending === 'cancelled' ? 'commit-to-prod: the job was cancelled' : `commit-to-prod: timed out after ${formatDuration(plan.timeoutMs)}`;
    let stopSent = false;
    const stop = async () => {
      try {
        await ecs.send(new StopTaskCommand({ cluster: plan.cluster, task: taskArn, reason }));
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
  const exitCode = last?.containers?.find((x) => x.name === container)?.exitCode;
  return {
    kind: 'one-off-task',
    outcome: ending === 'exited' && exitCode === 0 ? 'succeeded' : 'failed',
    cause: ending === 'cancelled' ? 'cancelled' : ending === 'timed-out' ? 'timeout' : exitCode === 0 ? undefined : 'failed-check',
    served: 'no',
    endedAt: stoppedSeenAt,
    taskArn,
    container,
    exitCode,
    stoppedReason: last?.stoppedReason,
    stopCode: last?.stopCode,
    lastLines: stream.last,
    linesShown: stream.shown,
    ending,
    durationMs: stoppedSeenAt - started,
    stoppedSeenAt,
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
