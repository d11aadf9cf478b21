/**
 * The record phase, on ECS's side: the revision's own record of how its deploy ended (the audit
 * trail without a GitHub token), for deploy and resume alike. A failure to tag is a warning, never
 * a failed deploy.
 */
import type { Logger } from '../core/logger.js';
import type { DeployStatus } from './deploy.js';
import type { EcsSender } from './raw-json.js';
import { tagResource } from './register-task-definition.js';
import { DEPLOYMENT_TAG, OUTCOME_TAG } from './revision-tags.js';
import { revisionName } from './task-definition-source.js';

export async function tagOutcome(
  ecs: EcsSender,
  taskDefinitionArn: string | undefined,
  result: { status: DeployStatus; deploymentId?: string | undefined },
  logger: Logger,
): Promise<void> {
  if (!taskDefinitionArn) return;
  try {
    await tagResource(ecs, taskDefinitionArn, [
      { key: OUTCOME_TAG, value: result.status },
      ...(result.deploymentId ? [{ key: DEPLOYMENT_TAG, value: result.deploymentId }] : []),
    ]);
  } catch (error) {
    logger.warning(`Could not tag ${revisionName(taskDefinitionArn)} with the outcome: ${(error as Error).message}`);
  }
}
