/**
 * A local stand-in for the GitHub REST endpoints the actions use: deployments and deployment
 * statuses for their audit record, check runs and issue comments (checks-and-comments.ts) for
 * test results. Point GITHUB_API_URL at `url` and Octokit talks to it as
 * it would to api.github.com; tests read back what was recorded with `deployments()`.
 *
 *   const github = await startLocalGitHubApi({ token: 'ghs_test' });
 *   ... run an action with env GITHUB_API_URL=github.url and input github-token=ghs_test ...
 *   github.deployments('acme/payments-api')  // newest first, each with its statuses
 *   await github.stop();
 *
 * Implemented: POST/GET /repos/{owner}/{repo}/deployments (filters sha, ref, task, environment;
 * per_page, page), GET /repos/{owner}/{repo}/deployments/{id}, POST/GET
 * /repos/{owner}/{repo}/deployments/{id}/statuses (auto_inactive marks older successful
 * deployments of the environment inactive, as GitHub does); check runs, their annotations,
 * issue comments and pull requests as README.md lists them; releases and git refs (releases.ts),
 * immutable releases included; read-only tokens and faults on demand.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exchangeObserved, reportExchange } from '../conformance/exchanges.js';
import { ACTIONS_BOT, type SimpleUser, simpleUser } from './objects.js';
import { ChecksAndComments, type RecordedCheckRun, type RecordedComment, type Route } from './checks-and-comments.js';
import { type RecordedRelease, Releases } from './releases.js';
import { answerGraphQl, type GraphQlCaller, type SeededCommit } from './graphql.js';

export type { RecordedAnnotation, RecordedCheckRun, RecordedComment } from './checks-and-comments.js';
export type { RecordedRelease } from './releases.js';
export type { SeededCommit } from './graphql.js';

/** A deployment as a test seeds it, in the past, with its statuses (oldest first), as our writer would have left it. */
export interface SeededDeployment {
  environment: string;
  sha: string;
  payload?: Record<string, unknown>;
  /** ISO time. */
  createdAt: string;
  /** REST login (default `github-actions[bot]`). */
  creator?: string;
  ref?: string;
  description?: string;
  /** Oldest first. */
  statuses?: { state: string; description?: string; createdAt: string; logUrl?: string; creator?: string }[];
}

export interface RecordedStatus {
  id: number;
  node_id: string;
  state: string;
  creator: SimpleUser;
  description: string;
  log_url: string;
  /** GitHub's older name of log_url, still answered (and required by its description). */
  target_url: string;
  environment_url: string;
  environment: string;
  created_at: string;
  updated_at: string;
  url: string;
  deployment_url: string;
  repository_url: string;
}

export interface RecordedDeployment {
  id: number;
  node_id: string;
  url: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  original_environment: string;
  description: string | null;
  creator: SimpleUser;
  created_at: string;
  updated_at: string;
  statuses_url: string;
  repository_url: string;
  transient_environment: boolean;
  production_environment: boolean;
  /** Not in GitHub's answer: kept here for assertions. */
  repository: string;
  statuses: RecordedStatus[];
}

