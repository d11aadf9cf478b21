/**
 * The service's deployment alarms around a rollback: their states before it acts (often the
 * reason for it) and after, so the person who rolled back sees whether it helped. Reading them
 * never stops a rollback: an unreadable alarm is a warning.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { htmlTable } from '../core/summary.js';
import { type AlarmView, type CloudWatchSender, alarmView, describeAlarms } from '../ecs/deployment-alarms.js';
import type { EcsSender } from '../ecs/raw-json.js';

/** The alarm names of the service's deploymentConfiguration.alarms (enabled or not). */
export async function serviceAlarmNames(ecs: EcsSender, cluster: string, service: string): Promise<string[]> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  return out.services?.[0]?.deploymentConfiguration?.alarms?.alarmNames ?? [];
}

/** The alarms' states now, each printed as a line under `when`. */
export async function readAlarmStates(
  names: readonly string[],
  cloudwatch: () => Promise<CloudWatchSender>,
  logger: Logger,
  when: string,
): Promise<AlarmView[]> {
  if (names.length === 0) return [];
  try {
    const found = await describeAlarms(await cloudwatch(), names);
    const views = names.flatMap((n) => {
      const alarm = found.get(n);
      return alarm ? [alarmView(alarm)] : [];
    });
    logger.info(`Deployment alarms ${when}:`);
    for (const v of views) logger.info(`  alarm ${v.name}: ${v.state} (${v.condition}${v.latest ? `; latest ${v.latest}` : ''})`);
    for (const n of names) if (!found.has(n)) logger.info(`  alarm ${n}: does not exist in CloudWatch`);
    return views;
  } catch (error) {
    logger.warning(`Could not read the service's deployment alarms ${when} (${errorMessage(error)}).`);
    return [];
  }
}

/** Before and after side by side, for the job summary. */
export function alarmStatesHtml(before: readonly AlarmView[], after: readonly AlarmView[]): string {
  const names = [...new Set([...before.map((a) => a.name), ...after.map((a) => a.name)])];
  if (names.length === 0) return '';
  const rows = names.map((n) => {
    const b = before.find((a) => a.name === n);
    const a = after.find((x) => x.name === n);
    return [n, (b ?? a)?.condition, b?.state ?? '?', b?.latest, a?.state ?? '?', a?.latest];
  });
  return `<p><b>Deployment alarms</b></p>\n${htmlTable(['alarm', 'condition', 'before', 'latest before', 'after', 'latest after'], rows)}`;
}
