/**
 * Where a service is right now, in one line — `app:1 0/2 running, FAILED; app:2 2/2 running` —
 * for the message of a rollback that did not complete. Best effort: empty when ECS cannot say.
 */
import { describeService } from '../ecs/follow-rollout.js';
import type { EcsSender } from '../ecs/raw-json.js';
import { revisionName } from '../ecs/task-definition-source.js';

export async function describeServiceNow(ecs: EcsSender, cluster: string, service: string): Promise<string> {
  try {
    const now = await describeService(ecs, cluster, service);
    return (now?.deployments ?? [])
      .map(
        (d) =>
          `${revisionName(d.taskDefinition)} ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running${d.rolloutState && d.rolloutState !== 'COMPLETED' ? `, ${d.rolloutState}` : ''}`,
      )
      .join('; ');
  } catch {
    return '';
  }
}
