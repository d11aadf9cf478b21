/**
 * Judges one GitHub REST exchange by GitHub's OpenAPI description: the path and method must be an
 * operation; its path and query parameters, request body, response status and response body must
 * fit the operation's schemas (OpenAPI 3.0 JSON Schema: types, nullable, required, enums,
 * formats, ranges, patterns, allOf/anyOf/oneOf).
 */
import { readFileSync } from 'node:fs';
import type { GitHubExchange } from './exchanges.js';
import { openApiFile } from './oracles.js';
import type { Violation } from './violation.js';

type Schema = Record<string, unknown>;
type Operation = { operationId: string; parameters?: Schema[]; requestBody?: Schema; responses: Record<string, Schema> };
type Route = { template: string; regex: RegExp; names: string[]; literals: number; item: Record<string, unknown> };

/**
 * Answers GitHub gives to any operation, which the description lists for few of them: 401 for a
 * bad token and 403 for a token without the permission ("Resource not accessible by
 * integration"), both as GitHub's basic error.
 */
const GENERIC_STATUSES: Record<string, string> = {
  '401': '#/components/schemas/basic-error',
  '403': '#/components/schemas/basic-error',
  // "Resources in the REST API": a resource that does not exist (or is hidden) is 404, and a
  // write whose body fails validation 422, on every operation.
  '404': '#/components/schemas/basic-error',
  '422': '#/components/schemas/validation-error',
};

let shared: GitHubOpenApi | undefined;

/**
 * The description, read once per process: it is ~10 MB of JSON (~0.1 s of CPU to read and index),
 * and the test files a worker runs one after another would otherwise each read it again. Nothing
 * in it changes once built.
 */
export function gitHubOpenApi(): GitHubOpenApi {
  shared ??= new GitHubOpenApi();
  return shared;
}

export class GitHubOpenApi {
  private readonly spec: { paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, Schema>> };
  private readonly routes: Route[];

