/**
 * The service settings inputs of ecs-rolling-deploy (`enable-ecs-managed-tags`, `propagate-tags`,
 * `service-managed-ebs-volume-name`, `service-managed-ebs-volume`), each sent only when given.
 */
import { InputError } from '../../../shared/core/errors.js';
import type { Inputs } from '../../../shared/core/inputs.js';
import { readStructuredInput } from '../../../shared/core/structured-input.js';
import type { PropagateTags, ServiceSettings } from '../../../shared/ecs/service-settings.js';

export async function readServiceSettingInputs(inputs: Inputs, workspace: string): Promise<ServiceSettings> {
  const settings: ServiceSettings = {};
  if (inputs.optionalString('enable-ecs-managed-tags') !== undefined) settings.enableEcsManagedTags = inputs.boolean('enable-ecs-managed-tags', false);
  if (inputs.optionalString('propagate-tags') !== undefined) {
    settings.propagateTags = inputs.choice<PropagateTags>('propagate-tags', ['SERVICE', 'TASK_DEFINITION', 'NONE'], 'NONE');
  }
  const name = inputs.optionalString('service-managed-ebs-volume-name');
  const volume = await readStructuredInput(inputs, 'service-managed-ebs-volume', { workspace });
  if (volume === undefined && name === undefined) return settings;
  if (volume === undefined) {
    throw new InputError('service-managed-ebs-volume', undefined, 'the volume configuration (JSON or YAML) when service-managed-ebs-volume-name is given');
  }
  if (name === undefined) {
    throw new InputError(
      'service-managed-ebs-volume-name',
      undefined,
      "the name of the task definition's volume that is `configuredAtLaunch`, when service-managed-ebs-volume is given",
    );
  }
  settings.volumeConfigurations = [{ name, managedEBSVolume: checkManagedEbsVolume(volume.value, volume.source === 'inline' ? '(inline)' : volume.source) }];
  return settings;
}

/** The members ECS requires, checked before any AWS call; ECS checks the rest (types, ranges). */
function checkManagedEbsVolume(value: unknown, given: string): Record<string, unknown> {
  const expected = (what: string) => `a ServiceManagedEBSVolumeConfiguration object (${what})`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('service-managed-ebs-volume', given, expected('e.g. `{"roleArn": "arn:aws:iam::…:role/ecsInfrastructureRole", "sizeInGiB": 20}`'));
  }
  const volume = value as Record<string, unknown>;
  if (typeof volume.roleArn !== 'string' || !volume.roleArn.startsWith('arn:')) {
    throw new InputError('service-managed-ebs-volume', given, expected('`roleArn`, the ARN of the ECS infrastructure role, is required'));
  }
  if (volume.sizeInGiB === undefined && volume.snapshotId === undefined) {
    throw new InputError('service-managed-ebs-volume', given, expected('one of `sizeInGiB` or `snapshotId` is required'));
  }
  if (volume.sizeInGiB !== undefined && !Number.isInteger(volume.sizeInGiB)) {
    throw new InputError('service-managed-ebs-volume', given, expected('`sizeInGiB` is a whole number of GiB'));
  }
  return volume;
}
