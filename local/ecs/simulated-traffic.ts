/**
 * Simulated mode has no real clients, so each load balancer gets steady scripted traffic: every
 * emulated second `requestsPerSecond` requests are spread over the targets it routes to (its
 * healthy ones, or its unhealthy ones when it fails open; none: the load balancer answers 503
 * itself), and each task answers its share as its simulated behaviour
 * says (`errorRate` of them with a 500, after `responseTimeMs`). The counts go to the metric
 * store as ELB publishes them, so alarms over AWS/ApplicationELB see what a real release would
 * cause. Fractions carry over from second to second, so 50% of 3 requests a second is 1, 2, 1, 2…
 */
import type { Clock, ClockTimer } from './clock.js';
import type { LoadBalancer } from './load-balancer.js';
import { type MetricStore, publishElbRequests } from './metrics.js';
import type { SimulatedBehaviour } from './runners/simulated.js';

const SECOND_MS = 1000;

export interface SimulatedTrafficOptions {
  clock: Clock;
  metrics: MetricStore;
  requestsPerSecond: number;
  loadBalancers: () => LoadBalancer[];
  behaviourOfTask: (taskId: string) => SimulatedBehaviour | undefined;
}

export class SimulatedTraffic {
  private timer?: ClockTimer;
  private readonly carry = new Map<string, { requests: number; errors: number }>();
  private closed = false;
  private lastAt = 0;

  constructor(private readonly opts: SimulatedTrafficOptions) {}

  start(): void {
    if (this.opts.requestsPerSecond <= 0) return;
    this.lastAt = this.opts.clock.now();
    const next = () => {
      if (this.closed) return;
      this.second();
      this.timer = this.opts.clock.setTimeout(next, SECOND_MS);
    };
    this.timer = this.opts.clock.setTimeout(next, SECOND_MS);
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
  }

  /** Publishes the traffic of the time elapsed since the last second (before every alarm evaluation: CloudWatch.bringDataUpToNow). */
  catchUp(): void {
    if (!this.closed && this.opts.clock.now() > this.lastAt) this.second();
  }

  private second(): void {
    const now = this.opts.clock.now();
    // Timers run late under load (more so on a sped-up clock): the requests follow elapsed time,
    // each second's at its own time, so an alarm counts them in the period they were made in (a
    // stall of the process lumped 90 s of requests after the period that should have held them).
    while (now - this.lastAt > SECOND_MS) {
      this.lastAt += SECOND_MS;
      this.publish(this.lastAt, this.opts.requestsPerSecond);
    }
    this.publish(now, (this.opts.requestsPerSecond * (now - this.lastAt)) / SECOND_MS);
    this.lastAt = now;
  }

  /** `rate` requests made at `at`, spread over the targets each load balancer routes to. */
  private publish(at: number, rate: number): void {
    for (const lb of this.opts.loadBalancers()) {
      const targets = lb.routableTargetIds();
      if (targets.length === 0) {
        const n = this.take(`${lb.targetGroupArn}#elb`, rate, 0);
        if (n.requests > 0) publishElbRequests(this.opts.metrics, lb.targetGroupArn, at, { count: n.requests, elb5xx: true });
        continue;
      }
      const share = rate / targets.length;
      for (const id of targets) {
        const behaviour = this.opts.behaviourOfTask(id);
        const n = this.take(id, share, Math.min(1, Math.max(0, behaviour?.errorRate ?? 0)));
        if (n.requests === 0) continue;
        publishElbRequests(this.opts.metrics, lb.targetGroupArn, at, {
          count: n.requests,
          targetStatusClass: 2,
          target5xx: n.errors,
          targetResponseSeconds: (behaviour?.responseTimeMs ?? 20) / 1000,
        });
      }
    }
  }

  /** Whole requests (and errors among them) for this second, the fractions carried over. */
  private take(key: string, requests: number, errorRate: number): { requests: number; errors: number } {
    const c = this.carry.get(key) ?? { requests: 0, errors: 0 };
    c.requests += requests;
    const whole = Math.floor(c.requests + 1e-9);
    c.requests -= whole;
    c.errors += whole * errorRate;
    const errors = Math.min(whole, Math.floor(c.errors + 1e-9));
    c.errors -= errors;
    this.carry.set(key, c);
    return { requests: whole, errors };
  }
}
