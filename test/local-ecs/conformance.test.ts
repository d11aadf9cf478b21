/**
 * Conformance of the emulator's wire protocol and operations, driven only through the unmodified
 * @aws-sdk/client-ecs over HTTP (plus raw HTTP where the SDK cannot express the request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ResourceNotFoundException,
  ServiceNotActiveException,
  ServiceNotFoundException,
  StopTaskCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
  paginateListTaskDefinitions,
  waitUntilServicesInactive,
  waitUntilServicesStable,
  waitUntilTasksStopped,
  type CreateServiceCommandInput,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { refusedByModel } from '../helpers/conformance.js';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { waitFor } from './wait.js';

let env: LocalEcsEnv;
let ecs: ECSClient;
const testStartedAt = Date.now();
const cluster = 'conformance';

const td = (family: string, image = 'app:1'): RegisterTaskDefinitionCommandInput => ({
  family,
  containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] }],
});

/** Sends one raw AWS JSON 1.1 request, for what the SDK cannot send (unknown fields, bad JSON). */
async function raw(target: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(env.local.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Expects the SDK call to reject with the given exception class and message. */
async function expectError<T>(promise: Promise<T>, type: abstract new (...args: never[]) => Error, message: string | RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(type);
  expect(error).toBeInstanceOf(ECSServiceException);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
  expect((error as ECSServiceException).$metadata.httpStatusCode).toBe(400);
}

beforeAll(async () => {
  env = await withLocalEcs({ timeScale: 50 });
  ecs = env.ecs;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster, tags: [{ key: 'team', value: 'ctp' }] }));
});
afterAll(() => env?.stop());

describe('clusters', () => {
  it('creates idempotently and describes with ECS ARNs, tags and MISSING failures', async () => {
    const again = await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    expect(again.cluster?.clusterArn).toBe(`arn:aws:ecs:us-east-1:000000000000:cluster/${cluster}`);
    const out = await ecs.send(new DescribeClustersCommand({ clusters: [cluster, 'nope'], include: ['TAGS'] }));
    expect(out.clusters?.map((c) => [c.clusterName, c.status, c.tags])).toEqual([[cluster, 'ACTIVE', [{ key: 'team', value: 'ctp' }]]]);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' }]);
  });

  it('answers ClusterNotFoundException for an unknown cluster', async () => {
    await expectError(ecs.send(new ListTasksCommand({ cluster: 'missing' })), ClusterNotFoundException, 'Cluster not found.');
  });
});

