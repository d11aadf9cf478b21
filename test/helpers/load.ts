import { startLoad, type LoadResult } from '../../local/demo/load-generator.js';

/**
 * Two clients on `<url>/version`, each pausing 10 ms between requests, every answer recorded in
 * order, so a test can say which version served before and after a moment. The demo's own load
 * generator does the requests (loopback only, bounded), so tests exercise what the demo reports.
 *
 * Why the pause (issue 29): with none, the two clients sent as many requests as the machine
 * could answer for as long as a test ran (the canary of docker-native.test.ts: 4,772 in 11 s, each
 * through the load balancer, docker-proxy and a forked httpd), taking CPU from a machine the suite
 * saturates. With it: 1,287 in 10 s, a request every few milliseconds, which still lands in any
 * window in which the service would fail one (a drained target, a switch of target group). The
 * three files that use this went from 64–73 to 62 CPU-seconds of the machine, run together.
 */
export function recordLoad(url: string): { results: LoadResult[]; stop(): Promise<unknown> } {
  const results: LoadResult[] = [];
  const load = startLoad(`${url}/version`, { concurrency: 2, pauseMs: 10, timeoutMs: 5_000, onResult: (r) => results.push(r) });
  return { results, stop: () => load.stop() };
}
