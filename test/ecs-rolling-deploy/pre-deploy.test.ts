/**
 * pre-deploy-command through the bundle, against the emulator (simulated tasks, its CloudWatch
 * Logs): a migration that exits 0 streams its lines and the rollout follows; one that exits 3
 * fails the step with exit code 3 and its last lines, the service untouched; one that hangs is
 * stopped at its timeout; cancelling the job stops it. No migration task is left running.
 */
import { CreateLogGroupCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ListTagsForResourceCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction, describe1, runTaskAction, startDeployFixture, steadyService, type DeployFixture, type TestService } from './fixture.js';

let f: DeployFixture;
let logs: CloudWatchLogsClient;
const GROUP = '/ecs/migrations';
const MIGRATE = ['bin/migrate', 'up'];

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 4, defaultBehaviour: { startMs: 1_000, healthyAfterMs: 500 } });
  logs = new CloudWatchLogsClient({ endpoint: f.local.endpoint, region: f.local.region, credentials: f.local.credentials, maxAttempts: 1 });
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
});
afterAll(async () => {
  logs?.destroy();
  await f?.stop();
});

function service(image: string): Promise<TestService> {
  return steadyService(f, {
    image,
    containerExtra: {
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' } },
    },
  });
}

/** Tasks started by this action (the migration tasks) that ECS still wants running. */
async function migrationsRunning(s: TestService): Promise<string[]> {
  return (await f.ecs.send(new ListTasksCommand({ cluster: s.cluster, startedBy: 'commit-to-prod' }))).taskArns ?? [];
}

async function migrationTasks(s: TestService) {
  const arns = (await f.ecs.send(new ListTasksCommand({ cluster: s.cluster, startedBy: 'commit-to-prod', desiredStatus: 'STOPPED' }))).taskArns ?? [];
  return arns.length === 0 ? [] : ((await f.ecs.send(new DescribeTasksCommand({ cluster: s.cluster, tasks: arns }))).tasks ?? []);
}

