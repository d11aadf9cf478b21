/**
 * pre-deploy-command through the bundle against the emulator in docker mode: the migration is a
 * real container of the revision's image running the command override, its stdout and stderr
 * reach the emulated CloudWatch Logs through the awslogs driver and are streamed by the action;
 * exit 0 lets the rollout follow, exit 3 leaves the service as it was. No container is left over.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../local/ecs/docker-cli.js';
import { LABEL } from '../../local/ecs/runners/docker.js';
import { localRegistry } from '../helpers/local-ecs.js';
import { localStack } from '../helpers/stack.js';
import { deployAction, describe1, startDeployFixture, waitForSteady, type DeployFixture, type TestService } from './fixture.js';

const suffix = randomBytes(4).toString('hex');
const GROUP = `/ecs/pre-deploy-${suffix}`;
let f: DeployFixture;
let logs: CloudWatchLogsClient;
let target: TestService;

beforeAll(async () => {
  f = await startDeployFixture({ mode: 'docker', registry: localRegistry(), timeScale: 10 });
  logs = new CloudWatchLogsClient({ endpoint: f.local.endpoint, region: f.local.region, credentials: f.local.credentials, maxAttempts: 1 });
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  const cluster = `c-${suffix}`;
  const family = `pre-${suffix}`;
  await f.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await f.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      containerDefinitions: [
        {
          name: 'app',
          image: localStack().baseImage,
          essential: true,
          command: ['sleep', '3600'],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' } },
        },
      ],
    }),
  );
  const taskDefinitionArn = td.taskDefinition!.taskDefinitionArn!;
  await f.ecs.send(new CreateServiceCommand({ cluster, serviceName: 'svc', taskDefinition: taskDefinitionArn, desiredCount: 1 }));
  await waitForSteady(f, cluster, 'svc', 60_000);
  target = { cluster, service: 'svc', family, taskDefinitionArn };
}, 120_000);
afterAll(async () => {
  logs?.destroy();
  await f?.stop();
});

describe('pre-deploy-command in docker mode', () => {
  it('exit 3 in the real container: the step fails with its lines, the service keeps running revision 1', async () => {
    const r = await deployAction(f, target, {
      environment: 'app.RELEASE=2',
      'pre-deploy-command': '["sh","-c","echo applying 0007_orders; echo relation orders exists >&2; exit 3"]',
    });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('  | applying 0007_orders');
    expect(r.log).toContain('  | relation orders exists');
    const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/stopped with exit code 3 \(Essential container in task exited, EssentialContainerExited\)/);
    expect(error).toContain('| relation orders exists');
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(target.taskDefinitionArn);
  }, 120_000);

  it('exit 0 in the real container: its line is streamed and the rollout follows', async () => {
    const r = await deployAction(f, target, { environment: 'app.RELEASE=3', 'pre-deploy-command': '["sh","-c","echo schema at 8"]' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain('  | schema at 8');
    expect(r.log.indexOf('schema at 8')).toBeLessThan(r.log.indexOf('Service updated to'));
    expect(r.log).toMatch(/stopped with exit code 0/);
    expect(r.outputs.status).toBe('succeeded');
    expect(r.outputs['exit-code']).toBe('0');
    const service = await describe1(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(r.outputs['task-definition-arn']);
    // The migration containers are gone; only the service's own task runs.
    const taskId = r.outputs['task-arn']!.split('/').at(-1)!;
    expect((await docker(['ps', '--all', '--quiet', '--filter', `label=${LABEL}.task=${taskId}`])).stdout.trim()).toBe('');
  }, 120_000);
});
