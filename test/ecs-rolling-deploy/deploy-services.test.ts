/**
 * A release of several services, in process (fast lane): the `service` list as parsed, the inputs
 * refused with several services, the release's own refusals from the release plans, and
 * deployServices() against the in-process emulator for what a bundle run cannot time: a service
 * the halt finds not yet updated is left as it is.
 */
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../actions/ecs-rolling-deploy/src/inputs.js';
import { inputEnvName, Inputs } from '../../shared/core/inputs.js';
import { deployServices } from '../../shared/ecs/deploy-services.js';
import type { DeployRequest } from '../../shared/ecs/deploy.js';
import type { ReleasePlan } from '../../shared/ecs/release-plan.js';
import { releaseRefusals } from '../../shared/ecs/release-refusals.js';
import { parseServiceList } from '../../shared/ecs/service-list.js';
import { emulatedPollIntervalMs } from '../helpers/local-ecs.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { describe1, startDeployFixture, waitForSteady, type DeployFixture } from './fixture.js';

describe('the service list', () => {
  it.each([
    ['web', ['web']],
    ['web, worker', ['web', 'worker']],
    ['web\nworker\n', ['web', 'worker']],
    ['web,\n worker ,cron', ['web', 'worker', 'cron']],
    ['arn:aws:ecs:us-east-1:000000000000:service/prod/web\nworker', ['arn:aws:ecs:us-east-1:000000000000:service/prod/web', 'worker']],
  ])('%j is %j', (value, services) => {
    expect(parseServiceList({ name: 'service', value })).toEqual(services);
  });

  it.each([
    ['', /Input 'service' is required: expected an ECS service name or ARN, or several/],
    [' , \n', /Input 'service' is required/],
    ['web worker', /Input 'service' has an invalid value "web worker": .*a name has no spaces/],
    ['web\nworker\nweb', /each once \(web is named twice\)/],
    ['arn:aws:ecs:us-east-1:000000000000:service/prod/web, web', /each once \(web is named twice\)/],
  ])('%j is refused', (value, error) => {
    expect(() => parseServiceList({ name: 'service', value })).toThrow(error);
  });
});

const inputs = (values: Record<string, string>) => new Inputs(Object.fromEntries(Object.entries(values).map(([k, v]) => [inputEnvName(k), v])));
const base = { cluster: 'prod', service: 'web\nworker', 'container-images': 'app=acme/app:2', 'aws-region': 'us-east-1' };

describe('inputs with several services', () => {
  it('one release of both, the request that of the first', async () => {
    const read = await readInputs(inputs(base), process.cwd());
    expect(read.services).toEqual(['web', 'worker']);
    expect(read.request.service).toBe('web');
  });

  it.each([
    ['plan', 'true'],
    ['planned', '{"schema":"commit-to-prod/ecs-deploy-plan@1"}'],
    ['verify-at', 'POST_TEST_TRAFFIC_SHIFT'],
    ['pre-deploy-command', 'bin/migrate'],
    ['desired-count', '3'],
    ['keep-revisions', '5'],
    ['wait', 'false'],
    ['rollback-on-failure', 'false'],
  ])('%s: %s is refused, naming the input and why', async (name, value) => {
    await expect(readInputs(inputs({ ...base, [name]: value }), process.cwd())).rejects.toThrow(
      new RegExp(`^Input '${name}' has an invalid value .*: expected .* when \`service\` names several services\\.$`),
    );
  });

  it('one service takes them as before', async () => {
    const read = await readInputs(inputs({ ...base, service: 'web', 'desired-count': '3', wait: 'false' }), process.cwd());
    expect(read.services).toEqual(['web']);
    expect(read.request).toMatchObject({ service: 'web', desiredCount: 3, wait: false });
  });
});

/** The members of a release plan the release's checks read. */
function plan(
  service: string,
  family: string,
  sha256: string,
  strategy = 'ROLLING',
  running = `arn:aws:ecs:us-east-1:0:task-definition/${family}:1`,
): ReleasePlan {
  return {
    service,
    fingerprint: { taskDefinitionArn: running },
    taskDefinition: { sha256, document: { family } },
    serviceUpdate: { strategy },
  } as unknown as ReleasePlan;
}

