import { describe, expect, it } from 'vitest';
import { POLL_INTERVAL_ENV, pollIntervalOption, pollIntervalOverride, pollUntil } from '../../shared/core/poll.js';
import { UserError } from '../../shared/core/errors.js';
import { fakeClock as manualClock } from '../helpers/fake-clock.js';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('pollUntil: the one poll-until-deadline loop', () => {
  it('looks until the answer comes, at the interval', async () => {
    const clock = manualClock();
    let looks = 0;
    const end = await pollUntil(async () => (++looks === 3 ? 'done' : undefined), { deadline: clock.now() + 60_000, intervalMs: 2_000, clock });
    expect(end).toEqual({ state: 'done', value: 'done' });
    expect(clock.sleeps).toEqual([2_000, 2_000]);
  });

  it('cuts the last wait to the deadline and then says timed-out', async () => {
    const clock = manualClock();
    const end = await pollUntil(async () => undefined, { deadline: clock.now() + 5_000, intervalMs: 2_000, clock });
    expect(end).toEqual({ state: 'timed-out' });
    expect(clock.sleeps).toEqual([2_000, 2_000, 1_000]);
  });

  it('doubles the interval while throttled (up to the cap) and returns to it after a look that works', async () => {
    const clock = manualClock();
    const intervals: number[] = [];
    let looks = 0;
    const end = await pollUntil(
      async () => {
        looks++;
        if (looks <= 3) throw throttled();
        return looks === 5 ? looks : undefined;
      },
      { deadline: clock.now() + 600_000, intervalMs: 2_000, maxIntervalMs: 10_000, clock, onThrottled: (ms) => intervals.push(ms) },
    );
    expect(end).toEqual({ state: 'done', value: 5 });
    expect(intervals).toEqual([4_000, 8_000, 10_000]);
    expect(clock.sleeps).toEqual([4_000, 8_000, 10_000, 2_000]);
  });

  it('lets any other failure of a look propagate', async () => {
    const clock = manualClock();
    await expect(
      pollUntil(async () => Promise.reject(new Error('AccessDenied')), { deadline: clock.now() + 10_000, intervalMs: 1_000, clock }),
    ).rejects.toThrow('AccessDenied');
  });

  it('stops at a cancellation without another look', async () => {
    const clock = manualClock();
    const controller = new AbortController();
    let looks = 0;
    const end = await pollUntil(
      async () => {
        looks++;
        controller.abort();
        return undefined;
      },
      { deadline: clock.now() + 10_000, intervalMs: 1_000, clock, signal: controller.signal },
    );
    expect(end).toEqual({ state: 'cancelled' });
    expect(looks).toBe(1);
  });

  it('sleepFirst waits before the first look; wakeBy and a moving deadline are read each round', async () => {
    const clock = manualClock();
    let deadline = clock.now() + 3_000;
    const start = clock.now();
    let looks = 0;
    const end = await pollUntil(
      async () => {
        looks++;
        if (looks === 1) deadline = start + 20_000;
        return undefined;
      },
      { deadline: () => deadline, intervalMs: 5_000, clock, sleepFirst: true, wakeBy: () => start + 7_000 },
    );
    expect(end).toEqual({ state: 'timed-out' });
    // Before the first look: cut to the first deadline (3s); the look moves it to 20s; cut to the wake
    // time once (7s); then the interval up to the moved deadline.
    expect(clock.sleeps).toEqual([3_000, 4_000, 5_000, 5_000, 3_000]);
  });
});

describe('COMMIT_TO_PROD_POLL_INTERVAL_MS: the poll interval for local stacks', () => {
  it("unset or empty leaves the engine's defaults; whole milliseconds set the request's pollIntervalMs", () => {
    expect(pollIntervalOverride(undefined)).toBeUndefined();
    expect(pollIntervalOption('')).toEqual({});
    expect(pollIntervalOption(' 100 ')).toEqual({ pollIntervalMs: 100 });
  });

  it.each(['fast', '2.5', '0', '5', '600000', '-100'])('refuses %j, naming the variable, the value and what is expected', (value) => {
    let error: unknown;
    try {
      pollIntervalOverride(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(POLL_INTERVAL_ENV);
    expect((error as Error).message).toContain(JSON.stringify(value));
    expect((error as Error).message).toMatch(/expected whole milliseconds from 10 to 60000/);
  });
});
