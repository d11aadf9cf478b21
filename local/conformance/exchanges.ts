/**
 * The one place every exchange of a stand-in passes: the emulator's HTTP front and the GitHub
 * stand-in report each request with its answer here, and whoever listens (the test set-up's
 * conformance checker) judges it. Nothing listens by default, so the stand-ins cost nothing
 * outside tests.
 */

/** One AWS JSON exchange: X-Amz-Target, the parsed request, the answer as sent. */
export interface AwsExchange {
  kind: 'aws';
  target: string;
  requestContentType: string;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  request: unknown;
  status: number;
  responseContentType: string;
  response: unknown;
  /** x-amzn-query-error, which a query-compatible service (CloudWatch) adds to errors. */
  queryError?: string;
  /** Answered by the emulator's fault injection (throttling, 5xx) rather than the operation. */
  injectedFault: boolean;
}

export interface GitHubExchange {
  kind: 'github';
  method: string;
  path: string;
  query: URLSearchParams;
  request: unknown;
  status: number;
  responseContentType: string;
  response: unknown;
  /** Answered by a fault the test asked for (an outage, a rate limit), not by the operation. */
  injectedFault: boolean;
}

/** One GitHub GraphQL exchange (POST /graphql): the query and variables, the answer as sent. */
export interface GitHubGraphQlExchange {
  kind: 'github-graphql';
  request: { query?: unknown; variables?: unknown; operationName?: unknown };
  status: number;
  response: unknown;
  injectedFault: boolean;
}

export type Exchange = AwsExchange | GitHubExchange | GitHubGraphQlExchange;
export type ExchangeObserver = (exchange: Exchange) => void;

// On globalThis rather than in a module variable: a test and the stand-in it starts may load
// this module through different module graphs (vitest inlines, tsx, bundles), and must meet.
const KEY = Symbol.for('commit-to-prod.conformance.observer');
type Holder = { [KEY]?: ExchangeObserver | undefined };

export function setExchangeObserver(observer: ExchangeObserver | undefined): void {
  (globalThis as Holder)[KEY] = observer;
}

export function reportExchange(exchange: Exchange): void {
  (globalThis as Holder)[KEY]?.(exchange);
}

export function exchangeObserved(): boolean {
  return (globalThis as Holder)[KEY] !== undefined;
}
