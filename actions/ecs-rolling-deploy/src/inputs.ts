import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { parseCommand, parseTaskDefinitionChanges } from '../../../shared/ecs/task-definition-changes.js';
import type { DeployRequest, PreDeployTask } from '../../../shared/ecs/deploy.js';
import { parseDeployTimeout } from '../../../shared/ecs/deploy-timeout.js';
import type { TaskPlacement } from '../../../shared/ecs/one-off-task.js';
import { parseTaskPlacement } from '../../../shared/ecs/task-placement.js';
import type { TaskDefinitionChanges } from '../../../shared/ecs/render-task-definition.js';
import { parseTaskDefinitionSource } from '../../../shared/ecs/task-definition-source.js';
import type { EcsTag } from '../../../shared/ecs/revision-tags.js';
import type { AlarmsRequest } from '../../../shared/ecs/deployment-alarms.js';
import { readStructuredInput } from '../../../shared/core/structured-input.js';
import { parsePlannedInput } from '../../../shared/ecs/plan-gate.js';
import { parseServiceList } from '../../../shared/ecs/service-list.js';
import { readServiceSettingInputs } from './service-settings-inputs.js';
import { readStrategyChoice, readVerificationGate } from './strategy-inputs.js';

/** Every input of ecs-rolling-deploy, checked before the AWS SDK is even loaded. */
export interface DeployInputs {
  /** The engine's request as the inputs ask it; main adds only the revision's provenance tags (from the run). */
  request: DeployRequest;
  /** `service`: the first is `request.service`; several are one release (deploy-services.ts). */
  services: string[];
  /** `tags`: the user's tags for a registered revision. */
  userTags: EcsTag[];
  /** Deregister ACTIVE revisions beyond this many newest after a successful deploy; undefined: keep all. */
  keepRevisions: number | undefined;
  token: string | undefined;
  environment: string | undefined;
  region: string | undefined;
}

export async function readInputs(inputs: Inputs, workspace: string): Promise<DeployInputs> {
  // Everything the user can get wrong is checked here, before the AWS SDK is even loaded.
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const services = parseServiceList(inputs.given('service'));
  if (services.length > 1) refuseWithSeveralServices(inputs);
  const service = services[0]!;
  const taskDefinition = await parseTaskDefinitionSource(inputs.given('task-definition'), workspace);
  const changes = readTaskDefinitionChanges(inputs);
  const minimumHealthyPercent = inputs.optionalInteger('minimum-healthy-percent', { min: 0, max: 100 });
  const maximumPercent = inputs.optionalInteger('maximum-percent', { min: 100, max: 200 });
  if (minimumHealthyPercent !== undefined && maximumPercent !== undefined && minimumHealthyPercent >= maximumPercent) {
    throw new InputError('minimum-healthy-percent', String(minimumHealthyPercent), `a percentage below maximum-percent (${maximumPercent})`);
  }
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  const { timeoutMs, timeoutAuto } = parseDeployTimeout(inputs.given('timeout'));
  const preDeploy = readPreDeployTask(inputs);
  if (preDeploy) {
    const placement = await readTaskPlacement(inputs, workspace);
    if (placement) preDeploy.placement = placement;
  }
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);
  const request: DeployRequest = {
    cluster,
    service,
    taskDefinition,
    changes,
    desiredCount: inputs.optionalInteger('desired-count', { min: 0 }),
    minimumHealthyPercent,
    maximumPercent,
    circuitBreaker: readCircuitBreaker(inputs),
    strategy: readStrategyChoice(inputs, minimumHealthyPercent),
    forceNewDeployment: inputs.boolean('force-new-deployment', false),
    serviceSettings: await readServiceSettingInputs(inputs, workspace),
    wait: inputs.boolean('wait', true),
    timeoutMs,
    timeoutCoversBakes: timeoutAuto,
    maxFailedTasks: inputs.integer('max-failed-tasks', 2, { min: 1 }),
    onFailure: inputs.boolean('rollback-on-failure', true) ? 'roll-back' : 'stop',
    waitForInProgress: inputs.boolean('wait-for-in-progress', false),
    preDeploy,
    alarms: readAlarms(inputs),
    bakeMs: inputs.optionalDuration('bake-time'),
    verifyAt: readVerificationGate(inputs, inputs.optionalString('strategy')),
    ...(await readPlanInputs(inputs, workspace)),
  };
  const userTags: EcsTag[] = [...inputs.keyValues('tags', { keyPattern: /^[^\s=][^=]{0,127}$/, keyDescription: 'a tag key of at most 128 characters' })].map(
    ([key, value]) => ({ key, value }),
  );
  const keepRevisions = inputs.optionalInteger('keep-revisions', { min: 1 });
  return { request, services, userTags, keepRevisions, token, environment: inputs.optionalString('github-environment'), region };
}

/**
 * With several services (one release, all or nothing: shared/ecs/deploy-services.ts), the inputs
 * whose meaning is one service's, or that would leave a release half done, are refused here, before
 * anything is read from AWS. The refusals that need the services (a native strategy, one family on
 * two revisions) are the release's (shared/ecs/release-refusals.ts).
 */
