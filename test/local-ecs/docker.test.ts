/**
 * Docker mode end to end: two revisions of a tiny HTTP image (busybox httpd serving a version
 * file) are built FROM the local base image, pushed to the local registry, pulled by the emulator
 * with the credentials its own GetAuthorizationToken hands out, run as real containers behind the
 * emulator's HTTP load balancer; a client hammering the load balancer through a rolling update
 * must see zero failed requests and end on the new version.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Service as SdkService,
} from '@aws-sdk/client-ecs';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { docker, dockerOk } from '../../local/ecs/docker-cli.js';
import { LABEL } from '../../local/ecs/runners/docker.js';
import { localRegistry, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { localStack } from '../helpers/stack.js';
import { waitFor } from './wait.js';
import { recordLoad } from '../helpers/load.js';

const registry = localRegistry();
const suffix = randomBytes(4).toString('hex');
const repoName = `ctp-test/local-ecs-web-${suffix}`;
const repo = `${registry.host}/${repoName}`;
const TG = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-${suffix}/0123456789abcdef`;
const BASE = localStack().baseImage;

let env: LocalEcsEnv;
let work: string;
let instanceLabel: string | undefined;

/** Builds and pushes an image serving `version` at /version, with a private docker config. */
async function buildAndPush(version: string, configDir: string): Promise<void> {
  const dir = join(work, version);
  await mkdir(join(dir, 'www'), { recursive: true });
  await writeFile(join(dir, 'www', 'version'), `${version}\n`);
  await writeFile(join(dir, 'www', 'index.html'), `<p>${version}</p>\n`);
  await writeFile(join(dir, 'Dockerfile'), [`FROM ${BASE}`, 'COPY www /www', 'EXPOSE 8080', 'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]', ''].join('\n'));
  await dockerOk(['build', '--quiet', '--no-cache', '--tag', `${repo}:${version}`, dir], { configDir, timeoutMs: 120_000 });
  await dockerOk(['push', `${repo}:${version}`], { configDir, timeoutMs: 120_000 });
  // Drop the local copy so the emulator really has to pull it from the registry.
  await dockerOk(['rmi', `${repo}:${version}`], { timeoutMs: 60_000 });
}

async function labelledContainers(): Promise<string[]> {
  const out = await dockerOk(['ps', '--all', '--quiet', '--filter', `label=${LABEL}=${instanceLabel}`]);
  return out.split('\n').filter(Boolean);
}

