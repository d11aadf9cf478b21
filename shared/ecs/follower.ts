/**
 * The one shape of following something ECS does until it ends: a deploy's rolling update
 * (rolling-follower.ts), a native service deployment (native-follower.ts), a one-off task
 * (one-off-task-follower.ts) and a resumed service deployment (resume-follower.ts). Each follows on
 * core/poll.ts (deadline, cancellation, the injectable clock, backoff while ECS throttles) and
 * ends with a FollowEnd: what the release record needs of the follow, whatever was followed.
 *
 * Which follower follows a deploy is chosen once, from the plan (follow-release.ts).
 */
import type { Served } from '../release/schema.js';
import type { FailureCause } from './assess-rollout.js';

export type FollowerKind = 'rolling' | 'native' | 'one-off-task' | 'resume';

/** How the followed thing ended. */
export type FollowOutcome = 'succeeded' | 'failed' | 'paused' | 'unknown';

/**
 * Why it did not succeed, in the record's words: ECS's circuit breaker, an alarm, failed tasks of
 * the new revision, a failed check (a one-off task's exit code), ECS's own rollback of a native
 * deployment, another deployment in its place, a cancelled job, the deadline, a rollback asked for
 * (resume: rollback), ECS that could not be read any more, or another service of the same release
 * that failed (deploy-services.ts: this one is taken back with it).
 */
export type FollowCause =
  | 'circuit-breaker'
  | 'alarm'
  | 'failed-tasks'
  | 'failed-check'
  | 'ecs-rollback'
  | 'superseded'
  | 'cancelled'
  | 'timeout'
  | 'our-rollback'
  | 'unreadable'
  | 'release-failed';

export interface FollowEnd {
  kind: FollowerKind;
  outcome: FollowOutcome;
  cause: FollowCause | undefined;
  /**
   * Whether the new revision served production traffic: `yes` when the rollout completed, a task
   * of it ran behind a service without a load balancer, a target of it was registered behind the
   * load balancer and not stopped for failing its health checks, or a production traffic weight
   * above zero was reached; `unknown` when its targets were registered but stopped for failing
   * the load balancer's health checks (ECS does not say whether one was ever healthy, so whether it
   * took a request cannot be told); `no` otherwise. A one-off task never serves.
   */
  served: Served;
  /** Clock time the follow ended. */
  endedAt: number;
}

/** Follows one thing until it ends; `plan` says what (each kind its own), `signal` cancels. */
export interface Follower<Plan, Result extends FollowEnd> {
  readonly kind: FollowerKind;
  follow(plan: Plan, signal?: AbortSignal): Promise<Result>;
}

/** The record's cause for an engine verdict's. */
export function followCause(cause: FailureCause): FollowCause {
  switch (cause) {
    case 'rollout-failed':
    case 'circuit-breaker-rollback':
      return 'circuit-breaker';
    case 'alarm':
    case 'alarm-rollback':
      return 'alarm';
    case 'timed-out':
      return 'timeout';
    default:
      return cause;
  }
}