function refuseWithSeveralServices(inputs: Inputs): void {
  const several = 'when `service` names several services';
  const refuse = (name: string, expected: string) => {
    throw new InputError(name, inputs.raw(name), `${expected} ${several}`);
  };
  if (inputs.boolean('plan', false)) refuse('plan', "`false` (a plan is one service's: plan each service in a step of its own)");
  if (inputs.optionalString('planned') !== undefined) refuse('planned', "empty (an approved plan is one service's)");
  if (inputs.optionalString('verify-at') !== undefined) refuse('verify-at', 'empty (a verification gate pauses one native service deployment)');
  if (inputs.optionalString('pre-deploy-command') !== undefined) refuse('pre-deploy-command', 'empty (run the migration in a step before the release)');
  if (inputs.optionalString('desired-count') !== undefined) refuse('desired-count', 'empty (each service keeps its own desired count)');
  if (inputs.optionalString('keep-revisions') !== undefined) refuse('keep-revisions', 'empty (prune revisions in a step of its own)');
  if (!inputs.boolean('wait', true)) refuse('wait', '`true` (a release of several services is all or nothing, so it is followed to its end)');
  if (!inputs.boolean('rollback-on-failure', true)) refuse('rollback-on-failure', '`true` (a release of several services is all or nothing)');
}

/**
 * `plan` (plan only: nothing changed) and `planned` (the plan a deploy must match, inline JSON or a
 * file). Together they mean nothing; with `planned`, waiting for another deployment
 * (wait-for-in-progress) would deploy onto a service that moved since the plan, so that is refused
 * too. Every other input is given with `planned` as it was given to the plan (the gate compares).
 */
async function readPlanInputs(inputs: Inputs, workspace: string): Promise<Pick<DeployRequest, 'planOnly' | 'planned'>> {
  const planOnly = inputs.boolean('plan', false);
  const read = await readStructuredInput(inputs, 'planned', { workspace });
  if (!read) return { planOnly };
  const given = read.source === 'inline' ? '(an inline plan)' : read.source;
  if (planOnly)
    throw new InputError('planned', given, 'empty with `plan: true` (a plan step makes the plan; the deploy step after the approval takes it in `planned`)');
  if (inputs.boolean('wait-for-in-progress', false)) {
    throw new InputError(
      'wait-for-in-progress',
      inputs.raw('wait-for-in-progress'),
      '`false` with `planned`: a deploy that waited for another one would start from a service that moved since the plan',
    );
  }
  return { planOnly, planned: { plan: parsePlannedInput(read.value, 'planned', given), input: 'planned' } };
}

/** The render inputs, parsed by the engine's parser with their names for its errors. */
export function readTaskDefinitionChanges(inputs: Inputs): TaskDefinitionChanges {
  return parseTaskDefinitionChanges({
    containerImages: inputs.given('container-images'),
    environment: inputs.given('environment'),
    secrets: inputs.given('secrets'),
    dockerLabels: inputs.given('docker-labels'),
    command: inputs.given('command'),
    envFiles: inputs.given('env-files'),
    logDriver: inputs.given('log-driver'),
    logOptions: inputs.given('log-options'),
  });
}

/**
 * `timeout`, as the deploy and the rollback take it (parsed by the engine): kept here for the
 * unit test of `timeout: auto`.
 */
export function readFollowInputs(inputs: Inputs): { timeoutMs: number; timeoutAuto: boolean } {
  return parseDeployTimeout(inputs.given('timeout'));
}

/** The service's deployment configuration is often managed elsewhere (Terraform, CDK): by default it is left exactly as it is. */
function readCircuitBreaker(inputs: Inputs): boolean | undefined {
  const breakerText = inputs.string('circuit-breaker', 'keep').trim().toLowerCase();
  if (breakerText !== 'keep' && breakerText !== 'true' && breakerText !== 'false') {
    throw new InputError('circuit-breaker', inputs.raw('circuit-breaker'), "`keep` (the service's own setting), `true` or `false`");
  }
  return breakerText === 'keep' ? undefined : breakerText === 'true';
}

/** `pre-deploy-command` with its container and timeout; the container and timeout alone mean nothing. */
function readPreDeployTask(inputs: Inputs): PreDeployTask | undefined {
  const text = inputs.optionalString('pre-deploy-command');
  const container = inputs.optionalString('pre-deploy-container');
  const timeoutMs = inputs.duration('pre-deploy-timeout', 10 * 60_000);
  if (text === undefined) {
    if (container !== undefined) throw new InputError('pre-deploy-command', undefined, 'the command to run in pre-deploy-container before the service update');
    return undefined;
  }
  if (container !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(container)) {
    throw new InputError('pre-deploy-container', container, 'a container name (letters, digits, `-` and `_`)');
  }
  if (timeoutMs <= 0) throw new InputError('pre-deploy-timeout', inputs.raw('pre-deploy-timeout'), 'a duration above zero, such as `10m`');
  const command = parseCommand(text, 'pre-deploy-command') ?? undefined;
  return { command, container, containerInput: 'pre-deploy-container', timeoutMs };
}

/** `pre-deploy-network-configuration`, `pre-deploy-launch-type`, `pre-deploy-capacity-provider-strategy`: each replaces the service's. */
function readTaskPlacement(inputs: Inputs, workspace: string): Promise<TaskPlacement | undefined> {
  return parseTaskPlacement(
    {
      networkConfiguration: inputs.given('pre-deploy-network-configuration'),
      launchType: inputs.given('pre-deploy-launch-type'),
      capacityProviderStrategy: inputs.given('pre-deploy-capacity-provider-strategy'),
    },
    workspace,
  );
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