export interface LocalGitHubApi {
  readonly url: string;
  /** Every deployment recorded (of one repository if given), newest first, statuses newest first. */
  deployments(repository?: string): RecordedDeployment[];
  /** Every request seen, as `METHOD path`, for asserting what an action called. */
  readonly requests: string[];
  /** Check runs created (of one repository if given), oldest first, with every annotation. */
  checkRuns(repository?: string): RecordedCheckRun[];
  /** Comments on an issue or pull request, oldest first. */
  comments(repository: string, issueNumber: number): RecordedComment[];
  /** Adds a comment as someone else would (another bot, a reviewer), for lookups to page past. */
  addComment(repository: string, issueNumber: number, body: string, login?: string): RecordedComment;
  /** Declares a pull request (only its head commit is served, by GET /repos/{owner}/{repo}/pulls/{n}). */
  addPullRequest(repository: string, number: number, headSha: string): void;
  /** Releases (of one repository if given), oldest first. */
  releases(repository?: string): RecordedRelease[];
  /** The git refs the stand-in knows of a repository (`refs/tags/v1` → sha): tags made by publishing or by POST git/refs, or set here. */
  refs(repository: string): Record<string, string>;
  setRef(repository: string, ref: string, sha: string): void;
  /** Adds a deployment made in the past, with its statuses, kept in created_at order; its id. */
  seedDeployment(repository: string, deployment: SeededDeployment): number;
  /** Declares an environment with no deployment yet (a deployment to one creates it, as on GitHub). */
  addEnvironment(repository: string, name: string): void;
  /** Commits GraphQL's `object(oid:)` serves (the commit history the API fallback reads). */
  seedCommits(repository: string, commits: readonly SeededCommit[]): void;
  /** Answer matching requests with a fault (an outage, a secondary rate limit). */
  fail(fault: Fault): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

export interface LocalGitHubApiOptions {
  port?: number;
  /** When set, requests must carry this token (`token X` or `Bearer X`), as GitHub would insist. */
  token?: string;
  /**
   * Tokens that may read but not write, as GITHUB_TOKEN is on a fork's or Dependabot's pull
   * request: every POST/PATCH with one gets GitHub's 403 "Resource not accessible by integration".
   */
  readOnlyTokens?: readonly string[];
  /**
   * The login each token writes as (a GitHub App's `<slug>[bot]`, a user's login for a personal
   * token): the author of its comments and the creator of its deployments. Any other token writes
   * as `github-actions[bot]`, as GITHUB_TOKEN does.
   */
  identities?: Readonly<Record<string, string>>;
  /** Repositories (`owner/repo`) with release immutability on, or true for every one: published releases are then immutable. */
  immutableReleases?: boolean | readonly string[];
  /**
   * Tokens whose permissions leave out `deployments` (`permissions:` without `deployments: read`):
   * the REST deployments endpoints answer 403 "Resource not accessible by integration", GraphQL's
   * `deployments` and `environments` a FORBIDDEN error.
   */
  withoutDeploymentsTokens?: readonly string[];
}

/** A fault the stand-in answers with instead of serving, for the next `times` matching requests. */
export interface Fault {
  /** e.g. 502, 503; or 403/429 with `retryAfterSeconds` for a secondary rate limit. */
  status: number;
  /** How many requests get it (default: every one until `clearFaults`). */
  times?: number;
  /** Only requests whose `METHOD /path` matches. */
  match?: RegExp;
  /** Sent as `retry-after`, with GitHub's secondary-rate-limit message. */
  retryAfterSeconds?: number;
  /**
   * A rate limit told by its headers instead: `x-ratelimit-remaining: 0` and `x-ratelimit-reset`
   * this many seconds from now, with the primary limit's message ("API rate limit exceeded"),
   * or the secondary one's with `secondary` (GitHub's docs allow either header on a secondary limit).
   */
  rateLimitResetSeconds?: number;
  /** With `rateLimitResetSeconds`: the secondary-rate-limit message. */
  secondary?: boolean;
}

const SECONDARY_LIMIT = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
};
const PRIMARY_LIMIT = {
  message: 'API rate limit exceeded for installation ID 1.',
  documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
};