describe('pre-deploy-command', () => {
  it('exit 0: its lines are streamed, then the rollout follows; the task is tagged like the revision', async () => {
    const s = await service('acme/mig:1');
    f.local.simulate(
      'acme/mig:2',
      { startMs: 300, logLines: ['applying 0042_add_orders', 'schema at 42'], logEveryMs: 200, exitCode: 0, exitAfterMs: 600 },
      MIGRATE,
    );
    const r = await deployAction(f, s, { 'container-images': 'app=acme/mig:2', 'pre-deploy-command': 'bin/migrate up' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.status).toBe('succeeded');
    const log = r.log;
    expect(log).toMatch(/Started the pre-deploy task [0-9a-f]{32} \(.*:2, container app: bin\/migrate up\)/);
    expect(log).toContain('  | applying 0042_add_orders');
    expect(log).toContain('  | schema at 42');
    expect(log).toMatch(/The pre-deploy task [0-9a-f]{32} stopped with exit code 0 \(Essential container in task exited, EssentialContainerExited\)/);
    // The lines come before the service update, the update before the rollout's end.
    expect(log.indexOf('schema at 42')).toBeLessThan(log.indexOf('Service updated to'));
    const [task] = await migrationTasks(s);
    expect(task?.overrides?.containerOverrides).toEqual([{ name: 'app', command: MIGRATE }]);
    const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: task!.taskArn! }))).tags ?? [];
    expect(tags).toContainEqual({ key: 'commit-to-prod:sha', value: expect.any(String) });
    expect(tags.find((t) => t.key === 'commit-to-prod:image:app')?.value).toBe('acme/mig:2');
    expect(r.summary).toContain('Pre-deploy task:');
    expect(await migrationsRunning(s)).toEqual([]);
  });

  it('exit 3: the step fails with exit code 3 and the last lines, the service untouched', async () => {
    const s = await service('acme/migfail:1');
    f.local.simulate(
      'acme/migfail:2',
      { startMs: 300, logLines: ['applying 0043_drop_users', 'ERROR: relation "users" is referenced'], exitCode: 3, exitAfterMs: 100 },
      MIGRATE,
    );
    const before = await describe1(f, s.cluster, s.service);
    const updates = f.calls.filter((c) => c.operation === 'UpdateService').length;
    const r = await deployAction(f, s, { 'container-images': 'app=acme/migfail:2', 'pre-deploy-command': '["bin/migrate","up"]' });
    expect(r.exitCode).toBe(1);
    const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/The pre-deploy task [0-9a-f]{32} stopped with exit code 3/);
    expect(error).toContain(`${s.cluster}/${s.service} was not updated and still runs ${s.family}:1 (${s.family}:2 was registered but not deployed).`);
    expect(error).toContain('| ERROR: relation "users" is referenced');
    expect(f.calls.filter((c) => c.operation === 'UpdateService').length).toBe(updates);
    const after = await describe1(f, s.cluster, s.service);
    expect(after.taskDefinition).toBe(before.taskDefinition);
    expect(after.deployments?.map((d) => d.id)).toEqual(before.deployments?.map((d) => d.id));
  });

  it('hangs: stopped at pre-deploy-timeout (StopTask), the step says so, nothing left running', async () => {
    const s = await service('acme/mighang:1');
    f.local.simulate('acme/mighang:2', { startMs: 200, logLines: ['waiting for lock'] }, MIGRATE);
    const r = await deployAction(f, s, { 'container-images': 'app=acme/mighang:2', 'pre-deploy-command': 'bin/migrate up', 'pre-deploy-timeout': '3s' });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('Timed out after 3s: stopping');
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(/did not finish within 3s; it was stopped \(StopTask\)/);
    const [task] = await migrationTasks(s);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'commit-to-prod: timed out after 3s' });
    expect(await migrationsRunning(s)).toEqual([]);
    expect((await describe1(f, s.cluster, s.service)).taskDefinition).toBe(s.taskDefinitionArn);
  });

  it('cancelling the job stops the task', async () => {
    const s = await service('acme/migcancel:1');
    f.local.simulate('acme/migcancel:2', { startMs: 200, logLines: ['long migration running'] }, MIGRATE);
    const r = await deployAction(
      f,
      s,
      { 'container-images': 'app=acme/migcancel:2', 'pre-deploy-command': 'bin/migrate up' },
      { cancel: { whenLogMatches: /long migration running/ } },
    );
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toContain('Cancelled: stopping');
    const [task] = await migrationTasks(s);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'commit-to-prod: the job was cancelled' });
    expect(await migrationsRunning(s)).toEqual([]);
    expect((await describe1(f, s.cluster, s.service)).taskDefinition).toBe(s.taskDefinitionArn);
  });

  it('an unknown pre-deploy-container fails naming the input, before the service is touched', async () => {
    const s = await service('acme/migbad:1');
    const r = await deployAction(f, s, { 'container-images': 'app=acme/migbad:2', 'pre-deploy-command': 'bin/migrate up', 'pre-deploy-container': 'web' });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain(`Input 'pre-deploy-container' has an invalid value "web"`);
    expect((await describe1(f, s.cluster, s.service)).taskDefinition).toBe(s.taskDefinitionArn);
  });
});

describe('ecs-run-task', () => {
  it('runs the task of the revision with no service update, outputs task-arn and exit-code; a failing one fails the step with its code', async () => {
    const s = await service('acme/oneoff:1');
    f.local.simulate('acme/oneoff:1', { startMs: 200, logLines: ['report: 12 rows'], exitCode: 0 }, ['bin/report']);
    const updates = f.calls.filter((c) => c.operation === 'UpdateService').length;
    const ok = await runTaskAction(f, s, { 'task-command': 'bin/report' });
    expect(ok.exitCode, ok.log).toBe(0);
    expect(ok.outputs).toMatchObject({ status: 'succeeded', 'exit-code': '0', 'task-definition-arn': s.taskDefinitionArn });
    expect(ok.outputs['task-arn']).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\//);
    expect(ok.log).toContain('  | report: 12 rows');
    expect(ok.summary).toContain('One-off task:');

    f.local.simulate('acme/oneoff:1', { startMs: 200, logLines: ['report failed: no data'], exitCode: 4 }, ['bin/report', '--strict']);
    const failed = await runTaskAction(f, s, { 'task-command': '["bin/report","--strict"]' });
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs).toMatchObject({ status: 'failed', 'exit-code': '4' });
    expect(failed.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /The task [0-9a-f]{32} stopped with exit code 4 .*\n.*report failed: no data/s,
    );
    expect(f.calls.filter((c) => c.operation === 'UpdateService').length).toBe(updates);
    // Not deployed: the revision carries no outcome a rollback would take as known good.
    const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: s.taskDefinitionArn }))).tags ?? [];
    expect(tags.find((t) => t.key === 'commit-to-prod:outcome')).toBeUndefined();
    expect(await migrationsRunning(s)).toEqual([]);
  });
});

