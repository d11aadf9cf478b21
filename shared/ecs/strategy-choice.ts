/**
 * The deployment strategy a deploy asks for (issue 15), as ecs-rolling-deploy read it from its
 * `strategy`, `canary-*` and `linear-*` inputs (its strategy-inputs.ts), and what it changes in the
 * service's deploymentConfiguration.
 * ECS refuses canaryConfiguration without the CANARY strategy and linearConfiguration without
 * LINEAR, and uses enabled earlySuccessCriteria only with ROLLING, so a change of strategy drops the
 * other one's settings; every other member is kept. `early-success` is decided here too.
 */
import type { LoadBalancer } from '@aws-sdk/client-ecs';
import { InputError, UserError } from '../core/errors.js';

export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR';

export interface StrategyChoice {
  /** undefined: the service's own strategy. */
  strategy?: Strategy | undefined;
  bakeTimeInMinutes?: number | undefined;
  canaryPercent?: number | undefined;
  canaryBakeTimeInMinutes?: number | undefined;
  stepPercent?: number | undefined;
  stepBakeTimeInMinutes?: number | undefined;
  /** ECS's early success criteria of a rolling deployment (`early-success`); undefined keeps the service's. */
  earlySuccess?: EarlySuccess | undefined;
}

/**
 * ECS's earlySuccessCriteria as a deploy asks them: COMPLETED once `healthyPercent` of the desired
 * count of the new revision is healthy; the previous revision's tasks go before that (BLOCKING) or
 * after it, in the background (DEFERRED). `off` turns the service's criteria off.
 */
export type EarlySuccess = { healthyPercent: number; cleanup: 'BLOCKING' | 'DEFERRED' } | 'off';

const MAX_MINUTES = 1440;

/**
 * `bake-time` has one meaning: how long the release is watched once it is in place before it
 * counts as good. Under a native strategy ECS watches it (bakeTimeInMinutes, whole minutes); a
 * rolling update is watched by this action after COMPLETED. With `strategy: keep` the service's
 * strategy decides, known only once it is read: still before anything changes.
 */
export function splitBakeTime(
  choice: StrategyChoice | undefined,
  strategy: string,
  bakeMs: number | undefined,
): { choice: StrategyChoice | undefined; rollingBakeMs: number | undefined } {
  if (bakeMs === undefined) return { choice, rollingBakeMs: undefined };
  if (strategy === 'ROLLING') return { choice, rollingBakeMs: bakeMs };
  if (choice?.bakeTimeInMinutes !== undefined) return { choice, rollingBakeMs: undefined };
  if (bakeMs % 60_000 !== 0 || bakeMs > MAX_MINUTES * 60_000) {
    throw new InputError(
      'bake-time',
      `${bakeMs / 1000}s`,
      `whole minutes from \`0m\` to \`24h\` for the service's ${strategy} strategy (ECS bakes in minutes), e.g. \`10m\``,
    );
  }
  return { choice: { ...(choice ?? {}), bakeTimeInMinutes: bakeMs / 60_000 }, rollingBakeMs: undefined };
}

type Json = Record<string, unknown>;

/** The service's configuration with the choice applied (the strategy's own settings merged). */
export function applyStrategyChoice(config: Json, choice: StrategyChoice): Json {
  const strategy = choice.strategy ?? (config.strategy as string | undefined) ?? 'ROLLING';
  if (choice.strategy) config.strategy = choice.strategy;
  if (strategy !== 'CANARY') delete config.canaryConfiguration;
  if (strategy !== 'LINEAR') delete config.linearConfiguration;
  if (choice.bakeTimeInMinutes !== undefined) config.bakeTimeInMinutes = choice.bakeTimeInMinutes;
  if (choice.earlySuccess === 'off') config.earlySuccessCriteria = { enable: false };
  else if (choice.earlySuccess)
    config.earlySuccessCriteria = {
      enable: true,
      healthyPercent: choice.earlySuccess.healthyPercent,
      sourceServiceRevisionCleanup: choice.earlySuccess.cleanup,
    };
  // ECS uses enabled early success criteria only with ROLLING: a change to a native strategy drops them.
  else if (choice.strategy && choice.strategy !== 'ROLLING' && enabledEarlySuccess(config)) delete config.earlySuccessCriteria;
  const merge = (key: string, members: Json) => {
    const given = Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined));
    if (Object.keys(given).length > 0) config[key] = { ...((config[key] as Json | undefined) ?? {}), ...given };
  };
  if (strategy === 'CANARY') merge('canaryConfiguration', { canaryPercent: choice.canaryPercent, canaryBakeTimeInMinutes: choice.canaryBakeTimeInMinutes });
  if (strategy === 'LINEAR') merge('linearConfiguration', { stepPercent: choice.stepPercent, stepBakeTimeInMinutes: choice.stepBakeTimeInMinutes });
  return config;
}

/**
 * ECS shifts traffic of a native strategy between two target groups: a service behind a target
 * group without `advancedConfiguration` cannot switch to one. Refused before anything changes.
 */
