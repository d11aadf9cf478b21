/**
 * Docker mode's host volumes: a task definition's `volumes[].host.sourcePath` bind-mounted at its
 * containers' `mountPoints`, through the unmodified SDK. One task writes a file into the volume,
 * the next one (of another revision, read-only) reads it back into its awslogs stream — the way a
 * migration task leaves its schema version for the service's tasks. Missing source paths are
 * created, as the Docker daemon does; a read-only mount refuses writes; a mount point naming no
 * volume is refused at registration.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ClientException, CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRegistry, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { localStack } from '../helpers/stack.js';
import { waitFor } from './wait.js';

const cluster = 'volumes';
const BASE = localStack().baseImage;

describe('docker mode: host volumes', () => {
  let env: LocalEcsEnv;
  let logs: CloudWatchLogsClient;
  let work: string;
  let dataDir: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ctp-local-ecs-volumes-'));
    // Not created beforehand: the first task's mount creates it.
    dataDir = join(work, 'data, shared');
    env = await withLocalEcs({ mode: 'docker', registry: localRegistry(), timeScale: 10 });
    logs = new CloudWatchLogsClient({ endpoint: env.local.endpoint, region: env.local.region, credentials: env.local.credentials, maxAttempts: 1 });
    await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  }, 60_000);
  afterAll(async () => {
    logs?.destroy();
    await env?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function register(family: string, readOnly: boolean): Promise<string> {
    const td = await env.ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        volumes: [{ name: 'data', host: { sourcePath: dataDir } }],
        containerDefinitions: [
          {
            name: 'app',
            image: BASE,
            essential: true,
            memory: 32,
            mountPoints: [{ sourceVolume: 'data', containerPath: '/data', readOnly }],
            logConfiguration: {
              logDriver: 'awslogs',
              options: { 'awslogs-group': '/ecs/volumes', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs', 'awslogs-create-group': 'true' },
            },
          },
        ],
      }),
    );
    return td.taskDefinition!.taskDefinitionArn!;
  }

  async function run(taskDefinition: string, command: string[]): Promise<{ task: Task; lines: string[] }> {
    const started = (await env.ecs.send(new RunTaskCommand({ cluster, taskDefinition, overrides: { containerOverrides: [{ name: 'app', command }] } })))
      .tasks![0]!;
    const task = await waitFor(async () => {
      const t = (await env.ecs.send(new DescribeTasksCommand({ cluster, tasks: [started.taskArn!] }))).tasks?.[0];
      return t?.lastStatus === 'STOPPED' ? t : undefined;
    }, 60_000);
    const stream = `ecs/app/${started.taskArn!.split('/').at(-1)}`;
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/volumes', logStreamName: stream, startFromHead: true }));
    return { task, lines: (events.events ?? []).map((e) => e.message ?? '') };
  }

  it('a file one task writes into a host volume is read by another task', async () => {
    const writer = await register('volume-writer', false);
    const reader = await register('volume-reader', true);
    const wrote = await run(writer, ['sh', '-c', 'echo 7 > /data/schema-version && echo wrote']);
    expect(wrote.task.containers?.[0]?.exitCode, wrote.lines.join('\n')).toBe(0);
    expect(wrote.lines).toEqual(['wrote']);
    // On the host, where the sourcePath is.
    expect(await readFile(join(dataDir, 'schema-version'), 'utf8')).toBe('7\n');

    const read = await run(reader, ['sh', '-c', 'echo "schema $(cat /data/schema-version)"']);
    expect(read.task.containers?.[0]?.exitCode).toBe(0);
    expect(read.lines).toEqual(['schema 7']);

    // readOnly: true mounts it read-only.
    const refused = await run(reader, ['sh', '-c', 'echo 8 > /data/schema-version']);
    expect(refused.task.containers?.[0]?.exitCode).not.toBe(0);
    expect(refused.lines.join('\n')).toMatch(/Read-only file system/);
    expect(await readFile(join(dataDir, 'schema-version'), 'utf8')).toBe('7\n');
  }, 120_000);

  it('refuses a mount point that names no volume of the task definition', async () => {
    const register = env.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'volume-missing',
        containerDefinitions: [{ name: 'app', image: BASE, memory: 32, mountPoints: [{ sourceVolume: 'nope', containerPath: '/data' }] }],
      }),
    );
    await expect(register).rejects.toBeInstanceOf(ClientException);
    await expect(register).rejects.toThrow(/sourceVolume 'nope' is not a volume/);
  });
});
