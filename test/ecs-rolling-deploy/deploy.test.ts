/**
 * ecs-rolling-deploy through its bundle and the local runner, against the local ECS emulator with
 * simulated tasks (sped up) and the local GitHub API stand-in.
 */
import {
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { runBundle } from '../../local/runner/run-bundle.js';
import { deployAction, describe1, github, rawEcs, RUN_URL, startDeployFixture, steadyService, waitForSteady, type DeployFixture } from './fixture.js';

let f: DeployFixture;
let gh: LocalGitHubApi;
const TOKEN = 'ghs_localtesttoken123';

beforeAll(async () => {
  // 4x: a task takes ~0.5 s (real) to start, so a rollout spans several 2 s polls of the action
  // while the whole file still runs in well under a minute.
  f = await startDeployFixture({ timeScale: 4, emulatedPolls: true, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  await gh?.stop();
  await f?.stop();
});

async function revisions(family: string): Promise<string[]> {
  return (await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family }))).taskDefinitionArns ?? [];
}

describe('ecs-rolling-deploy', () => {
  it('rolls out a new image, streams what ECS does and reports within one poll of COMPLETED', async () => {
    const target = await steadyService(f, { image: 'acme/app:1' });
    // Watch the emulator itself for the moment ECS calls the new deployment COMPLETED.
    let completedAt: number | undefined;
    const watcher = setInterval(() => {
      const d = f.local.service(target.cluster, target.service)?.deployments[0];
      if (completedAt === undefined && d && d.taskDefinition.endsWith(':2') && d.rolloutState === 'COMPLETED') completedAt = Date.now();
    }, 5);
    const image = `acme/app@sha256:${'ab'.repeat(32)}`;
    // Slow enough (2.5 s real per task start) that the rollout spans more than one poll.
    f.local.simulate(image, { startMs: 10_000, healthyAfterMs: 500 });
    const result = await deployAction(f, target, { 'container-images': `app=${image}`, environment: 'app.MODE=green\napp.URL=https://x.example/?a=b' });
    const endedAt = Date.now();
    clearInterval(watcher);

    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.outputs['rolled-back']).toBe('false');
    expect(result.outputs['task-definition-arn']).toMatch(new RegExp(`task-definition/${target.family}:2$`));
    expect(result.outputs['previous-task-definition-arn']).toBe(target.taskDefinitionArn);
    expect(result.outputs['deployment-id']).toMatch(/^ecs-svc\//);
    expect(Number(result.outputs['duration-seconds'])).toBeGreaterThan(0);

    // The service runs the new revision only, and the rendered revision has the changes.
    const service = await describe1(f, target.cluster, target.service);
    expect(service.deployments?.map((d) => d.taskDefinition)).toEqual([result.outputs['task-definition-arn']]);
    const td = (await rawEcs(f, 'DescribeTaskDefinition', { taskDefinition: result.outputs['task-definition-arn'] })).taskDefinition as {
      containerDefinitions: { image: string; environment: { name: string; value: string }[] }[];
    };
    expect(td.containerDefinitions[0]!.image).toBe(image);
    expect(td.containerDefinitions[0]!.environment).toEqual([
      { name: 'MODE', value: 'green' },
      { name: 'URL', value: 'https://x.example/?a=b' },
    ]);

    // Progress, events and the outcome in the log; each event once.
    expect(result.log).toMatch(/\[\d+(\.\d)?s\] \S+:2 0\/2 running/);
    expect(result.log).toMatch(/\S+:2 2\/2 running · \S+:1 0 running · 0 failed/);
    const completedEvents = result.log.split('\n').filter((l) => /event: .*deployment completed/.test(l));
    expect(completedEvents).toHaveLength(1);

    // Within one poll: after ECS said COMPLETED, the action made at most one DescribeServices call.
    expect(completedAt).toBeDefined();
    const started = Date.now() - result.durationMs;
    const polls = f.calls.filter((c) => c.operation === 'DescribeServices' && c.at >= started && c.at <= endedAt);
    expect(polls.filter((c) => c.at > completedAt!).length).toBeLessThanOrEqual(1);
    expect(polls.filter((c) => c.at <= completedAt!).length).toBeGreaterThanOrEqual(2);

    // Provenance tags on the revision (the audit record without a token), values sanitized.
    const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: result.outputs['task-definition-arn'] }))).tags ?? [];
    const tag = (k: string) => tags.find((t) => t.key === k)?.value;
    expect(tag('commit-to-prod:sha')).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    expect(tag('commit-to-prod:ref')).toBe('refs/heads/main');
    expect(tag('commit-to-prod:run')).toBe(RUN_URL);
    expect(tag('commit-to-prod:image:app')).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(tag('commit-to-prod:outcome')).toBe('succeeded');
    expect(result.annotations.some((a) => a.level === 'warning' && /No github-token/.test(a.message))).toBe(true);

    // The summary: outcome, before/after images, timeline.
    expect(result.summary).toContain('succeeded');
    expect(result.summary).toContain('acme/app:1');
    expect(result.summary).toContain(image);
    expect(result.summary).toMatch(/Timeline/);
  });

  it('detects a crash-looping release after max-failed-tasks failures, rolls back and fails the step', async () => {
    const target = await steadyService(f, { image: 'acme/crashy:1' });
    f.local.simulate('acme/crashy:2', { exitCode: 3, exitAfterMs: 200 });
    const failures: number[] = [];
    const unsubscribe = f.local.onTaskChange((task) => {
      if (task.failed && task.lastStatus === 'STOPPED' && task.taskDefinitionArn.endsWith(':2') && task.cluster === target.cluster) failures.push(Date.now());
    });
    const startedAt = Date.now();
    const result = await deployAction(
      f,
      target,
      {
        'container-images': 'app=acme/crashy:2',
        'max-failed-tasks': '2',
        // This is the action's own detection. With ECS's breaker on as well (3 failures here), the
        // emulated tasks crash so fast that the breaker can win the race against a 2 s poll, which
        // made this test flaky under load; the breaker's own path has a test of its own.
        'circuit-breaker': 'false',
        'github-token': TOKEN,
        'github-environment': 'production',
      },
      { github: { apiUrl: gh.url } },
    );

    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs['rolled-back']).toBe('true');
    const error = result.annotations.find((a) => a.level === 'error' && /back on revision/.test(a.message))?.message ?? '';
    unsubscribe();
    expect(error).toMatch(/\d+ tasks of the new revision failed in a row \(max-failed-tasks 2\)/);
    // Detected at the first poll after the 2nd failure: the rollback's UpdateService follows it
    // with at most one DescribeServices in between.
    const secondFailure = failures[1]!;
    const rollbackUpdate = f.calls.filter((c) => c.operation === 'UpdateService' && c.at >= startedAt)[1]!;
    expect(rollbackUpdate.at).toBeGreaterThan(secondFailure);
    expect(f.calls.filter((c) => c.operation === 'DescribeServices' && c.at > secondFailure && c.at < rollbackUpdate.at).length).toBeLessThanOrEqual(1);
    expect(error).toMatch(/Essential container in task exited \(EssentialContainerExited; app exit 3\)/);
    expect(error).toContain(`back on revision ${target.family}:1`);
    // Every stopped task of the new revision was reported with its exit code.
    expect(result.log).toMatch(/task \w+ stopped: Essential container in task exited \(EssentialContainerExited; app exit 3\)/);

    const service = await waitForSteady(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
    expect(service.runningCount).toBe(2);

    // The GitHub deployment record: created with the revisions, then in_progress → failure.
    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === target.service);
    expect(record?.environment).toBe('production');
    expect(record?.sha).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    expect(record?.payload).toMatchObject({
      taskDefinitionArn: result.outputs['task-definition-arn'],
      previousTaskDefinitionArn: target.taskDefinitionArn,
      images: { app: 'acme/crashy:2' },
    });
    expect(record?.statuses.map((s) => s.state)).toEqual(['failure', 'in_progress']);
    expect(record?.statuses[0]?.log_url).toBe(RUN_URL);
    expect(result.log).not.toContain(TOKEN);
  });

  it("reports a rollback by ECS's circuit breaker as a failure, never a success", async () => {
    const target = await steadyService(f, { image: 'acme/breaker:1' });
    f.local.simulate('acme/breaker:2', { pullError: true });
    // max-failed-tasks above ECS's threshold (3 for 2 tasks): ECS acts first. The breaker is
    // asked for: since issue 14 the default keeps the service's own setting (off here).
    const result = await deployAction(f, target, { 'container-images': 'app=acme/breaker:2', 'max-failed-tasks': '10', 'circuit-breaker': 'true' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    const error = result.annotations.find((a) => a.level === 'error' && /circuit breaker/.test(a.message))?.message ?? '';
    expect(error).toMatch(/circuit breaker failed it/);
    expect(error).toMatch(/CannotPullContainerError/);
    const service = await waitForSteady(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
  });

  it('deploys an existing ARN as is, without registering a new revision', async () => {
    const target = await steadyService(f, { image: 'acme/existing:1' });
    const registered = await f.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: target.family,
        containerDefinitions: [{ name: 'app', image: 'acme/existing:2', portMappings: [{ containerPort: 8080 }] }],
      }),
    );
    const arn = registered.taskDefinition!.taskDefinitionArn!;
    const before = await revisions(target.family);
    const result = await deployAction(f, target, { 'task-definition': arn });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs['task-definition-arn']).toBe(arn);
    expect(await revisions(target.family)).toEqual(before);
    expect(f.calls.some((c) => c.operation === 'RegisterTaskDefinition' && c.at > Date.now() - result.durationMs)).toBe(false);
    expect(result.log).toContain('as is: no new revision registered');
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(arn);
  });

  it('keeps task definition fields the engine does not model when rendering from a file', async () => {
    const target = await steadyService(f, { image: 'acme/future:1' });
    const document = {
      // What `aws ecs describe-task-definition` prints, read-only fields and all.
      taskDefinition: {
        taskDefinitionArn: target.taskDefinitionArn,
        revision: 1,
        status: 'ACTIVE',
        registeredAt: '2026-01-01T00:00:00Z',
        compatibilities: ['EC2'],
        requiresAttributes: [],
        family: target.family,
        // Members of ECS's model that the engine has no notion of: they must pass through as given.
        enableFaultInjection: true,
        containerDefinitions: [
          {
            name: 'app',
            image: 'acme/future:1',
            portMappings: [{ containerPort: 8080 }],
            restartPolicy: { enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60 },
          },
        ],
      },
      tags: [{ key: 'team', value: 'payments' }],
    };
    const workspace = mkdtempSync(path.join(tmpdir(), 'ctp-td-'));
    writeFileSync(path.join(workspace, 'taskdef.json'), JSON.stringify(document));
    const result = await runBundle('ecs-rolling-deploy', {
      inputs: {
        cluster: target.cluster,
        service: target.service,
        'task-definition': 'taskdef.json',
        'container-images': 'app=acme/future:2',
        tags: 'owner=team a',
      },
      env: f.local.env(),
      github,
      workspace,
    });
    expect(result.exitCode, result.log).toBe(0);
    const raw = (await rawEcs(f, 'DescribeTaskDefinition', { taskDefinition: result.outputs['task-definition-arn'], include: ['TAGS'] })) as {
      taskDefinition: Record<string, unknown> & { containerDefinitions: Record<string, unknown>[] };
    };
    expect(raw.taskDefinition.enableFaultInjection).toBe(true);
    expect(raw.taskDefinition.containerDefinitions[0]!.restartPolicy).toEqual({ enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60 });
    expect(raw.taskDefinition.containerDefinitions[0]!.image).toBe('acme/future:2');
    const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: result.outputs['task-definition-arn'] }))).tags ?? [];
    expect(tags).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'payments' },
        { key: 'owner', value: 'team a' },
      ]),
    );
  });

  it('honours the timeout as a hard deadline and starts the rollback', async () => {
    const target = await steadyService(f, { image: 'acme/slow:1' });
    f.local.simulate('acme/slow:2', { startMs: 3_600_000 });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/slow:2', timeout: '4s' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(Number(result.outputs['duration-seconds'])).toBeLessThanOrEqual(5);
    expect(Number(result.outputs['duration-seconds'])).toBeGreaterThanOrEqual(4);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/timed out/);
    expect(error).toMatch(new RegExp(`Rollback to ${target.family}:1 started`));
    const service = await waitForSteady(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
  });

  it('refuses to start while another deployment is in progress, naming it, and registers nothing', async () => {
    const target = await steadyService(f, { image: 'acme/busy:1' });
    f.local.simulate('acme/busy:2', { startMs: 3_600_000 });
    const other = await f.ecs.send(new RegisterTaskDefinitionCommand({ family: target.family, containerDefinitions: [{ name: 'app', image: 'acme/busy:2' }] }));
    const updated = await f.ecs.send(
      new UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition: other.taskDefinition!.taskDefinitionArn! }),
    );
    const blocking = updated.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
    const before = await revisions(target.family);
    const result = await deployAction(f, target, { 'container-images': 'app=acme/busy:3' });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toContain(`deployment ${blocking}`);
    expect(error).toMatch(/IN_PROGRESS/);
    expect(error).toMatch(/wait-for-in-progress/);
    expect(await revisions(target.family)).toEqual(before);
  });

  it('with wait-for-in-progress waits for the other deployment, then deploys', async () => {
    const target = await steadyService(f, { image: 'acme/queue:1' });
    // Long enough (5 s real at 4x) that the other deployment is still IN_PROGRESS when the bundle,
    // slow to start on a loaded machine, first reads the service.
    f.local.simulate('acme/queue:2', { startMs: 20_000 });
    const other = await f.ecs.send(
      new RegisterTaskDefinitionCommand({ family: target.family, containerDefinitions: [{ name: 'app', image: 'acme/queue:2' }] }),
    );
    await f.ecs.send(new UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition: other.taskDefinition!.taskDefinitionArn! }));
    const result = await deployAction(f, target, { 'container-images': 'app=acme/queue:3', 'wait-for-in-progress': 'true' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.log).toMatch(/Waiting for deployment ecs-svc\/\d+ of \S+:2/);
    // The revision it started from is the one the other deployment brought: :2, not :1.
    expect(result.outputs['previous-task-definition-arn']).toBe(other.taskDefinition!.taskDefinitionArn);
    expect(result.outputs['task-definition-arn']).toMatch(/:3$/);
  });

  it('with wait: false stops after the update and says so', async () => {
    const target = await steadyService(f, { image: 'acme/nowait:1' });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/nowait:2', wait: 'false' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('started');
    expect(result.log).toMatch(/not followed: wait is false/);
    await waitForSteady(f, target.cluster, target.service);
  });

  it('fails on an unknown container before anything is registered', async () => {
    const target = await steadyService(f, { image: 'acme/names:1', sidecar: true });
    const before = await revisions(target.family);
    const result = await deployAction(f, target, { 'container-images': 'app=acme/names:2\nweb=acme/web:2' });
    expect(result.exitCode).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toBe(
      `Input 'container-images' has an invalid value "web=acme/web:2": task definition family '${target.family}' has no container 'web' (its containers: app, log-router).`,
    );
    expect(await revisions(target.family)).toEqual(before);
    expect((await describe1(f, target.cluster, target.service)).deployments).toHaveLength(1);
  });

  it('records a successful deploy as a GitHub deployment with in_progress then success', async () => {
    const target = await steadyService(f, { image: 'acme/audited:1', desiredCount: 1 });
    const result = await deployAction(
      f,
      target,
      { 'container-images': 'app=acme/audited:2', 'github-token': TOKEN, 'github-environment': 'staging' },
      { github: { apiUrl: gh.url } },
    );
    expect(result.exitCode, result.log).toBe(0);
    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === target.service);
    expect(record).toBeDefined();
    expect(record!.environment).toBe('staging');
    expect(record!.payload).toMatchObject({ taskDefinitionArn: result.outputs['task-definition-arn'], previousTaskDefinitionArn: target.taskDefinitionArn });
    expect(record!.statuses.map((s) => s.state)).toEqual(['success', 'in_progress']);
    expect(record!.statuses.every((s) => s.log_url === RUN_URL)).toBe(true);
    expect(result.summary).toContain(`#${record!.id}`);
  });

  it('on cancellation starts the rollback, leaves ECS on the previous revision and records it', async () => {
    const target = await steadyService(f, { image: 'acme/cancel:1' });
    f.local.simulate('acme/cancel:2', { startMs: 3_600_000 });
    const result = await deployAction(
      f,
      target,
      { 'container-images': 'app=acme/cancel:2', 'github-token': TOKEN, 'github-environment': 'production' },
      { github: { apiUrl: gh.url }, cancel: { whenLogMatches: /0\/2 running/, signal: 'SIGINT' } },
    );
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('cancelled');
    expect(result.log).toMatch(/cancelled/);
    expect(result.log).toMatch(new RegExp(`Rollback to ${target.family}:1 started`));
    const service = await waitForSteady(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === target.service);
    expect(record!.statuses[0]!.state).toBe('error');
    expect(record!.statuses[0]!.description).toMatch(/^Cancelled/);
  });

  it('rejects bad inputs before loading the SDK or calling ECS', async () => {
    const target = { cluster: 'c', service: 's', family: 'f', taskDefinitionArn: '' };
    const calls = f.calls.length;
    const result = await deployAction(f, target, { 'max-failed-tasks': '0' });
    expect(result.exitCode).toBe(1);
    expect(result.annotations[0]?.message).toBe('Input \'max-failed-tasks\' has an invalid value "0": expected a whole number of at least 1.');
    const env = await deployAction(f, target, { environment: 'MODE=green' });
    expect(env.annotations[0]?.message).toMatch(
      /Input 'environment' has an invalid value "MODE=green": expected `KEY=VALUE` lines where KEY is `container.NAME`/,
    );
    expect(f.calls.length).toBe(calls);
  });
});

