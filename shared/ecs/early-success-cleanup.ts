/**
 * What is left to do when ECS completed a rolling deployment under its early success criteria:
 * the new revision may not run its desired count yet, and (DEFERRED) the previous revision's tasks
 * may still run. ECS finishes both in the background; the deploy reports success when ECS does,
 * and says so with the counts (the log, the job summary). No SDK values here: the summary imports
 * it (the count of tasks being stopped is read by early-success-stopping.ts).
 */
import type { Service } from '@aws-sdk/client-ecs';
import { earlySuccessOf, rolloutCounts } from './assess-rollout.js';

export interface EarlySuccessCleanup {
  healthyPercent: number;
  cleanup: 'BLOCKING' | 'DEFERRED';
  /** Tasks of the new revision running when ECS said COMPLETED, of `desired`. */
  running: number;
  desired: number;
  /** Tasks of older deployments still running then (DEFERRED). */
  oldRunning: number;
  /** Older deployments still listed then. */
  oldDeployments: number;
  /** Tasks of the previous revision being stopped (draining) then; undefined when they could not be read. */
  oldStopping?: number | undefined;
}

/** The state at success under early success criteria; undefined when the service has none. */
export function earlySuccessCleanup(service: Service | undefined, deploymentId: string): EarlySuccessCleanup | undefined {
  const criteria = earlySuccessOf(service);
  if (!criteria) return undefined;
  const counts = rolloutCounts(service, deploymentId);
  return {
    ...criteria,
    running: counts.running,
    desired: counts.desired,
    oldRunning: counts.oldRunning,
    oldDeployments: (service?.deployments ?? []).filter((d) => d.id !== deploymentId).length,
  };
}

/** One sentence for the log and the summary. */
export function describeEarlySuccess(state: EarlySuccessCleanup, revision: string): string {
  const at = `ECS's early success criteria (${state.healthyPercent}% healthy, ${state.cleanup})`;
  const left = state.oldDeployments > 0 || state.oldRunning > 0;
  const stopping = state.oldStopping ? `${state.oldStopping} being stopped` : undefined;
  const running = state.oldRunning > 0 ? `${state.oldRunning} still running` : undefined;
  const counted = [running, stopping].filter(Boolean).join(', ');
  const still = counted ? `of its tasks, ${counted}` : 'its tasks are being stopped';
  const cleanup = left ? `the previous revision's cleanup is still running (${still}); ECS finishes it in the background` : 'the previous revision is gone';
  const scale = state.running < state.desired ? `; ECS scales ${revision} from ${state.running} to ${state.desired} tasks in the background` : '';
  return `Success under ${at} with ${state.running}/${state.desired} tasks of ${revision} running; ${cleanup}${scale}.`;
}
