/**
 * The verdict a native strategy's service deployment gives, and the stage lines the follow
 * prints: pure functions, every case a row.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { bakeLeft, serviceDeploymentVerdict, StageReporter } from '../../shared/ecs/service-deployment.js';

const PREV = 'arn:aws:ecs:us-east-1:1:task-definition/web:7';
const sd = (over: Partial<ServiceDeployment>): ServiceDeployment => ({ serviceDeploymentArn: 'arn:sd', status: 'IN_PROGRESS', ...over });

describe('serviceDeploymentVerdict', () => {
  it.each([
    ['IN_PROGRESS is no verdict yet', sd({}), undefined],
    ['PENDING is no verdict yet', sd({ status: 'PENDING' }), undefined],
    ['SUCCESSFUL completes', sd({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }), { state: 'completed' }],
    [
      "the breaker's rollback before production moved",
      sd({ status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'SCALE_UP', rollback: { reason: 'ECS deployment circuit breaker: tasks failed to start.' } }),
      {
        state: 'failed',
        cause: 'circuit-breaker-rollback',
        reason: 'ECS deployment circuit breaker: tasks failed to start (ROLLBACK_IN_PROGRESS at SCALE_UP; production traffic never reached the new revision)',
        replacedBy: { deploymentId: 'arn:sd', taskDefinition: PREV },
      },
    ],
    [
      "a hook's rollback after production moved",
      sd({ status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'BAKE_TIME', rollback: { reason: 'Lifecycle hook x returned FAILED.' } }),
      {
        state: 'failed',
        cause: 'ecs-rollback',
        reason: 'Lifecycle hook x returned FAILED (ROLLBACK_SUCCESSFUL at BAKE_TIME)',
        replacedBy: { deploymentId: 'arn:sd', taskDefinition: PREV },
      },
    ],
    [
      'superseded by a newer deployment',
      sd({ status: 'STOPPED', statusReason: 'Service deployment stopped: superseded by arn:other.' }),
      { state: 'failed', cause: 'superseded', reason: 'Service deployment stopped: superseded by arn:other (STOPPED)' },
    ],
    [
      'a failed rollback',
      sd({ status: 'ROLLBACK_FAILED', statusReason: 'no capacity' }),
      { state: 'failed', cause: 'rollout-failed', reason: 'no capacity (ROLLBACK_FAILED)' },
    ],
  ] as [string, ServiceDeployment, unknown][])('%s', (_name, given, expected) => {
    expect(serviceDeploymentVerdict(given, PREV)).toEqual(expected);
  });
});

describe('bakeLeft', () => {
  it.each([
    [600_000, '10m'],
    [120_001, '3m'],
    [120_000, '2m'],
    [105_001, '2m'],
    [105_000, '1m45s'],
    [60_000, '1m00s'],
    [44_000, '45s'],
    [1, '15s'],
    [0, '0s'],
  ])('%i ms → %s', (ms, text) => {
    expect(bakeLeft(ms)).toBe(text);
  });
});

describe('StageReporter', () => {
  it('prints a line per stage and traffic step, and counts a bake down by the minute', () => {
    let now = 0;
    const clock = { now: () => now, sleep: async () => {} };
    const reporter = new StageReporter(clock as never, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 } });
    const at = (stage: string, production: number, test = 100) =>
      sd({
        lifecycleStage: stage as 'SCALE_UP',
        targetServiceRevision: { runningTaskCount: 2, requestedTaskCount: 2, requestedProductionTrafficWeight: production, requestedTestTrafficWeight: test },
      });
    expect(reporter.update(at('POST_TEST_TRAFFIC_SHIFT', 0), 1_000)).toBe(
      '[1s] POST_TEST_TRAFFIC_SHIFT: green 2/2 running, 0% of production and 100% of test traffic on green',
    );
    expect(reporter.update(at('POST_TEST_TRAFFIC_SHIFT', 0), 2_000)).toBeUndefined();
    expect(reporter.update(at('PRODUCTION_TRAFFIC_SHIFT', 10), 3_000)).toMatch(
      /PRODUCTION_TRAFFIC_SHIFT: green 2\/2 running, 10% of production and 100% of test traffic on green, bake 3m left$/,
    );
    now = 61_000;
    expect(reporter.update(at('PRODUCTION_TRAFFIC_SHIFT', 10), 64_000)).toMatch(/bake 2m left$/);
    // The last two minutes move in 15-second steps: a line at least every 15 s, none in between.
    now = 75_000;
    expect(reporter.update(at('PRODUCTION_TRAFFIC_SHIFT', 10), 78_000)).toMatch(/bake 1m45s left$/);
    now = 80_000;
    expect(reporter.update(at('PRODUCTION_TRAFFIC_SHIFT', 10), 83_000)).toBeUndefined();
    now = 170_000;
    expect(reporter.update(at('PRODUCTION_TRAFFIC_SHIFT', 10), 173_000)).toMatch(/bake 15s left$/);
    expect(reporter.update(at('PRODUCTION_TRAFFIC_SHIFT', 100), 200_000)).toMatch(/100% of production and 100% of test traffic on green$/);
    const paused = sd({ lifecycleStage: 'POST_SCALE_UP', lifecycleHookDetails: [{ hookId: 'ecs-pause-1', status: 'AWAITING_ACTION', targetType: 'PAUSE' }] });
    expect(reporter.update(paused, 210_000)).toMatch(/POST_SCALE_UP: green 0\/0 running, paused: hook ecs-pause-1 awaits ContinueServiceDeployment$/);
  });
});
