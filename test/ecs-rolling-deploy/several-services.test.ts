/**
 * One release, several services (issue 32) through the bundle and the local runner, against the
 * local ECS emulator (simulated tasks, sped up) and the local GitHub API: one registration per
 * family, concurrent rollouts, all or nothing when one service fails, refusals before any write.
 */
import { CreateClusterCommand, CreateServiceCommand, ListTagsForResourceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { uniqueName } from '../helpers/stack.js';
import { deployAction, describe1, rawEcs, startDeployFixture, waitForSteady, type DeployFixture, type TestService } from './fixture.js';

let f: DeployFixture;
let gh: LocalGitHubApi;
const TOKEN = 'ghs_localtesttoken_several';
const REPO = 'acme/payments-api';

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 4, emulatedPolls: true, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  await gh?.stop();
  await f?.stop();
});

interface ServiceSpec {
  /** Services with the same family key share one family (and its revision 1). */
  family: string;
  image: string;
  /** The essential container's command (the emulator scripts a crash by image and command). */
  command?: string[];
  /** Another container in the family. */
  sidecar?: boolean;
  controller?: 'CODE_DEPLOY';
}

interface ReleaseFixture {
  cluster: string;
  services: (TestService & { name: string })[];
}

/** A cluster with steady services, named by role (web, worker, …) and unique in the emulator. */
async function cluster(specs: Record<string, ServiceSpec>): Promise<ReleaseFixture> {
  const clusterName = uniqueName('rel');
  await f.ecs.send(new CreateClusterCommand({ clusterName }));
  const families = new Map<string, { family: string; arn: string }>();
  const services: ReleaseFixture['services'] = [];
  for (const [role, spec] of Object.entries(specs)) {
    let family = families.get(spec.family);
    if (!family) {
      const name = uniqueName(`fam-${spec.family}`);
      const registered = await f.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: name,
          containerDefinitions: [
            { name: 'app', image: spec.image, essential: true, portMappings: [{ containerPort: 8080 }], ...(spec.command ? { command: spec.command } : {}) },
            ...(spec.sidecar ? [{ name: 'log-router', image: 'acme/log-router:1', essential: false }] : []),
          ],
        }),
      );
      family = { family: name, arn: registered.taskDefinition!.taskDefinitionArn! };
      families.set(spec.family, family);
    }
    const service = uniqueName(role);
    if (spec.controller) {
      await rawEcs(f, 'CreateService', {
        cluster: clusterName,
        serviceName: service,
        taskDefinition: family.arn,
        desiredCount: 2,
        deploymentController: { type: spec.controller },
      });
    } else {
      await f.ecs.send(
        new CreateServiceCommand({
          cluster: clusterName,
          serviceName: service,
          taskDefinition: family.arn,
          desiredCount: 2,
          deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
        }),
      );
    }
    services.push({ name: role, cluster: clusterName, service, family: family.family, taskDefinitionArn: family.arn });
  }
  await Promise.all(services.map((s) => waitForSteady(f, clusterName, s.service)));
  return { cluster: clusterName, services };
}

/** The action with `service` naming every service of the fixture, one a line. */
function release(r: ReleaseFixture, inputs: Record<string, string>, token = false) {
  return deployAction(
    f,
    r.services[0]!,
    { service: r.services.map((s) => s.service).join('\n'), ...inputs, ...(token ? { 'github-token': TOKEN } : {}) },
    token ? { github: { apiUrl: gh.url } } : {},
  );
}

const WRITES = ['RegisterTaskDefinition', 'UpdateService', 'RunTask', 'TagResource', 'CreateService', 'DeleteService'];
const since = (mark: number) => f.calls.slice(mark).map((c) => c.operation);
const deploymentsOf = (service: string) => gh.deployments(REPO).filter((d) => (d.payload as { service?: string }).service === service);
const errorOf = (result: { annotations: { level: string; message: string }[] }) => result.annotations.find((a) => a.level === 'error')?.message ?? '';

interface ServiceOutput {
  service: string;
  taskDefinitionArn: string | null;
  previousTaskDefinitionArn: string | null;
  status: string;
  rolledBack: boolean;
  deploymentId: string | null;
}

