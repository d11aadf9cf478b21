import { systemClock, type Clock } from './clock.js';
import type { Logger } from './logger.js';

/**
 * The one retry loop every action uses (docker login, push, the registry read-back, a buildx
 * push): a fixed number of attempts with doubling waits, only for failures that say they are
 * transient, stopping at once when the step is cancelled. Waits go through the injectable
 * Clock, so tests count and measure them without waiting.
 */

/** A failure worth another attempt (a 5xx, a refused connection); anything else is final. */
export class TransientError extends Error {
  override name = 'TransientError';
}

export interface RetryOptions {
  /** What is being tried, for the log: "Push of app:1", "Login to ghcr.io". */
  what: string;
  /** Attempts in all, the first included (default 4). */
  attempts?: number;
  /** The wait before the second attempt; each later one doubles it (default 500 ms). */
  firstDelayMs?: number;
  /** Whether a thrown error is worth another attempt (default: it is a TransientError). */
  isTransient?: (error: unknown) => boolean;
  /**
   * The wait a failure asks for itself (an HTTP `Retry-After`), used instead of the doubling
   * wait when it returns a number.
   */
  delayFor?: (error: unknown, attempt: number) => number | undefined;
  /** The error thrown when the last attempt failed transiently (default: that error). */
  exhausted?: (error: unknown, attempts: number) => Error;
  logger?: Logger;
  signal?: AbortSignal;
  clock?: Clock;
}

export const DEFAULT_ATTEMPTS = 4;

/** The wait before attempt `attempt + 1`: firstDelayMs, then doubling. */
export function retryDelay(attempt: number, firstDelayMs: number): number {
  return firstDelayMs * 2 ** (attempt - 1);
}

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
  const firstDelayMs = options.firstDelayMs ?? 500;
  const isTransient = options.isTransient ?? ((error: unknown) => error instanceof TransientError);
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts || options.signal?.aborted) {
        throw options.exhausted ? options.exhausted(error, attempt) : error;
      }
      const delay = options.delayFor?.(error, attempt) ?? retryDelay(attempt, firstDelayMs);
      const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      options.logger?.warning(`${options.what} failed (${why}); retrying in ${delay} ms (attempt ${attempt + 1} of ${attempts}).`);
      await clock.sleep(delay, options.signal);
      if (options.signal?.aborted) throw options.exhausted ? options.exhausted(error, attempt) : error;
    }
  }
}

/** How callers pass their own attempts, signal and clock on, leaving out the ones not set. */
export function retryOptions(from: {
  attempts?: number | undefined;
  signal?: AbortSignal | undefined;
  clock?: Clock | undefined;
}): Pick<RetryOptions, 'attempts' | 'signal' | 'clock'> {
  return {
    ...(from.attempts !== undefined ? { attempts: from.attempts } : {}),
    ...(from.signal ? { signal: from.signal } : {}),
    ...(from.clock ? { clock: from.clock } : {}),
  };
}
