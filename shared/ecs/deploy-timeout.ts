import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/errors.js';
import type { GivenInput } from '../core/inputs.js';
import { DEFAULT_TIMEOUT_MS } from './deadline.js';

/**
 * A `timeout` as given to the actions that deploy or follow one (ecs-rolling-deploy, rollback,
 * ecs-resume-deploy): one default, one lower limit and one wording of the error for all of them.
 */
export interface DeployTimeout {
  timeoutMs: number;
  /** `timeout: auto`: 30 minutes, plus what a native strategy's bakes and hooks may take. */
  timeoutAuto: boolean;
}

export function parseDeployTimeout(given: GivenInput): DeployTimeout {
  const text = given.value.trim();
  if (text === '' || text === 'auto') return { timeoutMs: DEFAULT_TIMEOUT_MS, timeoutAuto: true };
  const ms = parseDuration(text);
  if (ms === undefined || ms < 1_000) throw new InputError(given.name, text, 'a duration of at least 1s, e.g. `30m`, or `auto`');
  return { timeoutMs: ms, timeoutAuto: false };
}
