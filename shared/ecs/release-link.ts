/**
 * What links one service's deploy to the other services of its release (deploy-services.ts):
 * `deploy()` takes it as `deps.link`, and a deploy without one is a release of one service, as
 * ever. Four points of contact, each at one place of the engine:
 *   ready     awaited right before the first write (deploy.ts): the release goes on only when
 *             every service passed its own checks and the cross-service ones (release-refusals.ts);
 *   register  the revision registered once per family and document for the whole release;
 *   halted    aborted when another service failed: the follow of this one ends there;
 *   settle    the service's verdict given to the release (`verdictInRelease`, below).
 */
import type { Logger } from '../core/logger.js';
import type { FollowVerdict } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';
import type { ReleasePlan } from './release-plan.js';
import type { RenderedRevision, ResolvedRevision } from './resolve-revision.js';
import type { EcsTag } from './revision-tags.js';

export interface ReleaseLink {
  /** Resolves once the whole release may write; throws a UserError when it was refused (nothing written). */
  ready(plan: ReleasePlan): Promise<void>;
  /** registerRevision, once per family and rendered document for every service of the release. */
  register(rendered: RenderedRevision, tags: readonly EcsTag[], ecs: EcsSender, logger: Logger): Promise<ResolvedRevision>;
  /** Aborted when another service of the release failed: this one stops following and goes back. */
  readonly halted: AbortSignal;
  /** Which service failed and why (once `halted`). */
  haltReason(): string;
  /**
   * This service's own verdict. Anything but completed fails the release (the others are halted)
   * and resolves at once; completed resolves once every service has a verdict or another failed:
   * with that failure's reason (this service goes back too), or undefined (the release succeeded).
   */
  settle(verdict: FollowVerdict): Promise<string | undefined>;
}

/**
 * The one place a service's verdict meets its release's: a follow ended by the halt (not by the
 * job's cancellation) and a completed rollout that another service's failure undoes are both
 * `release-failed`, which roll-back-release.ts takes back to the previous revision, followed.
 */
export async function verdictInRelease(verdict: FollowVerdict, link: ReleaseLink | undefined, jobSignal: AbortSignal | undefined): Promise<FollowVerdict> {
  if (!link) return verdict;
  if (verdict.state === 'failed' && verdict.cause === 'cancelled' && link.halted.aborted && !jobSignal?.aborted) {
    return { state: 'failed', cause: 'release-failed', reason: link.haltReason() };
  }
  const undoneBy = await link.settle(verdict);
  return undoneBy && verdict.state === 'completed' ? { state: 'failed', cause: 'release-failed', reason: undoneBy } : verdict;
}

/** The signal a follow in a release ends on: the job's cancellation or the release's halt. */
export function followSignal(link: ReleaseLink | undefined, jobSignal: AbortSignal | undefined): AbortSignal | undefined {
  if (!link) return undefined;
  return jobSignal ? AbortSignal.any([jobSignal, link.halted]) : link.halted;
}