describe('task definitions', () => {
  it('registers revisions with ARN, status and registeredAt, and resolves family, family:revision and ARN', async () => {
    const one = await ecs.send(new RegisterTaskDefinitionCommand({ ...td('conf-web'), tags: [{ key: 'v', value: '1' }] }));
    const two = await ecs.send(new RegisterTaskDefinitionCommand(td('conf-web', 'app:2')));
    expect(one.taskDefinition?.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/conf-web:1');
    expect(two.taskDefinition?.revision).toBe(2);
    expect(two.taskDefinition?.status).toBe('ACTIVE');
    expect(two.taskDefinition?.registeredAt).toBeInstanceOf(Date);
    // Timestamps come from the engine clock (sped up 50x here), never from before the test.
    const registeredAt = two.taskDefinition?.registeredAt?.getTime() ?? 0;
    expect(registeredAt).toBeGreaterThanOrEqual(testStartedAt - 1_000);
    expect(registeredAt).toBeLessThanOrEqual(env.local.clock.now() + 1_000);
    expect(one.tags).toEqual([{ key: 'v', value: '1' }]);

    const latest = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'conf-web' }));
    expect(latest.taskDefinition?.revision).toBe(2);
    expect(latest.taskDefinition?.containerDefinitions?.[0]?.image).toBe('app:2');
    const byRevision = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'conf-web:1', include: ['TAGS'] }));
    expect(byRevision.taskDefinition?.containerDefinitions?.[0]?.image).toBe('app:1');
    expect(byRevision.tags).toEqual([{ key: 'v', value: '1' }]);
    const byArn = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: one.taskDefinition?.taskDefinitionArn }));
    expect(byArn.taskDefinition?.revision).toBe(1);
  });

  it('keeps and returns every registered field, including ones the emulator does not model', async () => {
    // enableFaultInjection and a container's restartPolicy are ECS members (botocore's model has
    // them) that nothing here reads: they must come back as given.
    const body = {
      family: 'conf-raw',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      enableFaultInjection: true,
      containerDefinitions: [
        {
          name: 'app',
          image: 'x:1',
          restartPolicy: { enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60 },
          environment: [{ name: 'A', value: 'b' }],
        },
      ],
    };
    const reg = await raw('AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition', JSON.stringify(body));
    expect(reg.status).toBe(200);
    const desc = await raw('AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition', JSON.stringify({ taskDefinition: 'conf-raw:1' }));
    const got = desc.json.taskDefinition as Record<string, unknown>;
    expect(got).toMatchObject({ ...body, revision: 1, status: 'ACTIVE', taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/conf-raw:1' });
    expect(typeof got.registeredAt).toBe('number');
  });

  it('rejects bad registrations and unknown revisions with ECS errors', async () => {
    await expectError(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'bad', containerDefinitions: [] })),
      ClientException,
      'Container list cannot be empty.',
    );
    await expectError(
      ecs.send(new RegisterTaskDefinitionCommand({ family: 'bad', containerDefinitions: [{ name: 'a' }] })),
      ClientException,
      'Container.image should not be null or empty.',
    );
    await expectError(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'conf-web:99' })), ClientException, 'Unable to describe task definition.');
    await expectError(
      ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'never-registered' })),
      ClientException,
      'Unable to describe task definition.',
    );
  });

  it('lists with familyPrefix, status, sort and nextToken pagination; deregistration makes a revision INACTIVE', async () => {
    for (let i = 0; i < 5; i++) await ecs.send(new RegisterTaskDefinitionCommand(td('conf-list')));
    const asc = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'conf-list', maxResults: 2 }));
    expect(asc.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['conf-list:1', 'conf-list:2']);
    expect(asc.nextToken).toBeTypeOf('string');
    const rest = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'conf-list', maxResults: 2, nextToken: asc.nextToken }));
    expect(rest.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['conf-list:3', 'conf-list:4']);

    const all: string[] = [];
    for await (const page of paginateListTaskDefinitions({ client: ecs, pageSize: 2 }, { familyPrefix: 'conf-list', sort: 'DESC' })) {
      all.push(...(page.taskDefinitionArns ?? []));
    }
    expect(all.map((a) => a.split('/')[1])).toEqual(['conf-list:5', 'conf-list:4', 'conf-list:3', 'conf-list:2', 'conf-list:1']);

    const dereg = await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'conf-list:2' }));
    expect(dereg.taskDefinition?.status).toBe('INACTIVE');
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'conf-list', status: 'INACTIVE' }));
    expect(inactive.taskDefinitionArns?.map((a) => a.split('/')[1])).toEqual(['conf-list:2']);
    const active = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'conf-list' }));
    expect(active.taskDefinitionArns).toHaveLength(4);
    await expectError(
      ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'conf-list' })),
      ClientException,
      'The specified task definition identifier is invalid. Specify a valid name or ARN and try again.',
    );
  });
});

describe('tags', () => {
  it('tags, untags and lists tags of a task definition', async () => {
    const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand(td('conf-tags')));
    const resourceArn = taskDefinition?.taskDefinitionArn;
    await ecs.send(
      new TagResourceCommand({
        resourceArn,
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      }),
    );
    await ecs.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'a', value: '3' }] }));
    await ecs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['b'] }));
    const { tags } = await ecs.send(new ListTagsForResourceCommand({ resourceArn }));
    expect(tags).toEqual([{ key: 'a', value: '3' }]);
    // Each operation answers a missing resource with an error its model declares.
    const missing = 'arn:aws:ecs:us-east-1:000000000000:service/conformance/none';
    await expectError(
      ecs.send(new ListTagsForResourceCommand({ resourceArn: missing })),
      InvalidParameterException,
      'The specified resource could not be found.',
    );
    await expectError(
      ecs.send(new TagResourceCommand({ resourceArn: missing, tags: [{ key: 'a', value: '1' }] })),
      ResourceNotFoundException,
      "The specified resource wasn't found.",
    );
  });
});

