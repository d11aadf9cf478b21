/**
 * One release, several services of a cluster (issue 32): one `deploy()` per service, run
 * concurrently and linked (release-link.ts), so that
 *   - nothing is written until every service passed its own checks and the release's
 *     (release-refusals.ts); any refusal ends them all with nothing written, one error naming each;
 *   - a family's revision is registered once and deployed to every service of that family;
 *   - the services roll out concurrently, each followed live (its log lines prefixed with its name);
 *   - when one fails, the others stop following and go back to the revision that was PRIMARY
 *     before, through the engine's own rollback (roll-back-release.ts, followed); one whose rollout
 *     had completed waits for the others' verdicts and goes back too: all or nothing;
 *   - each service's release record is its own (record-release.ts), linked by the release's id.
 *
 *   const release = await deployServices(request, ['web', 'worker'], deps);
 *
 * `request` is the deploy of the first service; each service gets it with its own name. The
 * result says how each ended and the release's status; the caller fails the step.
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '../core/clock.js';
import { errorMessage, UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { deploy, type DeployDeps, type DeployRequest, type DeployResult, type DeployStatus } from './deploy.js';
import type { FollowVerdict } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';
import type { ReleaseLink } from './release-link.js';
import { documentHash, type ReleasePlan } from './release-plan.js';
import { releaseRefusals } from './release-refusals.js';
import { registerRevision, type RenderedRevision, type ResolvedRevision } from './resolve-revision.js';
import type { EcsTag } from './revision-tags.js';
import { revisionName } from './task-definition-source.js';

/** How one service of the release ended: its deploy's result, or the error its deploy threw. */
export interface ServiceOutcome {
  service: string;
  result: DeployResult | undefined;
  error: unknown;
}

export interface ReleaseOfServices {
  /** The id in every service's release record (payload `release`, tag `commit-to-prod:release`). */
  id: string;
  /** `succeeded` when every service did; else `rolled-back` when every one is back, else the worst. */
  status: DeployStatus;
  services: ServiceOutcome[];
  /** The service whose failure failed the release. */
  failed: string | undefined;
  /** For the step: which service failed and why, then where every service ended. */
  message: string;
  durationMs: number;
}

/** A service not deployed because another of its release was refused (not itself a refusal). */
class NotDeployed extends UserError {}

interface Member {
  plan?: ReleasePlan;
  /** What ended its deploy before the barrier: a UserError (a refusal) or a fault. */
  refusal?: Error;
  /** Its own rollout completed, or its deploy ended. */
  settled: boolean;
}

class ServiceRelease {
  readonly id = randomUUID();
  private readonly members: Map<string, Member>;
  private readonly halt = new AbortController();
  private failure: { service: string; reason: string } | undefined;
  private barrier: { promise: Promise<void>; open(): void; refuse(error: Error): void };
  private opened = false;
  private readonly waiting: ((undoneBy: string | undefined) => void)[] = [];
  private readonly registered = new Map<string, Promise<string>>();

  constructor(
    readonly services: readonly string[],
    signal: AbortSignal | undefined,
  ) {
    this.members = new Map(services.map((s) => [s, { settled: false }]));
    let open = () => {};
    let refuse: (error: Error) => void = () => {};
    const promise = new Promise<void>((resolve, reject) => {
      open = resolve;
      refuse = reject;
    });
    // Services that never reach the barrier must not leave its refusal unhandled.
    promise.catch(() => {});
    this.barrier = { promise, open, refuse };
    signal?.addEventListener('abort', () => this.barrier.refuse(new NotDeployed('Cancelled before anything changed.')), { once: true });
  }

  get failed(): string | undefined {
    return this.failure?.service;
  }

  link(service: string, logger: Logger): ReleaseLink {
    return {
      ready: (plan) => this.ready(service, plan),
      register: (rendered, tags, ecs, logger) => this.register(rendered, tags, ecs, logger),
      halted: this.halt.signal,
      haltReason: () => this.failureReason(),
      settle: (verdict) => this.settle(service, verdict, logger),
    };
  }

