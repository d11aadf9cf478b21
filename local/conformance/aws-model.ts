/**
 * Judges one AWS JSON exchange by botocore's model of its operation: the request against the
 * input shape, a success against the output shape, an error against the errors the operation
 * declares (with the model's HTTP status). Every rule of a shape is checked: required members,
 * unknown members, types, enums, min/max, patterns, and timestamps as epoch seconds.
 */
import type { AwsExchange } from './exchanges.js';
import { AWS_SERVICES, type AwsServiceName, type BotocoreModel, loadBotocoreModel } from './oracles.js';
import type { Violation } from './violation.js';

type Shape = Record<string, unknown> & { type: string };
type Member = { shape: string; timestampFormat?: string };

/**
 * Errors any AWS JSON service may answer for any operation ("Common Errors" of AWS's API
 * references; the models declare none of them), with their HTTP status.
 */
export const COMMON_ERRORS: Record<string, number> = {
  AccessDeniedException: 400,
  IncompleteSignature: 400,
  InternalFailure: 500,
  InvalidAction: 400,
  InvalidClientTokenId: 403,
  NotAuthorized: 400,
  OptInRequired: 403,
  RequestExpired: 400,
  ServiceUnavailable: 503,
  ThrottlingException: 400,
  ValidationError: 400,
  // The JSON protocol's own: a body that is not JSON, a target the service does not have.
  SerializationException: 400,
  UnknownOperationException: 400,
};

/**
 * The common errors of AWS's query-protocol references (CloudWatch's "Common Errors"), which a
 * query-compatible service answers from every operation.
 */
export const QUERY_COMMON_ERRORS = new Set([
  'InvalidParameterValue',
  'MissingParameter',
  'InvalidParameterCombination',
  'ValidationError',
  'InternalServiceError',
]);

export class AwsModels {
  private readonly byPrefix = new Map<string, { service: AwsServiceName; model: BotocoreModel }>();
  private readonly patterns = new Map<string, RegExp | null>();

  constructor() {
    for (const service of Object.keys(AWS_SERVICES) as AwsServiceName[]) {
      const model = loadBotocoreModel(service);
      this.byPrefix.set(model.metadata.targetPrefix, { service, model });
    }
  }

  /** The service of an X-Amz-Target prefix (for counting), if it is one of ours. */
  serviceOf(target: string): AwsServiceName | undefined {
    return this.byPrefix.get(target.split('.')[0] ?? '')?.service;
  }

  check(exchange: AwsExchange, requestOnly = false): Violation[] {
    const [prefix = '', operationName = ''] = exchange.target.split('.');
    const entry = this.byPrefix.get(prefix);
    const out: Violation[] = [];
    const where = `${entry?.model.metadata.serviceId ?? prefix} ${operationName || '(no operation)'}`;
    const operation = entry?.model.operations[operationName];
    if (!entry || !operation) {
      out.push({
        operation: where,
        side: 'request',
        path: 'X-Amz-Target',
        rule: 'operation',
        message: `${exchange.target} is not an operation of the pinned models`,
      });
      return out;
    }
    const { model } = entry;
    const jsonType = `application/x-amz-json-${model.metadata.jsonVersion}`;
    const v = new ShapeWalker(model, this.patterns, where, out);
    if (!exchange.requestContentType.startsWith(jsonType))
      v.add('request', 'content-type', 'protocol', `sent as ${exchange.requestContentType || '(none)'}, the model's protocol is ${jsonType}`);
    if (operation.input) v.value('request', operation.input.shape, exchange.request, '$', undefined);
    else if (exchange.request && typeof exchange.request === 'object' && Object.keys(exchange.request).length > 0)
      v.add('request', '$', 'unknown member', 'the operation takes no input');
    if (requestOnly) return out;
    if (!exchange.responseContentType.startsWith(jsonType))
      v.add('response', 'content-type', 'protocol', `answered as ${exchange.responseContentType || '(none)'}, the model's protocol is ${jsonType}`);
    if (exchange.status === 200) {
      if (operation.output) v.value('response', operation.output.shape, exchange.response, '$', undefined);
      return out;
    }
    this.checkError(exchange, entry.model, operation.errors ?? [], v);
    return out;
  }