export function requireTrafficShiftable(
  strategy: string | undefined,
  loadBalancers: readonly { targetGroupArn?: string | undefined; advancedConfiguration?: unknown }[] | undefined,
  where: string,
): void {
  if (!strategy || strategy === 'ROLLING') return;
  const missing = (loadBalancers ?? []).find((lb) => lb.targetGroupArn && !lb.advancedConfiguration);
  if (!missing) return;
  throw new UserError(
    `${where} cannot be deployed with strategy ${strategy}: its load balancer's target group ${missing.targetGroupArn} has no advancedConfiguration (alternate target group, production listener rule, role) for ECS to shift traffic with. Nothing was registered or changed.`,
    { hint: "Add advancedConfiguration to the service's load balancer (in the tool that manages the service), or deploy with strategy: keep or rolling." },
  );
}

/** The early success criteria of a deployment configuration (ECS's JSON), when enabled. */
export function enabledEarlySuccess(config: { earlySuccessCriteria?: unknown } | undefined): Exclude<EarlySuccess, 'off'> | undefined {
  const criteria = config?.earlySuccessCriteria as { enable?: unknown; healthyPercent?: unknown; sourceServiceRevisionCleanup?: unknown } | undefined;
  if (criteria?.enable !== true || typeof criteria.healthyPercent !== 'number') return undefined;
  return { healthyPercent: criteria.healthyPercent, cleanup: criteria.sourceServiceRevisionCleanup === 'BLOCKING' ? 'BLOCKING' : 'DEFERRED' };
}

/**
 * The early success a rolling deploy gets (asked, or the service's kept), refused before anything
 * changes where ECS would refuse it: under a native strategy, or below the minimum healthy percent
 * the deployment will have (asked, else the service's, else ECS's default 100).
 */
function checkEarlySuccess(
  asked: StrategyChoice | undefined,
  strategy: string,
  current: { minimumHealthyPercent?: number | undefined; earlySuccessCriteria?: unknown } | undefined,
  askedMinimum: number | undefined,
  where: string,
): void {
  const nothing = 'Nothing was registered or changed.';
  const early = asked?.earlySuccess;
  if (early && early !== 'off' && strategy !== 'ROLLING') {
    throw new UserError(
      `early-success: ${where} deploys with ECS's ${strategy} strategy, and ECS uses early success criteria only with ROLLING deployments. ${nothing}`,
      { hint: 'Leave early-success empty, or deploy with strategy: rolling.' },
    );
  }
  const criteria = early === 'off' ? undefined : (early ?? (strategy === 'ROLLING' ? enabledEarlySuccess(current) : undefined));
  const minimum = askedMinimum ?? current?.minimumHealthyPercent ?? 100;
  if (!criteria || criteria.healthyPercent >= minimum) return;
  const from = askedMinimum !== undefined ? 'minimum-healthy-percent' : "the service's minimumHealthyPercent";
  if (early) {
    throw new UserError(
      `early-success: healthy percent ${criteria.healthyPercent}% is below the minimum healthy percent of ${where} (${minimum}%, ${from}); ECS requires healthyPercent >= minimumHealthyPercent. ${nothing}`,
      { hint: `Give early-success a percentage of at least ${minimum}, e.g. \`${minimum}% deferred\`, or lower minimum-healthy-percent.` },
    );
  }
  throw new UserError(
    `minimum-healthy-percent: ${minimum}% is above the healthy percent (${criteria.healthyPercent}%) of the early success criteria ${where} has; ECS requires healthyPercent >= minimumHealthyPercent. ${nothing}`,
    { hint: `Set early-success to at least \`${minimum}% deferred\` (or \`off\`) along with it.` },
  );
}

/** What a deploy does about its strategy: decided once, by the plan (deploy-plan.ts). */
export interface StrategyDecision {
  /** The strategy ECS deploys with: the asked one, else the service's (ROLLING when it has none). */
  strategy: string;
  /** What to change in the deployment configuration (bake-time in minutes under a native strategy); undefined: nothing. */
  choice: StrategyChoice | undefined;
  /** `bake-time` under a rolling update: watched by this action once COMPLETED. */
  rollingBakeMs: number | undefined;
}

/**
 * The strategy, and where `bake-time` goes, for this service: the asked strategy or the
 * service's own, a native strategy refused on a target group that cannot shift traffic, a
 * verification gate refused on a rolling service. Before anything is registered or changed.
 */
export function decideStrategy(
  asked: StrategyChoice | undefined,
  bakeMs: number | undefined,
  service: {
    deploymentConfiguration?: { strategy?: string | undefined; minimumHealthyPercent?: number | undefined; earlySuccessCriteria?: unknown } | undefined;
    loadBalancers?: LoadBalancer[] | undefined;
  },
  where: string,
  verifyAt: unknown,
  minimumHealthyPercent?: number | undefined,
): StrategyDecision {
  const strategy = asked?.strategy ?? service.deploymentConfiguration?.strategy ?? 'ROLLING';
  const { choice, rollingBakeMs } = splitBakeTime(asked, strategy, bakeMs);
  requireTrafficShiftable(asked?.strategy, service.loadBalancers, where);
  checkEarlySuccess(asked, strategy, service.deploymentConfiguration, minimumHealthyPercent, where);
  if (verifyAt && strategy === 'ROLLING') {
    throw new UserError(
      `verify-at: ${where} deploys with the ROLLING strategy, which has no lifecycle stages to pause at; nothing was registered or changed.`,
      { hint: "Set strategy: blue-green, canary or linear (the service needs its load balancer's advancedConfiguration), or leave verify-at empty." },
    );
  }
  return { strategy, choice, rollingBakeMs };
}
