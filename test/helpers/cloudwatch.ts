/**
 * CloudWatch for tests: a client pointed at the local emulator, and the alarm the issue is about
 * (more than 5 target 5xx answers in a minute on a service's target group).
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import type { LocalEcs, LocalEcsOptions } from '../../local/ecs/index.js';
import { ELB_NAMESPACE } from '../../local/ecs/metrics.js';
import { type LocalEcsEnv, withLocalEcs } from './local-ecs.js';

/**
 * The emulator for alarm tests through a bundle: at 60x an emulated minute (one alarm period) is
 * a real second, while the action's own clock (polls, the bake) runs in real time; 10 requests a
 * second of simulated traffic per load balancer.
 */
export const ALARM_TEST_ECS: LocalEcsOptions = {
  timeScale: 60,
  defaultBehaviour: { startMs: 2_000, healthyAfterMs: 1_000 },
  healthCheck: { intervalMs: 2_000, healthyThreshold: 2 },
  simulatedRequestsPerSecond: 10,
};

export function cloudwatchFor(local: LocalEcs): CloudWatchClient {
  return new CloudWatchClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials, maxAttempts: 1 });
}

/**
 * The emulator for the emulator's own CloudWatch tests (test/local-ecs), with a CloudWatch client:
 * at 60x (an alarm period of a minute is a real second), target-group health checks every emulated
 * second, 10 requests a second of simulated traffic per load balancer. `stop` destroys both
 * clients and stops the emulator.
 */
export type LocalCloudWatchEnv = LocalEcsEnv & { cw: CloudWatchClient };

export async function withLocalCloudWatch(): Promise<LocalCloudWatchEnv> {
  const env = await withLocalEcs({ timeScale: 60, healthCheck: { intervalMs: 1_000, healthyThreshold: 2 }, simulatedRequestsPerSecond: 10 });
  const cw = cloudwatchFor(env.local);
  return {
    ...env,
    cw,
    async stop() {
      cw.destroy();
      await env.stop();
    },
  };
}

/** The dimensions ELB publishes a service's target-group metrics under. */
export function targetGroupDimensions(local: LocalEcs, cluster: string, service: string) {
  const d = local.elbDimensions(cluster, service);
  return [
    { Name: 'TargetGroup', Value: d.TargetGroup },
    { Name: 'LoadBalancer', Value: d.LoadBalancer },
  ];
}

/** `metric` Sum > 5 for 1 minute; a minute without a datapoint is OK (notBreaching). */
export async function putSumOver5Alarm(
  cw: CloudWatchClient,
  name: string,
  metric: { namespace: string; name: string; dimensions?: { Name: string; Value: string }[] },
): Promise<void> {
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: metric.namespace,
      MetricName: metric.name,
      ...(metric.dimensions ? { Dimensions: metric.dimensions } : {}),
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    }),
  );
}

/** HTTPCode_Target_5XX_Count Sum > 5 for 1 minute on the service's target group (ELB publishes no zero counts). */
export async function putTarget5xxAlarm(cw: CloudWatchClient, local: LocalEcs, cluster: string, service: string, name: string): Promise<void> {
  await putSumOver5Alarm(cw, name, { namespace: ELB_NAMESPACE, name: 'HTTPCode_Target_5XX_Count', dimensions: targetGroupDimensions(local, cluster, service) });
}