describe('where the pre-deploy task runs', () => {
  it("takes the service's network configuration and launch type (an awsvpc revision needs them), or the ones given", async () => {
    const s = await steadyService(f, {
      image: 'acme/vpc:1',
      taskDefinitionExtra: { networkMode: 'awsvpc' },
      extra: { launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } } },
    });
    f.local.simulate('acme/vpc:1', { startMs: 200, exitCode: 0 }, MIGRATE);
    const own = await runTaskAction(f, s, { 'task-command': 'bin/migrate up' });
    expect(own.exitCode, own.log).toBe(0);
    const given = await runTaskAction(f, s, {
      'task-command': 'bin/migrate up',
      'launch-type': 'EC2',
      'network-configuration': '{"awsvpcConfiguration": {"subnets": ["subnet-2"]}}',
    });
    expect(given.exitCode, given.log).toBe(0);
    const tasks = await f.ecs.send(new DescribeTasksCommand({ cluster: s.cluster, tasks: [own.outputs['task-arn']!, given.outputs['task-arn']!] }));
    expect(tasks.tasks?.map((t) => t.launchType)).toEqual(['FARGATE', 'EC2']);
  });

  it.each([
    [{ 'pre-deploy-launch-type': 'LAMBDA' }, `Input 'pre-deploy-launch-type' has an invalid value "LAMBDA"`],
    [
      { 'pre-deploy-launch-type': 'EC2', 'pre-deploy-capacity-provider-strategy': '[{"capacityProvider": "FARGATE_SPOT"}]' },
      `Input 'pre-deploy-capacity-provider-strategy'`,
    ],
    [{ 'pre-deploy-network-configuration': '{"subnets": ["subnet-1"]}' }, `Input 'pre-deploy-network-configuration'`],
    [{ 'pre-deploy-command': '["bin/migrate", 1]' }, `Input 'pre-deploy-command' has an invalid value`],
  ])('%j fails before any AWS call, naming the input', async (inputs, message) => {
    const calls = f.calls.length;
    const r = await deployAction(
      f,
      { cluster: 'c', service: 'svc', family: 'fam', taskDefinitionArn: '' },
      { 'pre-deploy-command': 'bin/migrate up', ...inputs },
    );
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain(message);
    expect(f.calls.length).toBe(calls);
  });
});

describe("ecs-run-task's inputs", () => {
  it.each([
    [{ 'launch-type': 'LAMBDA' }, `Input 'launch-type' has an invalid value "LAMBDA"`],
    [{ 'launch-type': 'EC2', 'capacity-provider-strategy': '[{"capacityProvider": "FARGATE_SPOT"}]' }, `Input 'capacity-provider-strategy'`],
    [{ 'network-configuration': '{"subnets": ["subnet-1"]}' }, `Input 'network-configuration'`],
    [{ 'task-command': '["bin/migrate", 1]' }, `Input 'task-command' has an invalid value`],
    [{ 'task-container': 'no.dots' }, `Input 'task-container' has an invalid value "no.dots"`],
    [{ timeout: '0s' }, `Input 'timeout' has an invalid value "0s"`],
  ])('%j fails before any AWS call, naming the input', async (inputs, message) => {
    const calls = f.calls.length;
    const r = await runTaskAction(f, { cluster: 'c', service: 'svc', family: 'fam', taskDefinitionArn: '' }, inputs);
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain(message);
    expect(f.calls.length).toBe(calls);
  });

  it('names task-container when the revision has no such container, before the task starts', async () => {
    const s = await service('acme/oneoffbad:1');
    const r = await runTaskAction(f, s, { 'task-command': 'bin/report', 'task-container': 'web' });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain(`Input 'task-container' has an invalid value "web"`);
    expect(await migrationsRunning(s)).toEqual([]);
  });
});