  private checkError(exchange: AwsExchange, model: BotocoreModel, declared: { shape: string }[], v: ShapeWalker): void {
    const body = (exchange.response ?? {}) as Record<string, unknown>;
    const rawType = typeof body.__type === 'string' ? body.__type : '';
    // `__type` may carry a namespace (aws.ecs#X) or a trailing URI (X:http://…); the name is X.
    const type = rawType.replace(/^.*#/, '').replace(/:.*$/, '');
    if (!type) {
      v.add('response', '__type', 'error', `status ${exchange.status} without an error __type`);
      return;
    }
    let shapeName = declared.find((d) => d.shape === type)?.shape;
    // A query-compatible service (CloudWatch) answers its query-era common errors
    // (InvalidParameterValue, MissingParameter, …) from any operation; the model has their shapes.
    const queryCode = ((model.shapes[type]?.error ?? {}) as { code?: string }).code;
    if (!shapeName && model.metadata.awsQueryCompatible !== undefined && queryCode && QUERY_COMMON_ERRORS.has(queryCode)) shapeName = type;
    if (!shapeName) {
      const common = COMMON_ERRORS[type];
      if (common === undefined) {
        v.add(
          'response',
          '__type',
          'undeclared error',
          `${type} is not among the operation's errors (${declared.map((d) => d.shape).join(', ') || 'none'}) nor AWS's common errors`,
        );
        return;
      }
      if (common !== exchange.status) v.add('response', 'status', 'error status', `${type} answered ${exchange.status}; AWS's common errors give it ${common}`);
      return;
    }
    const shape = model.shapes[shapeName] as Shape;
    const error = (shape.error ?? {}) as { code?: string; httpStatusCode?: number };
    const status = error.httpStatusCode ?? (shape.fault ? 500 : 400);
    if (status !== exchange.status) v.add('response', 'status', 'error status', `${type} answered ${exchange.status}; the model gives it ${status}`);
    if (model.metadata.awsQueryCompatible !== undefined && error.code !== undefined) {
      const code = exchange.queryError?.split(';')[0];
      if (code !== error.code)
        v.add('response', 'x-amzn-query-error', 'error code', `${type} carries query code ${code ?? '(none)'}; the model's awsQuery code is ${error.code}`);
    }
    const { __type: _t, message, Message, ...rest } = body;
    for (const m of [message, Message]) if (m !== undefined && typeof m !== 'string') v.add('response', '$.message', 'type', 'message must be a string');
    const members = (shape.members ?? {}) as Record<string, Member>;
    for (const [name, value] of Object.entries(rest)) {
      const member = members[name];
      if (!member) v.add('response', `$.${name}`, 'unknown member', `${type} has no member ${name}`);
      else v.value('response', member.shape, value, `$.${name}`, member);
    }
  }
}

class ShapeWalker {
  constructor(
    private readonly model: BotocoreModel,
    private readonly patterns: Map<string, RegExp | null>,
    private readonly operation: string,
    private readonly out: Violation[],
  ) {}

  add(side: 'request' | 'response', path: string, rule: string, message: string): void {
    this.out.push({ operation: this.operation, side, path, rule, message });
  }

