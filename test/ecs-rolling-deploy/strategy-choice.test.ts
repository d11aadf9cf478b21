/**
 * The strategy inputs: validated before any AWS call with errors that name the input, and what
 * they change in the service's deploymentConfiguration.
 */
import { describe, expect, it } from 'vitest';
import { Inputs, inputEnvName } from '../../shared/core/inputs.js';
import { applyStrategyChoice, splitBakeTime } from '../../shared/ecs/strategy-choice.js';
import { nativeWaitMs } from '../../shared/ecs/deadline.js';
import { readFollowInputs } from '../../actions/ecs-rolling-deploy/src/inputs.js';
import { readStrategyChoice } from '../../actions/ecs-rolling-deploy/src/strategy-inputs.js';

const inputs = (values: Record<string, string>) => new Inputs(Object.fromEntries(Object.entries(values).map(([k, v]) => [inputEnvName(k), v])));

describe('splitBakeTime: bake-time has one meaning, watched by ECS or by the action', () => {
  it('not given: nothing baked, the choice unchanged', () => {
    expect(splitBakeTime({ strategy: 'CANARY' }, 'CANARY', undefined)).toEqual({ choice: { strategy: 'CANARY' }, rollingBakeMs: undefined });
  });
  it('a rolling update is watched by the action after COMPLETED, any duration', () => {
    expect(splitBakeTime(undefined, 'ROLLING', 90_000)).toEqual({ choice: undefined, rollingBakeMs: 90_000 });
  });
  it("the service's own native strategy gets ECS's bakeTimeInMinutes, and no watch of the action's", () => {
    expect(splitBakeTime(undefined, 'BLUE_GREEN', 5 * 60_000)).toEqual({ choice: { bakeTimeInMinutes: 5 }, rollingBakeMs: undefined });
  });
  it('a chosen native strategy keeps the minutes read with it', () => {
    expect(splitBakeTime({ strategy: 'LINEAR', bakeTimeInMinutes: 3 }, 'LINEAR', 3 * 60_000)).toEqual({
      choice: { strategy: 'LINEAR', bakeTimeInMinutes: 3 },
      rollingBakeMs: undefined,
    });
  });
  it("refuses seconds for the service's own native strategy, naming the input, before anything changes", () => {
    expect(() => splitBakeTime(undefined, 'CANARY', 90_000)).toThrow(/Input 'bake-time' has an invalid value "90s": expected whole minutes .* CANARY strategy/);
  });
});

describe('readStrategyChoice', () => {
  it.each([
    ['nothing given keeps everything', {}, undefined],
    ['strategy: keep alone keeps everything', { strategy: 'keep' }, undefined],
    ['blue-green with a bake', { strategy: 'blue-green', 'bake-time': '10m' }, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 }],
    [
      'canary with its settings',
      { strategy: 'canary', 'canary-percent': '12.5', 'canary-bake-time': '1h' },
      { strategy: 'CANARY', canaryPercent: 12.5, canaryBakeTimeInMinutes: 60 },
    ],
    [
      'linear with its settings',
      { strategy: 'linear', 'linear-step-percent': '25', 'linear-step-bake-time': '0m' },
      { strategy: 'LINEAR', stepPercent: 25, stepBakeTimeInMinutes: 0 },
    ],
    // With strategy keep, what bake-time means waits for the service's strategy (splitBakeTime).
    ["bake-time with the service's own strategy is not part of the choice", { 'bake-time': '5m' }, undefined],
    ['bake-time with rolling is not part of the choice (a rolling bake is watched here)', { strategy: 'rolling', 'bake-time': '90s' }, { strategy: 'ROLLING' }],
  ] as [string, Record<string, string>, unknown][])('%s', (_name, given, expected) => {
    const choice = readStrategyChoice(inputs(given));
    if (expected === undefined) expect(choice).toBeUndefined();
    else expect(Object.fromEntries(Object.entries(choice ?? {}).filter(([, v]) => v !== undefined))).toEqual(expected);
  });

  it.each([
    [{ strategy: 'bluegreen' }, /Input 'strategy' has an invalid value "bluegreen": expected one of `keep`, `rolling`, `blue-green`, `canary`, `linear`/],
    [{ 'canary-percent': '10' }, /Input 'canary-percent' has an invalid value "10": expected no value unless strategy is `canary` \(strategy is `keep`\)/],
    [{ strategy: 'canary', 'canary-percent': '0.05' }, /Input 'canary-percent' .*a percentage from 0.1 to 100 in steps of 0.1/],
    [{ strategy: 'canary', 'canary-percent': '10.25' }, /Input 'canary-percent' .*steps of 0.1/],
    [{ strategy: 'linear', 'linear-step-percent': '2' }, /Input 'linear-step-percent' .*from 3 to 100/],
    [{ strategy: 'linear', 'canary-bake-time': '5m' }, /Input 'canary-bake-time' .*unless strategy is `canary` \(strategy is `linear`\)/],
    [{ strategy: 'blue-green', 'bake-time': '90s' }, /Input 'bake-time' has an invalid value "90s": expected whole minutes/],
    [{ strategy: 'blue-green', 'bake-time': '25h' }, /Input 'bake-time' .*whole minutes from `0m` to `24h`/],
  ] as [Record<string, string>, RegExp][])('refuses %j', (given, message) => {
    expect(() => readStrategyChoice(inputs(given))).toThrow(message);
  });
});

