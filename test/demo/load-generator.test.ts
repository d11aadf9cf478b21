import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailures, fetchText, startLoad, validateLoadTarget } from '../../local/demo/load-generator.js';
import { formatReportTable } from '../../local/demo/report-table.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A service whose answers change while the load runs, as a service does during a deploy. */
async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('load generator', () => {
  it('counts the versions answered and the failures, by cause', async () => {
    let n = 0;
    const base = await serve((_req, res) => {
      n++;
      if (n % 5 === 0) {
        res.writeHead(503).end('draining');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(n <= 20 ? '1.0.0\n' : '1.1.0\n');
    });
    const load = startLoad(`${base}/version`, { concurrency: 2, pauseMs: 1, maxRequests: 40 });
    // Until it stops by itself at 40 requests, however long a busy machine takes to send them.
    for (const until = Date.now() + 30_000; load.snapshot().stoppedBy !== 'max-requests' && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    const report = await load.stop();
    expect(report.stoppedBy).toBe('max-requests');
    expect(report.sent).toBe(40);
    expect(report.ok + report.failed).toBe(40);
    expect(report.failures).toEqual({ 'HTTP 503': 8 });
    expect(report.bodies['1.0.0']! + report.bodies['1.1.0']!).toBe(32);
    expect(Object.keys(report.bodies).sort()).toEqual(['1.0.0', '1.1.0']);
  });

  it('counts refused connections and timeouts as failures', async () => {
    const slow = await serve(() => {
      /* never answers */
    });
    const report = await (async () => {
      const load = startLoad(`${slow}/`, { concurrency: 1, pauseMs: 0, maxRequests: 2, timeoutMs: 100 });
      await new Promise((r) => setTimeout(r, 600));
      return load.stop();
    })();
    expect(report).toMatchObject({ sent: 2, ok: 0, failed: 2, failures: { timeout: 2 } });
    const closed = await serve((_q, s) => s.end());
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    const refused = startLoad(`${closed}/`, { concurrency: 1, pauseMs: 0, maxRequests: 3 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await refused.stop()).toMatchObject({ sent: 3, failed: 3, failures: { ECONNREFUSED: 3 } });
  });

  it('stops by itself at its time bound, and when asked', async () => {
    const base = await serve((_q, res) => res.end('x'));
    const bounded = startLoad(base, { concurrency: 1, pauseMs: 10, maxDurationMs: 300 });
    await new Promise((r) => setTimeout(r, 700));
    const before = bounded.snapshot().sent;
    await new Promise((r) => setTimeout(r, 200));
    const report = await bounded.stop();
    expect(report.stoppedBy).toBe('max-duration');
    expect(report.sent).toBe(before);
    expect(report.durationMs).toBeGreaterThanOrEqual(300);
    const asked = startLoad(base, { concurrency: 3, pauseMs: 5 });
    await new Promise((r) => setTimeout(r, 200));
    const stopped = await asked.stop();
    expect(stopped.stoppedBy).toBe('stopped');
    expect(stopped.sent).toBeGreaterThan(3);
    expect(stopped.failed).toBe(0);
  });

  it('only ever sends to 127.0.0.1, over http', () => {
    expect(validateLoadTarget('http://127.0.0.1:8080/version').port).toBe('8080');
    expect(() => validateLoadTarget('http://example.com/')).toThrow('only sends to 127.0.0.1 (this machine), not to example.com');
    expect(() => validateLoadTarget('http://10.0.0.1/')).toThrow(/not to 10\.0\.0\.1/);
    expect(() => validateLoadTarget('https://127.0.0.1/')).toThrow('only http:// is supported');
    expect(() => validateLoadTarget('127.0.0.1:80')).toThrow('load target "127.0.0.1:80" is not a URL');
    expect(() => startLoad('http://127.0.0.1:1/', { maxRequests: 0 })).toThrow('load option maxRequests must be a positive number, got 0');
  });

  it('fetches one answer', async () => {
    const base = await serve((_q, res) => res.writeHead(503).end(' unhealthy 1.2.0\n'));
    expect(await fetchText(`${base}/cgi-bin/health`)).toEqual({ status: 503, body: 'unhealthy 1.2.0' });
  });
});

describe('failed requests by kind', () => {
  it('names each kind with its count, most frequent first, so a stage’s failures can be explained', () => {
    expect(describeFailures({ timeout: 30, 'HTTP 500': 237, ECONNRESET: 7 })).toBe('237 HTTP 500, 30 timeout, 7 ECONNRESET');
    expect(describeFailures({ ECONNRESET: 2, 'HTTP 502': 2 })).toBe('2 ECONNRESET, 2 HTTP 502');
    expect(describeFailures({})).toBe('');
  });

  it('lists them under the final table for every stage with failed requests', () => {
    const table = formatReportTable([
      { stage: '6. deploy 1.1.0', ok: true, result: 'succeeded', requestsSent: 40, requestsFailed: 0, failureKinds: {} },
      { stage: '7. deploy 5xx 1.3.0', ok: false, result: 'rolled back', requestsSent: 274, requestsFailed: 44, failureKinds: { 'HTTP 500': 37, timeout: 7 } },
    ]).split('\n');
    expect(table.slice(-1)).toEqual(['failed requests in 7. deploy 5xx 1.3.0: 37 HTTP 500, 7 timeout']);
    expect(table.filter((l) => l.startsWith('failed requests'))).toHaveLength(1);
  });
});

describe('the demo’s final table', () => {
  it('aligns stages, durations, versions and request counts', () => {
    const table = formatReportTable([
      { stage: 'commit stage + tiers 1.0.0', ok: true, result: 'succeeded', durationMs: 8_400 },
      { stage: 'deploy 1.1.0 under load', ok: true, result: 'succeeded', durationMs: 75_000, versionServed: '1.1.0', requestsSent: 1234, requestsFailed: 0 },
      { stage: 'deploy broken 1.2.0', ok: false, result: 'failed: served 1.2.0', durationMs: 640, versionServed: '1.2.0', requestsSent: 12, requestsFailed: 3 },
    ]);
    expect(table.split('\n')).toEqual([
      '┌──────────────────────────────┬──────────────────────┬────────────┬────────────────┬───────────────┬────────┐',
      '│ stage                        │ result               │   duration │ version served │ requests sent │ failed │',
      '├──────────────────────────────┼──────────────────────┼────────────┼────────────────┼───────────────┼────────┤',
      '│ ✓ commit stage + tiers 1.0.0 │ succeeded            │      8.4 s │ –              │             – │      – │',
      '│ ✓ deploy 1.1.0 under load    │ succeeded            │ 1 min 15 s │ 1.1.0          │          1234 │      0 │',
      '│ ✗ deploy broken 1.2.0        │ failed: served 1.2.0 │     640 ms │ 1.2.0          │            12 │      3 │',
      '└──────────────────────────────┴──────────────────────┴────────────┴────────────────┴───────────────┴────────┘',
    ]);
  });
});
