/**
 * Service deployments and revisions of the emulator through the real SDK: every deployment
 * (rolling ones too) is recorded with ECS's statuses; listing filters and pages; revisions carry
 * what was deployed; StopServiceDeployment rolls a rolling deployment back.
 */
import {
  ConflictException,
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  ServiceDeploymentNotFoundException,
  ServiceNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { refusedByModel } from '../helpers/conformance.js';
import { waitFor } from './wait.js';

let env: LocalEcsEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function setup(breaker = false) {
  env = await withLocalEcs({ timeScale: 20 });
  const e = env;
  e.local.simulate('acme/crash:*', { startMs: 300, exitCode: 1, exitAfterMs: 200 });
  e.local.simulate('acme/slow:*', { startMs: 60_000 });
  await e.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
  for (const image of ['acme/web:1', 'acme/web:2', 'acme/crash:3', 'acme/slow:4']) {
    await e.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        // A container health check: a task counts as healthy only once it passes (a crash never does).
        containerDefinitions: [{ name: 'app', image, essential: true, healthCheck: { command: ['CMD', 'true'], interval: 5, retries: 2 } }],
      }),
    );
  }
  await e.ecs.send(
    new CreateServiceCommand({
      cluster: 'c',
      serviceName: 'web',
      taskDefinition: 'web:1',
      desiredCount: 2,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: breaker, rollback: breaker } },
    }),
  );
  return e;
}

async function list(e: LocalEcsEnv, extra: Partial<ConstructorParameters<typeof ListServiceDeploymentsCommand>[0]> = {}) {
  return e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'web', ...extra }));
}

async function describeOne(e: LocalEcsEnv, arn: string): Promise<ServiceDeployment> {
  const out = await e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const sd = out.serviceDeployments?.[0];
  if (!sd) throw new Error(`no service deployment ${arn}`);
  return sd;
}

async function settled(e: LocalEcsEnv, arn: string, status: string): Promise<ServiceDeployment> {
  return waitFor(async () => {
    const sd = await describeOne(e, arn);
    return sd.status === status ? sd : undefined;
  });
}

