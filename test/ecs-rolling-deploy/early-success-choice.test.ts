/**
 * `early-success`: read before any AWS call with errors naming the input, what was given and what
 * is expected; decided once by the plan (strategy-choice.ts) against the service's strategy and
 * minimum healthy percent; sent as ECS's earlySuccessCriteria only when asked.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { assessRollout } from '../../shared/ecs/assess-rollout.js';
import { describeEarlySuccess, earlySuccessCleanup } from '../../shared/ecs/early-success-cleanup.js';
import { Inputs, inputEnvName } from '../../shared/core/inputs.js';
import { applyStrategyChoice, decideStrategy } from '../../shared/ecs/strategy-choice.js';
import { deploymentConfiguration } from '../../shared/ecs/update-service.js';
import { readInputs } from '../../actions/ecs-rolling-deploy/src/inputs.js';
import { readStrategyChoice } from '../../actions/ecs-rolling-deploy/src/strategy-inputs.js';

const inputs = (values: Record<string, string>) => new Inputs(Object.fromEntries(Object.entries(values).map(([k, v]) => [inputEnvName(k), v])));

describe('early-success input', () => {
  it.each([
    ['80% deferred', { healthyPercent: 80, cleanup: 'DEFERRED' }],
    ['100% BLOCKING', { healthyPercent: 100, cleanup: 'BLOCKING' }],
    ['0 % deferred', { healthyPercent: 0, cleanup: 'DEFERRED' }],
    ['off', 'off'],
  ])('reads %j', (text, expected) => {
    expect(readStrategyChoice(inputs({ 'early-success': text }))?.earlySuccess).toEqual(expected);
  });

  it('empty keeps the service’s setting: no choice at all', () => {
    expect(readStrategyChoice(inputs({ 'early-success': '' }))).toBeUndefined();
  });

  it.each([
    [
      { 'early-success': '80%' },
      /Input 'early-success' has an invalid value "80%": expected a healthy percentage \(0 to 100\) and when the previous tasks go, e\.g\. `80% deferred`/,
    ],
    [{ 'early-success': '120% deferred' }, /Input 'early-success' has an invalid value "120% deferred": expected a healthy percentage \(0 to 100\)/],
    [{ 'early-success': 'deferred 80%' }, /Input 'early-success' has an invalid value "deferred 80%"/],
    [{ 'early-success': '80% later' }, /Input 'early-success' has an invalid value "80% later"/],
    [
      { 'early-success': '80% deferred', strategy: 'canary' },
      /Input 'early-success' has an invalid value "80% deferred": expected empty with strategy `canary` \(ECS uses early success criteria only with rolling deployments\)/,
    ],
    [{ 'early-success': '100% blocking', strategy: 'blue-green' }, /Input 'early-success' .*strategy `blue-green`/],
  ] as [Record<string, string>, RegExp][])('refuses %j', (given, message) => {
    expect(() => readStrategyChoice(inputs(given))).toThrow(message);
  });

  it('refuses a healthy percent below minimum-healthy-percent, naming both', async () => {
    const given = inputs({ cluster: 'c', service: 's', 'aws-region': 'us-east-1', 'early-success': '50% deferred', 'minimum-healthy-percent': '75' });
    await expect(readInputs(given, process.cwd())).rejects.toThrow(
      /Input 'early-success' has an invalid value "50% deferred": expected a healthy percentage of at least minimum-healthy-percent \(75\)/,
    );
  });
});

describe('the plan decides early success once', () => {
  const rolling = (config: Record<string, unknown> = {}) => ({ deploymentConfiguration: { strategy: 'ROLLING', ...config } });
  const early = { earlySuccess: { healthyPercent: 80, cleanup: 'DEFERRED' as const } };

  it('refuses it under the service’s own native strategy, before anything changes', () => {
    expect(() => decideStrategy(early, undefined, { deploymentConfiguration: { strategy: 'CANARY' } }, 'prod/api', undefined)).toThrow(
      /early-success: prod\/api deploys with ECS's CANARY strategy, and ECS uses early success criteria only with ROLLING deployments\. Nothing was registered or changed\./,
    );
  });

  it("refuses it below the service's minimum healthy percent (ECS's default 100 when it has none)", () => {
    expect(() => decideStrategy(early, undefined, rolling({ minimumHealthyPercent: 100 }), 'prod/api', undefined)).toThrow(
      /early-success: healthy percent 80% is below the minimum healthy percent of prod\/api \(100%, the service's minimumHealthyPercent\)/,
    );
    expect(() => decideStrategy(early, undefined, {}, 'prod/api', undefined)).toThrow(/\(100%, the service's minimumHealthyPercent\)/);
    expect(() => decideStrategy(early, undefined, rolling({ minimumHealthyPercent: 100 }), 'prod/api', undefined, 50)).not.toThrow();
  });

  it("refuses a minimum-healthy-percent above the service's own criteria", () => {
    const service = rolling({
      minimumHealthyPercent: 50,
      earlySuccessCriteria: { enable: true, healthyPercent: 60, sourceServiceRevisionCleanup: 'BLOCKING' },
    });
    expect(() => decideStrategy(undefined, undefined, service, 'prod/api', undefined, 75)).toThrow(
      /minimum-healthy-percent: 75% is above the healthy percent \(60%\) of the early success criteria prod\/api has/,
    );
    expect(() => decideStrategy({ earlySuccess: 'off' }, undefined, service, 'prod/api', undefined, 75)).not.toThrow();
  });

  it('sends the criteria only when asked, keeping every other member', () => {
    const current = { strategy: 'ROLLING', minimumHealthyPercent: 50, maximumPercent: 200, alarms: { alarmNames: ['a'], enable: true, rollback: false } };
    expect(deploymentConfiguration(current, { taskDefinitionArn: 'x' })).toBeUndefined();
    expect(deploymentConfiguration(current, { taskDefinitionArn: 'x', strategy: early })).toEqual({
      ...current,
      earlySuccessCriteria: { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'DEFERRED' },
    });
    expect(applyStrategyChoice({ ...current, earlySuccessCriteria: { enable: true, healthyPercent: 80 } }, { earlySuccess: 'off' })).toEqual({
      ...current,
      earlySuccessCriteria: { enable: false },
    });
  });

  it("a change to a native strategy drops the service's enabled criteria, as ECS requires", () => {
    const criteria = { enable: true, healthyPercent: 80, sourceServiceRevisionCleanup: 'DEFERRED' };
    expect(applyStrategyChoice({ strategy: 'ROLLING', earlySuccessCriteria: criteria }, { strategy: 'BLUE_GREEN' })).toEqual({ strategy: 'BLUE_GREEN' });
    expect(applyStrategyChoice({ strategy: 'ROLLING', earlySuccessCriteria: criteria }, { strategy: 'ROLLING' })).toEqual({
      strategy: 'ROLLING',
      earlySuccessCriteria: criteria,
    });
  });
});

describe("the rollout's verdict under ECS's early success criteria", () => {
  const NEW = 'arn:aws:ecs:eu-west-1:1:task-definition/pay:8';
  const OLD = 'arn:aws:ecs:eu-west-1:1:task-definition/pay:7';
  const criteria = { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' as const };
  const service = (rolloutState: string, earlySuccessCriteria?: object, strategy = 'ROLLING'): Service => ({
    status: 'ACTIVE',
    desiredCount: 4,
    deploymentConfiguration: { strategy, ...(earlySuccessCriteria ? { earlySuccessCriteria } : {}) } as Service['deploymentConfiguration'],
    deployments: [
      { id: 'n', status: 'PRIMARY', taskDefinition: NEW, rolloutState: rolloutState as 'COMPLETED', desiredCount: 4, runningCount: 2, pendingCount: 2 },
      { id: 'o', status: 'ACTIVE', taskDefinition: OLD, desiredCount: 4, runningCount: 4, pendingCount: 0 },
    ],
  });
  const opts = { maxFailedTasks: 3, taskDefinition: NEW, previousTaskDefinition: OLD };

  it.each([
    ['COMPLETED with the old revision still running, under enabled criteria', service('COMPLETED', criteria), 'completed'],
    ['IN_PROGRESS under enabled criteria', service('IN_PROGRESS', criteria), 'in-progress'],
    ['COMPLETED with the old revision still running, without criteria (waits for it)', service('COMPLETED'), 'in-progress'],
    ['COMPLETED with criteria turned off', service('COMPLETED', { ...criteria, enable: false }), 'in-progress'],
  ])('%s', (_name, s, state) => {
    expect(assessRollout(s, 'n', opts).state).toBe(state);
  });

  it('says what ECS still cleans up, with counts', () => {
    const state = earlySuccessCleanup(service('COMPLETED', criteria), 'n');
    expect(state).toEqual({ healthyPercent: 50, cleanup: 'DEFERRED', running: 2, desired: 4, oldRunning: 4, oldDeployments: 1 });
    expect(describeEarlySuccess(state!, 'pay:8')).toBe(
      "Success under ECS's early success criteria (50% healthy, DEFERRED) with 2/4 tasks of pay:8 running; the previous revision's cleanup is still running (of its tasks, 4 still running); ECS finishes it in the background; ECS scales pay:8 from 2 to 4 tasks in the background.",
    );
    expect(describeEarlySuccess({ ...state!, oldRunning: 0, oldStopping: 3 }, 'pay:8')).toContain(
      "the previous revision's cleanup is still running (of its tasks, 3 being stopped)",
    );
    expect(earlySuccessCleanup(service('COMPLETED'), 'n')).toBeUndefined();
  });
});
