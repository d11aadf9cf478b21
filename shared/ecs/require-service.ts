import type { Service } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import { describeService, type FollowStats } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';

/**
 * The service a deploy or rollback acts on, or a UserError naming the `cluster` or `service`
 * input when it does not exist or is not ACTIVE — before anything is changed.
 */
export async function requireService(ecs: EcsSender, cluster: string, name: string, stats?: FollowStats): Promise<Service> {
  let service: Service | undefined;
  try {
    service = await describeService(ecs, cluster, name, stats);
  } catch (error) {
    if ((error as { name?: string }).name === 'ClusterNotFoundException') {
      throw new UserError(`Input 'cluster' has an invalid value ${JSON.stringify(cluster)}: no such ECS cluster in this account and region.`);
    }
    throw error;
  }
  if (service?.status !== 'ACTIVE') {
    throw new UserError(
      `Input 'service' has an invalid value ${JSON.stringify(name)}: no ACTIVE service of that name in cluster '${cluster}'${service ? ` (it is ${service.status})` : ''}.`,
    );
  }
  return service;
}