describe('services and tasks', () => {
  it('creates, updates, describes and deletes a service; lists, describes and stops its tasks', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(td('conf-svc')));
    await ecs.send(new RegisterTaskDefinitionCommand(td('conf-svc', 'app:2')));
    const created = await ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName: 'svc',
        taskDefinition: 'conf-svc:1',
        desiredCount: 2,
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } },
        tags: [{ key: 'k', value: 'v' }],
      }),
    );
    const svc = created.service;
    expect(svc?.serviceArn).toBe(`arn:aws:ecs:us-east-1:000000000000:service/${cluster}/svc`);
    expect(svc?.status).toBe('ACTIVE');
    expect(svc?.deployments?.[0]?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(svc?.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    expect(svc?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });

    await expectError(
      ecs.send(new CreateServiceCommand({ cluster, serviceName: 'svc', taskDefinition: 'conf-svc:1', desiredCount: 1 })),
      InvalidParameterException,
      'Creation of service was not idempotent.',
    );
    await expectError(
      ecs.send(new CreateServiceCommand({ cluster, serviceName: 'other', taskDefinition: 'conf-svc:7', desiredCount: 1 })),
      ClientException,
      'TaskDefinition not found.',
    );

    const steady = await waitFor(async () => {
      const out = await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc'] }));
      const s = out.services?.[0];
      return s?.deployments?.[0]?.rolloutState === 'COMPLETED' ? s : undefined;
    });
    expect(steady.runningCount).toBe(2);
    expect(steady.events?.[0]?.message).toBe('(service svc) has reached a steady state.');
    expect(steady.events?.[0]?.createdAt).toBeInstanceOf(Date);

    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc' }));
    expect(taskArns).toHaveLength(2);
    const page = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc', maxResults: 1 }));
    expect(page.taskArns).toHaveLength(1);
    expect(page.nextToken).toBeTypeOf('string');
    const byDeployment = await ecs.send(new ListTasksCommand({ cluster, startedBy: steady.deployments?.[0]?.id }));
    expect(byDeployment.taskArns?.sort()).toEqual([...(taskArns ?? [])].sort());
    const { tasks, failures } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [...(taskArns ?? []), 'f'.repeat(32)] }));
    expect(failures).toEqual([{ arn: 'f'.repeat(32), reason: 'MISSING' }]);
    for (const t of tasks ?? []) {
      expect(t.taskArn).toMatch(new RegExp(`^arn:aws:ecs:us-east-1:000000000000:task/${cluster}/[0-9a-f]{32}$`));
      expect(t.lastStatus).toBe('RUNNING');
      expect(t.desiredStatus).toBe('RUNNING');
      expect(t.startedBy).toBe(steady.deployments?.[0]?.id);
      expect(t.group).toBe('service:svc');
      expect(t.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/conf-svc:1');
      expect(t.startedAt).toBeInstanceOf(Date);
    }

    // StopTask: the task stops as the user asked and the service replaces it.
    const victim = taskArns?.[0];
    const stopped = await ecs.send(new StopTaskCommand({ cluster, task: victim, reason: 'testing' }));
    expect(stopped.task?.desiredStatus).toBe('STOPPED');
    const gone = await waitFor(async () => {
      const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [victim ?? ''] }));
      return out.tasks?.[0]?.lastStatus === 'STOPPED' ? out.tasks[0] : undefined;
    });
    expect(gone.stoppedReason).toBe('testing');
    expect(gone.stopCode).toBe('UserInitiated');
    const stoppedList = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc', desiredStatus: 'STOPPED' }));
    expect(stoppedList.taskArns).toContain(victim);
    await waitFor(async () => ((await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc' }))).taskArns?.length === 2 ? true : undefined));

    // UpdateService: desiredCount alone keeps the deployment; a new task definition makes a new PRIMARY.
    const scaled = await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc', desiredCount: 3 }));
    expect(scaled.service?.deployments).toHaveLength(1);
    expect(scaled.service?.desiredCount).toBe(3);
    const updated = await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc', taskDefinition: 'conf-svc:2' }));
    expect(updated.service?.deployments?.map((d) => [d.status, d.taskDefinition?.split('/')[1]])).toEqual([
      ['PRIMARY', 'conf-svc:2'],
      ['ACTIVE', 'conf-svc:1'],
    ]);
    const forced = await ecs.send(new UpdateServiceCommand({ cluster, service: 'svc', forceNewDeployment: true }));
    expect(forced.service?.deployments?.[0]?.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/conf-svc:2');
    expect(forced.service?.deployments?.[0]?.id).not.toBe(updated.service?.deployments?.[0]?.id);

    await expectError(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc', desiredCount: -1 })), InvalidParameterException, /desiredCount/);
    await expectError(ecs.send(new UpdateServiceCommand({ cluster, service: 'nope', desiredCount: 1 })), ServiceNotFoundException, 'Service not found.');
    await expectError(
      ecs.send(new UpdateServiceCommand({ cluster, service: 'svc', taskDefinition: 'conf-svc:42' })),
      ClientException,
      'TaskDefinition not found.',
    );

    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc', 'ghost'], include: ['TAGS'] }));
    expect(described.services?.[0]?.tags).toEqual([{ key: 'k', value: 'v' }]);
    expect(described.failures).toEqual([{ arn: `arn:aws:ecs:us-east-1:000000000000:service/${cluster}/ghost`, reason: 'MISSING' }]);

    await expectError(
      ecs.send(new DeleteServiceCommand({ cluster, service: 'svc' })),
      InvalidParameterException,
      'The service cannot be stopped while it is scaled above 0.',
    );
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster, service: 'svc', force: true }));
    expect(deleted.service?.status).toBe('DRAINING');
    await expectError(ecs.send(new UpdateServiceCommand({ cluster, service: 'svc', desiredCount: 1 })), ServiceNotActiveException, 'Service was not ACTIVE.');
    const inactive = await waitFor(async () => {
      const out = await ecs.send(new DescribeServicesCommand({ cluster, services: ['svc'] }));
      return out.services?.[0]?.status === 'INACTIVE' ? out.services[0] : undefined;
    });
    expect(inactive.runningCount).toBe(0);
    expect((await ecs.send(new ListTasksCommand({ cluster, serviceName: 'svc' }))).taskArns).toEqual([]);
  });

  it('rejects a negative desiredCount and missing names on CreateService', async () => {
    await expectError(
      ecs.send(new CreateServiceCommand({ cluster, serviceName: 'neg', taskDefinition: 'conf-svc:1', desiredCount: -2 })),
      InvalidParameterException,
      /desiredCount/,
    );
    await refusedByModel(() =>
      expectError(
        ecs.send(new CreateServiceCommand({ cluster, taskDefinition: 'conf-svc:1' } as unknown as CreateServiceCommandInput)),
        InvalidParameterException,
        /serviceName/,
      ),
    );
    await expectError(ecs.send(new CreateServiceCommand({ cluster, serviceName: 'no-td' })), InvalidParameterException, 'Task Definition can not be blank.');
    await expectError(
      ecs.send(new CreateServiceCommand({ cluster: 'ghost', serviceName: 'x', taskDefinition: 'conf-svc:1' })),
      ClusterNotFoundException,
      'Cluster not found.',
    );
  });
});

