/**
 * The emulator's load balancer as a real reverse proxy in front of real HTTP servers, health
 * decided by a probe the test controls: only healthy targets get traffic; a group whose targets
 * all fail their checks fails open to them, as ALB does ("If a target group contains only
 * unhealthy registered targets, the load balancer routes requests to all those targets"), instead
 * of answering 503; a group with no target that ever passed answers 503. And a listener weighing
 * two target groups prefers a group with a healthy target before failing open.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { scaledClock } from '../../local/ecs/clock.js';
import { pickTargetGroup } from '../../local/ecs/listeners.js';
import { LoadBalancer, type TargetHealth } from '../../local/ecs/load-balancer.js';
import { waitFor } from './wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** An HTTP server answering its own name. */
async function app(name: string): Promise<number> {
  const server = http.createServer((_req, res) => res.end(name));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

/** A proxying load balancer whose probe answers from `passing` (target id → passes). */
async function loadBalancer(name: string, passing: Map<string, boolean>, unhealthyThreshold = 2) {
  const health = new Map<string, TargetHealth>();
  const lb = new LoadBalancer({
    clock: scaledClock(1),
    targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/0123456789abcdef`,
    healthCheck: { path: '/', intervalMs: 20, timeoutMs: 500, healthyThreshold: 1, unhealthyThreshold },
    deregistrationDelayMs: 0,
    probe: async (id) => passing.get(id) ?? false,
    onHealth: (id, state) => health.set(id, state),
    proxy: true,
  });
  await lb.listen();
  cleanup.push(() => lb.close());
  const until = (id: string, state: TargetHealth) => waitFor(() => (health.get(id) === state ? true : undefined), 5_000);
  return { lb, until };
}

async function answers(url: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await fetch(url);
    out.push(r.status === 200 ? await r.text() : `HTTP ${r.status}`);
  }
  return out;
}

describe('the local load balancer', () => {
  it('sends traffic to healthy targets only, fails open when every target fails its checks, and answers 503 before any passed', async () => {
    const passing = new Map<string, boolean>();
    const [a, b] = [await app('a'), await app('b')];

    // Targets failing their first checks are still `initial` (not yet `unhealthyThreshold` failures):
    // nothing to send to.
    const fresh = await loadBalancer('fresh', passing, 1_000);
    fresh.lb.register('a', '127.0.0.1', a);
    await new Promise((r) => setTimeout(r, 100));
    expect(fresh.lb.health('a')).toBe('initial');
    expect(await answers(fresh.lb.url!, 2)).toEqual(['HTTP 503', 'HTTP 503']);

    const { lb, until } = await loadBalancer('web', passing);
    passing.set('a', true);
    lb.register('a', '127.0.0.1', a);
    lb.register('b', '127.0.0.1', b);
    await until('a', 'healthy');
    await until('b', 'unhealthy');
    expect(new Set(await answers(lb.url!, 6))).toEqual(new Set(['a']));

    passing.set('b', true);
    await until('b', 'healthy');
    expect(new Set(await answers(lb.url!, 6))).toEqual(new Set(['a', 'b']));

    // One fails: the other takes everything.
    passing.set('a', false);
    await until('a', 'unhealthy');
    expect(new Set(await answers(lb.url!, 6))).toEqual(new Set(['b']));

    // Both fail (a stalled host fails every check at once): fail open, both still serve.
    passing.set('b', false);
    await until('b', 'unhealthy');
    expect(lb.healthyTargetIds()).toEqual([]);
    expect(lb.routableTargetIds().sort()).toEqual(['a', 'b']);
    expect(new Set(await answers(lb.url!, 6))).toEqual(new Set(['a', 'b']));

    // The first to pass again takes all of it: fail-open ends with one healthy target.
    passing.set('b', true);
    await until('b', 'healthy');
    expect(new Set(await answers(lb.url!, 6))).toEqual(new Set(['b']));

    // A draining target gets nothing, even failing open.
    passing.set('b', false);
    await until('b', 'unhealthy');
    void lb.deregister('b');
    expect(new Set(await answers(lb.url!, 6))).toEqual(new Set(['a']));
  });

  it('a listener weighing two target groups sends a request to the group with a healthy target before failing open', async () => {
    const passing = new Map<string, boolean>();
    const blue = await loadBalancer('blue', passing);
    const green = await loadBalancer('green', passing);
    blue.lb.register('blue-1', '127.0.0.1', await app('blue'));
    green.lb.register('green-1', '127.0.0.1', await app('green'));
    passing.set('blue-1', true);
    passing.set('green-1', true);
    await Promise.all([blue.until('blue-1', 'healthy'), green.until('green-1', 'healthy')]);
    const traffic = { production: blue.lb, green: green.lb, productionGreen: 30, testGreen: 100 };
    // draw 0.1 < 30%: green's share; draw 0.9: production's.
    expect(pickTargetGroup(traffic, 30, 0.1)).toBe(green.lb);
    expect(pickTargetGroup(traffic, 30, 0.9)).toBe(blue.lb);

    // Green fails: its share goes to blue, which has a healthy target.
    passing.set('green-1', false);
    await green.until('green-1', 'unhealthy');
    expect(pickTargetGroup(traffic, 30, 0.1)).toBe(blue.lb);

    // Blue fails too: each request stays with the group it was weighed to, failing open there.
    passing.set('blue-1', false);
    await blue.until('blue-1', 'unhealthy');
    expect(pickTargetGroup(traffic, 30, 0.1)).toBe(green.lb);
    expect(pickTargetGroup(traffic, 30, 0.9)).toBe(blue.lb);
    expect(await answers(green.lb.url!, 1)).toEqual(['green']);
  });
});
