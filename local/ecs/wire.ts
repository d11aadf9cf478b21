/**
 * The AWS JSON 1.1 wire protocol as ECS and ECR speak it: a POST to / with
 * `X-Amz-Target: <Service>.<Operation>` and a JSON body; answers are JSON with
 * content-type application/x-amz-json-1.1, errors carry `__type` and `message` (that is what
 * the SDK's deserializer maps onto its exception classes, e.g. ServiceNotFoundException).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export const JSON_11 = 'application/x-amz-json-1.1';
/** CloudWatch speaks AWS JSON 1.0 (same envelope, its own content type). */
export const JSON_10 = 'application/x-amz-json-1.0';

/** An error the client should see, shaped as the real service shapes it. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

// The ECS error types a client of the actions can meet, with ECS's own messages where ECS has a
// fixed one (these strings are what the real service answers; callers match on them).
export const errors = {
  client: (message: string) => new AwsError('ClientException', message),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  clusterNotFound: () => new AwsError('ClusterNotFoundException', 'Cluster not found.'),
  serviceNotFound: () => new AwsError('ServiceNotFoundException', 'Service not found.'),
  serviceNotActive: () => new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.'),
  serialization: (message: string) => new AwsError('SerializationException', message),
  unknownOperation: (target: string) =>
    new AwsError('UnknownOperationException', `Operation ${target || '(none)'} is not supported by the local ECS emulator.`),
};

export type Handler = (input: Record<string, unknown>) => Promise<unknown> | unknown;

/** Reads the whole request body; the SDK sends small JSON documents. */
export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw errors.serialization('Request body too large.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw errors.serialization('Start of structure or map found where not expected.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.serialization('Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, payload: unknown, contentType = JSON_11): void {
  const body = JSON.stringify(payload ?? {});
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
}

export function sendError(res: ServerResponse, error: AwsError, contentType = JSON_11): void {
  // ECS answers 400 for client faults; the SDK reads the type from `__type` (and x-amzn-errortype).
  res.setHeader('x-amzn-errortype', error.type);
  sendJson(res, error.status, { __type: error.type, message: error.message }, contentType);
}

// ---- input helpers: every handler validates with these so bad input becomes a 400, never a 500.

export function str(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalidParameter(`${key} must be a string.`);
  return value;
}

export function requireStr(input: Record<string, unknown>, key: string, type: 'client' | 'invalidParameter' = 'invalidParameter'): string {
  const value = str(input, key);
  if (value === undefined || value === '') {
    throw errors[type](`${key} can not be blank.`);
  }
  return value;
}

export function int(input: Record<string, unknown>, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.invalidParameter(`${key} must be an integer.`);
  return value;
}

export function bool(input: Record<string, unknown>, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw errors.invalidParameter(`${key} must be a boolean.`);
  return value;
}

export function strList(input: Record<string, unknown>, key: string): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw errors.invalidParameter(`${key} must be a list of strings.`);
  }
  return value as string[];
}

export function objList(input: Record<string, unknown>, key: string): Record<string, unknown>[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v))) {
    throw errors.invalidParameter(`${key} must be a list of structures.`);
  }
  return value as Record<string, unknown>[];
}

export function obj(input: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalidParameter(`${key} must be a structure.`);
  return value as Record<string, unknown>;
}

/** ECS's opaque pagination: the token encodes the offset into a stable ordering. */
export function paginate<T>(items: T[], input: Record<string, unknown>, defaultMax = 100): { page: T[]; nextToken?: string } {
  const maxResults = int(input, 'maxResults') ?? defaultMax;
  if (maxResults < 1 || maxResults > 100) {
    throw errors.invalidParameter('maxResults must be between 1 and 100.');
  }
  const token = str(input, 'nextToken');
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^ctp-(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded?.[1]) throw errors.invalidParameter('Invalid nextToken.');
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return next < items.length ? { page, nextToken: Buffer.from(`ctp-${next}`).toString('base64url') } : { page };
}

/** Epoch seconds, as the JSON protocols carry timestamps. */
export const epochSeconds = (ms: number): number => Math.round(ms) / 1000;
