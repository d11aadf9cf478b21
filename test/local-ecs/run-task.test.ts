/**
 * One-off tasks and the awslogs driver, through the unmodified SDK clients (ECS and CloudWatch
 * Logs on the same endpoint): RunTask runs the revision with its command override, the task
 * follows PENDING → RUNNING → STOPPED with the container's exit code and ECS's stop code and
 * reason; what the container writes lands in the group and `prefix/container/task-id` stream the
 * task definition names, readable with GetLogEvents (forward tokens) and FilterLogEvents; StopTask
 * stops a hanging one. Simulated mode scripts the lines and exit code; docker mode runs the real
 * container with the override.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../../local/ecs/runners/docker.js';
import { docker } from '../../local/ecs/docker-cli.js';
import { localRegistry, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { localStack } from '../helpers/stack.js';
import { waitFor } from './wait.js';

const cluster = 'oneoff';

function logsClient(env: LocalEcsEnv): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: env.local.endpoint, region: env.local.region, credentials: env.local.credentials, maxAttempts: 1 });
}

async function registerMigration(env: LocalEcsEnv, family: string, image: string, group = '/ecs/oneoff', extra: Record<string, unknown> = {}): Promise<string> {
  const out = await env.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        {
          name: 'app',
          image,
          essential: true,
          command: ['serve'],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } },
        },
      ],
      ...extra,
    }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}

async function until(env: LocalEcsEnv, arn: string, status: string, timeoutMs = 20_000): Promise<Task> {
  return waitFor(async () => {
    const task = (await env.ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] }))).tasks?.[0];
    return task?.lastStatus === status ? task : undefined;
  }, timeoutMs);
}

describe('simulated mode', () => {
  let env: LocalEcsEnv;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    env = await withLocalEcs({ timeScale: 10 });
    logs = logsClient(env);
    await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/oneoff' }));
  });
  afterAll(async () => {
    logs?.destroy();
    await env?.stop();
  });

  it('runs with the override, stops with the exit code, and its lines are in its stream', async () => {
    env.local.simulate('acme/migrate:1', {
      startMs: 500,
      logLines: ['migrating 1/2', 'migrating 2/2', 'error: column exists'],
      logEveryMs: 200,
      exitCode: 3,
      exitAfterMs: 700,
    });
    const td = await registerMigration(env, 'migrate', 'acme/migrate:1');
    const run = await env.ecs.send(
      new RunTaskCommand({
        cluster,
        taskDefinition: td,
        startedBy: 'ctp-migration',
        overrides: { containerOverrides: [{ name: 'app', command: ['bin/migrate', 'up'] }] },
        tags: [{ key: 'commit-to-prod:sha', value: 'abc' }],
      }),
    );
    expect(run.failures).toEqual([]);
    const started = run.tasks![0]!;
    expect(started).toMatchObject({ lastStatus: 'PENDING', desiredStatus: 'RUNNING', group: 'family:migrate', startedBy: 'ctp-migration' });
    expect(started.overrides?.containerOverrides).toEqual([{ name: 'app', command: ['bin/migrate', 'up'] }]);
    // RUNNING lasts 0.7 emulated seconds here (70 ms): a loaded test process may never look while
    // it lasts (a busy-loop run waited 20 s for it). The stopped task says it ran: started, then its
    // essential container exited.
    const stopped = await until(env, started.taskArn!, 'STOPPED');
    expect(stopped.startedAt).toBeInstanceOf(Date);
    expect(stopped).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(stopped.containers?.[0]?.exitCode).toBe(3);

    const taskId = started.taskArn!.split('/').at(-1)!;
    const stream = `ecs/app/${taskId}`;
    const first = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/oneoff', logStreamName: stream, startFromHead: true, limit: 2 }));
    expect(first.events?.map((e) => e.message)).toEqual(['migrating 1/2', 'migrating 2/2']);
    const rest = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/oneoff', logStreamName: stream, startFromHead: true, nextToken: first.nextForwardToken }),
    );
    expect(rest.events?.map((e) => e.message)).toEqual(['error: column exists']);
    const end = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/oneoff', logStreamName: stream, startFromHead: true, nextToken: rest.nextForwardToken }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(rest.nextForwardToken);
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/oneoff', logStreamName: stream, limit: 1 }));
    expect(latest.events?.map((e) => e.message)).toEqual(['error: column exists']);
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/oneoff', logStreamNamePrefix: 'ecs/app/', filterPattern: '"2/2"' }));
    expect(filtered.events?.map((e) => [e.logStreamName, e.message])).toEqual([[stream, 'migrating 2/2']]);
  });

  it('StopTask stops a hanging task: UserInitiated, with the reason given', async () => {
    env.local.simulate('acme/hang:1', { startMs: 200, logLines: ['waiting for a lock'] });
    const td = await registerMigration(env, 'hang', 'acme/hang:1');
    const task = (await env.ecs.send(new RunTaskCommand({ cluster, taskDefinition: td }))).tasks![0]!;
    await until(env, task.taskArn!, 'RUNNING');
    await env.ecs.send(new StopTaskCommand({ cluster, task: task.taskArn!, reason: 'pre-deploy-timeout reached' }));
    const stopped = await until(env, task.taskArn!, 'STOPPED');
    expect(stopped).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'pre-deploy-timeout reached' });
  });

  it('a missing log group fails the task to start, as ECS does, unless awslogs-create-group is true', async () => {
    const td = await registerMigration(env, 'nogroup', 'acme/ok:1', '/ecs/missing');
    const task = (await env.ecs.send(new RunTaskCommand({ cluster, taskDefinition: td }))).tasks![0]!;
    const stopped = await until(env, task.taskArn!, 'STOPPED');
    expect(stopped.stopCode).toBe('TaskFailedToStart');
    expect(stopped.stoppedReason).toContain('ResourceInitializationError: failed to validate logger args');
    await expect(logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/missing', logStreamName: 'x' }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    env.local.simulate('acme/created:1', { startMs: 100, logLines: ['hello'], exitCode: 0 });
    const created = await env.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'creategroup',
        containerDefinitions: [
          {
            name: 'app',
            image: 'acme/created:1',
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/ecs/created', 'awslogs-create-group': 'true', 'awslogs-stream-prefix': 'p' },
            },
          },
        ],
      }),
    );
    const ok = (await env.ecs.send(new RunTaskCommand({ cluster, taskDefinition: created.taskDefinition!.taskDefinitionArn! }))).tasks![0]!;
    expect((await until(env, ok.taskArn!, 'STOPPED')).containers?.[0]?.exitCode).toBe(0);
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/created' }));
    expect(events.events?.map((e) => e.message)).toEqual(['hello']);
  });

  it.each([
    [{ count: 11 }, 'Count must be between 1 and 10.'],
    [
      { launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }] },
      'Specifying both a launch type and capacity provider strategy',
    ],
    [{ overrides: { containerOverrides: [{ name: 'web', command: ['x'] }] } }, 'Override for container named web is not a container in the TaskDefinition.'],
  ])('refuses %j', async (extra, message) => {
    const td = await registerMigration(env, 'refuse', 'acme/ok:1');
    const error = await env.ecs.send(new RunTaskCommand({ cluster, taskDefinition: td, ...(extra as object) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain(message);
  });

  it('an awsvpc task definition needs a network configuration', async () => {
    const td = await registerMigration(env, 'vpc', 'acme/ok:1', '/ecs/oneoff', { networkMode: 'awsvpc' });
    await expect(env.ecs.send(new RunTaskCommand({ cluster, taskDefinition: td }))).rejects.toThrow(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
    const ok = await env.ecs.send(
      new RunTaskCommand({ cluster, taskDefinition: td, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } } }),
    );
    expect(ok.tasks).toHaveLength(1);
  });
});

describe('docker mode', () => {
  let env: LocalEcsEnv;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    env = await withLocalEcs({ mode: 'docker', registry: localRegistry(), timeScale: 1 });
    logs = logsClient(env);
    await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/oneoff' }));
  }, 60_000);
  afterAll(async () => {
    logs?.destroy();
    await env?.stop();
  });

  it('runs the real container with the command override; its output and exit code come back', async () => {
    const td = await registerMigration(env, 'dockermigrate', localStack().baseImage);
    const task = (
      await env.ecs.send(
        new RunTaskCommand({
          cluster,
          taskDefinition: td,
          overrides: { containerOverrides: [{ name: 'app', command: ['sh', '-c', 'echo "schema 1 -> 2"; echo "failed: lock held" >&2; exit 3'] }] },
        }),
      )
    ).tasks![0]!;
    const stopped = await until(env, task.taskArn!, 'STOPPED', 60_000);
    expect(stopped.stopCode).toBe('EssentialContainerExited');
    expect(stopped.containers?.[0]?.exitCode).toBe(3);
    const taskId = task.taskArn!.split('/').at(-1)!;
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/oneoff', logStreamName: `ecs/app/${taskId}`, startFromHead: true }));
    expect(events.events?.map((e) => e.message).sort()).toEqual(['failed: lock held', 'schema 1 -> 2']);
    const left = await docker(['ps', '--all', '--quiet', '--filter', `label=${LABEL}.task=${taskId}`]);
    expect(left.stdout.trim()).toBe('');
  }, 90_000);
});