// Every 10 s (1 s real at 10x): a check is an exec in the container, ~75 ms of the machine's CPU
// each (dockerd, containerd, runc), and the first one still runs a second (0.1 s real) after start.
const healthCheck = { command: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/version || exit 1'], interval: 10, timeout: 2, retries: 2 };

describe('docker mode', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ctp-local-ecs-test-'));
    const configDir = join(work, 'docker-config');
    await mkdir(configDir);
    await writeFile(join(configDir, 'config.json'), '{}\n');
    await dockerOk(['login', '--username', registry.username ?? '', '--password-stdin', registry.host ?? ''], {
      configDir,
      input: registry.password ?? '',
      timeoutMs: 30_000,
    });
    await buildAndPush('v1', configDir);
    await buildAndPush('v2', configDir);
    env = await withLocalEcs({
      mode: 'docker',
      registry,
      // 10x: the task definition's 5 s health-check interval runs every 0.5 s.
      timeScale: 10,
      deregistrationDelayMs: 3_000,
      healthCheck: { intervalMs: 2_000, healthyThreshold: 2, unhealthyThreshold: 2, timeoutMs: 5_000 },
    });
    await env.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    for (const version of ['v1', 'v2']) {
      await env.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `web-${suffix}`,
          containerDefinitions: [
            {
              name: 'web',
              image: `${repo}:${version}`,
              essential: true,
              portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
              environment: [{ name: 'APP_VERSION', value: version }],
              healthCheck,
            },
          ],
        }),
      );
    }
  }, 240_000);

  afterAll(async () => {
    if (env) {
      // Clean the shared registry: find the digests through our own ECR API, then delete.
      const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
      const images = await env.ecr.send(new DescribeImagesCommand({ repositoryName: repoName })).catch(() => undefined);
      for (const d of images?.imageDetails ?? []) {
        await fetch(`http://${registry.host}/v2/${repoName}/manifests/${d.imageDigest}`, { method: 'DELETE', headers: { authorization: auth } });
      }
      await env.stop();
      if (instanceLabel) expect(await labelledContainers()).toEqual([]);
    }
    for (const v of ['v1', 'v2']) await docker(['rmi', `${repo}:${v}`], { timeoutMs: 60_000 });
    if (work) await rm(work, { recursive: true, force: true });
  }, 120_000);

  async function service(): Promise<SdkService> {
    const out = await env.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }));
    const s = out.services?.[0];
    if (!s) throw new Error('no service');
    return s;
  }
  const steadyOn = async (rev: number) => {
    const s = await service();
    return s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.taskDefinition?.endsWith(`:${rev}`) ? s : undefined;
  };

  it('rolls a real HTTP service from v1 to v2 behind the load balancer with zero failed requests', async () => {
    await env.ecs.send(
      new CreateServiceCommand({
        cluster: 'c',
        serviceName: 'web',
        taskDefinition: `web-${suffix}:1`,
        desiredCount: 2,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
        loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
      }),
    );
    await waitFor(() => steadyOn(1), 90_000, 200);
    const url = env.local.loadBalancerUrl('c', 'web');

    // The containers are real: labelled, publishing 8080 on 127.0.0.1, healthy by their own check.
    const { taskArns } = await env.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web' }));
    const { tasks } = await env.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns ?? [] }));
    for (const t of tasks ?? []) {
      expect(t.healthStatus).toBe('HEALTHY');
      const binding = t.containers?.[0]?.networkBindings?.[0];
      expect(binding?.containerPort).toBe(8080);
      const direct = await fetch(`http://127.0.0.1:${binding?.hostPort}/version`);
      expect((await direct.text()).trim()).toBe('v1');
    }
    const ids = (await dockerOk(['ps', '--quiet', '--filter', `label=${LABEL}.task=${taskArns?.[0]?.split('/').at(-1)}`])).trim();
    expect(ids).not.toBe('');
    instanceLabel = (await dockerOk(['inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, ids])).trim();
    expect((await dockerOk(['inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', ids])).split('\n')).toContain('APP_VERSION=v1');

    // A client hitting the load balancer throughout the update.
    const load = recordLoad(url);
    const results = load.results;
    await new Promise((r) => setTimeout(r, 300));
    await env.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: `web-${suffix}:2` }));
    const after = await waitFor(() => steadyOn(2), 90_000, 200);
    const doneAt = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();

    const failed = results.filter((r) => !r.ok);
    expect(failed, `failed requests: ${JSON.stringify(failed.slice(0, 5))}`).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
    expect(results.some((r) => r.body === 'v1')).toBe(true);
    const tail = results.filter((r) => r.at > doneAt);
    expect(tail.length).toBeGreaterThan(0);
    expect(new Set(tail.map((r) => r.body))).toEqual(new Set(['v2']));

    const messages = (after.events ?? []).map((e) => e.message ?? '');
    expect(messages[0]).toBe('(service web) has reached a steady state.');
    // Real containers get healthy at slightly different times, so ECS-style batches may split.
    const deregistered = messages.map((m) => /^\(service web\) deregistered (\d+) targets in \(target-group (.+)\)$/.exec(m)).filter((m) => m !== null);
    expect(deregistered.reduce((n, m) => n + Number(m[1]), 0)).toBe(2);
    expect(new Set(deregistered.map((m) => m[2]))).toEqual(new Set([TG]));
    // Old containers are gone from the engine, only the two new ones remain.
    expect(await labelledContainers()).toHaveLength(2);
  }, 180_000);

  it('stops tasks whose image cannot be pulled with CannotPullContainerError', async () => {
    await env.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: `missing-${suffix}`,
        containerDefinitions: [{ name: 'app', image: `${registry.host}/ctp-test/does-not-exist-${suffix}:nope`, essential: true }],
      }),
    );
    await env.ecs.send(new CreateServiceCommand({ cluster: 'c', serviceName: 'missing', taskDefinition: `missing-${suffix}:1`, desiredCount: 1 }));
    const task = await waitFor(
      async () => {
        const { taskArns } = await env.ecs.send(new ListTasksCommand({ cluster: 'c', serviceName: 'missing', desiredStatus: 'STOPPED' }));
        if (!taskArns?.length) return undefined;
        const { tasks } = await env.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: taskArns }));
        return tasks?.find((t) => t.lastStatus === 'STOPPED');
      },
      60_000,
      200,
    );
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(task.stopCode).toBe('TaskFailedToStart');
  }, 90_000);

  it("a container health check's timeout is real time at any timeScale: a 1.5 s check passes a 4 s timeout, a hung one fails its 1 s", async () => {
    // At timeScale 10 the interval shrinks (5 s → 0.5 s), the timeout does not: the check is real
    // work in the container, and a timeout cut by the scale would fail it when the machine is busy.
    const check = async (name: string, command: string, timeout: number) => {
      const out = await env.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `${name}-${suffix}`,
          containerDefinitions: [
            { name: 'web', image: `${repo}:v1`, essential: true, healthCheck: { command: ['CMD-SHELL', command], interval: 5, timeout, retries: 1 } },
          ],
        }),
      );
      const run = await env.ecs.send(new RunTaskCommand({ cluster: 'c', taskDefinition: out.taskDefinition!.taskDefinitionArn! }));
      return run.tasks![0]!.taskArn!;
    };
    const [slow, hung] = await Promise.all([
      check('slow-check', 'sleep 1.5 && wget -q -O /dev/null http://127.0.0.1:8080/version', 4),
      check('hung-check', 'sleep 30', 1),
    ]);
    const describe = async (arn: string) => (await env.ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: [arn] }))).tasks![0]!;
    const healthy = await waitFor(
      async () => {
        const t = await describe(slow);
        return t.healthStatus === 'HEALTHY' ? t : undefined;
      },
      60_000,
      200,
    );
    expect(healthy.lastStatus).toBe('RUNNING');
    const stopped = await waitFor(
      async () => {
        const t = await describe(hung);
        return t.lastStatus === 'STOPPED' ? t : undefined;
      },
      60_000,
      200,
    );
    expect(stopped.healthStatus).toBe('UNHEALTHY');
    expect(stopped.stoppedReason).toBe('Task failed container health checks');
    // The slow one stayed healthy through its later checks.
    expect((await describe(slow)).healthStatus).toBe('HEALTHY');
    await env.ecs.send(new StopTaskCommand({ cluster: 'c', task: slow }));
    await waitFor(async () => ((await describe(slow)).lastStatus === 'STOPPED' ? true : undefined), 60_000, 200);
  }, 90_000);

  it('DeleteService drains the service, removes its containers and closes its load balancer', async () => {
    const url = env.local.loadBalancerUrl('c', 'web');
    expect((await labelledContainers()).length).toBeGreaterThan(0);
    await env.ecs.send(new DeleteServiceCommand({ cluster: 'c', service: 'web', force: true }));
    await waitFor(async () => ((await service()).status === 'INACTIVE' ? true : undefined), 60_000, 200);
    expect(await labelledContainers()).toEqual([]);
    const refused = await fetch(`${url}/version`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  }, 90_000);
});
