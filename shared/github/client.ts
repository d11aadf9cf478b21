/**
 * The one GitHub client every call goes through (deployments and their statuses, deployment
 * history, check runs, comments, pull requests): Octokit from `@actions/github` with
 * `@octokit/plugin-retry` (a 5xx or a dropped connection is tried again after 1, then 4 s) and
 * `@octokit/plugin-throttling` (writes one at a time, a second apart, as GitHub asks of a client
 * making many; a secondary rate limit waited out as `retry-after` says — a minute when it does
 * not say — and a primary one until `x-ratelimit-reset`, each only when that is at most a minute
 * away: a step does not sit out an hour's reset). Every attempt is counted through Octokit's
 * request hook, so publishing can be held to a bound, and runs under its own timeout.
 *
 * Nothing here loads Octokit at import: `openGitHubClient` imports it when a token is given, so a
 * step without one pays nothing for it at start-up.
 */
import type { Logger } from '../core/logger.js';

export type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** GITHUB_API_URL (GitHub Enterprise and the local stand-in differ from api.github.com). */
  apiUrl: string;
  logger: Logger;
  /** The step's cancellation: an aborted request is not tried again. */
  signal?: AbortSignal | undefined;
  /** Attempts per request, the first included (default 3). */
  attempts?: number | undefined;
  /** Per attempt (default 30 s). */
  timeoutMs?: number | undefined;
  /**
   * How long the plugins' waits last: `secondMs` is the length of one second of a wait they
   * compute (default 1,000; the plugins' own `retryAfterBaseValue`), `writeIntervalMs` the pause
   * between two writes (default 1,000, GitHub's advice; three of them between two comments).
   * Tests of the retry policy shorten them.
   */
  pacing?: { secondMs?: number; writeIntervalMs?: number } | undefined;
  /**
   * A client that only reads (GETs and GraphQL queries, as delivery metrics do). The throttling
   * plugin paces every GraphQL request a second apart, as it paces writes; GitHub asks that pause
   * between writes only, and counts a query as 1 of the 2,000 points a minute its secondary limit
   * allows ("Rate limits for the GraphQL API"), so a read-only client's queries go one at a time
   * without the pause. A write or a mutation through it is refused before it is sent.
   */
  readOnly?: boolean | undefined;
}

export interface GitHubClient {
  readonly octokit: Octokit;
  /** Every attempt made, retries included, as `METHOD /path?query`. */
  readonly requests: string[];
  /** Every rate-limit wait decided, in milliseconds as GitHub asked (before `pacing`). */
  readonly rateLimitWaits: number[];
}

/** Answers worth no second attempt: the request itself is wrong, or a rate limit (the throttling plugin's). */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
/** The longest a rate limit is waited out. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60;

type WriteGroup = InstanceType<typeof import('bottleneck').default.Group>;
/**
 * The write queues, one per pause length for the whole process, as the throttling plugin keeps
 * its own: writes a pause apart, and writes that notify people (a comment) three pauses apart,
 * the plugin's own proportions.
 */
const writeGroups = new Map<number, { write: WriteGroup; notifications: WriteGroup }>();

