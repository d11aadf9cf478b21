/**
 * `POST /graphql` of the stand-in: every query is parsed and validated against GitHub's published
 * schema (`@octokit/graphql-schema`'s SDL, built by the reference `graphql` implementation:
 * local/conformance/github-graphql.ts) and executed by graphql-js itself, with resolvers over the
 * stand-in's stored deployments, their statuses, its environments and seeded commits. What is
 * not served here resolves to null (and a non-null field not served to graphql-js's own error).
 *
 * Served: `rateLimit`, `repository(owner, name)` with `deployments(environments, first|last ≤
 * 100, after, before, orderBy)`, `environments(names, first|last)`, `environment(name)`,
 * `object(oid|expression)` (a seeded commit: `oid`, `committedDate`, `message`, `history`,
 * `parents`); deployments with `databaseId`, `environment`, `createdAt`, `updatedAt`,
 * `commitOid`, `payload`, `creator`, `statuses`, `latestStatus`, `state`; statuses with `state`,
 * `description`, `createdAt`, `logUrl`, `creator`. GitHub's pagination rules and the `FORBIDDEN`
 * answer of a token without the permission are GitHub's (README.md).
 */
import { type DocumentNode, execute, GraphQLError, Kind, type SelectionSetNode, type ValueNode } from 'graphql';
import { gitHubGraphQlSchema, parseAndValidate } from '../conformance/github-graphql.js';
import type { RecordedDeployment, RecordedStatus } from './index.js';

/** A commit the GraphQL `object(oid:)` (and REST-free lead-time tests) can read. */
export interface SeededCommit {
  sha: string;
  parents: string[];
  /** ISO committer time. */
  committedAt: string;
  message: string;
}

export interface GraphQlStore {
  deployments: readonly RecordedDeployment[];
  /** Environments by repository (made by a deployment to them, or declared). */
  environments(repository: string): ReadonlySet<string>;
  commits(repository: string): ReadonlyMap<string, SeededCommit>;
}

export interface GraphQlCaller {
  /** The REST login the token writes as (`github-actions[bot]`). */
  login: string;
  /** The token's permissions leave out `deployments` (GitHub: FORBIDDEN on deployments and environments). */
  withoutDeployments: boolean;
  /** Points left this hour, per token; decremented by each query's cost. */
  rateLimit: { remaining: number; used: number };
}

const MAX_PAGE = 100;
const LIMIT = 5_000;

/** Answers one POST /graphql body: GitHub answers 200 with `data` and/or `errors`. */
export async function answerGraphQl(body: Record<string, unknown>, store: GraphQlStore, caller: GraphQlCaller, now: Date): Promise<unknown> {
  const checked = parseAndValidate(body.query);
  if (checked.errors) return { errors: checked.errors.map(gitHubError) };
  const variables = typeof body.variables === 'object' && body.variables !== null ? (body.variables as Record<string, unknown>) : {};
  const cost = queryCost(checked.document, variables);
  caller.rateLimit.remaining = Math.max(0, caller.rateLimit.remaining - cost);
  caller.rateLimit.used += cost;
  const result = await execute({
    schema: gitHubGraphQlSchema(),
    document: checked.document,
    variableValues: variables,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
    rootValue: {
      rateLimit: () => ({
        cost,
        limit: LIMIT,
        remaining: caller.rateLimit.remaining,
        used: caller.rateLimit.used,
        nodeCount: 0,
        resetAt: new Date(now.getTime() + 3_600_000).toISOString(),
      }),
      repository: ({ owner, name }: { owner: string; name: string }) => repositoryObject(`${owner}/${name}`, store, caller),
    },
  });
  return result.errors ? { data: result.data ?? null, errors: result.errors.map(gitHubError) } : { data: result.data };
}

/** GitHub's error: message, locations, path, and its `type` (NOT_FOUND, FORBIDDEN, …) at the top. */
function gitHubError(error: GraphQLError): Record<string, unknown> {
  const { type, ...extensions } = (error.extensions ?? {}) as { type?: string };
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    locations: error.locations ?? [],
    message: error.message,
  };
}

function repositoryObject(repository: string, store: GraphQlStore, caller: GraphQlCaller) {
  const forbid = () => {
    if (caller.withoutDeployments) throw new GraphQLError('Resource not accessible by integration', { extensions: { type: 'FORBIDDEN' } });
  };
  return {
    __typename: 'Repository',
    nameWithOwner: repository,
    name: repository.split('/')[1],
    deployments: (args: ConnectionArgs & { environments?: string[] | null; orderBy?: { field: string; direction: string } }) => {
      forbid();
      const direction = args.orderBy?.direction ?? 'ASC';
      const wanted = args.environments ?? undefined;
      // The store keeps them newest first by created_at (index.ts): no sort, and only the page is built.
      const list = store.deployments.filter((d) => d.repository === repository && (!wanted || wanted.length === 0 || wanted.includes(d.environment)));
      if (direction === 'ASC') list.reverse();
      return connection('deployments', list, args, deploymentObject);
    },
    environments: (args: ConnectionArgs & { names?: string[] | null }) => {
      forbid();
      const names = [...store.environments(repository)].sort().filter((n) => !args.names?.length || args.names.includes(n));
      return connection('environments', names.map(environmentObject), args);
    },
    environment: ({ name }: { name: string }) => {
      forbid();
      return store.environments(repository).has(name) ? environmentObject(name) : null;
    },
    object: ({ oid, expression }: { oid?: string; expression?: string }) => {
      const commits = store.commits(repository);
      const commit = commits.get(oid ?? expression ?? '');
      return commit ? commitObject(commit, commits) : null;
    },
  };
}

