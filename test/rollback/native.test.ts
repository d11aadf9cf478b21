/**
 * rollback through its bundle on services ECS deploys with a native strategy (emulator, sped up):
 * a service deployment in progress is rolled back with StopServiceDeployment ROLLBACK (never a
 * second UpdateService) and followed to ROLLBACK_SUCCESSFUL; a service deployed by other tools
 * (no GitHub record, no commit-to-prod tags) goes back to ECS's last SUCCESSFUL service deployment.
 */
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type ActionResult } from '../../local/runner/run-bundle.js';
import { waitFor } from '../local-ecs/wait.js';
import { github, startDeployFixture, steadyService, trafficShiftLoadBalancers, type DeployFixture, type TestService } from '../ecs-rolling-deploy/fixture.js';

let f: DeployFixture;
const loadBalancers = trafficShiftLoadBalancers;

beforeAll(async () => {
  f = await startDeployFixture({
    timeScale: 30,
    emulatedPolls: true,
    defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 },
    healthCheck: { intervalMs: 2_000 },
  });
});
afterAll(() => f?.stop());

const callsOf = (operation: string, since: number) => f.calls.filter((c) => c.at >= since && c.operation === operation).length;

function rollback(s: TestService, inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runBundle('rollback', {
    inputs: { cluster: s.cluster, service: s.service, reason: 'test', ...inputs },
    env: f.local.env(),
    github: { ...github, eventName: 'workflow_dispatch', actor: 'alice', workflow: 'rollback' },
    timeoutMs: 120_000,
  });
}

/** A new revision rolled out by another tool: UpdateService straight through the SDK, no tags. */
async function updateByOtherTool(s: TestService, image: string): Promise<string> {
  const registered = await f.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: s.family,
      containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  const arn = registered.taskDefinition!.taskDefinitionArn!;
  await f.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: s.service, taskDefinition: arn }));
  return arn;
}

async function service(s: TestService) {
  return (await f.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: [s.service] }))).services![0]!;
}

describe('rollback on a native service', () => {
  it('stops the service deployment in progress with ROLLBACK and follows it to ROLLBACK_SUCCESSFUL', async () => {
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 }, loadBalancers },
    });
    const green = await updateByOtherTool(target, 'acme/app:2');
    const arn = (await service(target)).currentServiceDeployment!;
    const since = Date.now();
    const result = await rollback(target);
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.outputs.from).toBe(green);
    expect(result.outputs.to).toBe(target.taskDefinitionArn);
    expect(result.outputs.source).toBe('ecs-service-deployments');
    expect(result.log).toContain(`Stopped service deployment ${arn} (ROLLBACK)`);
    expect(result.log).toContain('ROLLBACK_SUCCESSFUL');
    expect(callsOf('StopServiceDeployment', since)).toBe(1);
    expect(callsOf('UpdateService', since)).toBe(0);
    expect(result.summary).toContain('ROLLBACK_SUCCESSFUL');
    expect((await service(target)).taskDefinition).toBe(target.taskDefinitionArn);
  }, 120_000);

  it('to: previous with no GitHub or tag record picks the last SUCCESSFUL service deployment', async () => {
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, loadBalancers },
    });
    const v2 = await updateByOtherTool(target, 'acme/app:2');
    await waitFor(
      async () => ((await service(target)).deployments?.length === 1 && (await service(target)).taskDefinition === v2 ? true : undefined),
      60_000,
      200,
    );
    await waitFor(
      async () => {
        const s = await service(target);
        const { serviceDeployments } = await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [s.currentServiceDeployment!] }));
        return serviceDeployments?.[0]?.status === 'SUCCESSFUL' ? true : undefined;
      },
      60_000,
      200,
    );
    const result = await rollback(target);
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.source).toBe('ecs-service-deployments');
    expect(result.outputs.from).toBe(v2);
    expect(result.outputs.to).toBe(target.taskDefinitionArn);
    expect(result.log).toMatch(/Chosen from: +ECS service deployment arn:aws:ecs:\S+ \(SUCCESSFUL, finished /);
    expect(result.outputs.status).toBe('succeeded');
  }, 120_000);
});
