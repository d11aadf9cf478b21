/** The words a deploy uses for an alarm, and which alarms ECS rolls back on. */
import { describe, expect, it } from 'vitest';
import { alarmCondition, alarmView, ecsDeploymentAlarms } from '../../shared/ecs/deployment-alarms.js';

describe('alarmCondition', () => {
  it.each([
    [
      { MetricName: 'HTTPCode_Target_5XX_Count', ComparisonOperator: 'GreaterThanThreshold', Threshold: 5, Period: 60, EvaluationPeriods: 1 },
      'HTTPCode_Target_5XX_Count > 5 for 1 minute',
    ],
    [
      { MetricName: 'TargetResponseTime', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 0.5, Period: 300, EvaluationPeriods: 3 },
      'TargetResponseTime >= 0.5 for 3 periods of 5 minutes',
    ],
    [
      { MetricName: 'RequestCount', ComparisonOperator: 'LessThanThreshold', Threshold: 1, Period: 10, EvaluationPeriods: 5, DatapointsToAlarm: 3 },
      'RequestCount < 1 in 3 of 5 periods of 10 seconds',
    ],
  ] as const)('%j → %s', (alarm, words) => {
    expect(alarmCondition(alarm)).toBe(words);
  });

  it('reads the latest datapoint from the state reason data', () => {
    const view = alarmView({
      AlarmName: 'api-5xx',
      StateValue: 'ALARM',
      MetricName: 'HTTPCode_Target_5XX_Count',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 5,
      Period: 60,
      EvaluationPeriods: 1,
      StateReasonData: JSON.stringify({ statistic: 'Sum', recentDatapoints: [300] }),
    });
    expect(view).toMatchObject({ name: 'api-5xx', state: 'ALARM', latest: 'Sum 300' });
  });
});

describe('ecsDeploymentAlarms', () => {
  it("only enabled alarms are ECS's to act on", () => {
    expect(ecsDeploymentAlarms({ alarms: { alarmNames: ['a'], enable: true, rollback: true } })).toEqual({ names: ['a'], rollback: true });
    expect(ecsDeploymentAlarms({ alarms: { alarmNames: ['a'], enable: false, rollback: true } })).toEqual({ names: [], rollback: false });
    expect(ecsDeploymentAlarms(undefined)).toEqual({ names: [], rollback: false });
  });
});