  value(side: 'request' | 'response', shapeName: string, value: unknown, path: string, member: Member | undefined): void {
    const shape = this.model.shapes[shapeName] as Shape | undefined;
    if (!shape) {
      this.add(side, path, 'model', `shape ${shapeName} is missing from the model`);
      return;
    }
    if (value === null) {
      this.add(side, path, 'type', `null where the model has ${shapeName} (${shape.type}); leave the member out`);
      return;
    }
    switch (shape.type) {
      case 'structure':
        this.structure(side, shapeName, shape, value, path);
        return;
      case 'list':
        if (!Array.isArray(value)) {
          this.add(side, path, 'type', `expected a list (${shapeName}), got ${kind(value)}`);
          return;
        }
        this.range(side, shape, value.length, path, 'length');
        for (const [i, item] of value.entries()) this.value(side, (shape.member as Member).shape, item, `${path}[${i}]`, shape.member as Member);
        return;
      case 'map': {
        if (!isObject(value)) {
          this.add(side, path, 'type', `expected a map (${shapeName}), got ${kind(value)}`);
          return;
        }
        this.range(side, shape, Object.keys(value).length, path, 'length');
        for (const [k, item] of Object.entries(value)) {
          this.value(side, (shape.key as Member).shape, k, `${path}{key ${JSON.stringify(k)}}`, undefined);
          this.value(side, (shape.value as Member).shape, item, `${path}[${JSON.stringify(k)}]`, shape.value as Member);
        }
        return;
      }
      case 'string':
        this.string(side, shapeName, shape, value, path);
        return;
      case 'integer':
      case 'long':
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          this.add(side, path, 'type', `expected an integer (${shapeName}), got ${JSON.stringify(value)}`);
          return;
        }
        this.range(side, shape, value, path, 'value');
        return;
      case 'double':
      case 'float':
        if (typeof value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(value as string)) {
          this.add(side, path, 'type', `expected a number (${shapeName}), got ${JSON.stringify(value)}`);
          return;
        }
        if (typeof value === 'number') this.range(side, shape, value, path, 'value');
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.add(side, path, 'type', `expected a boolean (${shapeName}), got ${JSON.stringify(value)}`);
        return;
      case 'timestamp': {
        const format = member?.timestampFormat ?? (shape.timestampFormat as string | undefined) ?? 'unixTimestamp';
        if (format === 'unixTimestamp' && typeof value !== 'number') {
          this.add(side, path, 'timestamp', `expected epoch seconds (a number), got ${JSON.stringify(value)}`);
        } else if (format === 'unixTimestamp' && (value as number) > 1e11) {
          this.add(side, path, 'timestamp', `${String(value)} is milliseconds, the JSON protocol carries epoch seconds`);
        }
        return;
      }
      case 'blob':
        if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) this.add(side, path, 'type', `expected base64 text (${shapeName})`);
        return;
      default: {
        this.add(side, path, 'model', `shape type ${shape.type} is not handled by the checker`);
        return;
      }
    }
  }

  private structure(side: 'request' | 'response', shapeName: string, shape: Shape, value: unknown, path: string): void {
    // A document (e.g. ECS's HookDetails) is any JSON value: the model constrains nothing inside.
    if (shape.document) return;
    if (!isObject(value)) {
      this.add(side, path, 'type', `expected a structure (${shapeName}), got ${kind(value)}`);
      return;
    }
    const members = (shape.members ?? {}) as Record<string, Member>;
    for (const name of (shape.required ?? []) as string[]) {
      if (value[name] === undefined) this.add(side, `${path}.${name}`, 'required', `${shapeName}.${name} is required`);
    }
    const present = Object.keys(value).filter((k) => value[k] !== undefined);
    if (shape.union && present.length !== 1) this.add(side, path, 'union', `${shapeName} is a union: exactly one member, got ${present.length}`);
    for (const name of present) {
      const member = members[name];
      if (!member) {
        this.add(side, `${path}.${name}`, 'unknown member', `${shapeName} has no member ${name}`);
        continue;
      }
      this.value(side, member.shape, value[name], `${path}.${name}`, member);
    }
  }

  private string(side: 'request' | 'response', shapeName: string, shape: Shape, value: unknown, path: string): void {
    if (typeof value !== 'string') {
      this.add(side, path, 'type', `expected a string (${shapeName}), got ${JSON.stringify(value)}`);
      return;
    }
    const allowed = shape.enum as string[] | undefined;
    if (allowed && !allowed.includes(value)) {
      this.add(side, path, 'enum', `${JSON.stringify(value)} is not one of ${shapeName}: ${allowed.join(', ')}`);
      return;
    }
    this.range(side, shape, [...value].length, path, 'length');
    const source = shape.pattern as string | undefined;
    if (source === undefined) return;
    let pattern = this.patterns.get(source);
    if (pattern === undefined) {
      pattern = compile(source);
      this.patterns.set(source, pattern);
    }
    if (pattern && !pattern.test(value))
      this.add(side, path, 'pattern', `${JSON.stringify(value.slice(0, 200))} does not match ${shapeName}'s pattern ${source}`);
  }

  private range(side: 'request' | 'response', shape: Shape, n: number, path: string, what: 'length' | 'value'): void {
    const min = shape.min as number | undefined;
    const max = shape.max as number | undefined;
    if (min !== undefined && n < min) this.add(side, path, 'min', `${what} ${n} is below the model's min ${min}`);
    if (max !== undefined && n > max) this.add(side, path, 'max', `${what} ${n} is above the model's max ${max}`);
  }
}

/** botocore's patterns are ECMAScript-compatible with few exceptions; one that is not is left out. */
function compile(source: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(source, flags);
    } catch {}
  }
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v);
