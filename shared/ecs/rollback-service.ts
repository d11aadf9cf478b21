/**
 * Puts a service back on a known revision and follows that rollout the same way as a deploy.
 * When ECS's circuit breaker has already started that rollback, it is followed rather than
 * started a second time.
 */
import type { Service } from '@aws-sdk/client-ecs';
import { primaryDeployment } from './assess-rollout.js';
import type { FollowDeps, FollowResult } from './follow-rollout.js';
import { rollingFollower } from './rolling-follower.js';
import type { ServiceEventStream } from './service-events.js';
import { revisionName } from './task-definition-source.js';
import { updateService } from './update-service.js';

export interface RollbackOptions {
  cluster: string;
  service: Service;
  /** The revision to go back to. */
  toTaskDefinitionArn: string;
  /** The revision being rolled back (for progress lines). */
  fromTaskDefinitionArn: string;
  /** Restore the desired count the deploy changed. */
  desiredCount?: number | undefined;
  deadline: number;
  events: ServiceEventStream;
  pollIntervalMs?: number | undefined;
  /** Start the rollback but do not follow it (no time left, or the job is being cancelled). */
  follow: boolean;
}

export interface RollbackResult {
  deploymentId: string;
  /** ECS's circuit breaker had already started it. */
  startedByEcs: boolean;
  follow?: FollowResult;
}

export async function rollBackService(options: RollbackOptions, deps: FollowDeps): Promise<RollbackResult> {
  const { logger, timeline } = deps;
  const to = revisionName(options.toTaskDefinitionArn);
  const primary = primaryDeployment(options.service);
  let deploymentId: string;
  let startedByEcs = false;
  if (primary?.id && primary.taskDefinition === options.toTaskDefinitionArn && primary.rolloutState !== 'FAILED') {
    deploymentId = primary.id;
    startedByEcs = true;
    logger.info(`ECS is already rolling back to ${to} (deployment ${deploymentId}); following it.`);
    timeline.add(`ECS rolls back to ${to} (${deploymentId})`);
  } else {
    const update = await updateService(deps.ecs, options.cluster, options.service, {
      taskDefinitionArn: options.toTaskDefinitionArn,
      desiredCount: options.desiredCount,
      // The revision being returned to ran before; if it fails now, leave the service on it
      // rather than let ECS bounce back to the failed one.
      forceNewDeployment: false,
    });
    deploymentId = update.deploymentId;
    logger.info(`Rolling back: service updated to ${to} (deployment ${deploymentId}).`);
    timeline.add(`rollback to ${to} started (${deploymentId})`);
  }
  if (!options.follow) return { deploymentId, startedByEcs };
  const follow = await rollingFollower(deps).follow(
    {
      cluster: options.cluster,
      service: options.service.serviceName ?? options.service.serviceArn ?? '',
      deploymentId,
      taskDefinitionArn: options.toTaskDefinitionArn,
      previousTaskDefinitionArn: options.fromTaskDefinitionArn,
      deadline: options.deadline,
      // ECS's own circuit breaker decides about the revision that worked before.
      maxFailedTasks: Number.POSITIVE_INFINITY,
      events: options.events,
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    },
    deps.signal,
  );
  timeline.add(
    follow.verdict.state === 'completed'
      ? `rollback to ${to} completed`
      : `rollback to ${to} did not complete: ${'reason' in follow.verdict ? follow.verdict.reason : follow.verdict.state}`,
  );
  return { deploymentId, startedByEcs, follow };
}