describe("the release's refusals", () => {
  it('none for services of their own families, or of one family on one document', () => {
    expect(releaseRefusals([plan('web', 'web', 'a'), plan('worker', 'worker', 'b')])).toEqual([]);
    expect(releaseRefusals([plan('web', 'app', 'a'), plan('worker', 'app', 'a')])).toEqual([]);
  });

  it('one family that would be two documents: names the family, the services and the revisions they start from', () => {
    const refusals = releaseRefusals([plan('web', 'app', 'a'), plan('worker', 'app', 'b', 'ROLLING', 'arn:aws:ecs:us-east-1:0:task-definition/app:7')]);
    expect(refusals).toEqual([
      expect.stringContaining('web, worker share the task definition family app but would deploy different documents (web from app:1, worker from app:7)'),
    ]);
  });

  it('a native strategy: refused for that service, every refusal listed', () => {
    const refusals = releaseRefusals([plan('web', 'web', 'a', 'BLUE_GREEN'), plan('worker', 'app', 'b', 'CANARY'), plan('cron', 'app', 'c')]);
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toMatch(/^web deploys with ECS's BLUE_GREEN strategy: .*deploy web in a step of its own$/);
    expect(refusals[1]).toMatch(/^worker deploys with ECS's CANARY strategy/);
    expect(refusals[2]).toMatch(/^worker, cron share the task definition family app/);
  });
});

describe('deployServices() in process', () => {
  let f: DeployFixture;
  beforeAll(async () => {
    f = await startDeployFixture({ timeScale: 10, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
  });
  afterAll(async () => {
    await f?.stop();
  });

  async function twoServices(cluster: string, image: string, workerCommand?: string[]) {
    await f.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const made: Record<string, { service: string; family: string; arn: string }> = {};
    for (const role of ['web', 'worker']) {
      const family = `${cluster}-${role}`;
      const td = await f.ecs.send(
        new RegisterTaskDefinitionCommand({
          family,
          containerDefinitions: [{ name: 'app', image, essential: true, ...(role === 'worker' && workerCommand ? { command: workerCommand } : {}) }],
        }),
      );
      const arn = td.taskDefinition!.taskDefinitionArn!;
      await f.ecs.send(new CreateServiceCommand({ cluster, serviceName: role, taskDefinition: arn, desiredCount: 2 }));
      made[role] = { service: role, family, arn };
    }
    await Promise.all(['web', 'worker'].map((s) => waitForSteady(f, cluster, s)));
    return made as Record<'web' | 'worker', { service: string; family: string; arn: string }>;
  }

  const request = (cluster: string, image: string): DeployRequest => ({
    cluster,
    service: 'web',
    taskDefinition: { kind: 'service' },
    changes: { images: new Map([['app', image]]), environment: new Map() },
    timeoutMs: 300_000,
    maxFailedTasks: 2,
    circuitBreaker: false,
    pollIntervalMs: emulatedPollIntervalMs(10),
  });

  it('a service that does not exist: the release is refused naming it, and nothing is registered for the other', async () => {
    const made = await twoServices('ds-missing', 'acme/ds-missing:1');
    const mark = f.calls.length;
    await expect(deployServices(request('ds-missing', 'acme/ds-missing:2'), ['web', 'nowhere'], { ecs: f.ecs, logger: new MemoryLogger() })).rejects.toThrow(
      /^The release of web, nowhere was refused before anything changed \(nothing registered, updated or recorded\):\n- nowhere: .*/,
    );
    expect(f.calls.slice(mark).map((c) => c.operation)).not.toContain('RegisterTaskDefinition');
    expect((await describe1(f, 'ds-missing', 'web')).taskDefinition).toBe(made.web.arn);
  });

  it('a service the halt finds not yet updated is left as it is, its result saying why', async () => {
    const made = await twoServices('ds-halt', 'acme/ds-halt:1', ['worker']);
    f.local.simulate('acme/ds-halt:2', { exitCode: 3, exitAfterMs: 100 }, ['worker']);
    // web's registration waits until the worker has failed and been rolled back.
    let workerBack: () => void = () => {};
    const workerIsBack = new Promise<void>((resolve) => {
      workerBack = resolve;
    });
    const ecs = {
      async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
        const { name } = command.constructor;
        if (name === 'RegisterTaskDefinitionCommand' && command.input.family === made.web.family) await workerIsBack;
        const answer = await f.ecs.send(command as never);
        if (name === 'UpdateServiceCommand' && command.input.service === 'worker' && command.input.taskDefinition === made.worker.arn) workerBack();
        return answer;
      },
    } as unknown as ECSClient;
    const release = await deployServices(request('ds-halt', 'acme/ds-halt:2'), ['web', 'worker'], { ecs, logger: new MemoryLogger() });

    expect(release.failed).toBe('worker');
    expect(release.status).toBe('rolled-back');
    const web = release.services[0]!.result!;
    expect(web).toMatchObject({ status: 'failed', deploymentId: undefined, rolledBack: false, failure: { cause: 'release-failed' } });
    expect(web.message).toMatch(/^Not updated: worker failed: 2 tasks of the new revision failed in a row .* ds-halt\/web stays on ds-halt-web:1/);
    expect(release.services[1]!.result).toMatchObject({ status: 'rolled-back', rolledBack: true });
    expect(release.message).toMatch(/^The release failed: worker failed\. /);
    expect(release.message).toContain('web: not updated, still on ds-halt-web:1; worker: rolled back, on ds-halt-worker:1 again');
    expect((await describe1(f, 'ds-halt', 'web')).taskDefinition).toBe(made.web.arn);
    expect((await waitForSteady(f, 'ds-halt', 'worker')).taskDefinition).toBe(made.worker.arn);
  });
  it('a registration ECS refuses after the barrier fails the release naming that service; the other is left or taken back', async () => {
    const made = await twoServices('ds-reg', 'acme/ds-reg:1');
    const ecs = {
      async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
        if (command.constructor.name === 'RegisterTaskDefinitionCommand' && command.input.family === made.web.family) {
          throw Object.assign(new Error('Too many concurrent attempts to create a new revision of the specified family.'), { name: 'ClientException' });
        }
        return f.ecs.send(command as never);
      },
    } as unknown as ECSClient;
    const release = await deployServices(request('ds-reg', 'acme/ds-reg:2'), ['web', 'worker'], { ecs, logger: new MemoryLogger() });

    expect(release.failed).toBe('web');
    expect(release.status).toBe('failed');
    expect(release.message).toMatch(
      /^The release failed: web failed\. ECS refused to register task definition family 'ds-reg-web': Too many concurrent attempts/,
    );
    expect(release.message).toMatch(/worker: (rolled back, on ds-reg-worker:1 again|not updated, still on ds-reg-worker:1)/);
    expect((await describe1(f, 'ds-reg', 'web')).taskDefinition).toBe(made.web.arn);
    expect((await waitForSteady(f, 'ds-reg', 'worker')).taskDefinition).toBe(made.worker.arn);
  });
});
