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

  it('keeps CloudWatch alarm rollbacks configured on the service', () => {
    const alarms = { alarmNames: ['p99'], enable: true, rollback: true };
    expect(deploymentConfiguration({ ...current, alarms }, { taskDefinitionArn: 'x', maximumPercent: 200 })?.alarms).toEqual(alarms);
  });

  it('works for a service that reports no configuration', () => {
    expect(deploymentConfiguration(undefined, { taskDefinitionArn: 'x', circuitBreaker: { enable: true, rollback: false } })).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: false },
    });
  });
});
