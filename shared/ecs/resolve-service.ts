/**
 * The deploy's first phase: the service as it is (it must exist, be ACTIVE and be deployed by
 * ECS itself), with nothing else deploying to it (refused, or waited for with
 * wait-for-in-progress), and the revision it runs now.
 */
import type { Service, Deployment } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { primaryDeployment } from './assess-rollout.js';
import type { DeployRequest } from './deploy.js';
import type { DeployRun } from './deploy-run.js';
import { pollUntil } from '../core/poll.js';
import { DEFAULT_POLL_INTERVAL_MS, type ServiceSnapshot } from './follow-rollout.js';
import { requireServiceSnapshot } from './require-service.js';
import { revisionName } from './task-definition-source.js';

export interface ResolvedService {
  snapshot: ServiceSnapshot;
  /** The revision the service runs now. */
  previous: string | undefined;
  /** Its PRIMARY deployment before this deploy. */
  previousPrimary: Deployment | undefined;
}

export async function resolveService(request: DeployRequest, run: DeployRun): Promise<ResolvedService> {
  const where = `${request.cluster}/${request.service}`;
  // Waits and rollouts are printed outside groups: a collapsed group would hide the progress
  // people are watching.
  const first = await requireServiceSnapshot(run.ecs, request.cluster, request.service, run.stats);
  // Only services ECS itself deploys: before anything is registered or recorded.
  requireEcsController(first.service, where);
  const snapshot = await waitUntilNoRolloutInProgress(first, request, run.startedAt + request.timeoutMs, run);
  const service = snapshot.service;
  return { snapshot, previous: currentRevision(service, run.logger), previousPrimary: primaryDeployment(service) };
}

function inProgress(service: Service) {
  return (service.deployments ?? []).find((d) => d.rolloutState === 'IN_PROGRESS');
}

/** Refuses, or waits (streaming its events), while another deployment is IN_PROGRESS. */
async function waitUntilNoRolloutInProgress(snapshot: ServiceSnapshot, request: DeployRequest, deadline: number, run: DeployRun): Promise<ServiceSnapshot> {
  const { logger, clock, signal, events } = run;
  let blocking = inProgress(snapshot.service);
  if (!blocking) return snapshot;
  const describe = (d: NonNullable<typeof blocking>) =>
    `deployment ${d.id} of ${revisionName(d.taskDefinition)} (${d.runningCount ?? 0}/${d.desiredCount ?? 0} running, started ${d.createdAt ? d.createdAt.toISOString() : 'at an unknown time'})`;
  if (!request.waitForInProgress) {
    throw new UserError(
      `Another deployment of ${request.cluster}/${request.service} is IN_PROGRESS: ${describe(blocking)}. Not starting a second one on top of it; set wait-for-in-progress: true to wait for it, or retry when it is done.`,
    );
  }
  logger.info(`Waiting for ${describe(blocking)} to finish (wait-for-in-progress).`);
  run.timeline.add(`waiting for ${blocking.id} to finish`);
  events.prime(snapshot.service.events);
  const waited = await pollUntil(
    async () => {
      const now = await requireServiceSnapshot(run.ecs, request.cluster, request.service, run.stats);
      for (const e of events.take(now.service.events)) logger.info(`  event: ${e.message ?? ''}`);
      const still = inProgress(now.service);
      if (!still) return now;
      blocking = still;
      return undefined;
    },
    { deadline, intervalMs: request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, clock, signal, sleepFirst: true },
  );
  if (waited.state === 'cancelled') throw new UserError('Cancelled while waiting for another deployment to finish; nothing was changed.');
  if (waited.state === 'timed-out') throw new UserError(`Timed out waiting for ${describe(blocking)} to finish; nothing was changed.`);
  run.timeline.add('the other deployment finished');
  return waited.value;
}

/**
 * CODE_DEPLOY and EXTERNAL services are deployed by CodeDeploy or through task sets; UpdateService
 * cannot roll out a revision to them. Refused before anything is registered or recorded.
 */
function requireEcsController(service: Service, where: string): void {
  const controller = service.deploymentController?.type ?? 'ECS';
  if (controller === 'ECS') return;
  const instead =
    controller === 'CODE_DEPLOY'
      ? 'deploy it with AWS CodeDeploy (aws-actions/amazon-ecs-deploy-task-definition with codedeploy-appspec), or re-create the service with the ECS deployment controller and its BLUE_GREEN strategy'
      : 'deploy it through its task sets (CreateTaskSet / UpdateServicePrimaryTaskSet) with the tool that manages it';
  throw new UserError(
    `${where} uses the ${controller} deployment controller; ecs-rolling-deploy rolls out only services with the ECS deployment controller (UpdateService cannot change a ${controller} service's task definition). Nothing was registered or changed.`,
    { hint: `To deploy it, ${instead}.` },
  );
}

/**
 * The revision the service runs: its taskDefinition, which ECS keeps equal to the PRIMARY
 * deployment's. When they differ (the service is being changed right now) the service's own
 * field is taken and the difference shown.
 */
function currentRevision(service: Service, logger: Logger): string | undefined {
  const primary = primaryDeployment(service);
  if (primary?.taskDefinition && service.taskDefinition && primary.taskDefinition !== service.taskDefinition) {
    logger.warning(
      `The service's task definition (${revisionName(service.taskDefinition)}) is not its PRIMARY deployment's (${revisionName(primary.taskDefinition)}); taking the service's as the current revision.`,
    );
  }
  return service.taskDefinition ?? primary?.taskDefinition;
}
