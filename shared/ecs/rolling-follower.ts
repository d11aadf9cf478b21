/**
 * Follows a rolling update (ECS's ROLLING strategy, or a rollback to the previous revision) until
 * it completes, fails, runs out of time or is cancelled: ECS's deployment (DescribeServices), its
 * tasks, and — once COMPLETED — the bake, during which a failure still fails the rollout. The
 * deadline moves past the bake; the poll wakes when the bake ends, not up to an interval later.
 */
import { formatDuration } from '../core/duration.js';
import type { Follower } from './follower.js';
import { pollService, ServiceWatch, type FollowDeps, type FollowResult, type FollowRolloutOptions, type FollowVerdict } from './follow-rollout.js';

const BAKE_PROGRESS_EVERY_MS = 30_000;

export function rollingFollower(deps: FollowDeps): Follower<FollowRolloutOptions, FollowResult> {
  return { kind: 'rolling', follow: (plan, signal) => followRolling(plan, deps, signal) };
}

async function followRolling(plan: FollowRolloutOptions, deps: FollowDeps, signal: AbortSignal | undefined): Promise<FollowResult> {
  const { logger, clock, timeline } = deps;
  const watch = new ServiceWatch(plan, deps);
  const end = (verdict: FollowVerdict) => watch.end('rolling', verdict);
  let deadline = plan.deadline;
  let bakeUntil: number | undefined;
  let bakeReportedAt = 0;
  const watching = () => {
    const what = plan.bakeWatching?.();
    return what ? ` (${what})` : '';
  };

  const look = async (): Promise<FollowResult | undefined> => {
    const verdict = await watch.look();
    // An alarm names the cause better than ECS's bare FAILED; what ECS already acted on
    // (its rollback, another deployment) stands as ECS reports it.
    const caught = verdict.state === 'failed' && verdict.cause !== 'rollout-failed' ? undefined : await plan.check?.(watch.service);
    if (caught) return end(caught);
    if (verdict.state === 'failed') return end(verdict);
    if (verdict.state !== 'completed') return undefined;
    if (!plan.bakeMs || plan.bakeMs <= 0) return end(verdict);
    const now = clock.now();
    if (bakeUntil === undefined) {
      bakeUntil = now + plan.bakeMs;
      deadline = Math.max(deadline, bakeUntil);
      bakeReportedAt = now;
      logger.info(`Deployment ${plan.deploymentId} is COMPLETED; baking for ${formatDuration(plan.bakeMs)}${watching()} before it counts as good.`);
      timeline.add(`COMPLETED; baking ${formatDuration(plan.bakeMs)}`);
    } else if (now >= bakeUntil) {
      logger.info(`Bake of ${formatDuration(plan.bakeMs)} passed${watching()}.`);
      timeline.add('bake passed');
      return end(verdict);
    } else if (now - bakeReportedAt >= BAKE_PROGRESS_EVERY_MS) {
      bakeReportedAt = now;
      logger.info(`  baking: ${formatDuration(bakeUntil - now)} left${watching()}`);
    }
    return undefined;
  };
  const polled = await pollService(
    watch.guard(look, end),
    { deadline: () => deadline, intervalMs: plan.pollIntervalMs, wakeBy: () => bakeUntil },
    deps,
    signal,
  );
  if (polled === 'cancelled') return end({ state: 'failed', cause: 'cancelled', reason: 'the job was cancelled' });
  if (polled === 'timed-out') return end({ state: 'failed', cause: 'timed-out', reason: 'the rollout did not complete within the deadline' });
  return polled;
}
