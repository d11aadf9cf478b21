/**
 * Fault injection for the emulator's API: the failures a client of real ECS meets — throttling
 * (ThrottlingException, 400), server errors (ServiceUnavailable, one of AWS's common errors, / ServerException, 5xx),
 * connections dropped without an answer, and slow answers — at a rate, on chosen operations,
 * from a seeded generator so a failing run can be replayed exactly; and, on every call of chosen
 * operations, the denial a role without the permission gets (`deny`).
 *
 * A dropped connection is dropped after the operation ran half of the time: the client then
 * does not know that its call (an UpdateService, a RegisterTaskDefinition) took effect, which is
 * the case real networks produce and the one that tests a client's retries.
 */
import { AwsError } from './wire.js';

export interface FaultOptions {
  /** Seed of the generator (default 1): the same seed and calls give the same faults. */
  seed?: number | undefined;
  /** Share of calls answered with ThrottlingException (0..1). */
  throttleRate?: number | undefined;
  /** Share of calls answered with a 5xx (0..1). */
  serverErrorRate?: number | undefined;
  /** Share of calls whose connection is dropped without an answer (0..1). */
  dropRate?: number | undefined;
  /** Share of calls answered only after `slowMs` (0..1). */
  slowRate?: number | undefined;
  /** Real ms a slow answer waits (default 2 000). */
  slowMs?: number | undefined;
  /** Only these operations (e.g. ['DescribeServices', 'ListTasks']); default every operation. */
  operations?: readonly string[] | undefined;
  /**
   * Operations every call of which is denied, as AWS answers a role whose policy does not allow
   * the action (AccessDeniedException; AccessDenied on the query protocol). Not rate-based and
   * independent of `operations`: the role lacks the permission.
   */
  deny?: readonly string[] | undefined;
}

export type FaultKind = 'throttle' | 'server-error' | 'drop-before' | 'drop-after' | 'slow' | 'denied';

export interface FaultCounts {
  calls: number;
  denied: number;
  throttle: number;
  'server-error': number;
  'drop-before': number;
  'drop-after': number;
  slow: number;
}

export interface FaultDecision {
  /** The error to answer with instead of running the operation. */
  error?: AwsError;
  /** Drop the connection: before running the operation, or after it ran. */
  drop?: 'before' | 'after';
  delayMs: number;
}

export class FaultInjector {
  readonly counts: FaultCounts = { calls: 0, denied: 0, throttle: 0, 'server-error': 0, 'drop-before': 0, 'drop-after': 0, slow: 0 };
  private state = 1;
  private options: FaultOptions = {};

  constructor(options: FaultOptions = {}) {
    this.configure(options);
  }

  /** Replaces the fault settings (and reseeds when a seed is given); `{}` injects nothing. */
  configure(options: FaultOptions): void {
    for (const key of ['throttleRate', 'serverErrorRate', 'dropRate', 'slowRate'] as const) {
      const rate = options[key];
      if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new Error(`faults.${key} must be between 0 and 1, not ${rate}`);
    }
    this.options = { ...options };
    if (options.seed !== undefined) this.state = options.seed >>> 0;
  }

  /** What to do with one call of `operation` (`iamAction`, e.g. ecr:BatchGetImage, names it in a denial). */
  decide(operation: string, iamAction = operation): FaultDecision {
    this.counts.calls++;
    if (this.options.deny?.includes(operation)) {
      this.counts.denied++;
      const message = `User: arn:aws:sts::000000000000:assumed-role/local-deployer/ci is not authorized to perform: ${iamAction} because no identity-based policy allows the ${iamAction} action`;
      return { error: new AwsError('AccessDeniedException', message, 400), delayMs: 0 };
    }
    if (this.options.operations && !this.options.operations.includes(operation)) return { delayMs: 0 };
    const o = this.options;
    const slow = this.next() < (o.slowRate ?? 0);
    if (slow) this.counts.slow++;
    const delayMs = slow ? (o.slowMs ?? 2_000) : 0;
    const roll = this.next();
    const throttle = o.throttleRate ?? 0;
    const server = o.serverErrorRate ?? 0;
    const drop = o.dropRate ?? 0;
    if (roll < throttle) {
      this.counts.throttle++;
      return { error: new AwsError('ThrottlingException', 'Rate exceeded', 400), delayMs };
    }
    if (roll < throttle + server) {
      this.counts['server-error']++;
      const unavailable = this.next() < 0.5;
      return {
        error: unavailable ? new AwsError('ServiceUnavailable', 'Service unavailable.', 503) : new AwsError('ServerException', 'Internal server error.', 500),
        delayMs,
      };
    }
    if (roll < throttle + server + drop) {
      const when = this.next() < 0.5 ? 'before' : 'after';
      this.counts[`drop-${when}`]++;
      return { drop: when, delayMs };
    }
    return { delayMs };
  }

  /** Faults injected so far (not counting slow answers, which still answer). */
  injected(): number {
    const c = this.counts;
    return c.denied + c.throttle + c['server-error'] + c['drop-before'] + c['drop-after'];
  }

  // mulberry32: small, fast and good enough to spread faults evenly.
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
