import type { Clock } from '../../shared/core/clock.js';

/** A fake clock where sleeping only moves time forward, and every wait is recorded. */
export function fakeClock(start = 1_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
}