describe('secrets and docker-labels through the bundle', () => {
  it('round-trip through the registered revision, every other field kept; a removed secret is gone', async () => {
    const target = await steadyService(f, {
      image: 'acme/render:1',
      containerExtra: {
        secrets: [{ name: 'OLD', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/old' }],
        dockerLabels: { team: 'payments' },
      },
    });
    const result = await deployAction(f, target, {
      'container-images': 'app=acme/render:2',
      secrets: 'app.OLD=\napp.DB=arn:aws:secretsmanager:us-east-1:000000000000:secret:db',
      'docker-labels': 'app.release=v2',
    });
    expect(result.exitCode, result.log).toBe(0);
    const td = (await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn'] }))).taskDefinition!;
    const app = td.containerDefinitions!.find((c) => c.name === 'app')!;
    expect(app.secrets).toEqual([{ name: 'DB', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db' }]);
    expect(app.dockerLabels).toEqual({ team: 'payments', release: 'v2' });
    expect(app.image).toBe('acme/render:2');
    expect(app.environment).toEqual([{ name: 'MODE', value: 'blue' }]);
    expect(app.portMappings?.[0]?.containerPort).toBe(8080);
  });
});

describe('command, env-files and the log configuration through the bundle', () => {
  it('round-trip through the registered revision, every other field kept', async () => {
    const target = await steadyService(f, {
      image: 'acme/render:1',
      containerExtra: {
        command: ['serve'],
        environmentFiles: [{ value: 'arn:aws:s3:::cfg/old.env', type: 's3' }],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/render', 'awslogs-region': 'us-east-1', 'awslogs-create-group': 'true' } },
        dockerLabels: { team: 'payments' },
      },
    });
    const result = await deployAction(f, target, {
      command: 'app=["sh","-c","echo a=b && serve"]',
      'env-files': 'app=arn:aws:s3:::cfg/base.env\napp=arn:aws:s3:::cfg/prod.env',
      'log-options': 'app.awslogs-stream-prefix=render\napp.awslogs-region=',
    });
    expect(result.exitCode, result.log).toBe(0);
    const td = (await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn'] }))).taskDefinition!;
    const app = td.containerDefinitions!.find((c) => c.name === 'app')!;
    expect(app.command).toEqual(['sh', '-c', 'echo a=b && serve']);
    expect(app.environmentFiles).toEqual([
      { value: 'arn:aws:s3:::cfg/base.env', type: 's3' },
      { value: 'arn:aws:s3:::cfg/prod.env', type: 's3' },
    ]);
    expect(app.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/render', 'awslogs-create-group': 'true', 'awslogs-stream-prefix': 'render' },
    });
    expect(app.image).toBe('acme/render:1');
    expect(app.dockerLabels).toEqual({ team: 'payments' });
    expect(app.environment).toEqual([{ name: 'MODE', value: 'blue' }]);
    expect(app.portMappings?.[0]?.containerPort).toBe(8080);
  });

  it('a bad log-driver fails before any AWS call, naming the input', async () => {
    const target = await steadyService(f, { image: 'acme/render:1' });
    const calls = f.calls.length;
    const result = await deployAction(f, target, { 'log-driver': 'app=loki' });
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain(`Input 'log-driver' has an invalid value "app=loki"`);
    expect(f.calls.length).toBe(calls);
  });
});

describe('service settings through the bundle', () => {
  const volume = { roleArn: 'arn:aws:iam::000000000000:role/ecsInfrastructureRole', sizeInGiB: 20, volumeType: 'gp3' };

  it('sends managed tags, tag propagation and the EBS volume when given; ECS echoes them', async () => {
    const target = await steadyService(f, {
      image: 'acme/settings:1',
      containerExtra: { mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] },
      taskDefinitionExtra: { volumes: [{ name: 'data', configuredAtLaunch: true }] },
    });
    const result = await deployAction(f, target, {
      'container-images': 'app=acme/settings:2',
      'enable-ecs-managed-tags': 'true',
      'propagate-tags': 'SERVICE',
      'service-managed-ebs-volume-name': 'data',
      'service-managed-ebs-volume': JSON.stringify(volume),
    });
    expect(result.exitCode, result.log).toBe(0);
    const service = await describe1(f, target.cluster, target.service);
    expect(service).toMatchObject({ enableECSManagedTags: true, propagateTags: 'SERVICE' });
    expect(service.deployments![0]!.taskDefinition).toBe(result.outputs['task-definition-arn']);
    expect(service.deployments![0]!.volumeConfigurations).toEqual([{ name: 'data', managedEBSVolume: volume }]);
  });

  it("leaves the service's own settings when not given", async () => {
    const target = await steadyService(f, { image: 'acme/settings:1', extra: { enableECSManagedTags: true, propagateTags: 'TASK_DEFINITION' } });
    const result = await deployAction(f, target, { 'container-images': 'app=acme/settings:2' });
    expect(result.exitCode, result.log).toBe(0);
    expect(await describe1(f, target.cluster, target.service)).toMatchObject({ enableECSManagedTags: true, propagateTags: 'TASK_DEFINITION' });
  });

  it.each([
    [{ 'propagate-tags': 'ALL' }, `Input 'propagate-tags' has an invalid value "ALL"`],
    [{ 'service-managed-ebs-volume': '{"sizeInGiB": 20}', 'service-managed-ebs-volume-name': 'data' }, `Input 'service-managed-ebs-volume'`],
    [{ 'service-managed-ebs-volume': JSON.stringify(volume) }, `Input 'service-managed-ebs-volume-name' is required`],
  ])('%j fails before any AWS call, naming the input', async (inputs, message) => {
    const target = await steadyService(f, { image: 'acme/settings:1' });
    const calls = f.calls.length;
    const result = await deployAction(f, target, inputs);
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain(message);
    expect(f.calls.length).toBe(calls);
  });
});