  constructor() {
    this.spec = JSON.parse(readFileSync(openApiFile(), 'utf8'));
    this.routes = Object.entries(this.spec.paths).map(([template, item]) => {
      const names: string[] = [];
      // A parameter GitHub marks `x-multi-segment` spans slashes (a git ref: `tags/v1`, `heads/a/b`).
      const multi = new Set(
        [item.parameters, ...Object.values(item).map((op) => (op as Operation | undefined)?.parameters)]
          .flatMap((list) => (Array.isArray(list) ? (list as Schema[]) : []))
          .map((p) => this.resolve(p))
          .filter((p) => p.in === 'path' && p['x-multi-segment'] === true)
          .map((p) => p.name as string),
      );
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return multi.has(name) ? '(.+?)' : '([^/]+)';
      });
      return { template, regex: new RegExp(`^${source}/?$`), names, literals: template.split('/').length - names.length - (multi.size ? 0.5 : 0), item };
    });
    // The most literal template wins (/check-runs/{id}/annotations before /{a}/{b}/…), and one
    // without a multi-segment parameter before one with.
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  check(exchange: GitHubExchange, requestOnly = false): Violation[] {
    const out: Violation[] = [];
    const method = exchange.method.toLowerCase();
    let found: { route: Route; match: RegExpExecArray; operation: Operation } | undefined;
    for (const route of this.routes) {
      const match = route.regex.exec(exchange.path);
      const operation = match ? (route.item[method] as Operation | undefined) : undefined;
      if (match && operation) {
        found = { route, match, operation };
        break;
      }
    }
    if (!found) {
      out.push({
        operation: `GitHub ${exchange.method} ${exchange.path}`,
        side: 'request',
        path: 'path',
        rule: 'operation',
        message: 'no operation of the OpenAPI description has this method and path',
      });
      return out;
    }
    const { route, match, operation } = found;
    const name = `GitHub ${exchange.method} ${route.template} (${operation.operationId})`;
    const add = (side: Violation['side'], path: string, rule: string, message: string) => out.push({ operation: name, side, path, rule, message });
    const validate = (side: Violation['side'], schema: Schema, value: unknown, path: string) => {
      for (const p of this.validate(schema, value, path)) add(side, p.path, p.rule, p.message);
    };

    const params = [...((route.item.parameters as Schema[] | undefined) ?? []), ...(operation.parameters ?? [])].map((p) => this.resolve(p));
    route.names.forEach((param, i) => {
      const declared = params.find((p) => p.in === 'path' && p.name === param);
      if (declared?.schema)
        validate(
          'request',
          this.resolve(declared.schema as Schema),
          coerce(this.resolve(declared.schema as Schema), decodeURIComponent(match[i + 1] ?? '')),
          `path.${param}`,
        );
    });
    for (const [key, value] of exchange.query) {
      const declared = params.find((p) => p.in === 'query' && p.name === key);
      if (!declared) add('request', `query.${key}`, 'unknown parameter', `${key} is not a query parameter of ${operation.operationId}`);
      else if (declared.schema)
        validate('request', this.resolve(declared.schema as Schema), coerce(this.resolve(declared.schema as Schema), value), `query.${key}`);
    }
    for (const p of params)
      if (p.required && p.in === 'query' && !exchange.query.has(p.name as string))
        add('request', `query.${String(p.name)}`, 'required', 'required parameter missing');

    const requestBody = operation.requestBody ? this.resolve(operation.requestBody) : undefined;
    const bodySchema = (requestBody?.content as Record<string, Schema> | undefined)?.['application/json']?.schema as Schema | undefined;
    const hasBody = exchange.request !== undefined && !(isObject(exchange.request) && Object.keys(exchange.request).length === 0 && !bodySchema);
    if (bodySchema && (exchange.request !== undefined || requestBody?.required)) validate('request', bodySchema, exchange.request, '$');
    else if (!bodySchema && hasBody) add('request', '$', 'body', `${operation.operationId} takes no request body`);
    if (requestOnly) return out;

    const status = String(exchange.status);
    const declared = operation.responses[status] ?? operation.responses[`${status[0]}XX`] ?? operation.responses.default;
    if (!declared) {
      const generic = GENERIC_STATUSES[status];
      if (generic) validate('response', { $ref: generic }, exchange.response, '$');
      else add('response', 'status', 'status', `${status} is not a response of ${operation.operationId} (${Object.keys(operation.responses).join(', ')})`);
      return out;
    }
    const response = this.resolve(declared);
    const content = response.content as Record<string, Schema> | undefined;
    const schema = content?.['application/json']?.schema as Schema | undefined;
    if (schema) {
      if (!exchange.responseContentType.startsWith('application/json'))
        add('response', 'content-type', 'content-type', `answered as ${exchange.responseContentType || '(none)'}, the description says application/json`);
      validate('response', schema, exchange.response, '$');
    }
    return out;
  }

  private resolve(schema: Schema): Schema {
    let s = schema;
    for (let depth = 0; typeof s.$ref === 'string' && depth < 20; depth++) {
      const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(s.$ref as string) ?? [];
      const target = section && name ? this.spec.components[section]?.[name] : undefined;
      if (!target) throw new Error(`unresolvable $ref ${String(s.$ref)} in the OpenAPI description`);
      s = target;
    }
    return s;
  }

  /** JSON Schema (OpenAPI 3.0 dialect) validation; returns each problem with its path. */
  validate(input: Schema, value: unknown, path: string): { path: string; rule: string; message: string }[] {
    const schema = this.resolve(input);
    const problems: { path: string; rule: string; message: string }[] = [];
    const add = (p: string, rule: string, message: string) => problems.push({ path: p, rule, message });
    if (value === null) {
      if (!schema.nullable && schema.type !== undefined && schema.type !== 'null') add(path, 'nullable', 'null where the schema is not nullable');
      if (schema.nullable || schema.type !== undefined) return problems;
    }
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) problems.push(...this.validate(part, value, path));
    for (const key of ['anyOf', 'oneOf'] as const) {
      const options = schema[key] as Schema[] | undefined;
      if (!options) continue;
      const results = options.map((o) => this.validate(o, value, path));
      if (!results.some((r) => r.length === 0)) {
        const closest = results.reduce((a, b) => (b.length < a.length ? b : a));
        add(
          path,
          key,
          `matches none of ${options.length} alternatives; the closest fails: ${closest
            .slice(0, 3)
            .map((p) => `${p.path} [${p.rule}] ${p.message}`)
            .join('; ')}`,
        );
      }
    }
    if (schema.enum && !(schema.enum as unknown[]).includes(value)) add(path, 'enum', `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    const type = schema.type as string | undefined;
    if (type && !hasType(type, value)) {
      add(path, 'type', `expected ${type}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
      return problems;
    }
    if (typeof value === 'string') this.validateString(schema, value, path, add);
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum) add(path, 'minimum', `${value} < ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && value > schema.maximum) add(path, 'maximum', `${value} > ${schema.maximum}`);
    }
    if (Array.isArray(value)) {
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) add(path, 'minItems', `${value.length} items < ${schema.minItems}`);
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) add(path, 'maxItems', `${value.length} items > ${schema.maxItems}`);
      if (schema.items) for (const [i, item] of value.entries()) problems.push(...this.validate(schema.items as Schema, item, `${path}[${i}]`));
    }
    if (isObject(value)) {
      for (const name of (schema.required as string[] | undefined) ?? [])
        if (value[name] === undefined) add(`${path}.${name}`, 'required', 'required property missing');
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [name, v] of Object.entries(value)) {
        const property = properties[name];
        if (property) problems.push(...this.validate(property, v, `${path}.${name}`));
        else if (schema.additionalProperties === false) add(`${path}.${name}`, 'additionalProperties', 'property not allowed by the schema');
        else if (isObject(schema.additionalProperties)) problems.push(...this.validate(schema.additionalProperties as Schema, v, `${path}.${name}`));
      }
    }
    return problems;
  }

  private validateString(schema: Schema, value: string, path: string, add: (p: string, rule: string, message: string) => void): void {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) add(path, 'minLength', `length ${value.length} < ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) add(path, 'maxLength', `length ${value.length} > ${schema.maxLength}`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      add(path, 'pattern', `${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && value !== schema.default && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value))
      add(path, 'format', `${JSON.stringify(value)} is not a date-time`);
    // The description's own default ("" for e.g. environment_url) is a valid value.
    if (schema.format === 'uri' && value !== schema.default && !URL.canParse(value)) add(path, 'format', `${JSON.stringify(value)} is not a URI`);
  }
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

/** Path and query parameters arrive as text; read them as the schema's type. */
function coerce(schema: Schema, text: string): unknown {
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (schema.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
