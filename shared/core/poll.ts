/**
 * The one poll-until-deadline loop (as retry.ts is the one retry loop): look, stop when the look
 * has an answer, else wait and look again — until the deadline or a cancellation. Waits go through
 * the injectable Clock and are cut to the time left, so a deadline is honoured to within one look;
 * a look that fails because the service throttles doubles the interval (up to a cap) until a look
 * succeeds again. Any other failure of a look is the caller's: it propagates.
 */
import { systemClock, type Clock } from './clock.js';
import { UserError } from './errors.js';

export interface PollOptions {
  /** Clock time by which polling ends; a function when it may move (a bake pushes it out). */
  deadline: number | (() => number);
  /** The wait between looks, measured from the start of the last look (a fixed rate). */
  intervalMs: number;
  clock?: Clock | undefined;
  signal?: AbortSignal | undefined;
  /** The state was just read: wait before the first look. */
  sleepFirst?: boolean;
  /** A failure that asks to slow down; default: the AWS SDK's throttling errors. */
  isThrottling?: (error: unknown) => boolean;
  /** Where a throttled interval stops doubling (default 30 s). */
  maxIntervalMs?: number;
  /** Told the new interval each time a look was throttled. */
  onThrottled?: (intervalMs: number) => void;
  /** Clock time the next look must not come later than (the end of a bake), if any; ignored once passed. */
  wakeBy?: () => number | undefined;
}

export type PollEnd<T> = { state: 'done'; value: T } | { state: 'timed-out' } | { state: 'cancelled' };

export const MAX_THROTTLED_INTERVAL_MS = 30_000;

/** An AWS SDK error that says the caller is sending too fast. */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean } } | undefined;
  return e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.$retryable?.throttling === true;
}

/** `look` returns the answer to stop with, or undefined to look again. */
export async function pollUntil<T>(look: () => Promise<T | undefined>, options: PollOptions): Promise<PollEnd<T>> {
  const clock = options.clock ?? systemClock;
  const { signal } = options;
  const deadline = typeof options.deadline === 'function' ? options.deadline : () => options.deadline as number;
  const throttling = options.isThrottling ?? isThrottling;
  let interval = options.intervalMs;
  let lookNow = !options.sleepFirst;
  let lookedAt = clock.now();
  for (;;) {
    if (signal?.aborted) return { state: 'cancelled' };
    if (lookNow) {
      lookedAt = clock.now();
      try {
        const answer = await look();
        interval = options.intervalMs;
        if (answer !== undefined) return { state: 'done', value: answer };
      } catch (error) {
        if (!throttling(error)) throw error;
        interval = Math.min(options.maxIntervalMs ?? MAX_THROTTLED_INTERVAL_MS, interval * 2);
        options.onThrottled?.(interval);
      }
    }
    lookNow = true;
    const now = clock.now();
    const remaining = deadline() - now;
    if (remaining <= 0) return { state: 'timed-out' };
    const wakeBy = options.wakeBy?.();
    const untilWake = wakeBy === undefined || wakeBy <= now ? Number.POSITIVE_INFINITY : wakeBy - now;
    await clock.sleep(Math.min(remaining, untilWake, Math.max(0, lookedAt + interval - now)), signal);
  }
}

/**
 * The one knob for the poll interval of the deploy engine's followers, for tests and local stacks
 * whose ECS runs on a faster clock (AWS's own ECS needs no other interval than the default). Read
 * by the actions (their environment), never inside shared/; parsed here so both say the same.
 */
export const POLL_INTERVAL_ENV = 'COMMIT_TO_PROD_POLL_INTERVAL_MS';
const POLL_INTERVAL_RANGE = { min: 10, max: 60_000 };

/** The interval the environment variable sets, or undefined when it is not set (the engine's defaults stand). */
export function pollIntervalOverride(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Number(value.trim());
  if (!Number.isInteger(ms) || ms < POLL_INTERVAL_RANGE.min || ms > POLL_INTERVAL_RANGE.max) {
    throw new UserError(
      `Environment variable ${POLL_INTERVAL_ENV} has an invalid value ${JSON.stringify(value)}: expected whole milliseconds from ${POLL_INTERVAL_RANGE.min} to ${POLL_INTERVAL_RANGE.max} (unset: 2000, the default).`,
    );
  }
  return ms;
}

/** The engine request's `pollIntervalMs`, when the variable is set (spread into the request). */
export function pollIntervalOption(value: string | undefined): { pollIntervalMs?: number } {
  const ms = pollIntervalOverride(value);
  return ms === undefined ? {} : { pollIntervalMs: ms };
}
