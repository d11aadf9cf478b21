/**
 * A load balancer with one target group per service, behaving like an ALB target group:
 * registered targets start `initial`, become `healthy` after `healthyThreshold` consecutive passing
 * health checks and `unhealthy` after `unhealthyThreshold` failures; only healthy targets get
 * traffic, except that a group with no healthy target and some unhealthy ones fails open to those
 * (ALB: "If a target group contains only unhealthy registered targets, the load balancer routes
 * requests to all those targets, regardless of their health status"); a deregistered target is
 * `draining`: it gets no new requests, in-flight ones finish, and deregistration completes after
 * the deregistration delay. A group whose targets are all `initial` or draining answers 503.
 *
 * In docker mode it is a real reverse proxy (node:http) on a fixed 127.0.0.1 port for the life of
 * the service; in simulated mode there is no listener and the probe asks the simulated runner.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock, ClockTimer } from './clock.js';
import type { ServedRequests } from './metrics.js';

export interface TargetGroupHealthCheck {
  /** HTTP path of the health check. Default `/`. */
  path: string;
  /** Emulated ms between checks. */
  intervalMs: number;
  /** How long a probe may take, in real ms: it is a real request, so timeScale does not shrink it. */
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
}

export const defaultHealthCheck: TargetGroupHealthCheck = {
  path: '/',
  intervalMs: 5_000,
  timeoutMs: 2_000,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
};

export type TargetHealth = 'initial' | 'healthy' | 'unhealthy' | 'draining';

interface Target {
  id: string;
  host: string;
  port: number;
  state: TargetHealth;
  passes: number;
  fails: number;
  inFlight: number;
  timer?: ClockTimer;
  idle?: () => void;
}

export interface LoadBalancerOptions {
  clock: Clock;
  targetGroupArn: string;
  healthCheck: TargetGroupHealthCheck;
  deregistrationDelayMs: number;
  /** Health probe of one target. */
  probe: (targetId: string, host: string, port: number, path: string, timeoutMs: number) => Promise<boolean>;
  /** Told whenever a target's health changes. */
  onHealth: (targetId: string, state: TargetHealth) => void;
  /** Listen as a real HTTP reverse proxy (docker mode). */
  proxy: boolean;
  /** Told of every request the proxy answered (what ELB publishes to CloudWatch). */
  onRequest?: (served: ServedRequests) => void;
}

