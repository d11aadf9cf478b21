import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { readStructuredInput } from '../../../shared/core/structured-input.js';
import { parseCommand, readTaskDefinitionChanges } from '../../../shared/ecs/task-definition-changes.js';
import type { PreDeployTask } from '../../../shared/ecs/deploy.js';
import type { TaskPlacement } from '../../../shared/ecs/one-off-task.js';
import type { TaskDefinitionChanges } from '../../../shared/ecs/render-task-definition.js';
import { classifyTaskDefinitionInput, type TaskDefinitionSource } from '../../../shared/ecs/task-definition-source.js';
import type { EcsTag } from '../../../shared/ecs/revision-tags.js';
import { readFollowInputs } from '../../../shared/ecs/follow-inputs.js';
import { readServiceSettingInputs, type ServiceSettings } from '../../../shared/ecs/service-settings-input.js';
import type { AlarmsRequest } from '../../../shared/ecs/deployment-alarms.js';
import { readStrategyChoice, type StrategyChoice } from '../../../shared/ecs/strategy-choice.js';
import { readVerificationGate, type VerificationGate } from '../../../shared/ecs/verification-gate.js';
import type { ResumeAction } from '../../../shared/ecs/resume-deployment.js';

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
  /** `bake-time`: undefined when not given (a native strategy's bake is then the service's). */
  bakeMs: number | undefined;
  /** strategy, bake-time, canary-* and linear-* inputs; undefined keeps the service's. */
  strategy: StrategyChoice | undefined;
  /** `verify-at` / `verify-timeout`: the PAUSE hook this deploy waits at; undefined: none. */
  verifyAt: VerificationGate | undefined;
  /**
   * `resume`: act on a paused service deployment instead of deploying. `githubDeploymentId`: the
   * paused deploy's GitHub deployment (with a token; undefined: looked up by the revision).
   */
  resume: { action: ResumeAction; serviceDeploymentArn: string; hookId: string; githubDeploymentId: number | undefined } | undefined;
  wait: boolean;
  waitForInProgress: boolean;
  timeoutMs: number;
  timeoutAuto: boolean;
  maxFailedTasks: number;
  rollbackOnFailure: boolean;
  forceNewDeployment: boolean;
  serviceSettings: ServiceSettings;
  /** The one-off task to run before the service update (a migration), when `pre-deploy-command` is given. */
  preDeploy: PreDeployTask | undefined;
  /** Run the task (preDeploy, or the container's own command) and stop: no service update. */
  runTask: boolean;
  /** Deregister ACTIVE revisions beyond this many newest after a successful deploy; undefined: keep all. */
  keepRevisions: number | undefined;
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
  const bakeMs = inputs.optionalDuration('bake-time');
  const strategy = readStrategyChoice(inputs);
  const verifyAt = readVerificationGate(inputs, inputs.optionalString('strategy'));
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  const resume = readResume(inputs, taskDefinitionText, changes, token !== undefined);
  if (resume && verifyAt) throw new InputError('verify-at', inputs.raw('verify-at'), 'empty with `resume` (a resume deploys nothing)');
  const { wait, waitForInProgress, timeoutMs, timeoutAuto, maxFailedTasks } = readFollowInputs(inputs);
  const rollbackOnFailure = inputs.boolean('rollback-on-failure', true);
  const forceNewDeployment = inputs.boolean('force-new-deployment', false);
  const serviceSettings = await readServiceSettingInputs(inputs, workspace);
  const keepRevisions = inputs.optionalInteger('keep-revisions', { min: 1 });
  const runTask = inputs.boolean('run-task', false);
  const preDeploy = readPreDeployTask(inputs, runTask);
  if (preDeploy) {
    const placement = await readTaskPlacement(inputs, workspace);
    if (placement) preDeploy.placement = placement;
  }
  const userTags: EcsTag[] = [...inputs.keyValues('tags', { keyPattern: /^[^\s=][^=]{0,127}$/, keyDescription: 'a tag key of at most 128 characters' })].map(
    ([key, value]) => ({ key, value }),
  );
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
    strategy,
    verifyAt,
    resume,
    wait,
    waitForInProgress,
    timeoutMs,
    timeoutAuto,
    maxFailedTasks,
    rollbackOnFailure,
    forceNewDeployment,
    serviceSettings,
    keepRevisions,
    preDeploy,
    runTask,
    userTags,
    token,
    environment,
    region,
  };
}

/**
 * `resume: continue|rollback` with `service-deployment-arn` and `hook-id`: the step only answers
 * the paused hook. Inputs that would deploy something are refused, so a resume never registers or
 * updates anything by mistake.
 */
