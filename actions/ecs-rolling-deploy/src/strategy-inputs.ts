/**
 * The strategy inputs of ecs-rolling-deploy: `strategy`, `canary-*`, `linear-*`, `early-success`,
 * the native part of `bake-time`, and the verification gate (`verify-at`, `verify-timeout`), checked against each
 * other before any AWS call. What needs the service (the strategy `keep` stands for, a gate on a
 * rolling service) is refused by the engine's plan (shared/ecs/deploy-plan.ts).
 */
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import type { EarlySuccess, Strategy, StrategyChoice } from '../../../shared/ecs/strategy-choice.js';
import { DEFAULT_VERIFY_TIMEOUT_MINUTES, type VerificationGate, type VerifyStage } from '../../../shared/ecs/verification-gate.js';

const STRATEGY_BY_WORD: Record<string, Strategy | undefined> = {
  keep: undefined,
  rolling: 'ROLLING',
  'blue-green': 'BLUE_GREEN',
  canary: 'CANARY',
  linear: 'LINEAR',
};
const MAX_MINUTES = 1440;

/** A bake time in whole minutes (ECS takes minutes, 0 to 24 h). */
function minutes(inputs: Inputs, name: string): number | undefined {
  const ms = inputs.optionalDuration(name);
  if (ms === undefined) return undefined;
  if (ms % 60_000 !== 0 || ms < 0 || ms > MAX_MINUTES * 60_000) throw new InputError(name, inputs.raw(name), 'whole minutes from `0m` to `24h`, e.g. `10m`');
  return ms / 60_000;
}

/** A percentage in steps of 0.1, as ECS takes canaryPercent and stepPercent. */
function percent(inputs: Inputs, name: string, min: number): number | undefined {
  const text = inputs.optionalString(name);
  if (text === undefined) return undefined;
  const value = Number(text.replace(/%$/, ''));
  if (!/^\d+(\.\d)?%?$/.test(text) || value < min || value > 100)
    throw new InputError(name, text, `a percentage from ${min} to 100 in steps of 0.1, e.g. \`10\``);
  return value;
}

const EARLY_SUCCESS = /^(\d{1,3})\s*%\s+(deferred|blocking)$/i;

/**
 * `early-success`: `80% deferred`, `100% blocking`, `off`, or empty (the service's kept). Checked
 * against the strategy asked and `minimum-healthy-percent` here; against the service's by the plan.
 */
export function readEarlySuccess(inputs: Inputs, strategy: string, minimumHealthyPercent: number | undefined): EarlySuccess | undefined {
  const text = inputs.optionalString('early-success');
  if (text === undefined) return undefined;
  const expected =
    "a healthy percentage (0 to 100) and when the previous tasks go, e.g. `80% deferred` or `100% blocking`; `off`; or empty to keep the service's";
  if (text.toLowerCase() === 'off') return 'off';
  const match = EARLY_SUCCESS.exec(text);
  const healthyPercent = Number(match?.[1]);
  if (!match || healthyPercent > 100) throw new InputError('early-success', text, expected);
  if (strategy !== 'keep' && strategy !== 'rolling') {
    throw new InputError('early-success', text, `empty with strategy \`${strategy}\` (ECS uses early success criteria only with rolling deployments)`);
  }
  if (minimumHealthyPercent !== undefined && healthyPercent < minimumHealthyPercent) {
    throw new InputError('early-success', text, `a healthy percentage of at least minimum-healthy-percent (${minimumHealthyPercent}), as ECS requires`);
  }
  return { healthyPercent, cleanup: match[2]!.toLowerCase() === 'blocking' ? 'BLOCKING' : 'DEFERRED' };
}

export function readStrategyChoice(inputs: Inputs, minimumHealthyPercent?: number): StrategyChoice | undefined {
  const word = inputs.choice('strategy', ['keep', 'rolling', 'blue-green', 'canary', 'linear'], 'keep');
  const strategy = STRATEGY_BY_WORD[word];
  const choice: StrategyChoice = {
    strategy,
    canaryPercent: percent(inputs, 'canary-percent', 0.1),
    canaryBakeTimeInMinutes: minutes(inputs, 'canary-bake-time'),
    stepPercent: percent(inputs, 'linear-step-percent', 3),
    stepBakeTimeInMinutes: minutes(inputs, 'linear-step-bake-time'),
    earlySuccess: readEarlySuccess(inputs, word, minimumHealthyPercent),
  };
  const only = (name: string, given: unknown, needs: string) => {
    if (given !== undefined && word !== needs)
      throw new InputError(name, inputs.raw(name), `no value unless strategy is \`${needs}\` (strategy is \`${word}\`)`);
  };
  only('canary-percent', choice.canaryPercent, 'canary');
  only('canary-bake-time', choice.canaryBakeTimeInMinutes, 'canary');
  only('linear-step-percent', choice.stepPercent, 'linear');
  only('linear-step-bake-time', choice.stepBakeTimeInMinutes, 'linear');
  // bake-time is whole minutes when ECS bakes (a native strategy); known here when it is chosen.
  if (strategy !== undefined && strategy !== 'ROLLING') choice.bakeTimeInMinutes = minutes(inputs, 'bake-time');
  return Object.values(choice).every((v) => v === undefined) ? undefined : choice;
}

const STAGE_BY_WORD: Record<string, VerifyStage | undefined> = {
  '': undefined,
  'post-scale-up': 'POST_SCALE_UP',
  'post-test-traffic-shift': 'POST_TEST_TRAFFIC_SHIFT',
};

/** `verify-at` and `verify-timeout`; undefined when no gate is asked for. */
export function readVerificationGate(inputs: Inputs, strategy: string | undefined): VerificationGate | undefined {
  const text = inputs.optionalString('verify-at')?.toLowerCase() ?? '';
  if (!(text in STAGE_BY_WORD)) {
    throw new InputError('verify-at', inputs.raw('verify-at'), '`post-test-traffic-shift`, `post-scale-up` or empty (no verification gate)');
  }
  const stage = STAGE_BY_WORD[text];
  const timeoutMs = inputs.optionalDuration('verify-timeout');
  if (!stage) {
    if (timeoutMs !== undefined) throw new InputError('verify-timeout', inputs.raw('verify-timeout'), 'empty unless `verify-at` names a stage');
    return undefined;
  }
  if (strategy === 'rolling') {
    throw new InputError('verify-at', inputs.raw('verify-at'), 'empty with strategy `rolling` (a verification gate needs blue-green, canary or linear)');
  }
  const ms = timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MINUTES * 60_000;
  if (ms % 60_000 !== 0 || ms < 60_000 || ms > 1440 * 60_000) {
    throw new InputError('verify-timeout', inputs.raw('verify-timeout'), 'whole minutes from `1m` to `24h` (ECS times hooks in minutes), e.g. `60m`');
  }
  return { stage, timeoutInMinutes: ms / 60_000 };
}
