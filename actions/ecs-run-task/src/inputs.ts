import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import type { DeployRequest } from '../../../shared/ecs/deploy.js';
import type { TaskPlacement } from '../../../shared/ecs/one-off-task.js';
import type { EcsTag } from '../../../shared/ecs/revision-tags.js';
import { parseCommand, parseTaskDefinitionChanges } from '../../../shared/ecs/task-definition-changes.js';
import { parseTaskDefinitionSource } from '../../../shared/ecs/task-definition-source.js';
import { parseTaskPlacement } from '../../../shared/ecs/task-placement.js';

/** Every input of ecs-run-task, checked before the AWS SDK is even loaded. */
export interface RunTaskInputs {
  /** The engine's request (a deploy that stops at its one-off task); main adds only the revision's provenance tags. */
  request: DeployRequest;
  /** `tags`: the user's tags for a registered revision. */
  userTags: EcsTag[];
  region: string | undefined;
}

export async function readInputs(inputs: Inputs, workspace: string): Promise<RunTaskInputs> {
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  const taskDefinition = await parseTaskDefinitionSource(inputs.given('task-definition'), workspace);
  const changes = parseTaskDefinitionChanges({
    containerImages: inputs.given('container-images'),
    environment: inputs.given('environment'),
    secrets: inputs.given('secrets'),
    dockerLabels: inputs.given('docker-labels'),
    command: inputs.given('command'),
    envFiles: inputs.given('env-files'),
    logDriver: inputs.given('log-driver'),
    logOptions: inputs.given('log-options'),
  });
  const commandText = inputs.optionalString('task-command');
  // No command: the container runs its own.
  const command = commandText === undefined ? undefined : (parseCommand(commandText, 'task-command') ?? undefined);
  const container = inputs.optionalString('task-container');
  if (container !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(container)) {
    throw new InputError('task-container', container, 'a container name (letters, digits, `-` and `_`)');
  }
  const timeoutMs = inputs.duration('timeout', 10 * 60_000);
  if (timeoutMs <= 0) throw new InputError('timeout', inputs.raw('timeout'), 'a duration above zero, such as `10m`');
  const placement = await readTaskPlacement(inputs, workspace);
  const userTags: EcsTag[] = [...inputs.keyValues('tags', { keyPattern: /^[^\s=][^=]{0,127}$/, keyDescription: 'a tag key of at most 128 characters' })].map(
    ([key, value]) => ({ key, value }),
  );
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);
  return {
    request: {
      cluster,
      service,
      taskDefinition,
      changes,
      // The deadline covers registering the revision and the task; no rollout follows, so no failed tasks are counted.
      timeoutMs,
      maxFailedTasks: 1,
      runTaskOnly: true,
      preDeploy: { command, container, containerInput: 'task-container', timeoutMs, ...(placement ? { placement } : {}) },
    },
    userTags,
    region,
  };
}

/** `network-configuration`, `launch-type`, `capacity-provider-strategy`: each replaces the service's. */
function readTaskPlacement(inputs: Inputs, workspace: string): Promise<TaskPlacement | undefined> {
  return parseTaskPlacement(
    {
      networkConfiguration: inputs.given('network-configuration'),
      launchType: inputs.given('launch-type'),
      capacityProviderStrategy: inputs.given('capacity-provider-strategy'),
    },
    workspace,
  );
}
