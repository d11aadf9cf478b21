/**
 * How a rollback ended, in the action's words: its `status` output, the GitHub deployment state,
 * and the one message for the log, the summary and (on failure) the step's error. A rollback
 * never rolls "forward", so the message of a failed one says where ECS left the service instead.
 */
import type { DeploymentState } from '../github/deployments.js';
import type { DeployResult } from '../ecs/deploy.js';
import { stoppedReasons } from '../ecs/stopped-task.js';
import { revisionName } from '../ecs/task-definition-source.js';

export type RollbackStatus = 'succeeded' | 'failed' | 'cancelled' | 'started';

export interface RollbackOutcome {
  status: RollbackStatus;
  recordState: DeploymentState;
  message: string;
}

export interface RollbackOutcomeContext {
  /** `cluster/service`. */
  where: string;
  from: string;
  to: string;
  /** Where the service is now, e.g. `app:1 0/2 running, FAILED; app:2 2/2 running` (may be empty). */
  serviceNow: string;
}

export function rollbackOutcome(
  result: Pick<DeployResult, 'status' | 'message' | 'failure' | 'stoppedTasks' | 'deploymentId'>,
  ctx: RollbackOutcomeContext,
): RollbackOutcome {
  const to = revisionName(ctx.to);
  const from = revisionName(ctx.from);
  const now = ctx.serviceNow ? ` (now: ${ctx.serviceNow})` : '';
  switch (result.status) {
    case 'succeeded':
      return { status: 'succeeded', recordState: 'success', message: `Rolled back: ${ctx.where} runs ${to} again (was ${from}).` };
    case 'started':
      return {
        status: 'started',
        recordState: 'in_progress',
        message: `Rollback to ${to} started (deployment ${result.deploymentId ?? '?'}); not followed (wait is false).`,
      };
    case 'cancelled':
      return {
        status: 'cancelled',
        recordState: 'error',
        message: `Rollback of ${ctx.where} to ${to} was cancelled while ECS rolled it out (deployment ${result.deploymentId ?? '?'}). ECS carries on with that deployment; nothing was rolled forward to ${from}${now}.`,
      };
    case 'unknown':
      return {
        status: 'failed',
        recordState: 'error',
        message: `Rollback of ${ctx.where} to ${to}: the outcome is unknown (${result.failure?.reason ?? result.message}). ECS could not be read; the service is left as it is${now}. Check it before doing anything else.`,
      };
    // A rollback asks for no verification gate and no plan only: `paused` and `planned` cannot
    // happen, and would not be success.
    case 'planned':
    case 'paused':
    case 'failed':
    case 'rolled-back': {
      const why = stoppedReasons(result.stoppedTasks);
      return {
        status: 'failed',
        recordState: 'failure',
        message: `Rollback of ${ctx.where} to ${to} FAILED: ${result.failure?.reason ?? result.message}.${why ? ` ${why}` : ''} Not rolled forward to ${from}: ECS keeps the service as it is${now}. Look at the failed tasks above, then fix forward or roll back to another revision with 'to'.`,
      };
    }
  }
}
