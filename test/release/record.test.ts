/**
 * The release record read back: one record of each kind (deploy success, ECS's circuit-breaker
 * rollback, ECS's alarm rollback, a failed migration, a paused gate then continue, a paused gate
 * then rollback, the rollback action) from both places it is written — the GitHub API stand-in
 * (read through deployment-history.ts, the readers' own path) and the revision's ECS tags — with
 * every schema field (shared/release/README.md) found on both sides. Plus: a deploy that throws
 * midway still ends its record, and a record a dead run left unfinished is closed by the next
 * release from what ECS says happened.
 *
 * The engine runs in-process (the real AWS SDK over HTTP to the emulator, Octokit to the stand-in),
 * at 60x emulated time so an alarm period is a second.
 */
import { ContinueServiceDeploymentCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecs';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { deploy, type DeployRequest, type DeployResult } from '../../shared/ecs/deploy.js';
import type { EcsSender } from '../../shared/ecs/raw-json.js';
import { resumeServiceDeployment } from '../../shared/ecs/resume-deployment.js';
import { provenanceTags } from '../../shared/ecs/revision-tags.js';
import { deploymentHistory } from '../../shared/github/deployment-history.js';
import { readGitHubRecord, readTagRecord } from '../../shared/release/read.js';
import type { ReleaseContext } from '../../shared/release/record.js';
import { revisionLabel } from '../../shared/release/revision-tags.js';
import { closingFields, type ReleaseFields } from '../../shared/release/schema.js';
import { pickRollbackTarget } from '../../shared/rollback/pick-rollback-target.js';
import { rollbackRecordFields } from '../../shared/rollback/record.js';
import { RUN_URL, startDeployFixture, steadyService, trafficShiftLoadBalancers, type DeployFixture, type TestService } from '../ecs-rolling-deploy/fixture.js';
import { ALARM_TEST_ECS, cloudwatchFor, putTarget5xxAlarm } from '../helpers/cloudwatch.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { uniqueName } from '../helpers/stack.js';

let f: DeployFixture;
let gh: LocalGitHubApi;
let cw: CloudWatchClient;
const TOKEN = 'ghs_releaserecordtoken7';
const REPO = 'acme/payments-api';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const TG = () => `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${uniqueName('tg')}/0123456789abcdef`;

beforeAll(async () => {
  f = await startDeployFixture(ALARM_TEST_ECS);
  cw = cloudwatchFor(f.local);
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  cw?.destroy();
  await gh?.stop();
  await f?.stop();
});

/** An image reference with a digest, as build-push-image hands them on (`name` makes it unique). */
function image(name: string): string {
  const hex = Buffer.from(uniqueName(name)).toString('hex').padEnd(64, '0').slice(0, 64);
  return `acme/${name}@sha256:${hex}`;
}
const pattern = (ref: string) => new RegExp(`^${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

function context(environment: string): ReleaseContext {
  return { github: { token: TOKEN, apiUrl: gh.url, repository: REPO, environment }, sha: SHA, runUrl: RUN_URL };
}

function request(target: TestService, ref: string, extra: Partial<DeployRequest> = {}): DeployRequest {
  return {
    cluster: target.cluster,
    service: target.service,
    taskDefinition: { kind: 'service' },
    changes: { images: new Map([['app', ref]]), environment: new Map() },
    revisionTags: provenanceTags({ sha: SHA, ref: 'refs/heads/main', runUrl: RUN_URL, images: [{ container: 'app', image: ref }] }),
    timeoutMs: 120_000,
    maxFailedTasks: 10,
    pollIntervalMs: 250,
    ...extra,
  };
}

function run(target: TestService, ref: string, environment: string, extra: Partial<DeployRequest> = {}, ecs: EcsSender = f.ecs): Promise<DeployResult> {
  return deploy(request(target, ref, extra), { ecs, logger: new MemoryLogger(), cloudwatch: async () => cw, record: context(environment) });
}

/** The record from both sides: the GitHub deployment `id` of `environment`, and the tags of `taskDefinitionArn`. */
async function readBack(environment: string, id: number, taskDefinitionArn: string): Promise<{ github: ReleaseFields; ecs: ReleaseFields; states: string[] }> {
  let found: Awaited<ReturnType<typeof readGitHubRecord>> | undefined;
  let states: string[] = [];
  for await (const entry of deploymentHistory({ token: TOKEN, apiUrl: gh.url, repository: REPO, environment })) {
    if (entry.id !== id) continue;
    found = readGitHubRecord(entry);
    states = entry.states;
  }
  if (!found) throw new Error(`no GitHub deployment ${id} in ${environment}`);
  const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: taskDefinitionArn }))).tags ?? [];
  return { github: found, ecs: readTagRecord(taskDefinitionArn, new Map(tags.map((t) => [t.key!, t.value!]))), states };
}

const EVERY_RECORD: readonly (keyof ReleaseFields)[] = [
  'kind',
  'environment',
  'cluster',
  'service',
  'revision',
  'previousRevision',
  'sha',
  'strategy',
  'startedAt',
  'finishedAt',
  'outcome',
  'served',
];

/** Every field of the schema, on both sides, agreeing with each other and with `expected`. */
function expectEveryField(
  record: { github: ReleaseFields; ecs: ReleaseFields },
  expected: Pick<ReleaseFields, 'kind' | 'outcome' | 'served'> & Partial<ReleaseFields>,
  where: { target: TestService; environment: string; revision: string; previous: string; ref: string },
): void {
  for (const side of ['github', 'ecs'] as const) {
    const fields = record[side];
    for (const key of EVERY_RECORD) expect(fields[key], `${side}: ${key}`).toBeDefined();
    expect(fields.schema, side).toBe(1);
    expect(fields, side).toMatchObject({
      environment: where.environment,
      cluster: where.target.cluster,
      service: where.target.service,
      sha: SHA,
      strategy: expect.stringMatching(/^(ROLLING|BLUE_GREEN)$/),
      ...expected,
    });
    expect(revisionLabel(fields.revision), side).toBe(revisionLabel(where.revision));
    expect(revisionLabel(fields.previousRevision), side).toBe(revisionLabel(where.previous));
    expect(fields.imageDigests.app, side).toBe(where.ref.slice(where.ref.indexOf('@') + 1));
    expect(fields.images.app, side).toMatch(/sha256:[0-9a-f]{64}$/);
    expect(Date.parse(fields.startedAt!), side).toBeLessThanOrEqual(Date.parse(fields.finishedAt!));
    if (expected.kind === 'rollback') expect(fields.rolledBackRelease, side).toBeDefined();
    if (expected.outcome !== 'succeeded') expect(fields.cause, side).toBeDefined();
  }
  expect(record.github.strategy).toBe(record.ecs.strategy);
}

function blueGreen(): Promise<TestService> {
  return steadyService(f, {
    image: 'acme/app:1',
    extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 }, loadBalancers: trafficShiftLoadBalancers },
  });
}

const GATE = { stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutInMinutes: 60 } as const;

describe('the release record, read back from GitHub and from the ECS tags', () => {
  it('deploy success', async () => {
    const environment = uniqueName('env');
    const target = await steadyService(f, { image: 'acme/app:1' });
    const ref = image('ok');
    const result = await run(target, ref, environment);
    expect(result.status, result.message).toBe('succeeded');
    const record = await readBack(environment, result.githubDeployment!.id, result.taskDefinitionArn);
    expect(record.states).toEqual(['success', 'in_progress']);
    expectEveryField(
      record,
      { kind: 'deploy', outcome: 'succeeded', served: 'yes' },
      { target, environment, revision: result.taskDefinitionArn, previous: target.taskDefinitionArn, ref },
    );
    expect(record.github.cause).toBeUndefined();
    expect(record.ecs.cause).toBeUndefined();
  });

  it("automatic rollback: ECS's circuit breaker", async () => {
    const environment = uniqueName('env');
    const target = await steadyService(f, { image: 'acme/app:1' });
    const ref = image('breaker');
    f.local.simulate(pattern(ref), { pullError: true });
    const result = await run(target, ref, environment, { circuitBreaker: true });
    expect(result.status, result.message).toBe('rolled-back');
    const record = await readBack(environment, result.githubDeployment!.id, result.taskDefinitionArn);
    expect(record.states[0]).toBe('failure');
    expectEveryField(
      record,
      { kind: 'deploy', outcome: 'rolled-back', cause: 'circuit-breaker-rollback', rolledBackBy: 'ecs', served: 'no' },
      { target, environment, revision: result.taskDefinitionArn, previous: target.taskDefinitionArn, ref },
    );
  });

  it("alarm rollback: ECS rolls back on the service's deployment alarm, after the release served traffic", async () => {
    const environment = uniqueName('env');
    const alarm = uniqueName('api-5xx');
    const target = await steadyService(f, {
      image: 'acme/app:1',
      extra: {
        loadBalancers: [{ targetGroupArn: TG(), containerName: 'app', containerPort: 8080 }],
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, alarms: { alarmNames: [alarm], enable: true, rollback: true } },
      },
    });
    await putTarget5xxAlarm(cw, f.local, target.cluster, target.service, alarm);
    const ref = image('5xx');
    f.local.simulate(pattern(ref), { errorRate: 0.5 });
    const result = await run(target, ref, environment);
    expect(result.status, result.message).toBe('rolled-back');
    const record = await readBack(environment, result.githubDeployment!.id, result.taskDefinitionArn);
    expectEveryField(
      record,
      { kind: 'deploy', outcome: 'rolled-back', cause: 'alarm-rollback', rolledBackBy: 'ecs', served: 'yes' },
      { target, environment, revision: result.taskDefinitionArn, previous: target.taskDefinitionArn, ref },
    );
  });

  it('failed migration: the pre-deploy task exits 3, the deploy throws, the record ends anyway', async () => {
    const environment = uniqueName('env');
    const target = await steadyService(f, { image: 'acme/app:1' });
    const ref = image('mig');
    f.local.simulate(pattern(ref), { startMs: 300, exitCode: 3, exitAfterMs: 100 }, ['bin/migrate']);
    const error = await run(target, ref, environment, {
      preDeploy: { command: ['bin/migrate'], timeoutMs: 60_000, containerInput: 'pre-deploy-container' },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/stopped with exit code 3/);
    const [entry] = gh.deployments(REPO).filter((d) => d.environment === environment);
    const arn = (entry!.payload as { taskDefinitionArn: string }).taskDefinitionArn;
    const record = await readBack(environment, entry!.id, arn);
    expect(record.states).toEqual(['failure']);
    expectEveryField(
      record,
      { kind: 'deploy', outcome: 'failed', cause: 'failed-migration', served: 'no' },
      { target, environment, revision: arn, previous: target.taskDefinitionArn, ref },
    );
  });

  it.each([
    ['continue', 'succeeded', ['success', 'in_progress', 'in_progress'], { outcome: 'succeeded', served: 'yes' }],
    [
      'rollback',
      'rolled-back',
      ['failure', 'in_progress', 'in_progress'],
      { outcome: 'rolled-back', cause: 'gate-rollback', rolledBackBy: 'person', served: 'no' },
    ],
  ] as const)('paused gate, then %s (a resume step)', async (action, status, states, expected) => {
    const environment = uniqueName('env');
    const target = await blueGreen();
    const ref = image(`gate-${action}`);
    const paused = await run(target, ref, environment, { verifyAt: GATE });
    expect(paused.status, paused.message).toBe('paused');
    const resumed = await resumeServiceDeployment(
      {
        cluster: target.cluster,
        service: target.service,
        serviceDeploymentArn: paused.serviceDeploymentArn!,
        hookId: paused.hookId!,
        action,
        timeoutMs: 120_000,
        pollIntervalMs: 250,
      },
      { ecs: f.ecs, logger: new MemoryLogger(), record: { github: context(environment).github } },
    );
    expect(resumed.status, resumed.message).toBe(status);
    expect(resumed.record?.id).toBe(paused.githubDeployment!.id);
    const record = await readBack(environment, paused.githubDeployment!.id, paused.taskDefinitionArn);
    expect(record.states).toEqual(states);
    expectEveryField(
      record,
      { kind: 'resume', strategy: 'BLUE_GREEN', ...expected },
      { target, environment, revision: paused.taskDefinitionArn, previous: target.taskDefinitionArn, ref },
    );
  });

  it('the rollback action: back to the release before, recording the release it rolled back', async () => {
    const environment = uniqueName('env');
    const target = await steadyService(f, { image: 'acme/app:1' });
    const good = image('good');
    const two = await run(target, good, environment);
    const three = await run(target, image('regret'), environment);
    expect([two.status, three.status]).toEqual(['succeeded', 'succeeded']);
    const picked = await pickRollbackTarget(
      { cluster: target.cluster, service: target.service, to: { kind: 'arn', arn: two.taskDefinitionArn }, toText: two.taskDefinitionArn },
      { ecs: f.ecs, logger: new MemoryLogger() },
    );
    const rollback = rollbackRecordFields(picked, 'checkout errors', 'alice (workflow_dispatch)');
    const result = await deploy(
      {
        cluster: target.cluster,
        service: target.service,
        taskDefinition: { kind: 'existing', ref: two.taskDefinitionArn },
        register: 'never',
        onFailure: 'stop',
        circuitBreaker: true,
        timeoutMs: 120_000,
        maxFailedTasks: 10,
        pollIntervalMs: 250,
      },
      { ecs: f.ecs, logger: new MemoryLogger(), record: { ...context(environment), rollback } },
    );
    expect(result.status, result.message).toBe('succeeded');
    const record = await readBack(environment, result.githubDeployment!.id, two.taskDefinitionArn);
    expectEveryField(
      record,
      { kind: 'rollback', outcome: 'succeeded', served: 'yes' },
      { target, environment, revision: two.taskDefinitionArn, previous: three.taskDefinitionArn, ref: good },
    );
    expect(revisionLabel(record.github.rolledBackRelease)).toBe(revisionLabel(three.taskDefinitionArn));
    expect(record.ecs.rolledBackRelease).toBe(revisionLabel(three.taskDefinitionArn));
    // The revision it left is marked, so `to: previous` never goes back to it.
    const left = await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: three.taskDefinitionArn }));
    expect(left.tags?.find((t) => t.key === 'commit-to-prod:outcome')?.value).toBe('rolled-back');
  });
});

describe('the record ends whatever happened', () => {
  it('a deploy that throws midway (UpdateService refused) still ends its record, on both sides', async () => {
    const environment = uniqueName('env');
    const target = await steadyService(f, { image: 'acme/app:1' });
    const failing: EcsSender = {
      send: ((command: { constructor: { name: string } }) =>
        command.constructor.name === 'UpdateServiceCommand'
          ? Promise.reject(new Error('ServerException: the ECS control plane is having a bad day'))
          : f.ecs.send(command as never)) as EcsSender['send'],
    };
    const error = await run(target, image('midway'), environment, {}, failing).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/bad day/);
    const [entry] = gh.deployments(REPO).filter((d) => d.environment === environment);
    const arn = (entry!.payload as { taskDefinitionArn: string }).taskDefinitionArn;
    const record = await readBack(environment, entry!.id, arn);
    expect(record.states).toEqual(['failure']);
    for (const side of [record.github, record.ecs]) expect(side).toMatchObject({ outcome: 'failed', cause: 'error', served: 'no' });
    expect(entry!.statuses[0]?.description).toMatch(/^Failed: ECS did not answer UpdateService/);
  });

  it('a record a dead run left unfinished (its gate answered elsewhere) is closed by the next release, from what ECS says', async () => {
    const environment = uniqueName('env');
    const target = await blueGreen();
    const paused = await run(target, image('abandoned'), environment, { verifyAt: GATE });
    expect(paused.status, paused.message).toBe('paused');
    // The run that would have resumed it died; someone rolled it back in the console.
    await f.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: paused.serviceDeploymentArn!, hookId: paused.hookId!, action: 'ROLLBACK' }));
    const id = paused.githubDeployment!.id;
    expect((await readBack(environment, id, paused.taskDefinitionArn)).states).toEqual(['in_progress', 'in_progress']);

    // The next release of the service closes it (ECS's rollback ends while it waits, so poll).
    const deadline = Date.now() + 60_000;
    let record = await readBack(environment, id, paused.taskDefinitionArn);
    while (record.states[0] === 'in_progress' && Date.now() < deadline) {
      // Refused while ECS's rollback is still in progress; the record stays open until one starts.
      await run(target, image('next'), environment, { verifyAt: GATE, timeoutMs: 30_000 }).catch(() => undefined);
      record = await readBack(environment, id, paused.taskDefinitionArn);
    }
    expect(record.states.slice(0, 1)).toEqual(['failure']);
    const closing = gh.deployments(REPO).find((d) => d.id === id)!.statuses[0]!;
    expect(closing.description).toMatch(/^Closed by a later release: ECS says ROLLBACK_SUCCESSFUL \(service deployment /);
    expect(closingFields(closing.description)).toMatchObject({ outcome: 'rolled-back', cause: 'ecs-rollback', by: 'ecs' });
    expect(record.ecs).toMatchObject({ outcome: 'rolled-back', cause: 'ecs-rollback', rolledBackBy: 'ecs' });
  });
});
