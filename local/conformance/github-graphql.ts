/**
 * GitHub's GraphQL API, as published: the schema SDL of `@octokit/graphql-schema` built by the
 * reference implementation (`graphql`), once per process. The stand-in executes queries against
 * it (local/github-api/graphql.ts) and the conformance layer validates every query sent to it
 * here, independently of the stand-in's own answer.
 *
 * The published SDL (15.26.1) declares `EnterpriseOwnerInfo.repositoryDeployKeySetting` and
 * `…Organizations` twice, identically; graphql-js refuses a repeated field in SDL validation, so
 * the schema is built with `assumeValidSDL` and then checked with `validateSchema`, which passes.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLSchema, parse, validate, validateSchema, type DocumentNode, GraphQLError } from 'graphql';
import type { GitHubGraphQlExchange } from './exchanges.js';
import { graphQlSchemaFile } from './oracles.js';
import type { Violation } from './violation.js';

let schema: GraphQLSchema | undefined;

export function gitHubGraphQlSchema(): GraphQLSchema {
  if (schema) return schema;
  const built = buildSchema(readFileSync(graphQlSchemaFile(), 'utf8'), { assumeValidSDL: true });
  const problems = validateSchema(built);
  if (problems.length > 0) throw new Error(`GitHub's GraphQL schema does not validate: ${problems.map((p) => p.message).join('; ')}`);
  schema = built;
  return built;
}

/** A query parsed and validated against GitHub's schema: the document, or the errors as GraphQL reports them. */
export function parseAndValidate(query: unknown): { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[] } {
  if (typeof query !== 'string' || query.trim() === '') return { errors: [new GraphQLError('A query attribute must be specified and must be a string.')] };
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    return { errors: [e instanceof GraphQLError ? e : new GraphQLError(String(e))] };
  }
  const errors = validate(gitHubGraphQlSchema(), document);
  return errors.length > 0 ? { errors } : { document };
}

/** Judges one GraphQL exchange: the query must parse and validate; a refused query must be answered with GitHub's `errors` shape. */
export function checkGraphQlExchange(exchange: GitHubGraphQlExchange): Violation[] {
  const operation = 'GitHub POST /graphql';
  const { errors } = parseAndValidate(exchange.request.query);
  const out: Violation[] = (errors ?? []).map((e) => ({
    operation,
    side: 'request' as const,
    path: e.locations?.[0] ? `query:${e.locations[0].line}:${e.locations[0].column}` : 'query',
    rule: 'graphql validation',
    message: e.message,
  }));
  // A fault asked for, or an HTTP refusal before GraphQL (401 bad credentials), is REST's shape, not GraphQL's.
  if (exchange.injectedFault || exchange.status !== 200) return out;
  const answer = exchange.response as { data?: unknown; errors?: unknown } | undefined;
  const answerErrors = Array.isArray(answer?.errors) ? (answer.errors as { message?: unknown }[]) : undefined;
  if (answerErrors?.some((e) => typeof e?.message !== 'string')) {
    out.push({ operation, side: 'response', path: '$.errors', rule: 'error shape', message: 'every error carries a message' });
  }
  if (errors && !answerErrors) {
    out.push({ operation, side: 'response', path: '$', rule: 'error shape', message: 'an invalid query was answered without errors' });
  }
  if (!errors && !answerErrors && (typeof answer?.data !== 'object' || answer.data === null)) {
    out.push({ operation, side: 'response', path: '$.data', rule: 'required', message: 'a valid query answered without data or errors' });
  }
  return out;
}