describe('one release, several services', () => {
  it('two services on two families: each family registered once, both on their new revisions, one summary row each, one linked record each', async () => {
    const r = await cluster({ web: { family: 'web', image: 'acme/two:1' }, worker: { family: 'worker', image: 'acme/two:1', command: ['worker'] } });
    const [web, worker] = r.services as [ReleaseFixture['services'][0], ReleaseFixture['services'][0]];
    const mark = f.calls.length;
    const result = await release(r, { 'container-images': 'app=acme/two:2' }, true);

    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(since(mark).filter((op) => op === 'RegisterTaskDefinition')).toHaveLength(2);
    const outputs = JSON.parse(result.outputs.services!) as ServiceOutput[];
    expect(outputs.map((o) => [o.service, o.status, o.rolledBack])).toEqual([
      [web.service, 'succeeded', false],
      [worker.service, 'succeeded', false],
    ]);
    for (const [target, output] of [
      [web, outputs[0]!],
      [worker, outputs[1]!],
    ] as const) {
      expect(output.taskDefinitionArn).toMatch(new RegExp(`task-definition/${target.family}:2$`));
      expect(output.previousTaskDefinitionArn).toBe(target.taskDefinitionArn);
      expect(output.deploymentId).toMatch(/^ecs-svc\//);
      expect((await describe1(f, r.cluster, target.service)).taskDefinition).toBe(output.taskDefinitionArn);
    }
    expect(result.outputs['task-definition-arn']).toBe(outputs[0]!.taskDefinitionArn);

    // The summary: one table, one row per service with its revisions.
    const rows = [...result.summary.matchAll(/<tr><td>([^<]+)<\/td><td>([^<]+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [web.service, `${web.family}:1 → ${web.family}:2`],
        [worker.service, `${worker.family}:1 → ${worker.family}:2`],
      ]),
    );
    // Followed live, each line of its service.
    expect(result.log).toContain(`[${web.service}] `);
    expect(result.log).toContain(`[${worker.service}] `);

    // One GitHub deployment per service, linked by the release's id, both closed as success.
    const [webRecord, workerRecord] = [deploymentsOf(web.service), deploymentsOf(worker.service)];
    expect(webRecord).toHaveLength(1);
    expect(workerRecord).toHaveLength(1);
    const payload = (d: (typeof webRecord)[0]) => d.payload as { release?: string; releaseServices?: string[] };
    expect(payload(webRecord[0]!).release).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload(workerRecord[0]!).release).toBe(payload(webRecord[0]!).release);
    expect(payload(webRecord[0]!).releaseServices).toEqual([web.service, worker.service]);
    expect(webRecord[0]!.statuses[0]!.state).toBe('success');
    expect(workerRecord[0]!.statuses[0]!.state).toBe('success');
    // The record's ECS side: each new revision tagged with the same release id.
    for (const output of outputs) {
      const tags = (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: output.taskDefinitionArn! }))).tags ?? [];
      expect(tags.find((t) => t.key === 'commit-to-prod:release')?.value).toBe(payload(webRecord[0]!).release);
    }
  });

  it('two services of one family: one RegisterTaskDefinition, both on the same new revision', async () => {
    const r = await cluster({ web: { family: 'shared', image: 'acme/one:1' }, worker: { family: 'shared', image: 'acme/one:1' } });
    const mark = f.calls.length;
    const result = await release(r, { 'container-images': 'app=acme/one:2' });

    expect(result.exitCode, result.log).toBe(0);
    expect(since(mark).filter((op) => op === 'RegisterTaskDefinition')).toHaveLength(1);
    const outputs = JSON.parse(result.outputs.services!) as ServiceOutput[];
    const arn = outputs[0]!.taskDefinitionArn;
    expect(arn).toMatch(new RegExp(`task-definition/${r.services[0]!.family}:2$`));
    expect(outputs[1]!.taskDefinitionArn).toBe(arn);
    for (const s of r.services) expect((await describe1(f, r.cluster, s.service)).taskDefinition).toBe(arn);
  });

  it('the second service crash-loops: both end on their previous revisions, the step fails naming it', async () => {
    const r = await cluster({
      web: { family: 'web', image: 'acme/crash-rel:1' },
      worker: { family: 'worker', image: 'acme/crash-rel:1', command: ['worker'] },
    });
    const [web, worker] = r.services as [ReleaseFixture['services'][0], ReleaseFixture['services'][0]];
    // Only the worker's tasks (its command) crash on the new image, late enough (10 s real at 4x)
    // that web's rollout has completed by then: web waits for the release's verdict, then goes back.
    f.local.simulate('acme/crash-rel:2', { startMs: 40_000, exitCode: 3, exitAfterMs: 200 }, ['worker']);
    const result = await release(r, { 'container-images': 'app=acme/crash-rel:2', 'max-failed-tasks': '2', 'circuit-breaker': 'false' }, true);

    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs['rolled-back']).toBe('true');
    const error = errorOf(result);
    expect(error).toContain(`${worker.service} failed`);
    expect(error).toMatch(/tasks of the new revision failed in a row \(max-failed-tasks 2\)/);
    expect(error).not.toContain(`${web.service} failed`);
    // web completed, and was then taken back with the release (not merely never started).
    const webLines = result.log.split('\n').filter((l) => l.includes(`[${web.service}]`));
    const completed = webLines.findIndex((l) => l.includes(`Rollout completed; it counts once ${worker.service} of the same release succeeded too`));
    const undone = webLines.findIndex((l) => l.includes('is undone with its release (all or nothing)'));
    expect(completed, webLines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(undone).toBeGreaterThan(completed);

    // Where ECS says they are: each back on revision 1, steady.
    for (const s of [web, worker]) {
      const steady = await waitForSteady(f, r.cluster, s.service);
      expect(steady.taskDefinition).toBe(s.taskDefinitionArn);
    }
    const outputs = JSON.parse(result.outputs.services!) as ServiceOutput[];
    expect(outputs.map((o) => [o.service, o.status, o.rolledBack])).toEqual([
      [web.service, 'rolled-back', true],
      [worker.service, 'rolled-back', true],
    ]);
    // The record: web's release ends failed with the release's cause, the worker's with its own.
    const closing = (service: string) => deploymentsOf(service)[0]!.statuses[0]!;
    expect(closing(web.service).state).toBe('failure');
    expect(closing(web.service).description).toContain('cause=release-failed');
    expect(closing(worker.service).state).toBe('failure');
    expect(closing(worker.service).description).toContain('cause=failed-tasks');
  });
});