function readResume(inputs: Inputs, taskDefinitionText: string | undefined, changes: TaskDefinitionChanges, hasToken: boolean): DeployInputs['resume'] {
  const action = inputs.optionalString('resume') === undefined ? '' : inputs.choice('resume', ['continue', 'rollback'] as const, 'continue');
  const serviceDeploymentArn = inputs.optionalString('service-deployment-arn');
  const hookId = inputs.optionalString('hook-id');
  const deploymentIdText = inputs.optionalString('github-deployment-id');
  if (action === '') {
    if (serviceDeploymentArn !== undefined)
      throw new InputError('service-deployment-arn', serviceDeploymentArn, 'empty unless `resume` is `continue` or `rollback`');
    if (hookId !== undefined) throw new InputError('hook-id', hookId, 'empty unless `resume` is `continue` or `rollback`');
    if (deploymentIdText !== undefined)
      throw new InputError('github-deployment-id', deploymentIdText, 'empty unless `resume` is `continue` or `rollback` (a deploy creates its own record)');
    return undefined;
  }
  let githubDeploymentId: number | undefined;
  if (deploymentIdText !== undefined) {
    githubDeploymentId = /^\d{1,15}$/.test(deploymentIdText) ? Number(deploymentIdText) : 0;
    if (githubDeploymentId < 1)
      throw new InputError('github-deployment-id', deploymentIdText, "the paused deploy step's github-deployment-id output (a whole number)");
    if (!hasToken)
      throw new InputError('github-token', undefined, `a token (deployments: write) to update GitHub deployment ${githubDeploymentId} (github-deployment-id)`);
  }
  if (!serviceDeploymentArn || !/^arn:aws[\w-]*:ecs:[^:]*:\d*:service-deployment\/.+/.test(serviceDeploymentArn)) {
    throw new InputError(
      'service-deployment-arn',
      serviceDeploymentArn,
      'the service-deployment-arn output of the paused deploy step (arn:aws:ecs:…:service-deployment/…)',
    );
  }
  if (!hookId) throw new InputError('hook-id', undefined, 'the hook-id output of the paused deploy step');
  if (taskDefinitionText !== undefined) throw new InputError('task-definition', taskDefinitionText, 'empty with `resume` (a resume deploys nothing)');
  if (changes.images.size > 0) throw new InputError('container-images', inputs.raw('container-images'), 'empty with `resume` (a resume deploys nothing)');
  return { action, serviceDeploymentArn, hookId, githubDeploymentId };
}

/** `pre-deploy-command` with its container and timeout; the container and timeout alone mean nothing. */
function readPreDeployTask(inputs: Inputs, runTask: boolean): PreDeployTask | undefined {
  const text = inputs.optionalString('pre-deploy-command');
  const container = inputs.optionalString('pre-deploy-container');
  const timeoutMs = inputs.duration('pre-deploy-timeout', 10 * 60_000);
  if (text === undefined && !runTask) {
    if (container !== undefined) throw new InputError('pre-deploy-command', undefined, 'the command to run in pre-deploy-container before the service update');
    return undefined;
  }
  if (container !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(container)) {
    throw new InputError('pre-deploy-container', container, 'a container name (letters, digits, `-` and `_`)');
  }
  if (timeoutMs <= 0) throw new InputError('pre-deploy-timeout', inputs.raw('pre-deploy-timeout'), 'a duration above zero, such as `10m`');
  // With run-task and no command, the container runs its own.
  const command = text === undefined ? undefined : (parseCommand(text, 'pre-deploy-command') ?? undefined);
  return { command, container, timeoutMs };
}

/** `pre-deploy-network-configuration`, `pre-deploy-launch-type`, `pre-deploy-capacity-provider-strategy`: each replaces the service's. */
async function readTaskPlacement(inputs: Inputs, workspace: string): Promise<TaskPlacement | undefined> {
  const network = await readStructuredInput(inputs, 'pre-deploy-network-configuration', { workspace });
  const launchType = inputs.optionalString('pre-deploy-launch-type');
  if (launchType !== undefined) inputs.choice('pre-deploy-launch-type', ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'], 'FARGATE');
  const strategy = await readStructuredInput(inputs, 'pre-deploy-capacity-provider-strategy', { workspace });
  if (launchType !== undefined && strategy !== undefined) {
    throw new InputError(
      'pre-deploy-capacity-provider-strategy',
      inputs.raw('pre-deploy-capacity-provider-strategy'),
      'no strategy when pre-deploy-launch-type is given (RunTask takes one or the other)',
    );
  }
  const placement: TaskPlacement = {};
  if (network !== undefined) {
    const v = network.value as Record<string, unknown> | undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.awsvpcConfiguration !== 'object') {
      throw new InputError(
        'pre-deploy-network-configuration',
        inputs.raw('pre-deploy-network-configuration').slice(0, 80),
        'a NetworkConfiguration object, e.g. `{"awsvpcConfiguration": {"subnets": ["subnet-…"], "securityGroups": ["sg-…"]}}`',
      );
    }
    placement.networkConfiguration = v;
  }
  if (launchType !== undefined) placement.launchType = launchType;
  if (strategy !== undefined) {
    const v = strategy.value;
    if (
      !Array.isArray(v) ||
      v.length === 0 ||
      !v.every((i) => typeof i === 'object' && i !== null && typeof (i as Record<string, unknown>).capacityProvider === 'string')
    ) {
      throw new InputError(
        'pre-deploy-capacity-provider-strategy',
        inputs.raw('pre-deploy-capacity-provider-strategy').slice(0, 80),
        'a list of `{capacityProvider, weight, base}` items, e.g. `[{"capacityProvider": "FARGATE_SPOT", "weight": 1}]`',
      );
    }
    placement.capacityProviderStrategy = v as Record<string, unknown>[];
  }
  return Object.keys(placement).length > 0 ? placement : undefined;
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
