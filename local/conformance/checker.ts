/**
 * Holds every exchange of the stand-ins to the published models: listens on exchanges.ts, judges
 * each exchange by its service's model (aws-model.ts, github-openapi.ts), counts them per service
 * and keeps the violations until the test that caused them collects them with `drain()`.
 *
 * A test that sends a deliberately bad request declares it (`refusing`): within that window a
 * request may break the model, but must then be refused with an error answer (which is itself
 * still judged).
 */
import { AwsModels } from './aws-model.js';
import { type Exchange, setExchangeObserver } from './exchanges.js';
import { checkGraphQlExchange } from './github-graphql.js';
import { type GitHubOpenApi, gitHubOpenApi } from './github-openapi.js';
import type { Violation } from './violation.js';

export type ServiceCounts = Record<string, number>;

export class ConformanceChecker {
  readonly counts: ServiceCounts = {};
  private readonly aws = new AwsModels();
  private violations: Violation[] = [];
  private refusals: { badRequests: number; accepted: string[] } | undefined;

  /** Starts judging every exchange reported in this process. */
  install(): this {
    setExchangeObserver((exchange) => this.observe(exchange));
    return this;
  }

  uninstall(): void {
    setExchangeObserver(undefined);
  }

  /** Judges one exchange; the violations wait for `drain()`. */
  observe(exchange: Exchange): Violation[] {
    const found = this.judge(exchange);
    this.violations.push(...found);
    return found;
  }

  judge(exchange: Exchange): Violation[] {
    const service = exchange.kind === 'aws' ? (this.aws.serviceOf(exchange.target) ?? 'aws (unknown)') : exchange.kind;
    this.counts[service] = (this.counts[service] ?? 0) + 1;
    let found =
      exchange.kind === 'aws'
        ? this.aws.check(exchange)
        : exchange.kind === 'github-graphql'
          ? checkGraphQlExchange(exchange)
          : this.gitHub().check(exchange, exchange.injectedFault);
    const badRequest = found.some((v) => v.side === 'request');
    if (badRequest && this.refusals) {
      this.refusals.badRequests++;
      // GraphQL refuses with 200 and `errors` (GitHub's answer to an invalid query), REST with a 4xx.
      const refused = exchange.kind === 'github-graphql' ? Array.isArray((exchange.response as { errors?: unknown })?.errors) : exchange.status >= 400;
      if (!refused) this.refusals.accepted.push(found.find((v) => v.side === 'request')?.operation ?? '?');
      found = found.filter((v) => v.side !== 'request');
    }
    return found;
  }

  /**
   * Runs `fn`, whose requests are meant to break the model: each one that does must be refused
   * with an error, and at least one must. Throws otherwise (after `fn`'s own outcome).
   */
  async refusing<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.refusals;
    const window = { badRequests: 0, accepted: [] as string[] };
    this.refusals = window;
    try {
      return await fn();
    } finally {
      this.refusals = outer;
      if (window.badRequests === 0) {
        this.violations.push({
          operation: '(declared bad request)',
          side: 'request',
          path: '$',
          rule: 'declared refusal',
          message: 'a request declared as breaking the model broke none of its rules',
        });
      }
      for (const op of window.accepted) {
        this.violations.push({
          operation: op,
          side: 'response',
          path: 'status',
          rule: 'declared refusal',
          message: 'a request that breaks the model was accepted; the service would refuse it',
        });
      }
    }
  }

  drain(): Violation[] {
    const out = this.violations;
    this.violations = [];
    return out;
  }

  private gitHub(): GitHubOpenApi {
    return gitHubOpenApi();
  }
}

const ACTIVE = Symbol.for('commit-to-prod.conformance.checker');
type Holder = { [ACTIVE]?: ConformanceChecker | undefined };

/** The checker installed in this process (by the test set-up), if any. */
export function activeChecker(): ConformanceChecker | undefined {
  return (globalThis as Holder)[ACTIVE];
}

export function setActiveChecker(checker: ConformanceChecker | undefined): void {
  (globalThis as Holder)[ACTIVE] = checker;
}
