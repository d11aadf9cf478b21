/**
 * The shared deploy engine called directly (as the rollback action will), over HTTP against the
 * local ECS emulator through the real SDK client.
 */
import { Readable } from 'node:stream';
import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../shared/ecs/deploy.js';
import { describeTaskDefinition, registerTaskDefinition } from '../../shared/ecs/register-task-definition.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { rawEcs, startDeployFixture, steadyService, waitForSteady, type DeployFixture } from './fixture.js';

let f: DeployFixture;
beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 10, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
});
afterAll(async () => {
  await f?.stop();
});

// Members of ECS's model (botocore's service-2.json has them) that the engine has no notion of.
const future = {
  family: 'future-fields',
  enableFaultInjection: true,
  containerDefinitions: [{ name: 'app', image: 'acme/future:1', restartPolicy: { enabled: true, ignoredExitCodes: [0], restartAttemptPeriod: 60 } }],
};

describe('task definitions with fields the engine does not model', () => {
  it('the plain SDK drops members newer than itself on describe (why raw-json.ts exists)', async () => {
    // The pinned SDK knows every member of the pinned ECS model, so "newer than the SDK" is a
    // member ECS adds later: shown with a canned answer (no emulator: it serves ECS's model only).
    const answer = { taskDefinition: { family: 'later', revision: 1, memberAddedAfterThisSdk: { on: true } } };
    const client = new ECSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestHandler: {
        handle: async () => ({
          response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(JSON.stringify(answer))]) },
        }),
      } as never,
    });
    const plain = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'later:1' }));
    client.destroy();
    expect(plain.taskDefinition?.family).toBe('later');
    expect((plain.taskDefinition as Record<string, unknown>).memberAddedAfterThisSdk).toBeUndefined();
  });

  it('the emulator echoes them back on the wire', async () => {
    const arn = await registerTaskDefinition(f.ecs, future, []);
    const raw = (await rawEcs(f, 'DescribeTaskDefinition', { taskDefinition: arn })).taskDefinition as Record<string, unknown>;
    expect(raw.enableFaultInjection).toBe(true);
    expect((raw.containerDefinitions as Record<string, unknown>[])[0]!.restartPolicy).toEqual(future.containerDefinitions[0]!.restartPolicy);
  });

  it('describeTaskDefinition keeps them and drops only the read-only fields', async () => {
    const arn = await registerTaskDefinition(f.ecs, future, [{ key: 'k', value: 'v' }]);
    const described = await describeTaskDefinition(f.ecs, arn);
    expect(described.arn).toBe(arn);
    expect(described.document.enableFaultInjection).toBe(true);
    expect((described.document.containerDefinitions as Record<string, unknown>[])[0]!.restartPolicy).toEqual(future.containerDefinitions[0]!.restartPolicy);
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'registeredAt', 'registeredBy', 'compatibilities', 'requiresAttributes']) {
      expect(described.document).not.toHaveProperty(field);
    }
  });

  it("a deploy rendered from the service's current revision carries them into the new one", async () => {
    const target = await steadyService(f, { image: 'acme/carry:1' });
    // Make the service's current revision one with a member the engine does not model.
    const current = await describeTaskDefinition(f.ecs, target.taskDefinitionArn);
    const withFuture = await registerTaskDefinition(f.ecs, { ...current.document, enableFaultInjection: true }, []);
    const first = await deploy(
      { cluster: target.cluster, service: target.service, taskDefinition: { kind: 'existing', ref: withFuture }, timeoutMs: 60_000, maxFailedTasks: 2 },
      { ecs: f.ecs, logger: new MemoryLogger() },
    );
    expect(first.status).toBe('succeeded');
    const result = await deploy(
      {
        cluster: target.cluster,
        service: target.service,
        taskDefinition: { kind: 'service' },
        changes: { images: new Map([['app', 'acme/carry:2']]), environment: new Map() },
        timeoutMs: 60_000,
        maxFailedTasks: 2,
      },
      { ecs: f.ecs, logger: new MemoryLogger() },
    );
    expect(result.status).toBe('succeeded');
    expect(result.registered).toBe(true);
    const raw = (await rawEcs(f, 'DescribeTaskDefinition', { taskDefinition: result.taskDefinitionArn })).taskDefinition as Record<string, unknown>;
    expect(raw.enableFaultInjection).toBe(true);
  });
});

