/**
 * ECS's early success criteria of a rolling deployment (deploymentConfiguration.earlySuccessCriteria,
 * shape DeploymentEarlySuccessCriteria), as botocore's model documents them:
 *  - "You can use early success criteria only with rolling deployment strategy."
 *  - `enable` is required; with `true`, "You must also specify healthyPercent and
 *    sourceServiceRevisionCleanup".
 *  - `healthyPercent`: "relative to the service's desiredCount", an integer 0..100 that "must be
 *    greater than or equal to the minimumHealthyPercent value". "After this percentage of tasks is
 *    healthy and the bake time elapses, Amazon ECS completes the deployment. Amazon ECS continues to
 *    scale the target service revision to 100 percent in the background."
 *  - `sourceServiceRevisionCleanup`: BLOCKING "removes the previous tasks before it marks the
 *    deployment as successful"; DEFERRED "marks the deployment successful, and then removes the
 *    previous tasks in the background".
 * The messages are the emulator's own (ECS's are not published), each naming the member. Criteria
 * with `enable: false` are kept under any strategy (they are not "used"); enabled ones only with
 * ROLLING and the ECS deployment controller.
 */
import type { DeploymentConfiguration } from './state.js';
import { bool, errors, int, obj, str } from './wire.js';

const FIELD = 'deploymentConfiguration.earlySuccessCriteria';
const CLEANUPS = ['BLOCKING', 'DEFERRED'];

export interface EarlySuccess {
  healthyPercent: number;
  cleanup: 'BLOCKING' | 'DEFERRED';
}

/** Refuses what ECS refuses about earlySuccessCriteria in a configuration already read (strategy and minimum defaulted). */
export function validateEarlySuccessCriteria(input: Record<string, unknown>, cfg: DeploymentConfiguration): void {
  const criteria = obj(input, 'earlySuccessCriteria');
  if (!criteria) return;
  const enable = bool(criteria, 'enable');
  if (enable === undefined) throw errors.invalidParameter(`${FIELD}.enable is required.`);
  // Criteria turned off are not used, whatever the strategy: only enabled ones are refused outside ROLLING.
  const strategy = String(cfg.strategy ?? 'ROLLING');
  if (enable && strategy !== 'ROLLING') {
    throw errors.invalidParameter(`${FIELD} can only be used with the ROLLING deployment strategy; the strategy is ${strategy}.`);
  }
  const healthyPercent = int(criteria, 'healthyPercent');
  if (healthyPercent !== undefined && (healthyPercent < 0 || healthyPercent > 100)) {
    throw errors.invalidParameter(
      `1 validation error detected: Value '${healthyPercent}' at '${FIELD}.healthyPercent' failed to satisfy constraint: Member must have value between 0 and 100`,
    );
  }
  const cleanup = str(criteria, 'sourceServiceRevisionCleanup');
  if (cleanup !== undefined && !CLEANUPS.includes(cleanup)) {
    throw errors.invalidParameter(
      `1 validation error detected: Value '${cleanup}' at '${FIELD}.sourceServiceRevisionCleanup' failed to satisfy constraint: Member must satisfy enum value set: [${CLEANUPS.join(', ')}]`,
    );
  }
  if (!enable) return;
  if (healthyPercent === undefined) throw errors.invalidParameter(`${FIELD}.healthyPercent is required when enable is true.`);
  if (cleanup === undefined) throw errors.invalidParameter(`${FIELD}.sourceServiceRevisionCleanup is required when enable is true.`);
  if (healthyPercent < cfg.minimumHealthyPercent) {
    throw errors.invalidParameter(
      `${FIELD}.healthyPercent (${healthyPercent}) must be greater than or equal to minimumHealthyPercent (${cfg.minimumHealthyPercent}).`,
    );
  }
}

/** The criteria a service deploys with, when enabled under the ROLLING strategy. */
export function earlySuccessOf(cfg: DeploymentConfiguration): EarlySuccess | undefined {
  if (String(cfg.strategy ?? 'ROLLING') !== 'ROLLING') return undefined;
  const criteria = cfg.earlySuccessCriteria as { enable?: boolean; healthyPercent?: number; sourceServiceRevisionCleanup?: string } | undefined;
  if (criteria?.enable !== true || criteria.healthyPercent === undefined) return undefined;
  return { healthyPercent: criteria.healthyPercent, cleanup: criteria.sourceServiceRevisionCleanup === 'BLOCKING' ? 'BLOCKING' : 'DEFERRED' };
}

/**
 * Whether a rolling deployment meets its early success criteria now: healthyPercent of desiredCount
 * (rounded up, as ECS rounds the minimum) of its own tasks healthy and, with BLOCKING, no task of an
 * older revision left (STOPPED, not merely draining). The bake comes after (the scheduler's hold).
 */
export function earlySuccessReached(criteria: EarlySuccess, desired: number, healthyOfPrimary: number, olderLive: number): boolean {
  if (healthyOfPrimary < Math.ceil((desired * criteria.healthyPercent) / 100)) return false;
  return criteria.cleanup === 'DEFERRED' || olderLive === 0;
}
