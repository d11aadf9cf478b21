/**
 * A recording HTTP proxy for an AWS JSON endpoint (the local ECS emulator): every request is
 * passed through unchanged and its operation and body are kept, so a test can assert what a
 * client sent on the wire — not what the emulator made of it.
 *
 *   const proxy = await startRecordingProxy(local.endpoint);
 *   runBundle('ecs-rolling-deploy', { env: { ...local.env(), AWS_ENDPOINT_URL_ECS: proxy.url } });
 *   proxy.requests('UpdateService')   // [{ operation, body }, …]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  operation: string;
  body: Record<string, unknown>;
  status: number;
}

export interface RecordingProxy {
  url: string;
  all: RecordedRequest[];
  requests(operation: string): RecordedRequest[];
  stop(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const all: RecordedRequest[] = [];
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const targetHeader = String(req.headers['x-amz-target'] ?? '');
      const record: RecordedRequest = { operation: targetHeader.split('.').at(-1) ?? '', body: parse(raw), status: 0 };
      all.push(record);
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          record.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      // The emulator dropping a connection (fault injection) is passed on as a dropped connection.
      forward.on('error', () => res.socket?.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    all,
    requests: (operation) => all.filter((r) => r.operation === operation),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parse(raw: Buffer): Record<string, unknown> {
  try {
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
