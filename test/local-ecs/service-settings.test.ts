/**
 * The service settings besides the deployment, through the unmodified SDK: enableECSManagedTags
 * and propagateTags are stored and echoed by DescribeServices and start no deployment;
 * volumeConfigurations is checked against the task definition's `configuredAtLaunch` volume and
 * ServiceManagedEBSVolumeConfiguration's rules, starts a deployment when it differs and is echoed
 * on the deployment (where ECS reports it), and is carried to the next revision's deployment.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { refusedByModel } from '../helpers/conformance.js';

let env: LocalEcsEnv;
const cluster = 'settings';
let seq = 0;
const roleArn = 'arn:aws:iam::000000000000:role/ecsInfrastructureRole';

async function newService(extra: Record<string, unknown> = {}): Promise<string> {
  const name = `svc${++seq}`;
  for (let i = 0; i < 2; i++) {
    await env.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: name,
        containerDefinitions: [{ name: 'app', image: `app:${i + 1}`, essential: true, mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }],
        volumes: [{ name: 'data', configuredAtLaunch: true }],
      }),
    );
  }
  await env.ecs.send(new CreateServiceCommand({ cluster, serviceName: name, taskDefinition: `${name}:1`, desiredCount: 1, ...extra }));
  return name;
}

async function describeService(name: string) {
  return (await env.ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;
}

beforeAll(async () => {
  env = await withLocalEcs({ timeScale: 50 });
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
});
afterAll(() => env?.stop());

describe('enableECSManagedTags and propagateTags', () => {
  it('default to false and NONE, are kept from CreateService, and an update changes them without a deployment', async () => {
    const plain = await newService();
    expect(await describeService(plain)).toMatchObject({ enableECSManagedTags: false, propagateTags: 'NONE' });

    const name = await newService({ enableECSManagedTags: true, propagateTags: 'SERVICE' });
    const created = await describeService(name);
    expect(created).toMatchObject({ enableECSManagedTags: true, propagateTags: 'SERVICE' });
    const updated = (await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, enableECSManagedTags: false, propagateTags: 'TASK_DEFINITION' })))
      .service!;
    expect(updated).toMatchObject({ enableECSManagedTags: false, propagateTags: 'TASK_DEFINITION' });
    expect(updated.deployments!.map((d) => d.id)).toEqual(created.deployments!.map((d) => d.id));
  });

  it('refuses a propagateTags outside the enum, with ECS validation wording', async () => {
    const name = await newService();
    // An enum value the model does not have: declared, the request must be refused.
    const error = await refusedByModel(() =>
      env.ecs.send(new UpdateServiceCommand({ cluster, service: name, propagateTags: 'ALL' as never })).catch((e: unknown) => e as InvalidParameterException),
    );
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain("Value 'ALL' at 'propagateTags' failed to satisfy constraint");
    expect(await describeService(name)).toMatchObject({ propagateTags: 'NONE' });
  });
});

describe('volumeConfigurations', () => {
  const volume = { name: 'data', managedEBSVolume: { roleArn, sizeInGiB: 20, volumeType: 'gp3' } };

  it('starts a deployment when it differs, echoes it on the deployment, not again when the same, and carries it to the next revision', async () => {
    const name = await newService();
    const before = await describeService(name);
    const first = (await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, volumeConfigurations: [volume] }))).service!;
    expect(first.deployments).toHaveLength(before.deployments!.length + 1);
    expect(first.deployments![0]!.volumeConfigurations).toEqual([volume]);
    const same = (await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, volumeConfigurations: [volume] }))).service!;
    expect(same.deployments![0]!.id).toBe(first.deployments![0]!.id);
    const next = (await env.ecs.send(new UpdateServiceCommand({ cluster, service: name, taskDefinition: `${name}:2` }))).service!;
    expect(next.deployments![0]!.id).not.toBe(first.deployments![0]!.id);
    expect(next.deployments![0]!.volumeConfigurations).toEqual([volume]);
  });

  it.each([
    [{ ...volume, name: 'logs' }, "The volume 'logs' in volumeConfigurations does not match a volume with configuredAtLaunch"],
    [{ name: 'data', managedEBSVolume: { sizeInGiB: 20 } }, 'managedEBSVolume.roleArn can not be blank.'],
    [{ name: 'data', managedEBSVolume: { roleArn } }, 'specify either sizeInGiB or snapshotId'],
    [{ name: 'data', managedEBSVolume: { roleArn, sizeInGiB: 20, volumeType: 'io2' } }, 'iops is required for volumeType io2'],
    [{ name: 'data', managedEBSVolume: { roleArn, sizeInGiB: 50, volumeType: 'st1' } }, 'sizeInGiB 50 is out of range for volumeType st1 (125-16384)'],
    [{ name: 'data', managedEBSVolume: { roleArn, sizeInGiB: 20, volumeType: 'gp2', throughput: 200 } }, 'throughput is only supported for volumeType gp3'],
    [{ name: 'data', managedEBSVolume: { roleArn, sizeInGiB: 20, filesystemType: 'btrfs' } }, "Value 'btrfs' at 'managedEBSVolume.filesystemType'"],
  ])('refuses %j, changing nothing', async (config, message) => {
    const name = await newService();
    const before = await describeService(name);
    const send = () =>
      env.ecs
        .send(new UpdateServiceCommand({ cluster, service: name, volumeConfigurations: [config as never] }))
        .catch((e: unknown) => e as InvalidParameterException);
    // A missing roleArn (required) and an unknown filesystemType (enum) break botocore's model
    // and are declared; the others fit the model and break ECS's documented rules.
    const breaksModel = !('roleArn' in config.managedEBSVolume) || 'filesystemType' in config.managedEBSVolume;
    const error = breaksModel ? await refusedByModel(send) : await send();
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain(message);
    expect((await describeService(name)).deployments!.map((d) => d.id)).toEqual(before.deployments!.map((d) => d.id));
  });
});
