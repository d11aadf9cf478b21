/**
 * The update phase: UpdateService with the revision and what the plan sends (never computed
 * again here). A cancellation that arrived before it stops the deploy with ECS untouched; an
 * UpdateService ECS did not answer, and that did not land, says where things stand.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import type { DeployPlan } from './deploy-plan.js';
import type { DeployRun } from './deploy-run.js';
import type { ResolvedRevision } from './resolve-revision.js';
import { revisionName } from './task-definition-source.js';
import { updateService, type ServiceUpdateResult } from './update-service.js';

export async function startUpdate(plan: DeployPlan, revision: ResolvedRevision, service: Service, run: DeployRun): Promise<ServiceUpdateResult> {
  const stillRuns = `still runs ${revisionName(plan.previousTaskDefinitionArn)}${revision.registered ? ` (${revisionName(revision.taskDefinitionArn)} was registered but not deployed)` : ''}`;
  if (run.signal?.aborted) throw new UserError(`Cancelled before the service was updated: ${plan.where} ${stillRuns}.`);
  run.events.prime(service.events);
  return updateService(run.ecs, plan.cluster, service, {
    taskDefinitionArn: revision.taskDefinitionArn,
    desiredCount: plan.desiredCount,
    forceNewDeployment: plan.forceNewDeployment,
    settings: plan.serviceSettings,
    deploymentConfiguration: plan.deploymentConfiguration,
  }).catch((error: unknown) => {
    if (error instanceof UserError) throw error;
    // ECS did not answer (after the SDK's retries), and the service shows no deployment of ours:
    // say where things stand instead of an internal error.
    throw new UserError(`ECS did not answer UpdateService for ${plan.where} (${(error as Error).message}); the service was not updated and ${stillRuns}.`, {
      cause: error,
      hint: 'Run the deploy again once ECS answers; nothing needs undoing.',
    });
  });
}
