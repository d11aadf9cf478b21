/**
 * A load generator for the demo: GET requests to a service on this machine's loopback, a few at a
 * time, for as long as a deploy runs, counting what came back — in particular which version
 * answered, so "the broken release never received traffic" is a count, not a belief. Bounded in
 * number and time, and it refuses any host but 127.0.0.1 so it can never load someone else's
 * server.
 */
import http from 'node:http';

export interface LoadOptions {
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Pause between one worker's requests, ms. Default 25. */
  pauseMs?: number;
  /** Hard limits: it stops by itself at whichever comes first. */
  maxRequests?: number;
  maxDurationMs?: number;
  /**
   * How long a request may go without a byte before it counts as failed (`timeout`), ms. Default
   * 10 000: a load balancer waits a minute for a target; 2 s counted a busy 2-core machine's
   * scheduling stall (the whole suite runs beside the demo) as the release failing.
   */
  timeoutMs?: number;
  /** Each answer as it arrives, for callers that need the order (e.g. what served after a deploy). */
  onResult?: (result: LoadResult) => void;
}

export interface LoadResult {
  ok: boolean;
  /** The trimmed body of a successful answer, or why the request failed. */
  body: string;
  at: number;
}

export interface LoadReport {
  sent: number;
  ok: number;
  failed: number;
  /** Response bodies of successful requests (trimmed; for /version: the version), counted. */
  bodies: Record<string, number>;
  /** Why requests failed: `HTTP 503`, `ECONNREFUSED`, `timeout`… counted. */
  failures: Record<string, number>;
  durationMs: number;
  /** Why it stopped: `stopped` (asked), `max-requests` or `max-duration`. */
  stoppedBy: 'stopped' | 'max-requests' | 'max-duration';
}

export interface RunningLoad {
  /** Stops sending, waits for the requests in flight, and reports. */
  stop(): Promise<LoadReport>;
  /** The figures so far. */
  snapshot(): LoadReport;
}

const LOOPBACK = new Set(['127.0.0.1']);

export function validateLoadTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`load target ${JSON.stringify(target)} is not a URL`);
  }
  if (url.protocol !== 'http:') throw new Error(`load target ${target}: only http:// is supported`);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`load target ${target}: the load generator only sends to 127.0.0.1 (this machine), not to ${url.hostname}`);
  return url;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`load option ${name} must be a positive number, got ${value}`);
  return v;
}

/**
 * One GET, told to `record` as ok with its trimmed body (a 2xx or 3xx), or failed with why (`HTTP
 * 503`, `ECONNREFUSED`, `timeout`…). No keep-alive: a socket the proxy closed while idle would
 * count as a failure of the service when it is an artefact of the client.
 */
function requestOnce(url: URL, timeoutMs: number, record: (ok: boolean, body: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const failed = (e: Error) => {
      record(false, (e as NodeJS.ErrnoException).code ?? e.message);
      resolve();
    };
    const req = http.get(url, { agent: false, timeout: timeoutMs, headers: { 'cache-control': 'no-cache' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 400)
          record(true, Buffer.concat(chunks).toString('utf8').trim().slice(0, 80));
        else record(false, `HTTP ${res.statusCode}`);
        resolve();
      });
      res.on('error', failed);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', failed);
  });
}

export function startLoad(target: string, options: LoadOptions = {}): RunningLoad {
  const url = validateLoadTarget(target);
  const concurrency = Math.floor(positive('concurrency', options.concurrency, 2));
  const pauseMs = options.pauseMs ?? 25;
  const maxRequests = positive('maxRequests', options.maxRequests, 20_000);
  const maxDurationMs = positive('maxDurationMs', options.maxDurationMs, 10 * 60_000);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 10_000);
  const started = Date.now();
  const report: LoadReport = { sent: 0, ok: 0, failed: 0, bodies: {}, failures: {}, durationMs: 0, stoppedBy: 'stopped' };
  let stopping = false;
  let wake: (() => void) | undefined;
  const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  const record = (ok: boolean, body: string) => {
    if (ok) {
      report.ok++;
      count(report.bodies, body);
    } else {
      report.failed++;
      count(report.failures, body);
    }
    options.onResult?.({ ok, body, at: Date.now() });
  };
  const once = () => {
    report.sent++;
    return requestOnce(url, timeoutMs, record);
  };

  const worker = async () => {
    while (!stopping) {
      if (report.sent >= maxRequests) {
        report.stoppedBy = 'max-requests';
        stopping = true;
        break;
      }
      if (Date.now() - started >= maxDurationMs) {
        report.stoppedBy = 'max-duration';
        stopping = true;
        break;
      }
      await once();
      if (pauseMs > 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pauseMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  const workers = Promise.all(Array.from({ length: concurrency }, worker));
  const snapshot = () => ({ ...report, bodies: { ...report.bodies }, failures: { ...report.failures }, durationMs: Date.now() - started });
  return {
    snapshot,
    async stop() {
      stopping = true;
      wake?.();
      await workers;
      return snapshot();
    },
  };
}

/**
 * The failures of a report by kind, most frequent first: `237 HTTP 500, 30 timeout, 7 ECONNRESET`
 * (empty when none failed). A stage's failed count alone cannot tell a release's 500s from a
 * client that gave up on a busy machine; this line can.
 */
export function describeFailures(failures: Readonly<Record<string, number>>): string {
  return Object.entries(failures)
    .sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

/** One request, for reading what a service serves right now. */
export async function fetchText(target: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  const url = validateLoadTarget(target);
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').trim() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${target} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