describe('applyStrategyChoice', () => {
  const canaryService = {
    strategy: 'CANARY',
    bakeTimeInMinutes: 3,
    canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 10 },
    lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
    // Turned off: ECS uses enabled criteria only with ROLLING (a change to a native strategy drops those).
    earlySuccessCriteria: { enable: false, healthyPercent: 50 },
  };
  it('changes only the members asked, keeping the rest (also unknown ones)', () => {
    expect(applyStrategyChoice(structuredClone(canaryService), { canaryPercent: 20 })).toEqual({
      ...canaryService,
      canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 10 },
    });
  });
  it("drops the other strategy's settings on a change of strategy, as ECS requires", () => {
    const { canaryConfiguration: _dropped, ...rest } = canaryService;
    expect(applyStrategyChoice(structuredClone(canaryService), { strategy: 'LINEAR', stepPercent: 50 })).toEqual({
      ...rest,
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 50 },
    });
    expect(applyStrategyChoice(structuredClone(canaryService), { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 })).toEqual({
      ...rest,
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 0,
    });
  });
});

describe('timeout: auto', () => {
  it('is the default, and an explicit duration is taken as it is', () => {
    expect(readFollowInputs(inputs({}))).toMatchObject({ timeoutMs: 30 * 60_000, timeoutAuto: true });
    expect(readFollowInputs(inputs({ timeout: 'auto' }))).toMatchObject({ timeoutMs: 30 * 60_000, timeoutAuto: true });
    expect(readFollowInputs(inputs({ timeout: '12m' }))).toMatchObject({ timeoutMs: 12 * 60_000, timeoutAuto: false });
    expect(() => readFollowInputs(inputs({ timeout: 'soon' }))).toThrow(/Input 'timeout' has an invalid value "soon"/);
  });

  const pause = (stages: string[], timeoutInMinutes?: number) => ({
    targetType: 'PAUSE',
    lifecycleStages: stages,
    ...(timeoutInMinutes ? { timeoutConfiguration: { timeoutInMinutes, action: 'ROLLBACK' } } : {}),
  });
  it.each([
    ['ROLLING waits for nothing more', { strategy: 'ROLLING', bakeTimeInMinutes: 30 }, 0],
    ['BLUE_GREEN: its bake', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 15 }, 15],
    ['CANARY: the canary bake (default 10) and the bake', { strategy: 'CANARY', bakeTimeInMinutes: 5 }, 15],
    ['LINEAR 25%: three step bakes', { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 } }, 6],
    ['a PAUSE hook: its timeout', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1, lifecycleHooks: [pause(['POST_TEST_TRAFFIC_SHIFT'], 20)] }, 21],
    [
      'a hook at a production stage: once per traffic step',
      { strategy: 'CANARY', canaryConfiguration: { canaryBakeTimeInMinutes: 0 }, lifecycleHooks: [pause(['PRE_PRODUCTION_TRAFFIC_SHIFT'], 3)] },
      6,
    ],
    ["a hook's default timeout is ECS's 24 h", { strategy: 'BLUE_GREEN', lifecycleHooks: [pause(['POST_SCALE_UP'])] }, 1440],
  ] as [string, Record<string, unknown>, number][])('%s', (_name, config, minutes) => {
    expect(nativeWaitMs(config)).toBe(minutes * 60_000);
  });
});
