/**
 * The record phase, on ECS's side: the revision's own record of how its deploy ended (the audit
 * trail without a GitHub token). A failure to tag is a warning, never a failed deploy.
 */
import type { Logger } from '../core/logger.js';
import type { DeployResult } from './deploy.js';
import type { EcsSender } from './raw-json.js';
import { tagResource } from './register-task-definition.js';
import { TAG_PREFIX } from './revision-tags.js';
import { revisionName } from './task-definition-source.js';

export async function tagOutcome(
  ecs: EcsSender,
  taskDefinitionArn: string,
  result: Pick<DeployResult, 'status' | 'deploymentId'>,
  logger: Logger,
): Promise<void> {
  try {
    await tagResource(ecs, taskDefinitionArn, [
      { key: `${TAG_PREFIX}outcome`, value: result.status },
      ...(result.deploymentId ? [{ key: `${TAG_PREFIX}deployment`, value: result.deploymentId }] : []),
    ]);
  } catch (error) {
    logger.warning(`Could not tag ${revisionName(taskDefinitionArn)} with the outcome: ${(error as Error).message}`);
  }
}