describe('deploy() as the rollback action uses it', () => {
  it('redeploys an existing revision without registering, and reports where the service is', async () => {
    const target = await steadyService(f, { image: 'acme/rb:1' });
    const logger = new MemoryLogger();
    const forward = await deploy(
      {
        cluster: target.cluster,
        service: target.service,
        taskDefinition: { kind: 'service' },
        changes: { images: new Map([['app', 'acme/rb:2']]), environment: new Map() },
        timeoutMs: 60_000,
        maxFailedTasks: 2,
      },
      { ecs: f.ecs, logger },
    );
    expect(forward.status).toBe('succeeded');
    const families = async () => (await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: target.family }))).taskDefinitionArns;
    const before = await families();
    const back = await deploy(
      {
        cluster: target.cluster,
        service: target.service,
        taskDefinition: { kind: 'existing', ref: target.taskDefinitionArn },
        register: 'never',
        onFailure: 'stop',
        timeoutMs: 60_000,
        maxFailedTasks: 2,
      },
      { ecs: f.ecs, logger },
    );
    expect(back).toMatchObject({
      status: 'succeeded',
      registered: false,
      taskDefinitionArn: target.taskDefinitionArn,
      previousTaskDefinitionArn: forward.taskDefinitionArn,
    });
    expect(await families()).toEqual(before);
    expect(back.after.map((i) => i.image)).toEqual(['acme/rb:1']);
    expect(back.before.map((i) => i.image)).toEqual(['acme/rb:2']);
  });

  it('with register: never refuses changes that would need a new revision, before touching the service', async () => {
    const target = await steadyService(f, { image: 'acme/never:1' });
    await expect(
      deploy(
        {
          cluster: target.cluster,
          service: target.service,
          taskDefinition: { kind: 'existing', ref: target.taskDefinitionArn },
          changes: { images: new Map([['app', 'x:2']]), environment: new Map() },
          register: 'never',
          timeoutMs: 60_000,
          maxFailedTasks: 2,
        },
        { ecs: f.ecs, logger: new MemoryLogger() },
      ),
    ).rejects.toThrow(/would need a new revision/);
    expect((await waitForSteady(f, target.cluster, target.service)).taskDefinition).toBe(target.taskDefinitionArn);
  });

  it('with onFailure: stop reports the failure and leaves the service as ECS has it', async () => {
    const target = await steadyService(f, { image: 'acme/stop:1' });
    f.local.simulate('acme/stop:2', { pullError: true });
    const result = await deploy(
      {
        cluster: target.cluster,
        service: target.service,
        taskDefinition: { kind: 'service' },
        changes: { images: new Map([['app', 'acme/stop:2']]), environment: new Map() },
        onFailure: 'stop',
        timeoutMs: 60_000,
        maxFailedTasks: 1,
      },
      { ecs: f.ecs, logger: new MemoryLogger() },
    );
    expect(result.status).toBe('failed');
    expect(result.rolledBack).toBe(false);
    expect(result.message).toMatch(/Not rolled back/);
    expect(result.message).toMatch(/CannotPullContainerError/);
  });

  it('names a missing service in the `service` input', async () => {
    const target = await steadyService(f, { image: 'acme/missing:1' });
    await expect(
      deploy(
        { cluster: target.cluster, service: 'nope', taskDefinition: { kind: 'service' }, timeoutMs: 10_000, maxFailedTasks: 2 },
        { ecs: f.ecs, logger: new MemoryLogger() },
      ),
    ).rejects.toThrow(`Input 'service' has an invalid value "nope": no ACTIVE service of that name in cluster '${target.cluster}'.`);
  });

  it("logs the image the service runs as 'before', not the one the file names", async () => {
    const target = await steadyService(f, { image: 'acme/running:1' });
    const logger = new MemoryLogger();
    const document = { family: target.family, containerDefinitions: [{ name: 'app', image: 'acme/in-the-file:0', essential: true }] };
    const result = await deploy(
      {
        cluster: target.cluster,
        service: target.service,
        taskDefinition: { kind: 'document', document, source: 'task-definition.json' },
        changes: { images: new Map([['app', 'acme/running:2']]), environment: new Map() },
        timeoutMs: 60_000,
        maxFailedTasks: 2,
      },
      { ecs: f.ecs, logger },
    );
    expect(result.status, logger.text).toBe('succeeded');
    expect(logger.lines).toContain('  app: acme/running:1 → acme/running:2');
    expect(result.before).toEqual([{ container: 'app', image: 'acme/running:1' }]);
  });
});
