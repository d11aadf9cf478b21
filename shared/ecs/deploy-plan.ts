/**
 * The plan: everything a deploy will do, decided once from the request and the service as it is,
 * before anything is registered or changed. Nothing after it decides these again: the strategy
 * (strategy-choice.ts), the deployment configuration to send (or none: only what was asked to
 * change is sent), the bake, the deadline (deadline.ts), the alarms to watch, the revision to start
 * from and the one to return to, and every refusal that needs the service.
 *
 * A plain value: what a dry run would print and what the release record stores.
 */
import type { AlarmPlan } from './deployment-alarms.js';
import { planAlarms } from './deployment-alarms.js';
import { decideDeadline } from './deadline.js';
import type { DeployRequest } from './deploy.js';
import type { ResolvedService } from './resolve-service.js';
import type { ServiceSettings } from './service-settings.js';
import { decideStrategy } from './strategy-choice.js';
import type { TaskDefinitionSource } from './task-definition-source.js';
import { deploymentConfiguration } from './update-service.js';
import type { VerifyStage } from './verification-gate.js';

type Json = Record<string, unknown>;

export interface DeployPlan {
  cluster: string;
  service: string;
  /** `cluster/service`, for messages. */
  where: string;
  /** The revision the service runs now: what a failed deploy returns to. */
  previousTaskDefinitionArn: string | undefined;
  /** Its deployment had FAILED: no place to roll back to (unless ECS goes there itself). */
  previousFailed: boolean;
  /** The service's desired count before, restored by a rollback when this deploy changes it. */
  previousDesiredCount: number | undefined;
  /** Where the revision comes from, and whether a new one may be registered. */
  revision: { source: TaskDefinitionSource; register: 'if-changed' | 'never' };
  /** The strategy ECS deploys with (ROLLING, BLUE_GREEN, CANARY, LINEAR). */
  strategy: string;
  /** The deploymentConfiguration UpdateService sends; undefined: none is sent. */
  deploymentConfiguration: Json | undefined;
  desiredCount: number | undefined;
  forceNewDeployment: boolean;
  serviceSettings: ServiceSettings | undefined;
  /** `bake-time` under a rolling update (this action watches it); a native bake is in the configuration. */
  rollingBakeMs: number | undefined;
  startedAt: number;
  /** Clock time by which everything is done. */
  deadline: number;
  /** What the bakes and hooks added to the timeout (timeout: auto), said in the log. */
  deadlineNote: string | undefined;
  alarms: AlarmPlan | undefined;
  /** The verification gate: the follow ends `paused` at this stage. */
  pauseAt: { stage: VerifyStage; timeoutInMinutes: number } | undefined;
  onFailure: 'roll-back' | 'stop';
  /** false: stop once the service is updated (status `started`). */
  wait: boolean;
  maxFailedTasks: number;
  pollIntervalMs: number | undefined;
  /** A task to run before the update (pre-deploy), or as all there is (run-task). */
  task: 'none' | 'pre-deploy' | 'only';
}

export function planDeploy(request: DeployRequest, resolved: ResolvedService, startedAt: number): DeployPlan {
  const where = `${request.cluster}/${request.service}`;
  const { service, raw } = resolved.snapshot;
  const current = raw.deploymentConfiguration as Json | undefined;
  const onFailure = request.onFailure ?? 'roll-back';
  const { strategy, choice, rollingBakeMs } = decideStrategy(request.strategy, request.bakeMs, service, where, request.verifyAt, request.minimumHealthyPercent);
  const configuration = deploymentConfiguration(current, {
    taskDefinitionArn: '',
    minimumHealthyPercent: request.minimumHealthyPercent,
    maximumPercent: request.maximumPercent,
    circuitBreaker:
      request.circuitBreaker === undefined ? undefined : { enable: request.circuitBreaker, rollback: request.circuitBreaker && onFailure === 'roll-back' },
    alarms: request.alarms,
    strategy: choice,
    verificationGate: request.verifyAt,
  });
  // The gate's own hook is answered by a resume, not waited through: its timeout adds nothing.
  const deadline = decideDeadline(
    startedAt,
    request.timeoutMs,
    request.timeoutCoversBakes,
    configuration ? { ...configuration, lifecycleHooks: current?.lifecycleHooks } : current,
  );
  const previousPrimary = resolved.previousPrimary;
  return {
    cluster: request.cluster,
    service: request.service,
    where,
    previousTaskDefinitionArn: resolved.previous,
    previousFailed: previousPrimary?.rolloutState === 'FAILED' && previousPrimary.taskDefinition === resolved.previous,
    previousDesiredCount: service.desiredCount,
    revision: { source: request.taskDefinition, register: request.register ?? 'if-changed' },
    strategy,
    deploymentConfiguration: configuration,
    desiredCount: request.desiredCount,
    forceNewDeployment: request.forceNewDeployment ?? false,
    serviceSettings: request.serviceSettings,
    rollingBakeMs,
    startedAt,
    deadline: deadline.at,
    deadlineNote: deadline.note,
    alarms: planAlarms(request.alarms, current),
    pauseAt: request.verifyAt,
    onFailure,
    wait: request.wait !== false,
    maxFailedTasks: request.maxFailedTasks,
    pollIntervalMs: request.pollIntervalMs,
    task: request.runTaskOnly ? 'only' : request.preDeploy ? 'pre-deploy' : 'none',
  };
}