describe('SDK waiters', () => {
  it('waitUntilServicesStable, waitUntilTasksStopped and waitUntilServicesInactive work against the emulator', async () => {
    await ecs.send(new RegisterTaskDefinitionCommand(td('conf-wait')));
    await ecs.send(new CreateServiceCommand({ cluster, serviceName: 'waited', taskDefinition: 'conf-wait', desiredCount: 2 }));
    const stable = await waitUntilServicesStable({ client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { cluster, services: ['waited'] });
    expect(stable.state).toBe('SUCCESS');
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster, serviceName: 'waited' }));
    await ecs.send(new StopTaskCommand({ cluster, task: taskArns?.[0] }));
    const stopped = await waitUntilTasksStopped({ client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { cluster, tasks: [taskArns?.[0] ?? ''] });
    expect(stopped.state).toBe('SUCCESS');
    await ecs.send(new DeleteServiceCommand({ cluster, service: 'waited', force: true }));
    const inactive = await waitUntilServicesInactive({ client: ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { cluster, services: ['waited'] });
    expect(inactive.state).toBe('SUCCESS');
  });
});

describe('wire protocol', () => {
  it('answers unknown operations with UnknownOperationException and bad JSON with SerializationException', async () => {
    await refusedByModel(() => badWireRequests());
  });

  async function badWireRequests() {
    const unknown = await raw('AmazonEC2ContainerServiceV20141113.LaunchRockets', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.json.__type).toBe('UnknownOperationException');
    expect(unknown.json.message).toMatch(/LaunchRockets/);
    const noTarget = await raw('', '{}');
    expect(noTarget.json.__type).toBe('UnknownOperationException');
    const bad = await raw('AmazonEC2ContainerServiceV20141113.DescribeClusters', '{not json');
    expect(bad.status).toBe(400);
    expect(bad.json.__type).toBe('SerializationException');
    const wrongType = await raw(
      'AmazonEC2ContainerServiceV20141113.CreateService',
      JSON.stringify({ cluster, serviceName: 'x', taskDefinition: 'conf-svc:1', desiredCount: 'two' }),
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.__type).toBe('InvalidParameterException');
  }

  it('works for a client configured only through AWS_ENDPOINT_URL_ECS', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env.local.env());
    try {
      const client = new ECSClient({});
      const out = await client.send(new DescribeClustersCommand({ clusters: [cluster] }));
      expect(out.clusters?.[0]?.clusterName).toBe(cluster);
      client.destroy();
    } finally {
      for (const key of Object.keys(env.local.env())) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});
