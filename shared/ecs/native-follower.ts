/**
 * Follows a deployment ECS runs with a native strategy (BLUE_GREEN, CANARY, LINEAR): the service
 * deployment (DescribeServiceDeployments) is the record of truth, its lifecycle stages, traffic
 * steps and hooks shown as they change (service-deployment.ts); the service's own deployment and
 * tasks are watched too, for events, stop reasons and the failed-task limit. It ends at SUCCESSFUL
 * (after ECS's bake), at ECS's own rollback or stop, at a pause (the verification gate asked
 * for, or one nobody asked for), at a watched alarm, the deadline or a cancellation.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Follower } from './follower.js';
import { pollService, ServiceWatch, type FollowDeps, type FollowResult, type FollowRolloutOptions, type FollowVerdict } from './follow-rollout.js';
import { productionNeverOnGreen, readServiceDeployment, serviceDeploymentVerdict, StageReporter } from './service-deployment.js';
import { awaitingAnyPause, awaitingGate } from './verification-gate.js';

export type NativeFollowPlan = FollowRolloutOptions & { serviceDeploymentArn: string };

export function nativeFollower(deps: FollowDeps): Follower<NativeFollowPlan, FollowResult> {
  return { kind: 'native', follow: (plan, signal) => followNative(plan, deps, signal) };
}

/** Production traffic reached the new revision: a weight above zero, or a stage past the test traffic. */
export function reachedProduction(sd: ServiceDeployment | undefined): boolean {
  if (!sd) return false;
  if (sd.status === 'SUCCESSFUL' || (sd.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) > 0) return true;
  return sd.status === 'IN_PROGRESS' && !productionNeverOnGreen(sd.lifecycleStage);
}

async function followNative(plan: NativeFollowPlan, deps: FollowDeps, signal: AbortSignal | undefined): Promise<FollowResult> {
  const { ecs, logger, clock, timeline, stats } = deps;
  const watch = new ServiceWatch(plan, deps);
  const stages = new StageReporter(clock, plan.deploymentConfiguration);
  let serviceDeployment: ServiceDeployment | undefined;
  let onGreen = false;
  const end = (verdict: FollowVerdict) => {
    const result = watch.end('native', verdict, serviceDeployment);
    return { ...result, served: onGreen ? ('yes' as const) : ('no' as const) };
  };

  const look = async (): Promise<FollowResult | undefined> => {
    const rolling = await watch.look();
    stats.describeServiceDeploymentsCalls = (stats.describeServiceDeploymentsCalls ?? 0) + 1;
    serviceDeployment = await readServiceDeployment(ecs, plan.serviceDeploymentArn);
    if (reachedProduction(serviceDeployment)) onGreen = true;
    const stageLine = stages.update(serviceDeployment, timeline.elapsed());
    if (stageLine) {
      logger.info(stageLine);
      timeline.add(stageLine.replace(/^\[[^\]]*\] /, ''));
    }
    // ECS's record decides: success only when SUCCESSFUL (after the bake), its own rollbacks
    // with the stage they happened at. Of the deployment's view only our failed-task limit counts.
    // A pause nobody here asked for ends the follow too: waiting out the deadline would only
    // end in a rollback the hook's own timeout will do anyway.
    const gate = plan.pauseAt ? awaitingGate(serviceDeployment, plan.pauseAt) : awaitingAnyPause(serviceDeployment);
    if (gate) return end({ state: 'paused', ...gate, asked: plan.pauseAt !== undefined });
    const native = serviceDeploymentVerdict(serviceDeployment, plan.previousTaskDefinitionArn);
    const verdict = native ?? (rolling.state === 'failed' && rolling.cause === 'failed-tasks' ? rolling : { state: 'in-progress' as const });
    // An alarm names the cause better than ECS's bare FAILED; what ECS already acted on stands.
    const caught = verdict.state === 'failed' && verdict.cause !== 'rollout-failed' ? undefined : await plan.check?.(watch.service);
    if (caught) return end(caught);
    return verdict.state === 'in-progress' ? undefined : end(verdict);
  };
  const polled = await pollService(watch.guard(look, end), { deadline: () => plan.deadline, intervalMs: plan.pollIntervalMs }, deps, signal);
  if (polled === 'cancelled') return end({ state: 'failed', cause: 'cancelled', reason: 'the job was cancelled' });
  if (polled === 'timed-out') {
    return end({ state: 'failed', cause: 'timed-out', reason: `the rollout did not complete within the deadline (${stages.where(serviceDeployment)})` });
  }
  return polled;
}
