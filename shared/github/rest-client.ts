import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { retry, retryOptions } from '../core/retry.js';

/**
 * A small client for GitHub's REST API over the runtime's own fetch: no Octokit to load, so a
 * step that publishes costs nothing at start-up. Every request is counted (publishing must stay
 * bounded), and retried through the one retry helper when GitHub says it is worth it: a 5xx or a
 * dropped connection (with doubling waits), and a secondary rate limit (403/429 with
 * `retry-after`, waited as asked up to a minute). A primary rate limit (`x-ratelimit-remaining:
 * 0`) resets within the hour, too long for a step to wait: it fails at once.
 */

export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly apiMessage: string,
    /** Seconds GitHub asked to wait (`retry-after`), for a rate limit. */
    readonly retryAfterSeconds?: number,
    readonly rateLimitExhausted = false,
  ) {
    super(`${method} ${path}: ${status} ${apiMessage}`);
  }

  /** GITHUB_TOKEN without write access: a fork's or Dependabot's pull request, or `permissions:` that leave it out. */
  get isReadOnlyToken(): boolean {
    return this.status === 403 && /not accessible by (integration|personal access token)/i.test(this.apiMessage);
  }

  /** Worth another attempt: GitHub is failing (5xx), or a secondary rate limit says when to come back. */
  get isTransient(): boolean {
    if (this.status >= 500 || this.status === 0) return true;
    if (this.rateLimitExhausted) return false;
    return (this.status === 403 || this.status === 429) && (this.retryAfterSeconds !== undefined || /secondary rate limit/i.test(this.apiMessage));
  }
}

export interface GitHubRestOptions {
  token: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  logger: Logger;
  signal?: AbortSignal;
  clock?: Clock;
  /** Attempts per request, the first included (default 3). */
  attempts?: number;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
}

/** The longest a secondary rate limit is waited out; GitHub asks for about a minute. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

export class GitHubRest {
  /** Every attempt made, retries included, as `METHOD /path`. */
  readonly requests: string[] = [];

  constructor(private readonly options: GitHubRestOptions) {}

  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ data: T; headers: Headers }> {
    return retry(() => this.once<T>(method, path, body), {
      what: `GitHub API ${method} ${path.split('?')[0]}`,
      attempts: this.options.attempts ?? 3,
      firstDelayMs: 1_000,
      isTransient: (error) => error instanceof GitHubApiError && error.isTransient && (error.retryAfterSeconds ?? 0) * 1_000 <= MAX_RATE_LIMIT_WAIT_MS,
      delayFor: (error) => {
        if (!(error instanceof GitHubApiError) || error.status < 400 || error.status >= 500) return undefined;
        // A secondary rate limit without `retry-after`: GitHub's docs say wait at least a minute.
        return error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1_000 : MAX_RATE_LIMIT_WAIT_MS;
      },
      logger: this.options.logger,
      ...retryOptions(this.options),
    });
  }

  private async once<T>(method: string, path: string, body: unknown): Promise<{ data: T; headers: Headers }> {
    this.requests.push(`${method} ${path}`);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await fetch(`${this.options.apiUrl}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.options.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'commit-to-prod',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout,
      });
    } catch (error) {
      // A refused or dropped connection, a timeout: status 0 is retried like a 5xx.
      throw new GitHubApiError(method, path, 0, error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error));
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text.slice(0, 200).replace(/\s+/g, ' ').trim() || response.statusText;
      try {
        const parsed = JSON.parse(text) as { message?: unknown; errors?: { message?: unknown }[] };
        if (typeof parsed.message === 'string') message = parsed.message.replace(/\s+/g, ' ').trim();
        const details = (parsed.errors ?? []).map((e) => e.message).filter((m) => typeof m === 'string');
        if (details.length > 0) message = `${message}: ${details.join('; ')}`;
      } catch {
        // An outage answers with an HTML page; its first characters say enough.
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new GitHubApiError(
        method,
        path,
        response.status,
        message,
        Number.isFinite(retryAfter) && response.headers.has('retry-after') ? retryAfter : undefined,
        response.headers.get('x-ratelimit-remaining') === '0',
      );
    }
    return { data: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }
}