function environmentObject(name: string) {
  return { __typename: 'Environment', id: `EN_${Buffer.from(name).toString('base64url')}`, name };
}

/** A REST login as GraphQL's Actor: a bot's login has no `[bot]` there (`github-actions`), and its type says Bot. */
export function actorObject(login: string) {
  const bot = login.endsWith('[bot]');
  const bare = login.replace(/\[bot\]$/, '');
  const path = bot ? `/apps/${bare}` : `/${bare}`;
  return {
    __typename: bot ? 'Bot' : 'User',
    login: bare,
    resourcePath: path,
    url: `https://github.com${path}`,
    avatarUrl: () => `https://avatars.githubusercontent.com/in/${bare}?v=4`,
  };
}

const STATE = (state: string) => state.toUpperCase();

function deploymentObject(d: RecordedDeployment) {
  // Statuses oldest first, as GitHub's connections order by creation.
  const statuses = [...d.statuses].reverse();
  return {
    __typename: 'Deployment',
    id: d.node_id,
    databaseId: d.id,
    environment: d.environment,
    latestEnvironment: d.environment,
    originalEnvironment: d.original_environment,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
    commitOid: d.sha,
    payload: JSON.stringify(d.payload ?? {}),
    description: d.description,
    task: d.task,
    creator: actorObject(d.creator.login),
    state: () => (d.statuses[0] ? STATE(d.statuses[0].state) : 'PENDING'),
    latestStatus: () => (d.statuses[0] ? statusObject(d.statuses[0]) : null),
    statuses: (args: ConnectionArgs) => connection('statuses', statuses.map(statusObject), args),
  };
}

function statusObject(s: RecordedStatus) {
  return {
    __typename: 'DeploymentStatus',
    id: s.node_id,
    state: STATE(s.state),
    description: s.description,
    environment: s.environment,
    environmentUrl: s.environment_url || null,
    logUrl: s.log_url || null,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    creator: actorObject(s.creator.login),
  };
}

function commitObject(c: SeededCommit, commits: ReadonlyMap<string, SeededCommit>): Record<string, unknown> {
  return {
    __typename: 'Commit',
    id: `C_${c.sha}`,
    oid: c.sha,
    abbreviatedOid: c.sha.slice(0, 7),
    committedDate: c.committedAt,
    message: c.message,
    messageHeadline: c.message.split('\n')[0],
    messageBody: c.message.split('\n').slice(1).join('\n').trim(),
    parents: (args: ConnectionArgs) =>
      connection(
        'parents',
        c.parents.flatMap((p) => (commits.has(p) ? [commitObject(commits.get(p)!, commits)] : [])),
        args,
      ),
    history: (args: ConnectionArgs) =>
      connection(
        'history',
        gitLogOrder(c, commits).map((h) => commitObject(h, commits)),
        args,
      ),
  };
}

/** `git log`'s order: every ancestor (the commit included), newest committer time first. */
function gitLogOrder(head: SeededCommit, commits: ReadonlyMap<string, SeededCommit>): SeededCommit[] {
  const seen = new Set<string>([head.sha]);
  const out: SeededCommit[] = [];
  const queue = [head];
  while (queue.length > 0) {
    queue.sort((a, b) => b.committedAt.localeCompare(a.committedAt));
    const next = queue.shift()!;
    out.push(next);
    for (const p of next.parents) {
      const parent = commits.get(p);
      if (parent && !seen.has(p)) {
        seen.add(p);
        queue.push(parent);
      }
    }
  }
  return out;
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64');
function indexOf(cursor: string, field: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`, { extensions: { type: 'INVALID_CURSOR_ARGUMENTS' } });
  void field;
  return Number(m[1]);
}

/** A connection page under GitHub's rules: `first` or `last` is required, at most 100; `build` makes the page's nodes only. */
function connection<T, N = T>(field: string, items: T[], args: ConnectionArgs, build: (item: T) => N = (item) => item as unknown as N) {
  if (args.first == null && args.last == null) {
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`, {
      extensions: { type: 'MISSING_PAGINATION_BOUNDARIES' },
    });
  }
  for (const [name, value] of [
    ['first', args.first],
    ['last', args.last],
  ] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE)) {
      throw new GraphQLError(`Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`, {
        extensions: { type: 'EXCESSIVE_PAGINATION' },
      });
    }
  }
  let start = args.after ? indexOf(args.after, field) + 1 : 0;
  let end = args.before ? indexOf(args.before, field) : items.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const page = items.slice(start, end).map(build);
  return {
    totalCount: items.length,
    nodes: page,
    edges: page.map((node, i) => ({ node, cursor: cursorOf(start + i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursorOf(start) : null,
      endCursor: page.length > 0 ? cursorOf(end - 1) : null,
    },
  };
}

/**
 * GitHub's point cost: the requests each connection would take at its `first`/`last` (a nested
 * connection once per parent node), summed, divided by 100, rounded, at least 1
 * ("Rate limits and node limits for the GraphQL API").
 */
export function queryCost(document: DocumentNode, variables: Record<string, unknown>): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const value = (node: ValueNode | undefined): unknown =>
    node === undefined ? undefined : node.kind === Kind.VARIABLE ? variables[node.name.value] : node.kind === Kind.INT ? Number(node.value) : undefined;
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, parents: number): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) walk(fragments.get(selection.name.value), parents);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, parents);
      else {
        const size = value(selection.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last')?.value);
        if (typeof size === 'number') {
          requests += parents;
          walk(selection.selectionSet, parents * size);
        } else walk(selection.selectionSet, parents);
      }
    }
  };
  for (const d of document.definitions) if (d.kind === Kind.OPERATION_DEFINITION) walk(d.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}
