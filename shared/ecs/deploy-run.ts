/**
 * What every phase of one deploy shares: the clients, the clock, the cancellation signal, the
 * timeline and the counters, and the service events already printed. Made once by `deploy()`.
 */
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeployDeps } from './deploy.js';
import type { FollowDeps, FollowStats } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';
import { ServiceEventStream } from './service-events.js';
import { Timeline } from './timeline.js';

export interface DeployRun {
  ecs: EcsSender;
  logger: Logger;
  clock: Clock;
  signal: AbortSignal | undefined;
  startedAt: number;
  timeline: Timeline;
  stats: FollowStats;
  events: ServiceEventStream;
  /** What followRollout and rollBackService take. */
  follow: FollowDeps;
  deps: DeployDeps;
}

export function startDeployRun(deps: DeployDeps): DeployRun {
  const clock = deps.clock ?? systemClock;
  const { ecs, logger, signal } = deps;
  const startedAt = clock.now();
  const timeline = new Timeline(() => clock.now(), startedAt);
  const stats: FollowStats = { describeServicesCalls: 0, throttled: 0 };
  return {
    ecs,
    logger,
    clock,
    signal,
    startedAt,
    timeline,
    stats,
    events: new ServiceEventStream(),
    follow: { ecs, logger, clock, signal, timeline, stats },
    deps,
  };
}
