/**
 * `rollback to: previous` while a native service deployment (BLUE_GREEN, CANARY, LINEAR) is in
 * progress: the release to leave is the one ECS is rolling out, and the way back is ECS's own —
 * StopServiceDeployment with stopType ROLLBACK, which returns all traffic to the revision that
 * served before (the deployment's source revision), never a second UpdateService.
 */
import { DescribeServiceRevisionsCommand } from '@aws-sdk/client-ecs';
import { requireService } from '../ecs/require-service.js';
import type { EcsSender } from '../ecs/raw-json.js';
import { describeRevision } from '../ecs/revision-history.js';
import { nativeStrategy, readServiceDeployment } from '../ecs/service-deployment.js';
import type { RollbackTarget } from './pick-rollback-target.js';

export interface InProgressNative {
  serviceDeploymentArn: string;
  target: RollbackTarget;
}

export async function inProgressNativeDeployment(ecs: EcsSender, cluster: string, service: string): Promise<InProgressNative | undefined> {
  const svc = await requireService(ecs, cluster, service);
  const arn = nativeStrategy(svc) ? svc.currentServiceDeployment : undefined;
  if (!arn) return undefined;
  const sd = await readServiceDeployment(ecs, arn);
  if (sd?.status !== 'IN_PROGRESS' && sd?.status !== 'PENDING') return undefined;
  const green = sd.targetServiceRevision?.arn;
  const blue = sd.sourceServiceRevisions?.[0]?.arn;
  if (!green || !blue) return undefined;
  const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [green, blue] }));
  const taskDefinitionOf = (revision: string) => out.serviceRevisions?.find((r) => r.serviceRevisionArn === revision)?.taskDefinition;
  const [current, target] = await Promise.all([describeRevision(ecs, taskDefinitionOf(green) ?? ''), describeRevision(ecs, taskDefinitionOf(blue) ?? '')]);
  if (!current || !target || current.arn === target.arn) return undefined;
  return {
    serviceDeploymentArn: arn,
    target: {
      current,
      target,
      source: 'ecs-service-deployments',
      chosenFrom: `the source revision of ${sd.serviceDeploymentArn ?? arn}, ${sd.status}${sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : ''} (stopped with ROLLBACK)`,
      skipped: [],
    },
  };
}
