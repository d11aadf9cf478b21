/**
 * The service settings CreateService and UpdateService take besides the deployment itself:
 * `enableECSManagedTags`, `propagateTags` (neither starts a deployment) and the service-managed
 * EBS `volumeConfigurations` (which starts one when it differs from the running one). Validated
 * as the API reference describes them (ServiceVolumeConfiguration, ServiceManagedEBSVolumeConfiguration).
 */
import type { TaskDefinition } from './state.js';
import { bool, errors, int, obj, objList, str } from './wire.js';

export type PropagateTags = 'NONE' | 'SERVICE' | 'TASK_DEFINITION';

export interface ServiceSettings {
  enableECSManagedTags?: boolean;
  propagateTags?: PropagateTags;
}

const PROPAGATE_TAGS: readonly string[] = ['TASK_DEFINITION', 'SERVICE', 'NONE'];
/** The EBS volume types ServiceManagedEBSVolumeConfiguration lists, with their size ranges in GiB. */
const VOLUME_SIZES: Record<string, [number, number]> = {
  gp2: [1, 16_384],
  gp3: [1, 16_384],
  io1: [4, 16_384],
  io2: [4, 16_384],
  st1: [125, 16_384],
  sc1: [125, 16_384],
  standard: [1, 1_024],
};
const FILESYSTEMS = ['ext3', 'ext4', 'xfs', 'ntfs'];

export function readServiceSettings(input: Record<string, unknown>): ServiceSettings {
  const enableECSManagedTags = bool(input, 'enableECSManagedTags');
  const propagateTags = str(input, 'propagateTags');
  if (propagateTags !== undefined && !PROPAGATE_TAGS.includes(propagateTags)) {
    throw errors.invalidParameter(
      `1 validation error detected: Value '${propagateTags}' at 'propagateTags' failed to satisfy constraint: Member must satisfy enum value set: [${PROPAGATE_TAGS.join(', ')}]`,
    );
  }
  return {
    ...(enableECSManagedTags !== undefined ? { enableECSManagedTags } : {}),
    ...(propagateTags !== undefined ? { propagateTags: propagateTags as PropagateTags } : {}),
  };
}

/**
 * `volumeConfigurations` checked against the task definition the deployment runs: each name must
 * be a volume of it that is `configuredAtLaunch`, and each managed volume needs a role and a size
 * or snapshot. Undefined when not given (the running configuration is kept).
 */
export function readVolumeConfigurations(input: Record<string, unknown>, td: TaskDefinition): Record<string, unknown>[] | undefined {
  const list = objList(input, 'volumeConfigurations');
  if (list === undefined) return undefined;
  const atLaunch = (Array.isArray(td.raw.volumes) ? (td.raw.volumes as Record<string, unknown>[]) : [])
    .filter((v) => v && typeof v === 'object' && v.configuredAtLaunch === true)
    .map((v) => String(v.name));
  if (list.length > 1)
    throw errors.invalidParameter('A task definition can have only one volume configured at launch; volumeConfigurations can have at most 1 item.');
  for (const volume of list) {
    const name = str(volume, 'name');
    if (!name) throw errors.invalidParameter('volumeConfigurations.name can not be blank.');
    if (!atLaunch.includes(name)) {
      throw errors.invalidParameter(
        `The volume '${name}' in volumeConfigurations does not match a volume with configuredAtLaunch set to true in task definition ${td.family}:${td.revision}.`,
      );
    }
    const ebs = obj(volume, 'managedEBSVolume');
    if (ebs) checkManagedEbsVolume(ebs);
  }
  return structuredClone(list);
}

function checkManagedEbsVolume(ebs: Record<string, unknown>): void {
  const roleArn = str(ebs, 'roleArn');
  if (!roleArn) throw errors.invalidParameter('managedEBSVolume.roleArn can not be blank.');
  const size = int(ebs, 'sizeInGiB');
  const snapshotId = str(ebs, 'snapshotId');
  if (size === undefined && !snapshotId) throw errors.invalidParameter('managedEBSVolume: specify either sizeInGiB or snapshotId.');
  const type = str(ebs, 'volumeType') ?? 'gp3';
  const range = VOLUME_SIZES[type];
  if (!range) throw errors.invalidParameter(`managedEBSVolume.volumeType '${type}' is not one of ${Object.keys(VOLUME_SIZES).join(', ')}.`);
  if (size !== undefined && (size < range[0] || size > range[1])) {
    throw errors.invalidParameter(`managedEBSVolume.sizeInGiB ${size} is out of range for volumeType ${type} (${range[0]}-${range[1]}).`);
  }
  const iops = int(ebs, 'iops');
  if ((type === 'io1' || type === 'io2') && iops === undefined) throw errors.invalidParameter(`managedEBSVolume.iops is required for volumeType ${type}.`);
  if (iops !== undefined && ['st1', 'sc1', 'standard'].includes(type))
    throw errors.invalidParameter(`managedEBSVolume.iops is not supported for volumeType ${type}.`);
  const throughput = int(ebs, 'throughput');
  if (throughput !== undefined && type !== 'gp3') throw errors.invalidParameter('managedEBSVolume.throughput is only supported for volumeType gp3.');
  if (throughput !== undefined && throughput > 1_000) throw errors.invalidParameter('managedEBSVolume.throughput can be at most 1000 MiB/s.');
  if (int(ebs, 'volumeInitializationRate') !== undefined && !snapshotId) {
    throw errors.invalidParameter('managedEBSVolume.volumeInitializationRate can be specified only with a snapshotId.');
  }
  bool(ebs, 'encrypted');
  const fs = str(ebs, 'filesystemType');
  if (fs !== undefined && !FILESYSTEMS.includes(fs)) {
    throw errors.invalidParameter(
      `1 validation error detected: Value '${fs}' at 'managedEBSVolume.filesystemType' failed to satisfy constraint: Member must satisfy enum value set: [${FILESYSTEMS.join(', ')}]`,
    );
  }
}