describe('refused before anything changes', () => {
  it('a container named in the changes that one family lacks: one error naming the service, nothing written', async () => {
    const r = await cluster({ web: { family: 'web', image: 'acme/side:1', sidecar: true }, worker: { family: 'worker', image: 'acme/side:1' } });
    const mark = f.calls.length;
    const result = await release(r, { 'container-images': 'app=acme/side:2\nlog-router=acme/log-router:2' }, true);

    expect(result.exitCode, result.log).toBe(1);
    const error = errorOf(result);
    expect(error).toContain('was refused before anything changed');
    expect(error).toContain(`- ${r.services[1]!.service}: `);
    expect(error).toContain('log-router');
    expect(error).not.toContain(`- ${r.services[0]!.service}: `);
    expect(since(mark).filter((op) => WRITES.includes(op))).toEqual([]);
    for (const s of r.services) expect(deploymentsOf(s.service)).toEqual([]);
  });

  it('a service on the CODE_DEPLOY controller: refused, nothing written to either service', async () => {
    const r = await cluster({
      web: { family: 'web', image: 'acme/cd-rel:1' },
      worker: { family: 'worker', image: 'acme/cd-rel:1', controller: 'CODE_DEPLOY' },
    });
    const mark = f.calls.length;
    const result = await release(r, { 'container-images': 'app=acme/cd-rel:2' }, true);

    expect(result.exitCode, result.log).toBe(1);
    const error = errorOf(result);
    expect(error).toContain(`- ${r.services[1]!.service}: `);
    expect(error).toContain('CODE_DEPLOY deployment controller');
    expect(since(mark).filter((op) => WRITES.includes(op))).toEqual([]);
    for (const s of r.services) expect(deploymentsOf(s.service)).toEqual([]);
  });

  it('one family on two revisions would get two different documents: refused, nothing written', async () => {
    const r = await cluster({ web: { family: 'split', image: 'acme/split:1' }, worker: { family: 'split', image: 'acme/split:1' } });
    // The worker moves to a revision 2 of the family with another environment.
    const worker = r.services[1]!;
    const td = (await rawEcs(f, 'DescribeTaskDefinition', { taskDefinition: worker.taskDefinitionArn })) as {
      taskDefinition: { containerDefinitions: unknown[] };
    };
    const second = (await rawEcs(f, 'RegisterTaskDefinition', {
      family: worker.family,
      containerDefinitions: td.taskDefinition.containerDefinitions.map((c) => ({ ...(c as object), environment: [{ name: 'ROLE', value: 'worker' }] })),
    })) as { taskDefinition: { taskDefinitionArn: string } };
    await rawEcs(f, 'UpdateService', { cluster: r.cluster, service: worker.service, taskDefinition: second.taskDefinition.taskDefinitionArn });
    await waitForSteady(f, r.cluster, worker.service);
    const mark = f.calls.length;
    const result = await release(r, { 'container-images': 'app=acme/split:2' });

    expect(result.exitCode, result.log).toBe(1);
    const error = errorOf(result);
    expect(error).toContain(`share the task definition family ${worker.family} but would deploy different documents`);
    expect(since(mark).filter((op) => WRITES.includes(op))).toEqual([]);
  });

  it('an input that means one service (desired-count) is refused naming the input, before ECS is read', async () => {
    const r = await cluster({ web: { family: 'web', image: 'acme/dc:1' }, worker: { family: 'worker', image: 'acme/dc:1' } });
    const mark = f.calls.length;
    const result = await release(r, { 'container-images': 'app=acme/dc:2', 'desired-count': '3' });

    expect(result.exitCode, result.log).toBe(1);
    expect(errorOf(result)).toMatch(/Input 'desired-count' has an invalid value "3": expected empty .* when `service` names several services/);
    expect(since(mark)).toEqual([]);
  });
});