  /** A deploy ended; one that threw before the barrier was refused, one that ended other than succeeded failed the release. */
  ended(service: string, result: DeployResult | undefined, error: unknown): void {
    const member = this.members.get(service)!;
    if (!this.opened && !member.plan && !(error instanceof NotDeployed)) member.refusal = error instanceof Error ? error : new Error(String(error));
    member.settled = true;
    if (this.opened && result?.status !== 'succeeded') this.fail(service, result ? (result.failure?.reason ?? result.message) : errorMessage(error));
    this.checkBarrier();
    this.checkSettled();
  }

  /**
   * The error the step fails with when the release was refused before anything changed (each
   * refusal with its hint); a fault before the barrier is that fault, to be reported as one.
   * Undefined: the release was not refused.
   */
  refusal(): Error | undefined {
    if (this.opened) return undefined;
    const errors = [...this.members].flatMap(([service, m]) => (m.refusal ? [[service, m.refusal] as const] : []));
    const fault = errors.find(([, e]) => !(e instanceof UserError));
    if (fault) return fault[1];
    const refusals = errors.map(([service, e]) => `${service}: ${e.message}${e instanceof UserError && e.hint ? ` ${e.hint}` : ''}`);
    const plans = [...this.members.values()].flatMap((m) => (m.plan ? [m.plan] : []));
    if (refusals.length === 0 && plans.length === this.members.size) refusals.push(...releaseRefusals(plans));
    if (refusals.length === 0) return undefined;
    return new UserError(
      `The release of ${this.services.join(', ')} was refused before anything changed (nothing registered, updated or recorded):\n${refusals.map((r) => `- ${r}`).join('\n')}`,
    );
  }

  private ready(service: string, plan: ReleasePlan): Promise<void> {
    this.members.get(service)!.plan = plan;
    this.checkBarrier();
    return this.barrier.promise;
  }

  /** Once every service reached the barrier or was refused: open it, or end every waiting deploy with nothing written. */
  private checkBarrier(): void {
    if (this.opened || [...this.members.values()].some((m) => !m.plan && !m.refusal && !m.settled)) return;
    const refused = this.refusal();
    if (refused) {
      this.barrier.refuse(new NotDeployed(`Not deployed: the release was refused (${refused.message.split('\n').join(' ')}).`));
      return;
    }
    this.opened = true;
    this.barrier.open();
  }

  private register(rendered: RenderedRevision, tags: readonly EcsTag[], ecs: EcsSender, logger: Logger): Promise<ResolvedRevision> {
    if (!rendered.mustRegister) return registerRevision(rendered, tags, ecs, logger);
    const key = `${String(rendered.document.family)}\n${documentHash(rendered.document)}`;
    const first = this.registered.get(key);
    if (!first) {
      const registering = registerRevision(rendered, tags, ecs, logger);
      const arn = registering.then((r) => r.taskDefinitionArn);
      // A failed registration is this deploy's error; with no other service of the family waiting, not an unhandled one.
      arn.catch(() => {});
      this.registered.set(key, arn);
      return registering;
    }
    return first.then((arn) => {
      logger.info(`Deploying ${revisionName(arn)}: registered once for this release (the family of another of its services).`);
      const { previousTaskDefinitionArn, before, after } = rendered;
      return { taskDefinitionArn: arn, previousTaskDefinitionArn, registered: true, before, after };
    });
  }

  private settle(service: string, verdict: FollowVerdict, logger: Logger): Promise<string | undefined> {
    if (verdict.state !== 'completed') {
      this.fail(service, 'reason' in verdict ? verdict.reason : `paused at ${verdict.stage} (hook ${verdict.hookId})`);
      return Promise.resolve(undefined);
    }
    this.members.get(service)!.settled = true;
    const pending = [...this.members].flatMap(([name, m]) => (m.settled ? [] : [name]));
    if (!this.failure && pending.length > 0) {
      logger.info(`Rollout completed; it counts once ${pending.join(', ')} of the same release succeeded too (all or nothing).`);
    }
    const undoneBy = new Promise<string | undefined>((resolve) => this.waiting.push(resolve));
    this.checkSettled();
    return undoneBy;
  }

  private fail(service: string, reason: string): void {
    if (this.failure) return;
    this.failure = { service, reason };
    this.halt.abort();
    this.checkSettled();
  }

  private failureReason(): string {
    return this.failure ? `${this.failure.service} failed: ${this.failure.reason}` : 'another service of the release failed';
  }

