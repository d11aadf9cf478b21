/**
 * Under injected API faults — throttling and 5xx on 20% of calls, dropped connections on 5%
 * (half of them after the operation ran) — through the bundle, with a fixed seed: a healthy
 * release succeeds, a crash-looping one is rolled back, and what is reported is what ECS shows.
 * bench/ecs-faults.ts runs the same over many seeds and prints the figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultedDeploy } from '../helpers/faulted-deploy.js';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';

let env: LocalEcsEnv;
beforeAll(async () => {
  env = await withLocalEcs({ timeScale: 4, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
});
afterAll(async () => {
  await env?.stop();
});

const faults = { seed: 14, throttleRate: 0.1, serverErrorRate: 0.1, dropRate: 0.05 };

describe('ecs-rolling-deploy under injected faults', () => {
  it.each(['healthy', 'crash-looping'] as const)('a %s release gets its outcome, and the outcome is true', async (kind) => {
    const run = await faultedDeploy(env.local, env.ecs, kind, faults);
    // The faults were really injected on this run's calls.
    expect(run.faults.throttle + run.faults['server-error'], JSON.stringify(run.faults)).toBeGreaterThan(0);
    expect(run.faults.calls).toBeGreaterThan(5);
    expect(run.truthful, `${run.detail}\n${run.log}`).toBe(true);
    expect(run.status, run.log).toBe(run.expected);
  });
});
