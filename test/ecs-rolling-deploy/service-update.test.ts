/** The deployment configuration sent with UpdateService: the service's own, with only what was asked changed. */
import { describe, expect, it } from 'vitest';
import { deploymentConfiguration } from '../../shared/ecs/update-service.js';

const current = { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: false, rollback: false } };

describe('deploymentConfiguration', () => {
  it.each([
    ['nothing asked: none sent (ECS keeps its own)', {}, undefined],
    [
      'circuit breaker on, the rest kept',
      { circuitBreaker: { enable: true, rollback: true } },
      { maximumPercent: 200, minimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true } },
    ],
    [
      'percentages changed, breaker kept (an omitted breaker would turn it off)',
      { minimumHealthyPercent: 100, maximumPercent: 150 },
      { maximumPercent: 150, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
    ],
  ])('%s', (_name, update, expected) => {
    expect(deploymentConfiguration(current, { taskDefinitionArn: 'x', ...update })).toEqual(expected);
  });

  it('keeps every other member of the service configuration, known to the SDK or not', () => {
    const tuned = {
      ...current,
      strategy: 'CANARY',
      bakeTimeInMinutes: 15,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
      lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:r:1:function:check', roleArn: 'arn:aws:iam::1:role/r', lifecycleStages: ['POST_SCALE_UP'] }],
      alarms: { alarmNames: ['p99'], enable: true, rollback: true },
      deploymentCircuitBreaker: { enable: true, rollback: true, resetOnHealthyTask: true, thresholdConfiguration: { type: 'COUNT', value: 4 } },
      earlySuccessCriteria: { enable: true, healthyPercent: 50 },
    };
    expect(deploymentConfiguration(tuned, { taskDefinitionArn: 'x', maximumPercent: 150 })).toEqual({ ...tuned, maximumPercent: 150 });
    // Turning the breaker off keeps its other settings.
    expect(deploymentConfiguration(tuned, { taskDefinitionArn: 'x', circuitBreaker: { enable: false, rollback: false } })?.deploymentCircuitBreaker).toEqual({
      enable: false,
      rollback: false,
      resetOnHealthyTask: true,
      thresholdConfiguration: { type: 'COUNT', value: 4 },
    });
    // The service's own object is not changed.
    expect(tuned.maximumPercent).toBe(200);
  });

  it('works for a service that reports no configuration', () => {
    expect(deploymentConfiguration(undefined, { taskDefinitionArn: 'x', circuitBreaker: { enable: true, rollback: false } })).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: false },
    });
  });

  it("alarms asked: added to the service's own deployment alarms and enabled, the rest kept; rollback kept unless given", () => {
    const withAlarms = { ...current, alarms: { alarmNames: ['p99'], enable: false, rollback: true } };
    expect(deploymentConfiguration(withAlarms, { taskDefinitionArn: 'x', alarms: { names: ['api-5xx', 'p99'], rollback: undefined } })).toEqual({
      ...current,
      alarms: { alarmNames: ['p99', 'api-5xx'], enable: true, rollback: true },
    });
    expect(deploymentConfiguration(current, { taskDefinitionArn: 'x', alarms: { names: ['api-5xx'], rollback: undefined } })?.alarms).toEqual({
      alarmNames: ['api-5xx'],
      enable: true,
      rollback: false,
    });
    expect(deploymentConfiguration(withAlarms, { taskDefinitionArn: 'x', alarms: { names: ['api-5xx'], rollback: false } })?.alarms).toMatchObject({
      rollback: false,
    });
  });
});
