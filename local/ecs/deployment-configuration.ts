/**
 * A service's deploymentConfiguration as CreateService / UpdateService take it. ECS documents no
 * merge of a given configuration with the stored one, so the strictest reading is taken: a given
 * configuration replaces the stored one whole, and every member it omits takes ECS's default
 * (maximumPercent 200, minimumHealthyPercent 100, breaker off, strategy ROLLING). Members are
 * validated as the API reference describes them and kept verbatim, including ones the emulator
 * does not act on (alarms, bakeTimeInMinutes, lifecycleHooks, canary/linear settings) and ones
 * it does not know at all, so a client's configuration comes back exactly as it was sent.
 */
import type { DeploymentConfiguration } from './state.js';
import { validateEarlySuccessCriteria } from './early-success.js';
import { bool, errors, int, obj, objList, str, strList } from './wire.js';

const STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];
const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

export function defaultDeploymentConfiguration(): DeploymentConfiguration {
  return { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false }, strategy: 'ROLLING' };
}

export function readDeploymentConfiguration(input: Record<string, unknown> | undefined): DeploymentConfiguration {
  const cfg = defaultDeploymentConfiguration();
  if (!input) return cfg;
  const given = structuredClone(input);
  Object.assign(cfg, given);
  cfg.maximumPercent = int(input, 'maximumPercent') ?? 200;
  cfg.minimumHealthyPercent = int(input, 'minimumHealthyPercent') ?? 100;
  const breaker = obj(input, 'deploymentCircuitBreaker');
  if (breaker) {
    const enable = bool(breaker, 'enable');
    const rollback = bool(breaker, 'rollback');
    if (enable === undefined || rollback === undefined) throw errors.invalidParameter('deploymentCircuitBreaker requires both enable and rollback.');
    cfg.deploymentCircuitBreaker = { ...(given.deploymentCircuitBreaker as object), enable, rollback };
  } else {
    cfg.deploymentCircuitBreaker = { enable: false, rollback: false };
  }
  const alarms = obj(input, 'alarms');
  if (alarms) {
    if (!strList(alarms, 'alarmNames') || bool(alarms, 'enable') === undefined || bool(alarms, 'rollback') === undefined) {
      throw errors.invalidParameter('alarms requires alarmNames, enable and rollback.');
    }
  }
  const strategy = str(input, 'strategy') ?? 'ROLLING';
  if (!STRATEGIES.includes(strategy)) {
    throw errors.invalidParameter(
      `1 validation error detected: Value '${strategy}' at 'deploymentConfiguration.strategy' failed to satisfy constraint: Member must satisfy enum value set: [${STRATEGIES.join(', ')}]`,
    );
  }
  cfg.strategy = strategy;
  const bake = int(input, 'bakeTimeInMinutes');
  if (bake !== undefined && (bake < 0 || bake > 1440)) throw errors.invalidParameter('bakeTimeInMinutes must be between 0 and 1440.');
  for (const hook of objList(input, 'lifecycleHooks') ?? []) {
    const stages = strList(hook, 'lifecycleStages') ?? [];
    // targetType defaults to AWS_LAMBDA, which needs its function; a PAUSE hook has none.
    const targetType = str(hook, 'targetType') ?? 'AWS_LAMBDA';
    if (targetType !== 'AWS_LAMBDA' && targetType !== 'PAUSE') {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${targetType}' at 'deploymentConfiguration.lifecycleHooks.member.targetType' failed to satisfy constraint: Member must satisfy enum value set: [AWS_LAMBDA, PAUSE]`,
      );
    }
    if (stages.length === 0) throw errors.invalidParameter('A lifecycle hook requires lifecycleStages.');
    if (targetType === 'AWS_LAMBDA' && !str(hook, 'hookTargetArn')) throw errors.invalidParameter('An AWS_LAMBDA lifecycle hook requires hookTargetArn.');
    const unknown = stages.find((s) => !HOOK_STAGES.includes(s));
    if (unknown) throw errors.invalidParameter(`Invalid lifecycle stage ${unknown}.`);
    const pauseAt = stages.find((s) => s === 'TEST_TRAFFIC_SHIFT' || s === 'PRODUCTION_TRAFFIC_SHIFT');
    if (targetType === 'PAUSE' && pauseAt)
      throw errors.invalidParameter(`PAUSE hooks cannot be configured at ${pauseAt}; that stage is only valid for AWS_LAMBDA hooks.`);
    const timeout = obj(hook, 'timeoutConfiguration');
    if (timeout) {
      const minutes = int(timeout, 'timeoutInMinutes');
      if (minutes !== undefined && (minutes < 1 || minutes > 1440)) throw errors.invalidParameter('timeoutInMinutes must be between 1 and 1440.');
      const action = str(timeout, 'action');
      if (action !== undefined && action !== 'CONTINUE' && action !== 'ROLLBACK')
        throw errors.invalidParameter('timeoutConfiguration.action must be CONTINUE or ROLLBACK.');
    }
  }
  const canary = obj(input, 'canaryConfiguration');
  if (canary) {
    percent(canary, 'canaryPercent', 0.1, 100);
    minutes(canary, 'canaryBakeTimeInMinutes');
  }
  const linear = obj(input, 'linearConfiguration');
  if (linear) {
    percent(linear, 'stepPercent', 3, 100);
    minutes(linear, 'stepBakeTimeInMinutes');
  }
  if (cfg.minimumHealthyPercent < 0 || cfg.minimumHealthyPercent > 100) throw errors.invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  if (cfg.maximumPercent < 100 && cfg.minimumHealthyPercent >= cfg.maximumPercent) {
    throw errors.invalidParameter('maximumPercent must be greater than minimumHealthyPercent.');
  }
  validateEarlySuccessCriteria(input, cfg);
  return cfg;
}

function percent(input: Record<string, unknown>, key: string, min: number, max: number): void {
  const value = input[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || value < min || value > max) throw errors.invalidParameter(`${key} must be a number between ${min} and ${max}.`);
}

function minutes(input: Record<string, unknown>, key: string): void {
  const value = int(input, key);
  if (value !== undefined && (value < 0 || value > 1440)) throw errors.invalidParameter(`${key} must be between 0 and 1440.`);
}
