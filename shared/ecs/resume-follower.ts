/**
 * Follows a service deployment answered at its verification gate (ContinueServiceDeployment,
 * resume-deployment.ts) until it ends: SUCCESSFUL, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED or
 * STOPPED, its stages shown as they change. A look ECS does not answer keeps the last state seen.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { pollUntil } from '../core/poll.js';
import type { FollowCause, FollowEnd, Follower, FollowOutcome } from './follower.js';
import { reachedProduction } from './native-follower.js';
import type { EcsSender } from './raw-json.js';
import { readServiceDeployment, StageReporter } from './service-deployment.js';
import type { Timeline } from './timeline.js';

export const ENDED = ['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED'];

export interface ResumeFollowPlan {
  serviceDeploymentArn: string;
  action: 'continue' | 'rollback';
  /** The deployment as read before it was answered. */
  answered: ServiceDeployment;
  deadline: number;
  pollIntervalMs: number;
}

export interface ResumeFollowResult extends FollowEnd {
  /** How polling ended: the deployment ended, or the deadline or a cancellation came first. */
  ended: 'ended' | 'timed-out' | 'cancelled';
  /** The service deployment as last seen. */
  last: ServiceDeployment | undefined;
  stages: StageReporter;
}

export function resumeFollower(deps: { ecs: EcsSender; logger: Logger; clock: Clock; timeline: Timeline }): Follower<ResumeFollowPlan, ResumeFollowResult> {
  return {
    kind: 'resume',
    async follow(plan, signal) {
      const { ecs, logger, clock, timeline } = deps;
      const stages = new StageReporter(clock, plan.answered.deploymentConfiguration as Record<string, unknown> | undefined);
      let last: ServiceDeployment | undefined = plan.answered;
      let served = reachedProduction(last);
      const polled = await pollUntil(
        async () => {
          last = (await readServiceDeployment(ecs, plan.serviceDeploymentArn).catch(() => undefined)) ?? last;
          if (reachedProduction(last)) served = true;
          const line = stages.update(last, timeline.elapsed());
          if (line) {
            logger.info(line);
            timeline.add(line.replace(/^\[[^\]]*\] /, ''));
          }
          return ENDED.includes(last?.status ?? '') ? last : undefined;
        },
        { deadline: plan.deadline, intervalMs: plan.pollIntervalMs, clock, signal },
      );
      const ended = polled.state === 'done' ? 'ended' : polled.state;
      const { outcome, cause } = resumeOutcome(ended, last?.status, plan.action);
      return { kind: 'resume', outcome, cause, served: served ? 'yes' : 'no', endedAt: clock.now(), ended, last, stages };
    },
  };
}

function resumeOutcome(
  ended: ResumeFollowResult['ended'],
  status: string | undefined,
  action: ResumeFollowPlan['action'],
): { outcome: FollowOutcome; cause: FollowCause | undefined } {
  if (ended === 'cancelled') return { outcome: 'failed', cause: 'cancelled' };
  if (ended === 'timed-out') return { outcome: 'failed', cause: 'timeout' };
  if (status === 'SUCCESSFUL') return { outcome: 'succeeded', cause: undefined };
  if (status === 'ROLLBACK_SUCCESSFUL') return { outcome: 'failed', cause: action === 'rollback' ? 'our-rollback' : 'ecs-rollback' };
  return { outcome: 'failed', cause: status === 'STOPPED' ? 'ecs-rollback' : 'unreadable' };
}
