/**
 * The HTTP front: one node:http server for ECS, ECR, CloudWatch and CloudWatch Logs, dispatching
 * on the X-Amz-Target prefix, and for the awsQuery service (ELBv2) on the form's `Version` and
 * `Action`. Every failure becomes an AWS-shaped error answer; the server never crashes on input.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLOUDWATCH_PREFIX, QueryCompatibleError } from './cloudwatch.js';
import { exchangeObserved, reportExchange } from '../conformance/exchanges.js';
import { queryError, queryResponse, type QueryHandler } from './elbv2.js';
import type { FaultInjector } from './faults.js';
import { LOGS_PREFIX } from './logs.js';
import { AwsError, JSON_10, JSON_11, parseJsonBody, readBody, sendError, sendJson, errors, type Handler } from './wire.js';

export const ECS_PREFIX = 'AmazonEC2ContainerServiceV20141113';
export const ECR_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

/** The IAM service prefix of each JSON service, for the action a denial names (ecr:BatchGetImage). */
const IAM_PREFIX: Record<string, string> = {
  [ECS_PREFIX]: 'ecs',
  [ECR_PREFIX]: 'ecr',
  [LOGS_PREFIX]: 'logs',
  [CLOUDWATCH_PREFIX]: 'cloudwatch',
};

/** awsQuery services by API version, with the IAM prefix of their actions. */
export type QueryServices = Record<string, { iamPrefix: string; handlers: Record<string, QueryHandler> }>;

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
  query: QueryServices = {},
): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method === 'POST' && !target && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        await answerQuery(req, res, query, log, faults);
        return;
      }
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
        const fault = faults?.decide(target.slice(dot + 1), `${IAM_PREFIX[target.slice(0, dot)] ?? 'unknown'}:${target.slice(dot + 1)}`);
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

/**
 * One awsQuery call (ELBv2): `Action` and `Version` from the form, the answer in XML. Faults apply
 * as to JSON calls (a drop is a closed connection); the conformance layer checks JSON exchanges
 * only, so these are not reported to it (the SDK's own parser is their check, in the tests).
 */
async function answerQuery(req: http.IncomingMessage, res: http.ServerResponse, query: QueryServices, log?: (line: string) => void, faults?: FaultInjector) {
  let action = '?';
  try {
    const params = new URLSearchParams(await readBody(req));
    action = params.get('Action') ?? '?';
    const service = query[params.get('Version') ?? ''];
    const handler = service?.handlers[action];
    if (!service || !handler) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const fault = faults?.decide(action, `${service.iamPrefix}:${action}`);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.error) throw fault.error;
    if (fault?.drop === 'before') {
      res.socket?.destroy();
      return;
    }
    const body = queryResponse(action, handler(params));
    if (fault?.drop === 'after') {
      res.socket?.destroy();
      return;
    }
    log?.(`Query.${action} 200`);
    res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } catch (e) {
    const error = e instanceof AwsError ? e : new AwsError('InternalFailure', `Internal error in the emulator: ${(e as Error)?.message ?? String(e)}`, 500);
    const { status, body } = queryError(error);
    log?.(`Query.${action} ${status} ${error.type}: ${error.message}`);
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}