  /** Completed services learn the release's verdict: another's failure as soon as there is one, else success once every service has settled. */
  private checkSettled(): void {
    if (this.failure) {
      const reason = this.failureReason();
      for (const resolve of this.waiting.splice(0)) resolve(reason);
    } else if ([...this.members.values()].every((m) => m.settled)) {
      for (const resolve of this.waiting.splice(0)) resolve(undefined);
    }
  }
}

export async function deployServices(request: DeployRequest, services: readonly string[], deps: DeployDeps): Promise<ReleaseOfServices> {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const release = new ServiceRelease(services, deps.signal);
  deps.logger.info(`One release of ${services.length} services of ${request.cluster} (${services.join(', ')}): release ${release.id}.`);
  const record = { ...(deps.record ?? {}), release: { id: release.id, services } };
  const outcomes = await Promise.all(
    services.map(async (service): Promise<ServiceOutcome> => {
      const logger = serviceLogger(deps.logger, service);
      const serviceDeps: DeployDeps = { ...deps, logger, link: release.link(service, logger), record };
      try {
        const result = await deploy({ ...request, service }, serviceDeps);
        release.ended(service, result, undefined);
        return { service, result, error: undefined };
      } catch (error) {
        // A fault (not a refusal) keeps its stack in the log for a bug report; the release reports its message.
        if (!(error instanceof UserError) && error instanceof Error) logger.info(`fault: ${error.stack ?? error.message}`);
        release.ended(service, undefined, error);
        return { service, result: undefined, error };
      }
    }),
  );
  const refused = release.refusal();
  if (refused) throw refused;
  const status = releaseStatus(outcomes, deps.signal);
  return {
    id: release.id,
    status,
    services: outcomes,
    failed: release.failed,
    message: releaseMessage(outcomes, release.failed),
    durationMs: clock.now() - startedAt,
  };
}

/**
 * Every service succeeded; else cancelled (the job), unknown (one could not be read), rolled-back
 * (every service is back where it was: rolled back, or never updated), failed.
 */
function releaseStatus(outcomes: readonly ServiceOutcome[], signal: AbortSignal | undefined): DeployStatus {
  const statuses = outcomes.map((o) => o.result?.status ?? 'failed');
  if (statuses.every((s) => s === 'succeeded')) return 'succeeded';
  if (signal?.aborted) return 'cancelled';
  if (statuses.includes('unknown')) return 'unknown';
  return outcomes.every((o) => o.result?.status === 'rolled-back' || (o.result && notUpdated(o.result))) ? 'rolled-back' : 'failed';
}

/** Left as it was: another service failed before this one's update (deploy.ts). */
function notUpdated(result: DeployResult): boolean {
  return result.failure?.cause === 'release-failed' && result.deploymentId === undefined;
}

function releaseMessage(outcomes: readonly ServiceOutcome[], failed: string | undefined): string {
  const where = outcomes.map(({ service, result, error }) => `${service}: ${result ? whereItEnded(result) : `error: ${errorMessage(error)}`}`);
  const cause = outcomes.find((o) => o.service === failed);
  const head = failed
    ? `The release failed: ${failed} failed. ${cause?.result ? cause.result.message : errorMessage(cause?.error)}`
    : `The release succeeded: every service runs its new revision.`;
  return `${head}\nWhere each service ended: ${where.join('; ')}.`;
}

function whereItEnded(result: DeployResult): string {
  const to = revisionName(result.taskDefinitionArn);
  const from = revisionName(result.previousTaskDefinitionArn);
  if (notUpdated(result)) return `not updated, still on ${from}`;
  switch (result.status) {
    case 'succeeded':
      return `runs ${to}`;
    case 'rolled-back':
      return `rolled back, on ${from} again`;
    default:
      return `${result.status} (${to} from ${from})`;
  }
}

/** Each service's lines prefixed with its name; groups are headings (two services' groups would interleave). */
function serviceLogger(logger: Logger, service: string): Logger {
  const p = (message: string) => `[${service}] ${message}`;
  return {
    info: (m) => logger.info(p(m)),
    debug: (m) => logger.debug(p(m)),
    notice: (m, props) => logger.notice(p(m), props),
    warning: (m, props) => logger.warning(p(m), props),
    error: (m, props) => logger.error(p(m), props),
    group: async (title, fn) => {
      logger.info(p(`── ${title} ──`));
      return fn();
    },
    withCommandsStopped: (fn) => logger.withCommandsStopped(fn),
  };
}
