import { startLoad, type LoadResult } from '../../local/demo/load-generator.js';

/**
 * Two clients on `<url>/version` with no pause, every answer recorded in order, so a test can
 * say which version served before and after a moment. The demo's own load generator does the
 * requests (loopback only, bounded), so tests exercise what the demo reports.
 */
export function recordLoad(url: string): { results: LoadResult[]; stop(): Promise<unknown> } {
  const results: LoadResult[] = [];
  const load = startLoad(`${url}/version`, { concurrency: 2, pauseMs: 0, timeoutMs: 5_000, onResult: (r) => results.push(r) });
  return { results, stop: () => load.stop() };
}