describe('service deployments of rolling updates', () => {
  it('records CreateService and each UpdateService as a service deployment with its revisions', async () => {
    const e = await setup();
    const first = (await list(e)).serviceDeployments?.[0];
    expect(first?.serviceDeploymentArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:service-deployment\/c\/web\/[\w-]{21}$/);
    expect(first?.targetServiceRevisionArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:service-revision\/c\/web\/\d{19}$/);
    const created = await settled(e, first!.serviceDeploymentArn!, 'SUCCESSFUL');
    expect(created.sourceServiceRevisions).toEqual([]);
    expect(created.targetServiceRevision).toMatchObject({ requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 });
    expect(created.finishedAt).toBeInstanceOf(Date);
    expect(created.deploymentCircuitBreaker).toMatchObject({ status: 'DISABLED', failureCount: 0, threshold: 3 });

    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const listed = (await list(e)).serviceDeployments ?? [];
    expect(listed).toHaveLength(2);
    // Newest first.
    const second = listed[0]!;
    expect(second.status).toBe('IN_PROGRESS');
    const service = (await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services?.[0];
    expect(service?.currentServiceDeployment).toBe(second.serviceDeploymentArn);
    const done = await settled(e, second.serviceDeploymentArn!, 'SUCCESSFUL');
    expect(done.sourceServiceRevisions?.map((r) => r.arn)).toEqual([first!.targetServiceRevisionArn]);
    expect(done.deploymentConfiguration?.strategy).toBe('ROLLING');

    const revisions = await e.ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [
          first!.targetServiceRevisionArn!,
          second.targetServiceRevisionArn!,
          'arn:aws:ecs:us-east-1:000000000000:service-revision/c/web/1',
        ],
      }),
    );
    expect(revisions.serviceRevisions?.map((r) => r.taskDefinition)).toEqual([
      'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
      'arn:aws:ecs:us-east-1:000000000000:task-definition/web:2',
    ]);
    expect(revisions.serviceRevisions?.[1]?.containerImages).toEqual([{ containerName: 'app', image: 'acme/web:2' }]);
    expect(revisions.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:service-revision/c/web/1', reason: 'MISSING' }]);
  });

  it('filters by status and createdAt, and pages with nextToken', async () => {
    const e = await setup();
    await waitFor(async () => ((await list(e)).serviceDeployments?.[0]?.status === 'SUCCESSFUL' ? true : undefined));
    const between = new Date(e.local.clock.now());
    await new Promise((r) => setTimeout(r, 20));
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:4' }));
    // A newer deployment supersedes the one still in progress: that one is STOPPED.
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:2' }));
    const all = (await list(e)).serviceDeployments ?? [];
    expect(all.map((d) => d.status)).toEqual(['IN_PROGRESS', 'STOPPED', 'SUCCESSFUL']);
    expect(all[1]?.statusReason).toContain(all[0]!.serviceDeploymentArn);

    expect((await list(e, { status: ['STOPPED', 'SUCCESSFUL'] })).serviceDeployments?.map((d) => d.status)).toEqual(['STOPPED', 'SUCCESSFUL']);
    // Timestamps are on the emulated clock (20x ahead of the wall clock here).
    expect((await list(e, { createdAt: { after: between } })).serviceDeployments).toHaveLength(2);
    expect((await list(e, { createdAt: { before: between } })).serviceDeployments).toHaveLength(1);

    const page1 = await list(e, { maxResults: 2 });
    expect(page1.serviceDeployments).toHaveLength(2);
    expect(page1.nextToken).toBeDefined();
    const page2 = await list(e, { maxResults: 2, nextToken: page1.nextToken });
    expect(page2.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([all[2]!.serviceDeploymentArn]);
    expect(page2.nextToken).toBeUndefined();
  });

  it('a circuit-breaker rollback is part of the failed service deployment: ROLLBACK_SUCCESSFUL', async () => {
    const e = await setup(true);
    const first = (await list(e)).serviceDeployments![0]!;
    await settled(e, first.serviceDeploymentArn!, 'SUCCESSFUL');
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:3' }));
    const failing = (await list(e)).serviceDeployments![0]!;
    const rolledBack = await settled(e, failing.serviceDeploymentArn!, 'ROLLBACK_SUCCESSFUL');
    expect(rolledBack.rollback?.serviceRevisionArn).toBe(first.targetServiceRevisionArn);
    expect(rolledBack.rollback?.reason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(rolledBack.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
    expect(rolledBack.deploymentCircuitBreaker?.failureCount).toBeGreaterThanOrEqual(3);
    // The rollback is no service deployment of its own.
    expect((await list(e)).serviceDeployments).toHaveLength(2);
  });

  it('StopServiceDeployment rolls a rolling deployment back to its source revision', async () => {
    const e = await setup();
    const first = (await list(e)).serviceDeployments![0]!;
    await settled(e, first.serviceDeploymentArn!, 'SUCCESSFUL');
    await e.ecs.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: 'web:4' }));
    const slow = (await list(e)).serviceDeployments![0]!;
    const stop = await e.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: slow.serviceDeploymentArn, stopType: 'ROLLBACK' }));
    expect(stop.serviceDeploymentArn).toBe(slow.serviceDeploymentArn);
    expect((await describeOne(e, slow.serviceDeploymentArn!)).status).toBe('ROLLBACK_IN_PROGRESS');
    const done = await settled(e, slow.serviceDeploymentArn!, 'ROLLBACK_SUCCESSFUL');
    expect(done.rollback?.serviceRevisionArn).toBe(first.targetServiceRevisionArn);
    const service = (await e.ecs.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services?.[0];
    expect(service?.taskDefinition).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/web:1');
    expect(
      e.local
        .tasks('c', 'web')
        .filter((t) => t.lastStatus !== 'STOPPED')
        .every((t) => t.taskDefinitionArn.endsWith('web:1')),
    ).toBe(true);

    // A finished deployment cannot be stopped; an unknown one is not found.
    await expect(e.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: first.serviceDeploymentArn }))).rejects.toBeInstanceOf(ConflictException);
    await expect(
      e.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/web/nope' })),
    ).rejects.toBeInstanceOf(ServiceDeploymentNotFoundException);
  });

  it('refuses a bad status filter and an unknown service, and answers MISSING for an unknown ARN', async () => {
    const e = await setup();
    await refusedByModel(() => expect(list(e, { status: ['DONE' as never] })).rejects.toBeInstanceOf(InvalidParameterException));
    await expect(e.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'c', service: 'nope' }))).rejects.toBeInstanceOf(ServiceNotFoundException);
    const missing = 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/web/nope';
    const out = await e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [missing] }));
    expect(out.serviceDeployments).toEqual([]);
    expect(out.failures).toEqual([{ arn: missing, reason: 'MISSING' }]);
    await expect(e.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [] }))).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