export async function startLocalGitHubApi(options: LocalGitHubApiOptions = {}): Promise<LocalGitHubApi> {
  const deployments: RecordedDeployment[] = [];
  const requests: string[] = [];
  let nextId = 1;
  let url = '';
  const checks = new ChecksAndComments('https://github.com');
  const immutable = options.immutableReleases ?? false;
  const releases = new Releases('https://github.com', (repository) => (typeof immutable === 'boolean' ? immutable : immutable.includes(repository)));
  const faults: Fault[] = [];
  const declaredEnvironments = new Map<string, Set<string>>();
  const commits = new Map<string, Map<string, SeededCommit>>();
  const rateLimits = new Map<string, GraphQlCaller['rateLimit']>();
  const graphQlStore = {
    deployments,
    environments: (repository: string) =>
      new Set([...(declaredEnvironments.get(repository) ?? []), ...deployments.filter((d) => d.repository === repository).map((d) => d.environment)]),
    commits: (repository: string): ReadonlyMap<string, SeededCommit> => commits.get(repository) ?? new Map(),
  };

  // The request of each answer in flight, for the conformance layer (local/conformance).
  const exchanges = new WeakMap<ServerResponse, { method: string; path: string; query: URLSearchParams; request: unknown; injectedFault: boolean }>();
  const report = (res: ServerResponse, status: number, contentType: string, response: unknown) => {
    const seen = exchanges.get(res);
    if (!seen || !exchangeObserved()) return;
    if (seen.path === '/graphql' && seen.method === 'POST') {
      reportExchange({
        kind: 'github-graphql',
        request: (seen.request ?? {}) as Record<string, unknown>,
        status,
        response: structuredClone(response),
        injectedFault: seen.injectedFault,
      });
    } else reportExchange({ kind: 'github', ...seen, status, responseContentType: contentType, response: structuredClone(response) });
  };
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    report(res, status, 'application/json; charset=utf-8', body);
  };
  const error = (res: ServerResponse, status: number, message: string, documentation = 'https://docs.github.com/rest/deployments/deployments') =>
    send(res, status, { message, documentation_url: documentation });
  const STATUSES_DOCS = 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status';
  const bot = () => simpleUser({ api: url, server: 'https://github.com' }, ACTIONS_BOT.login, ACTIONS_BOT.id, ACTIONS_BOT.type);
  // Who a token writes as (options.identities): the Actions bot unless a test names another.
  const writer = (login: string, id: number) =>
    login === ACTIONS_BOT.login ? bot() : simpleUser({ api: url, server: 'https://github.com' }, login, id, login.endsWith('[bot]') ? 'Bot' : 'User');
  const publicView = ({ repository: _r, statuses: _s, ...d }: RecordedDeployment) => d;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const seen = `${method} ${parsed.pathname}${parsed.search}`;
    requests.push(seen);
    const exchange = { method, path: parsed.pathname, query: parsed.searchParams, request: undefined as unknown, injectedFault: false };
    exchanges.set(res, exchange);
    // Read before any refusal, so that every exchange is judged with the request it carried.
    const writes = method !== 'GET' && method !== 'HEAD';
    const body = writes ? await readJson(req) : {};
    if (writes) exchange.request = structuredClone(body);
    const auth = (req.headers.authorization ?? '').replace(/^(token|Bearer) /, '');
    const readOnly = (options.readOnlyTokens ?? []).includes(auth);
    // Every token with an identity is a valid one too (GitHub knows many tokens; each writes as its login).
    const known =
      auth === options.token || readOnly || Object.hasOwn(options.identities ?? {}, auth) || (options.withoutDeploymentsTokens ?? []).includes(auth);
    if (options.token !== undefined && !known) return error(res, 401, 'Bad credentials');
    const fault = faults.find((f) => (f.times ?? 1) > 0 && (!f.match || f.match.test(seen)));
    if (fault) {
      exchange.injectedFault = true;
      if (fault.times !== undefined) fault.times--;
      if (fault.rateLimitResetSeconds !== undefined) {
        res.setHeader('x-ratelimit-limit', '5000');
        res.setHeader('x-ratelimit-remaining', '0');
        res.setHeader('x-ratelimit-used', '5000');
        res.setHeader('x-ratelimit-reset', String(Math.ceil(Date.now() / 1_000 + fault.rateLimitResetSeconds)));
        res.setHeader('x-ratelimit-resource', 'core');
        return send(res, fault.status, { ...(fault.secondary ? SECONDARY_LIMIT : PRIMARY_LIMIT), status: String(fault.status) });
      }
      if (fault.retryAfterSeconds !== undefined) {
        res.setHeader('retry-after', String(fault.retryAfterSeconds));
        return send(res, fault.status, { ...SECONDARY_LIMIT, status: String(fault.status) });
      }
      // GitHub's front end answers an outage with a page, not JSON.
      res.writeHead(fault.status, { 'content-type': 'text/html' });
      res.end('<html><body><h1>Unicorn!</h1>This page is taking too long to load.</body></html>');
      report(res, fault.status, 'text/html', undefined);
      return;
    }
    if (readOnly && writes) return error(res, 403, 'Resource not accessible by integration');
    if (body === undefined) return error(res, 400, 'Problems parsing JSON');
    const now = new Date().toISOString();
    const login = options.identities?.[auth] ?? 'github-actions[bot]';
    const withoutDeployments = (options.withoutDeploymentsTokens ?? []).includes(auth);
    if (parsed.pathname === '/graphql' && method === 'POST') {
      const rateLimit = rateLimits.get(auth) ?? { remaining: 5_000, used: 0 };
      rateLimits.set(auth, rateLimit);
      return send(res, 200, await answerGraphQl(body, graphQlStore, { login, withoutDeployments, rateLimit }, new Date()));
    }
    if (withoutDeployments && /^\/repos\/[^/]+\/[^/]+\/deployments/.test(parsed.pathname)) {
      return error(res, 403, 'Resource not accessible by integration', 'https://docs.github.com/rest/deployments/deployments#list-deployments');
    }
    const route: Route = {
      login,
      method,
      path: parsed.pathname,
      query: parsed.searchParams,
      body,
      res,
      apiUrl: url,
      now,
      nextId: () => nextId++,
      send: (status, answer, headers = {}) => {
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        send(res, status, answer);
      },
      error: (status, message, documentation) =>
        send(res, status, { message, documentation_url: documentation ?? 'https://docs.github.com/rest', status: String(status) }),
    };
    if (checks.handle(route) || releases.handle(route)) return;
    const m = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(?:\/(statuses))?)?\/?$/.exec(parsed.pathname);
    if (!m) return error(res, 404, 'Not Found');
    const repository = `${m[1]}/${m[2]}`;
    const repoUrl = `${url}/repos/${repository}`;

    if (!m[3]) {
      if (req.method === 'POST') {
        const ref = typeof body.ref === 'string' ? body.ref : '';
        if (!ref)
          return error(res, 422, 'Invalid request.\n\n"ref" wasn\'t supplied.', 'https://docs.github.com/rest/deployments/deployments#create-a-deployment');
        const environment = typeof body.environment === 'string' ? body.environment : 'production';
        const id = nextId++;
        const deployment: RecordedDeployment = {
          id,
          node_id: `DE_${id}`,
          url: `${repoUrl}/deployments/${id}`,
          sha: /^[0-9a-f]{40}$/.test(ref) ? ref : '0'.repeat(40),
          ref,
          task: typeof body.task === 'string' ? body.task : 'deploy',
          payload: typeof body.payload === 'string' ? safeParse(body.payload) : (body.payload ?? {}),
          environment,
          original_environment: environment,
          description: typeof body.description === 'string' ? body.description : null,
          creator: writer(login, 2000 + id),
          created_at: now,
          updated_at: now,
          statuses_url: `${repoUrl}/deployments/${id}/statuses`,
          repository_url: repoUrl,
          transient_environment: body.transient_environment === true,
          production_environment: typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
          repository,
          statuses: [],
        };
        deployments.unshift(deployment);
        return send(res, 201, publicView(deployment));
      }
      if (req.method === 'GET') {
        const q = parsed.searchParams;
        const list = deployments
          .filter((d) => d.repository === repository)
          .filter((d) => !q.get('sha') || d.sha === q.get('sha'))
          .filter((d) => !q.get('ref') || d.ref === q.get('ref'))
          .filter((d) => !q.get('task') || d.task === q.get('task'))
          .filter((d) => !q.get('environment') || d.environment === q.get('environment'));
        const perPage = Math.min(100, Number(q.get('per_page') ?? 30) || 30);
        const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
        return send(res, 200, list.slice((page - 1) * perPage, page * perPage).map(publicView));
      }
      return error(res, 404, 'Not Found');
    }

    const deployment = deployments.find((d) => d.repository === repository && d.id === Number(m[3]));
    if (!deployment) return error(res, 404, 'Not Found');
    if (!m[4]) return req.method === 'GET' ? send(res, 200, publicView(deployment)) : error(res, 404, 'Not Found');
    if (req.method === 'GET') return send(res, 200, deployment.statuses);
    if (req.method !== 'POST') return error(res, 404, 'Not Found');
    const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
    if (typeof body.state !== 'string' || !states.includes(body.state)) {
      return error(res, 422, `Validation Failed: state must be one of ${states.join(', ')}`, STATUSES_DOCS);
    }
    const statusId = nextId++;
    const logUrl = typeof body.log_url === 'string' ? body.log_url : typeof body.target_url === 'string' ? body.target_url : '';
    const status: RecordedStatus = {
      id: statusId,
      node_id: `DES_kw${Buffer.from(String(statusId)).toString('base64url')}`,
      state: body.state,
      creator: writer(login, 3000 + statusId),
      description: typeof body.description === 'string' ? body.description : '',
      log_url: logUrl,
      target_url: logUrl,
      environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
      environment: typeof body.environment === 'string' ? body.environment : deployment.environment,
      created_at: now,
      updated_at: now,
      url: `${deployment.url}/statuses/${statusId}`,
      deployment_url: deployment.url,
      repository_url: repoUrl,
    };
    deployment.statuses.unshift(status);
    deployment.updated_at = now;
    if (status.state === 'success' && body.auto_inactive !== false) {
      for (const older of deployments) {
        if (older === deployment || older.repository !== repository || older.environment !== deployment.environment || older.transient_environment) continue;
        if (older.statuses[0]?.state === 'success') {
          const inactiveId = nextId++;
          older.statuses.unshift({
            ...status,
            id: inactiveId,
            node_id: `DES_kw${Buffer.from(String(inactiveId)).toString('base64url')}`,
            url: `${older.url}/statuses/${inactiveId}`,
            state: 'inactive',
            description: `superseded by deployment ${deployment.id}`,
            deployment_url: older.url,
          });
        }
      }
    }
    return send(res, 201, status);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => error(res, 500, String(e)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    deployments: (repository) => structuredClone(deployments.filter((d) => !repository || d.repository === repository)),
    checkRuns: (repository): RecordedCheckRun[] => structuredClone(checks.checkRuns.filter((r) => !repository || r.repository === repository)),
    comments: (repository, issueNumber): RecordedComment[] =>
      structuredClone(checks.comments.filter((c) => c.repository === repository && c.issue_number === issueNumber)),
    addComment: (repository, issueNumber, body, login) =>
      structuredClone(checks.addComment({ apiUrl: url, now: new Date().toISOString(), nextId: () => nextId++ }, repository, issueNumber, body, login)),
    addPullRequest: (repository, number, headSha) => {
      checks.pullRequests.set(`${repository}#${number}`, headSha);
    },
    releases: (repository) => structuredClone(releases.releases.filter((r) => !repository || r.repository === repository)),
    refs: (repository) => Object.fromEntries(releases.refsOf(repository)),
    setRef: (repository, ref, sha) => {
      releases.refsOf(repository).set(ref, sha);
    },
    seedDeployment: (repository, seed) => {
      const deployment = seededDeployment(url, repository, seed, () => nextId++);
      // Newest first, by created_at; among equal times the later seeded first, as POST orders them.
      let at = 0;
      while (at < deployments.length && deployments[at]!.created_at > deployment.created_at) at++;
      deployments.splice(at, 0, deployment);
      return deployment.id;
    },
    addEnvironment: (repository, name) => {
      const set = declaredEnvironments.get(repository) ?? new Set<string>();
      set.add(name);
      declaredEnvironments.set(repository, set);
    },
    seedCommits: (repository, list) => {
      const known = commits.get(repository) ?? new Map<string, SeededCommit>();
      for (const c of list) known.set(c.sha, { ...c, parents: [...c.parents] });
      commits.set(repository, known);
    },
    fail: (fault) => faults.push({ ...fault }),
    clearFaults: () => {
      faults.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const value = safeParse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A deployment and its statuses as GitHub would hold them had our writer made them at those times. */
function seededDeployment(apiUrl: string, repository: string, seed: SeededDeployment, nextId: () => number): RecordedDeployment {
  const id = nextId();
  const repoUrl = `${apiUrl}/repos/${repository}`;
  const urls = { api: apiUrl, server: 'https://github.com' };
  const user = (login: string, userId: number) =>
    login === ACTIONS_BOT.login
      ? simpleUser(urls, ACTIONS_BOT.login, ACTIONS_BOT.id, ACTIONS_BOT.type)
      : simpleUser(urls, login, userId, login.endsWith('[bot]') ? 'Bot' : 'User');
  const deploymentUrl = `${repoUrl}/deployments/${id}`;
  const statuses: RecordedStatus[] = (seed.statuses ?? []).map((s) => {
    const statusId = nextId();
    const logUrl = s.logUrl ?? '';
    return {
      id: statusId,
      node_id: `DES_kw${Buffer.from(String(statusId)).toString('base64url')}`,
      state: s.state,
      creator: user(s.creator ?? seed.creator ?? ACTIONS_BOT.login, 3000 + statusId),
      description: s.description ?? '',
      log_url: logUrl,
      target_url: logUrl,
      environment_url: '',
      environment: seed.environment,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      url: `${deploymentUrl}/statuses/${statusId}`,
      deployment_url: deploymentUrl,
      repository_url: repoUrl,
    };
  });
  statuses.reverse();
  return {
    id,
    node_id: `DE_${id}`,
    url: deploymentUrl,
    sha: seed.sha,
    ref: seed.ref ?? seed.sha,
    task: 'deploy',
    payload: seed.payload ?? {},
    environment: seed.environment,
    original_environment: seed.environment,
    description: seed.description ?? null,
    creator: user(seed.creator ?? ACTIONS_BOT.login, 2000 + id),
    created_at: seed.createdAt,
    updated_at: statuses[0]?.created_at ?? seed.createdAt,
    statuses_url: `${deploymentUrl}/statuses`,
    repository_url: repoUrl,
    transient_environment: false,
    production_environment: seed.environment === 'production',
    repository,
    statuses,
  };
}