export async function openGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const [{ getOctokit }, { retry }, { throttling }, { default: Bottleneck }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
    import('bottleneck/light.js'),
  ]);
  const { logger } = options;
  const attempts = Math.max(1, options.attempts ?? 3);
  const secondMs = options.pacing?.secondMs ?? 1_000;
  const writeIntervalMs = options.readOnly ? 0 : (options.pacing?.writeIntervalMs ?? 1_000);
  let queues = writeGroups.get(writeIntervalMs);
  if (!queues) {
    queues = {
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeIntervalMs }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * writeIntervalMs }),
    };
    writeGroups.set(writeIntervalMs, queues);
  }
  const requests: string[] = [];
  const rateLimitWaits: number[] = [];
  const where = (url: string) => (url.startsWith(options.apiUrl) ? url.slice(options.apiUrl.length) : url);

  /** Counts and times every attempt; registered first, so it sits inside both plugins' retries. */
  const attemptHook = (octokit: Pick<Octokit, 'hook' | 'request'>) => {
    const lastFailure = new WeakMap<object, { status: number | undefined; message: string }>();
    octokit.hook.wrap('request', async (request, requestOptions) => {
      const { method, url, body } = octokit.request.endpoint.parse(requestOptions);
      const what = `${method} ${where(url)}`;
      if (options.readOnly && isWriteRequest(method, where(url), body)) throw new Error(`${what}: a write through a read-only GitHub client`);
      requests.push(what);
      const failed = lastFailure.get(requestOptions);
      // Rate limits say their own wait (below); a 5xx is told here, as it is tried again.
      if (failed && failed.status !== 403 && failed.status !== 429) {
        logger.warning(
          `GitHub API ${what} failed (${failed.message}); trying again (attempt ${(requestOptions.request?.retryCount ?? 0) + 1} of ${attempts}).`,
        );
      }
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
      requestOptions.request = { ...requestOptions.request, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout };
      try {
        return await request(requestOptions);
      } catch (error) {
        lastFailure.set(requestOptions, { status: statusOf(error), message: gitHubErrorMessage(error, { withRequest: false }) });
        throw error;
      }
    });
  };

  type Limited = Parameters<Octokit['request']['endpoint']['parse']>[0];
  const waitOut = (limit: string, retryAfter: number, request: Limited, octokit: Pick<Octokit, 'request'>, retryCount: number): boolean => {
    if (retryAfter > MAX_RATE_LIMIT_WAIT_SECONDS || retryCount + 1 >= attempts || options.signal?.aborted) return false;
    const { method, url } = octokit.request.endpoint.parse(request);
    rateLimitWaits.push(retryAfter * 1_000);
    logger.warning(`GitHub API ${method} ${where(url)} met ${limit}; retrying in ${retryAfter * 1_000} ms (attempt ${retryCount + 2} of ${attempts}).`);
    return true;
  };

  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl,
      // Octokit's own notices (a deprecated endpoint) go to the debug log, never raw to stdout.
      log: { debug: () => {}, info: () => {}, warn: (m: string) => logger.debug(m), error: (m: string) => logger.debug(m) },
      retry: { retries: attempts - 1, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: secondMs },
      throttle: {
        retryAfterBaseValue: secondMs,
        ...queues,
        onSecondaryRateLimit: (retryAfter: number, request: Limited, octokit: Pick<Octokit, 'request'>, retryCount: number) =>
          waitOut('a secondary rate limit', retryAfter, request, octokit, retryCount),
        onRateLimit: (retryAfter: number, request: Limited, octokit: Pick<Octokit, 'request'>, retryCount: number) =>
          waitOut('the rate limit', retryAfter, request, octokit, retryCount),
      },
    },
    attemptHook,
    retry,
    throttling,
  );
  return { octokit, requests, rateLimitWaits };
}

/** Anything but a GET, a HEAD or a GraphQL query (a mutation is a write, whatever its method). */
function isWriteRequest(method: string, path: string, body: unknown): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  if (method !== 'POST' || !/^\/(api\/)?graphql$/.test(path.split('?')[0] ?? '')) return true;
  const query = typeof body === 'string' ? (JSON.parse(body) as { query?: unknown }).query : (body as { query?: unknown } | undefined)?.query;
  return typeof query !== 'string' || /^\s*mutation\b/.test(query.replace(/^\s*#.*$/gm, ''));
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitHub answered 404: the thing asked for does not exist (or the token may not see it). */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** GITHUB_TOKEN without write access: a fork's or Dependabot's pull request, or `permissions:` that leave it out. */
export function isReadOnlyTokenError(error: unknown): boolean {
  return statusOf(error) === 403 && /not accessible by (integration|personal access token)/i.test(gitHubErrorMessage(error, { withRequest: false }));
}

/**
 * A failed call in one line: `POST /repos/o/r/check-runs: 503 <what GitHub said>`, GitHub's
 * `message` and its `errors`, or the first characters of the page an outage answers with.
 */
export function gitHubErrorMessage(error: unknown, { withRequest = true } = {}): string {
  if (!(error instanceof Error)) return String(error);
  const { request, response, status } = error as Error & {
    request?: { method?: string; url?: string };
    response?: { data?: unknown };
    status?: number;
  };
  let message = error.message;
  const data = response?.data;
  if (typeof data === 'string' && data.trim() !== '') message = data.slice(0, 200);
  else if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    const body = data as { message: string; errors?: { message?: unknown }[] };
    const details = (Array.isArray(body.errors) ? body.errors : []).map((e) => e?.message).filter((m): m is string => typeof m === 'string');
    message = details.length > 0 ? `${body.message}: ${details.join('; ')}` : body.message;
  }
  message = message.replace(/\s+/g, ' ').trim();
  const answer = typeof status === 'number' && response ? `${status} ${message}` : message;
  if (!withRequest || !request?.method || !request.url) return answer;
  const url = new URL(request.url, 'http://github.invalid');
  return `${request.method} ${url.pathname}${url.search}: ${answer}`;
}
