import type { Service } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import { describeServiceRaw, type FollowStats, type ServiceSnapshot } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';

/**
 * The service a deploy or rollback acts on, or a UserError naming the `cluster` or `service`
 * input when it does not exist or is not ACTIVE — before anything is changed.
 */
export async function requireService(ecs: EcsSender, cluster: string, name: string, stats?: FollowStats): Promise<Service> {
  return (await requireServiceSnapshot(ecs, cluster, name, stats)).service;
}

/** As requireService, with the service's raw JSON (members the SDK's model does not know kept). */
export async function requireServiceSnapshot(ecs: EcsSender, cluster: string, name: string, stats?: FollowStats): Promise<ServiceSnapshot> {
  let snapshot: ServiceSnapshot | undefined;
  try {
    snapshot = await describeServiceRaw(ecs, cluster, name, stats);
  } catch (error) {
    if ((error as { name?: string }).name === 'ClusterNotFoundException') {
      throw new UserError(`Input 'cluster' has an invalid value ${JSON.stringify(cluster)}: no such ECS cluster in this account and region.`);
    }
    throw error;
  }
  const service = snapshot?.service;
  if (!snapshot || service?.status !== 'ACTIVE') {
    throw new UserError(
      `Input 'service' has an invalid value ${JSON.stringify(name)}: no ACTIVE service of that name in cluster '${cluster}'${service ? ` (it is ${service.status})` : ''}.`,
    );
  }
  return snapshot;
}
