/**
 * The engine's clock. Every delay the emulator waits (task start-up, health-check intervals,
 * draining delays, circuit-breaker bookkeeping) goes through a Clock so that tests can run a
 * rollout that takes minutes on ECS in a fraction of a second, and timestamps stay coherent with
 * the sped-up delays (a task that "took 30 s" to start shows createdAt/startedAt 30 s apart).
 */
export interface Clock {
  /** Emulated epoch milliseconds. */
  now(): number;
  /** Runs fn after `ms` emulated milliseconds. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
  /** Resolves after `ms` emulated milliseconds. */
  sleep(ms: number): Promise<void>;
  /** How many emulated milliseconds pass per real millisecond. */
  readonly timeScale: number;
}

export interface ClockTimer {
  readonly handle: NodeJS.Timeout;
}

/** A real-time clock sped up by `timeScale` (1 = real time, 10 = ten times faster). */
export function scaledClock(timeScale = 1): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  }
  const epochAtStart = Date.now();
  const realAtStart = performance.now();
  return {
    timeScale,
    now: () => epochAtStart + (performance.now() - realAtStart) * timeScale,
    setTimeout(fn, ms) {
      const handle = setTimeout(fn, Math.max(0, ms) / timeScale);
      // Timers must never keep a test process or the CLI alive on their own; the HTTP server does.
      handle.unref();
      return { handle };
    },
    clearTimeout(timer) {
      clearTimeout(timer.handle);
    },
    sleep(ms) {
      return new Promise((resolve) => {
        setTimeout(resolve, Math.max(0, ms) / timeScale);
      });
    },
  };
}
