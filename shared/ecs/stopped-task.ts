/**
 * A stopped task of the new revision, reduced to what explains a failed rollout: why it stopped,
 * ECS's stop code and every container's exit code. Pure: formatting and the failure rule.
 */
import type { Task } from '@aws-sdk/client-ecs';

export interface StoppedTask {
  taskId: string;
  taskArn: string;
  taskDefinitionArn: string;
  stoppedReason: string;
  stopCode: string;
  containers: { name: string; exitCode?: number; reason?: string }[];
  /** Stopped because it failed (exited, never started, unhealthy), not because ECS scaled it in. */
  failed: boolean;
  stoppedAt?: Date;
  /** It had started (RUNNING): behind a rolling service's load balancer, it took production traffic. */
  ran?: boolean;
}

export function toStoppedTask(task: Task): StoppedTask {
  const taskArn = task.taskArn ?? '';
  const stoppedReason = task.stoppedReason ?? '';
  const stopCode = task.stopCode ?? '';
  const containers = (task.containers ?? []).map((c) => ({
    name: c.name ?? '?',
    ...(c.exitCode !== undefined && c.exitCode !== null ? { exitCode: c.exitCode } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  }));
  return {
    taskId: taskArn.split('/').at(-1) ?? taskArn,
    taskArn,
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    stoppedReason,
    stopCode,
    containers,
    failed: isFailure(stopCode, stoppedReason, containers),
    ...(task.stoppedAt ? { stoppedAt: task.stoppedAt } : {}),
    ...(task.startedAt ? { ran: true } : {}),
  };
}

/**
 * Whether the stop is the release's fault, as ECS's circuit breaker counts failures: tasks that
 * failed to start, exited or failed health checks. Not counted (shown all the same): a Spot
 * interruption (SIGTERM, so exit 143), an instance termination notice or infrastructure health
 * stop, Fargate maintenance (task retirement), a user's StopTask, and the scheduler's own stops —
 * scale-in and tasks a later deployment replaced ("Scaling activity initiated by (deployment …)").
 */
function isFailure(stopCode: string, reason: string, containers: StoppedTask['containers']): boolean {
  if (stopCode === 'SpotInterruption' || stopCode === 'TerminationNotice' || stopCode === 'InfrastructureHealth' || stopCode === 'UserInitiated') return false;
  if (/maintenance|retire|Spot interrupt|Scaling activity|Service deleted/i.test(reason) && !/health ?check|unhealthy/i.test(reason)) return false;
  if (stopCode === 'TaskFailedToStart' || stopCode === 'EssentialContainerExited') return true;
  return (
    /health ?check|unhealthy|CannotPull|ResourceInitialization|OutOfMemory/i.test(reason) ||
    containers.some((c) => c.exitCode !== undefined && c.exitCode !== 0)
  );
}

/** `task 1a2b… stopped: Essential container in task exited (EssentialContainerExited; app exit 1)` */
export function describeStoppedTask(t: StoppedTask): string {
  const exits = t.containers
    .filter((c) => c.exitCode !== undefined || c.reason)
    .map((c) => `${c.name} exit ${c.exitCode ?? '?'}${c.reason ? ` (${c.reason})` : ''}`);
  const detail = [t.stopCode, ...exits].filter(Boolean).join('; ');
  return `task ${t.taskId} stopped: ${t.stoppedReason || 'no reason given'}${detail ? ` (${detail})` : ''}`;
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
