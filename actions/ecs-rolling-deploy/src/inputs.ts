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
import type { AlarmsRequest } from '../../../shared/ecs/deployment-alarms.js';

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
  /** undefined: the service's deployment alarms are left as they are. */
  alarms: AlarmsRequest | undefined;
  bakeMs: number;
  wait: boolean;
  waitForInProgress: boolean;
  timeoutMs: number;
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
  const alarms = readAlarms(inputs);
  const bakeMs = inputs.duration('bake-time', 0);
  const { wait, waitForInProgress, timeoutMs, maxFailedTasks } = readFollowInputs(inputs);
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
    alarms,
    bakeMs,
    wait,
    waitForInProgress,
    timeoutMs,
    maxFailedTasks,
    rollbackOnFailure,
    forceNewDeployment,
    userTags,
    token,
    environment,
    region,
  };
}

/** CloudWatch alarm names are 1–255 characters; no commas (ECS's list), one a line. */
const ALARM_NAME = /^[^,\s][^,]{0,254}$/;

function readAlarms(inputs: Inputs): AlarmsRequest | undefined {
  const names = inputs.lines('alarms');
  for (const name of names) {
    if (!ALARM_NAME.test(name)) throw new InputError('alarms', name, 'CloudWatch alarm names of 1 to 255 characters, one per line (no commas)');
  }
  const rollbackText = inputs.string('alarm-rollback', 'keep').trim().toLowerCase();
  if (rollbackText !== 'keep' && rollbackText !== 'true' && rollbackText !== 'false') {
    throw new InputError('alarm-rollback', inputs.raw('alarm-rollback'), "`keep` (the service's own setting), `true` or `false`");
  }
  if (names.length === 0) {
    if (rollbackText !== 'keep') throw new InputError('alarm-rollback', inputs.raw('alarm-rollback'), '`keep` unless `alarms` names the alarms it applies to');
    return undefined;
  }
  return { names: [...new Set(names)], rollback: rollbackText === 'keep' ? undefined : rollbackText === 'true' };
}
