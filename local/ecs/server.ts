/**
 * The HTTP front: one node:http server for ECS, ECR and CloudWatch, dispatching on the X-Amz-Target
 * prefix. Every failure becomes an AWS-shaped error answer; the server never crashes on input.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLOUDWATCH_PREFIX, QueryCompatibleError } from './cloudwatch.js';
import { exchangeObserved, reportExchange } from '../conformance/exchanges.js';
import type { FaultInjector } from './faults.js';
import { AwsError, JSON_10, JSON_11, parseJsonBody, readBody, sendError, sendJson, errors, type Handler } from './wire.js';

export const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113';
export const ECR_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

export interface ApiServer {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(
  services: Record<string, Record<string, Handler>>,
  port: number,
  log?: (line: string) => void,
  faults?: FaultInjector,
): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const contentType = target.startsWith(`${CLOUDWATCH_PREFIX}.`) ? JSON_10 : JSON_11;
      // What the conformance layer (local/conformance) is shown of this exchange, when it listens.
      let request: unknown;
      let injectedFault = false;
      const report = (status: number, response: unknown, queryError?: string) => {
        if (!exchangeObserved()) return;
        const requestContentType = String(req.headers['content-type'] ?? '');
        reportExchange({
          kind: 'aws',
          target,
          requestContentType,
          request,
          status,
          responseContentType: contentType,
          response,
          injectedFault,
          ...(queryError ? { queryError } : {}),
        });
      };
      try {
        if (req.method !== 'POST') {
          // Let humans (and curl) see that this is the emulator.
          sendJson(res, 200, { service: 'commit-to-prod local ECS/ECR emulator', usage: 'POST with X-Amz-Target' });
          return;
        }
        const body = await readBody(req);
        request = body;
        const dot = target.indexOf('.');
        const handler = dot > 0 ? services[target.slice(0, dot)]?.[target.slice(dot + 1)] : undefined;
        if (!handler) throw errors.unknownOperation(target);
        const input = parseJsonBody(body);
        request = structuredClone(input);
        const fault = faults?.decide(target.slice(dot + 1));
        injectedFault = fault?.error !== undefined;
        if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        if (fault?.error) throw fault.error;
        if (fault?.drop === 'before') {
          log?.(`${target} dropped (before)`);
          res.socket?.destroy();
          return;
        }
        const output = await handler(input);
        if (fault?.drop === 'after') {
          log?.(`${target} dropped (after it ran)`);
          res.socket?.destroy();
          return;
        }
        log?.(`${target} 200`);
        sendJson(res, 200, output, contentType);
        report(200, JSON.parse(JSON.stringify(output ?? {})));
      } catch (e) {
        const error = e instanceof AwsError ? e : new AwsError('ServerException', `Internal error in the emulator: ${(e as Error)?.message ?? String(e)}`, 500);
        log?.(`${target} ${error.status} ${error.type}: ${error.message}`);
        // A query-compatible service (CloudWatch) also names the error's awsQuery code.
        const queryError = error instanceof QueryCompatibleError ? `${error.queryCode};Sender` : undefined;
        if (queryError && !res.headersSent) res.setHeader('x-amzn-query-error', queryError);
        if (!res.headersSent) {
          sendError(res, error, contentType);
          report(error.status, { __type: error.type, message: error.message }, queryError);
        } else res.destroy();
      }
    })();
  });
  // AWS's endpoints keep an idle connection far longer than Node's default 5 s. With 5 s, a client
  // that reuses a pooled socket just as the server closes it gets ECONNRESET (seen in a test whose
  // client does not retry, on a loaded machine); the SDK would retry it, tests fail fast instead.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
