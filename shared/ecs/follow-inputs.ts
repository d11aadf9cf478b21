import { InputError } from '../core/errors.js';
import type { Inputs } from '../core/inputs.js';

/**
 * The inputs that say how a rollout is waited for, read the same way by ecs-rolling-deploy and
 * rollback (one set of defaults and limits, one wording of their errors).
 */
export interface FollowInputs {
  wait: boolean;
  waitForInProgress: boolean;
  timeoutMs: number;
  maxFailedTasks: number;
}

export function readFollowInputs(inputs: Inputs): FollowInputs {
  const wait = inputs.boolean('wait', true);
  const waitForInProgress = inputs.boolean('wait-for-in-progress', false);
  const timeoutMs = inputs.duration('timeout', 30 * 60_000);
  if (timeoutMs < 1_000) throw new InputError('timeout', inputs.raw('timeout'), 'a duration of at least 1s, e.g. `30m`');
  const maxFailedTasks = inputs.integer('max-failed-tasks', 2, { min: 1 });
  return { wait, waitForInProgress, timeoutMs, maxFailedTasks };
}
