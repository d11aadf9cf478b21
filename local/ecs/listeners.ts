/**
 * The two listeners of a service deployed with a native strategy (docker mode): production on
 * the service's load-balancer port (loadBalancerUrl) and test on a second port
 * (testListenerUrl). Each forwards to a target group by the weights of the deployment in
 * progress, the way the productionListenerRule / testListenerRule's weighted forward actions do:
 * production sends green its share (0 → canary/linear steps → 100), test sends green everything
 * once test traffic has shifted. With no deployment in progress both go to production's target
 * group. A chosen group with no healthy target leaves the request to the other one; with no
 * healthy target in either, the chosen group fails open to its unhealthy targets (load-balancer.ts).
 */
import type http from 'node:http';
import { listenOnLoopback, type LoadBalancer } from './load-balancer.js';

export interface ListenerTraffic {
  production: LoadBalancer;
  green?: LoadBalancer;
  productionGreen: number;
  testGreen: number;
}

/** Picks the target group for one request of a listener whose green share is `greenPercent`. */
export function pickTargetGroup(traffic: ListenerTraffic, greenPercent: number, draw: number): LoadBalancer {
  const { production, green } = traffic;
  if (!green || greenPercent <= 0) return production;
  const wanted = greenPercent >= 100 || draw * 100 < greenPercent ? green : production;
  const order = [wanted, wanted === green ? production : green];
  return order.find((g) => g.hasHealthyTargets()) ?? order.find((g) => g.hasRoutableTargets()) ?? wanted;
}

export class ServiceListeners {
  private testServer?: http.Server;
  testUrl?: string;

  constructor(
    private readonly productionListener: LoadBalancer,
    private readonly traffic: () => ListenerTraffic,
  ) {}

  async listen(): Promise<void> {
    this.productionListener.route = (req, res) => {
      const t = this.traffic();
      pickTargetGroup(t, t.productionGreen, Math.random()).forward(req, res);
    };
    const { server, url } = await listenOnLoopback((req, res) => {
      const t = this.traffic();
      pickTargetGroup(t, t.testGreen, Math.random()).forward(req, res);
    });
    this.testServer = server;
    this.testUrl = url;
  }

  async close(): Promise<void> {
    const server = this.testServer;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