/** An HTTP listener on an ephemeral 127.0.0.1 port, as the local load balancers listen. */
export async function listenOnLoopback(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export class LoadBalancer {
  private readonly targets = new Map<string, Target>();
  private server?: http.Server;
  private rr = 0;
  private closed = false;
  /** Ends every drain still waiting its deregistration delay (the emulator is stopping). */
  private endDrainsNow: () => void = () => {};
  private readonly drainsEnded = new Promise<void>((resolve) => {
    this.endDrainsNow = resolve;
  });
  url?: string;
  /**
   * The listener's rule when it is not simply "forward to this target group": native deployments
   * weigh production traffic between this and the alternate target group (listeners.ts).
   */
  route?: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  constructor(private readonly opts: LoadBalancerOptions) {}

  get targetGroupArn(): string {
    return this.opts.targetGroupArn;
  }

  async listen(): Promise<void> {
    if (!this.opts.proxy) return;
    const { server, url } = await listenOnLoopback((req, res) => (this.route ? this.route(req, res) : this.forward(req, res)));
    this.server = server;
    this.url = url;
  }

  healthyTargetIds(): string[] {
    return [...this.targets.values()].filter((t) => t.state === 'healthy').map((t) => t.id);
  }

  /** The targets that get traffic now (simulated traffic is spread over these). */
  routableTargetIds(): string[] {
    return this.routable().map((t) => t.id);
  }

  /**
   * The healthy targets; with none healthy, the unhealthy ones: ALB fails open rather than answer
   * 503 when every target fails its health checks at once (as a stalled host makes them do).
   */
  private routable(): Target[] {
    const registered = [...this.targets.values()];
    const healthy = registered.filter((t) => t.state === 'healthy');
    return healthy.length > 0 ? healthy : registered.filter((t) => t.state === 'unhealthy');
  }

  health(targetId: string): TargetHealth | undefined {
    return this.targets.get(targetId)?.state;
  }

  register(id: string, host: string, port: number): void {
    const target: Target = { id, host, port, state: 'initial', passes: 0, fails: 0, inFlight: 0 };
    this.targets.set(id, target);
    this.schedule(target, 0);
  }

  /**
   * Stops new traffic to the target at once and resolves when it has drained: after the
   * deregistration delay and once its in-flight requests have finished. A target that never
   * became healthy had no traffic to drain and is released at once (as is one whose task died:
   * `immediate`).
   */
  async deregister(id: string, opts: { immediate?: boolean } = {}): Promise<void> {
    const target = this.targets.get(id);
    if (!target) return;
    // A target whose task already died has nothing left to drain.
    const hadTraffic = target.state === 'healthy' && !opts.immediate;
    target.state = 'draining';
    if (target.timer) this.opts.clock.clearTimeout(target.timer);
    if (hadTraffic && !this.closed) await Promise.race([this.opts.clock.sleep(this.opts.deregistrationDelayMs), this.drainsEnded]);
    if (target.inFlight > 0) {
      await new Promise<void>((resolve) => {
        target.idle = resolve;
      });
    }
    this.targets.delete(id);
  }

  /** Stopping the emulator: a drain does not hold it up for the rest of its deregistration delay. */
  endDrains(): void {
    this.endDrainsNow();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.endDrainsNow();
    for (const t of this.targets.values()) if (t.timer) this.opts.clock.clearTimeout(t.timer);
    this.targets.clear();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private schedule(target: Target, delay: number): void {
    target.timer = this.opts.clock.setTimeout(() => void this.check(target), delay);
  }

  private async check(target: Target): Promise<void> {
    if (this.closed || target.state === 'draining' || this.targets.get(target.id) !== target) return;
    const hc = this.opts.healthCheck;
    let ok = false;
    try {
      ok = await this.opts.probe(target.id, target.host, target.port, hc.path, hc.timeoutMs);
    } catch {
      ok = false;
    }
    // The target may have been deregistered while the probe was in flight.
    if (this.closed || (target.state as TargetHealth) === 'draining' || this.targets.get(target.id) !== target) return;
    const before = target.state;
    if (ok) {
      target.passes++;
      target.fails = 0;
      if (target.state !== 'healthy' && target.passes >= hc.healthyThreshold) target.state = 'healthy';
    } else {
      target.fails++;
      target.passes = 0;
      if (target.state !== 'unhealthy' && target.fails >= hc.unhealthyThreshold) target.state = 'unhealthy';
    }
    if (target.state !== before) this.opts.onHealth(target.id, target.state);
    this.schedule(target, hc.intervalMs);
  }

  private pick(): Target | undefined {
    const targets = this.routable();
    if (targets.length === 0) return undefined;
    this.rr = (this.rr + 1) % targets.length;
    return targets[this.rr];
  }

  hasHealthyTargets(): boolean {
    return [...this.targets.values()].some((t) => t.state === 'healthy');
  }

  /** Whether any target would get a request now (a healthy one, or an unhealthy one failing open). */
  hasRoutableTargets(): boolean {
    return this.routable().length > 0;
  }

  /** Forwards one request to a routable target of this group (round robin), or answers 503. */
  forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = this.pick();
    if (!target) {
      this.opts.onRequest?.({ count: 1, elb5xx: true });
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('503 Service Temporarily Unavailable: no healthy targets\n');
      return;
    }
    target.inFlight++;
    const sentAt = performance.now();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      target.inFlight--;
      if (target.inFlight === 0) target.idle?.();
    };
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
        // A fresh connection per request: a pooled socket to a container that has since been
        // stopped would fail a request that a real ALB would have sent elsewhere.
        agent: false,
      },
      (up) => {
        const status = up.statusCode ?? 502;
        this.opts.onRequest?.({ count: 1, targetStatusClass: Math.floor(status / 100), targetResponseSeconds: (performance.now() - sentAt) / 1000 });
        res.writeHead(status, up.headers);
        up.pipe(res);
        up.on('end', finish);
        up.on('error', finish);
      },
    );
    upstream.on('error', () => {
      finish();
      if (!res.headersSent) {
        this.opts.onRequest?.({ count: 1, elb5xx: true });
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('502 Bad Gateway\n');
      } else {
        res.destroy();
      }
    });
    res.on('close', finish);
    req.pipe(upstream);
  }
}
