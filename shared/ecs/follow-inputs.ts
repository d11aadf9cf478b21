import { InputError } from '../core/errors.js';
import type { Inputs } from '../core/inputs.js';
import { DEFAULT_TIMEOUT_MS } from './deadline.js';

/**
 * The inputs that say how a rollout is waited for, read the same way by ecs-rolling-deploy and
 * rollback (one set of defaults and limits, one wording of their errors).
 */
export interface FollowInputs {
  wait: boolean;
  waitForInProgress: boolean;
  timeoutMs: number;
  /** `timeout: auto`: 30 minutes, plus what a native strategy's bakes and hooks may take. */
  timeoutAuto: boolean;
  maxFailedTasks: number;
}

export function readFollowInputs(inputs: Inputs): FollowInputs {
  const wait = inputs.boolean('wait', true);
  const waitForInProgress = inputs.boolean('wait-for-in-progress', false);
  const timeoutAuto = (inputs.optionalString('timeout') ?? 'auto') === 'auto';
  const timeoutMs = timeoutAuto ? DEFAULT_TIMEOUT_MS : inputs.duration('timeout', DEFAULT_TIMEOUT_MS);
  if (timeoutMs < 1_000) throw new InputError('timeout', inputs.raw('timeout'), 'a duration of at least 1s, e.g. `30m`, or `auto`');
  const maxFailedTasks = inputs.integer('max-failed-tasks', 2, { min: 1 });
  return { wait, waitForInProgress, timeoutMs, timeoutAuto, maxFailedTasks };
}
