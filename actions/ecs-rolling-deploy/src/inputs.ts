import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { readStructuredInput } from '../../../shared/core/structured-input.js';
import { readTaskDefinitionChanges } from '../../../shared/ecs/task-definition-changes.js';
import type { TaskDefinitionChanges } from '../../../shared/ecs/render-task-definition.js';
import { classifyTaskDefinitionInput, type TaskDefinitionSource } from '../../../shared/ecs/task-definition-source.js';
import type { EcsTag } from '../../../shared/ecs/revision-tags.js';
import { readFollowInputs } from '../../../shared/ecs/follow-inputs.js';
import { readStrategyChoice, type StrategyChoice } from '../../../shared/ecs/strategy-choice.js';

/** Every input of ecs-rolling-deploy, checked before the AWS SDK is even loaded. */
export interface DeployInputs {
  cluster: string;
  service: string;
  taskDefinition: TaskDefinitionSource;
  changes: TaskDefinitionChanges;
  desiredCount: number | undefined;
  minimumHealthyPercent: number | undefined;
  maximumPercent: number | undefined;
  /** undefined: keep the service's own setting. */
  circuitBreaker: boolean | undefined;
  /** strategy, bake-time, canary-* and linear-* inputs; undefined keeps the service's. */
  strategy: StrategyChoice | undefined;
  wait: boolean;
  waitForInProgress: boolean;
  timeoutMs: number;
  timeoutAuto: boolean;
  maxFailedTasks: number;
  rollbackOnFailure: boolean;
  forceNewDeployment: boolean;
  userTags: EcsTag[];
  token: string | undefined;
  environment: string | undefined;
  region: string | undefined;
}

export async function readInputs(inputs: Inputs, workspace: string): Promise<DeployInputs> {
  // Everything the user can get wrong is checked here, before the AWS SDK is even loaded.
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  const taskDefinitionText = inputs.optionalString('task-definition');
  const kind = classifyTaskDefinitionInput(taskDefinitionText, (name) => existsSync(path.resolve(workspace, name)));
  const changes = readTaskDefinitionChanges(inputs);
  const desiredCount = inputs.optionalInteger('desired-count', { min: 0 });
  const minimumHealthyPercent = inputs.optionalInteger('minimum-healthy-percent', { min: 0, max: 100 });
  const maximumPercent = inputs.optionalInteger('maximum-percent', { min: 100, max: 200 });
  if (minimumHealthyPercent !== undefined && maximumPercent !== undefined && minimumHealthyPercent >= maximumPercent) {
    throw new InputError('minimum-healthy-percent', String(minimumHealthyPercent), `a percentage below maximum-percent (${maximumPercent})`);
  }
  // The service's deployment configuration is often managed elsewhere (Terraform, CDK): by
  // default it is left exactly as it is.
  const breakerText = inputs.string('circuit-breaker', 'keep').trim().toLowerCase();
  if (breakerText !== 'keep' && breakerText !== 'true' && breakerText !== 'false') {
    throw new InputError('circuit-breaker', inputs.raw('circuit-breaker'), "`keep` (the service's own setting), `true` or `false`");
  }
  const circuitBreaker = breakerText === 'keep' ? undefined : breakerText === 'true';
  const strategy = readStrategyChoice(inputs);
  const { wait, waitForInProgress, timeoutMs, timeoutAuto, maxFailedTasks } = readFollowInputs(inputs);
  const rollbackOnFailure = inputs.boolean('rollback-on-failure', true);
  const forceNewDeployment = inputs.boolean('force-new-deployment', false);
  const userTags: EcsTag[] = [...inputs.keyValues('tags', { keyPattern: /^[^\s=][^=]{0,127}$/, keyDescription: 'a tag key of at most 128 characters' })].map(
    ([key, value]) => ({ key, value }),
  );
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  const environment = inputs.optionalString('github-environment');
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);

  let taskDefinition: TaskDefinitionSource;
  if (kind === 'service') taskDefinition = { kind: 'service' };
  else if (kind === 'existing') taskDefinition = { kind: 'existing', ref: taskDefinitionText! };
  else {
    const read = await readStructuredInput(inputs, 'task-definition', { workspace });
    taskDefinition = { kind: 'document', document: read?.value, source: read?.source === 'inline' ? 'the task-definition input' : (read?.source ?? '') };
  }

  return {
    cluster,
    service,
    taskDefinition,
    changes,
    desiredCount,
    minimumHealthyPercent,
    maximumPercent,
    circuitBreaker,
    strategy,
    wait,
    waitForInProgress,
    timeoutMs,
    timeoutAuto,
    maxFailedTasks,
    rollbackOnFailure,
    forceNewDeployment,
    userTags,
    token,
    environment,
    region,
  };
}
