/**
 * Issue 14 through the bundle: a deploy changes only what its inputs ask (a recording proxy in
 * front of the emulator sees what UpdateService carries), refuses services ECS does not deploy
 * itself before anything is registered, and never reports an outcome that did not happen.
 */
import { ListTagsForResourceCommand, ListTaskDefinitionsCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { uniqueName } from '../helpers/stack.js';
import { deployAction, rawEcs, startDeployFixture, steadyService, waitForSteady, type DeployFixture, type TestService } from './fixture.js';

let f: DeployFixture;
let proxy: RecordingProxy;
let gh: LocalGitHubApi;
const TOKEN = 'ghs_localtesttoken456';

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 4, emulatedPolls: true, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
  // The emulator runs BLUE_GREEN and CANARY deployments with their hooks: the hook's function passes.
  f.local.hook(hook.hookTargetArn, () => ({ hookStatus: 'SUCCEEDED' }));
  proxy = await startRecordingProxy(f.local.endpoint);
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  await gh?.stop();
  await proxy?.stop();
  await f?.stop();
});

/** The action with every ECS call through the recording proxy. */
const viaProxy = { env: { AWS_ENDPOINT_URL_ECS: '' } };
function deployThroughProxy(target: TestService, inputs: Record<string, string>, extra: Parameters<typeof deployAction>[3] = {}) {
  return deployAction(f, target, inputs, { ...extra, env: { ...viaProxy.env, AWS_ENDPOINT_URL_ECS: proxy.url, ...(extra.env ?? {}) } });
}

/** A steady service created over the raw wire, so any member (known to the SDK or not) is given. */
async function serviceWith(options: { deploymentConfiguration?: Record<string, unknown>; deploymentController?: string; image: string }): Promise<TestService> {
  const cluster = uniqueName('c');
  const service = uniqueName('svc');
  const family = uniqueName('fam');
  await rawEcs(f, 'CreateCluster', { clusterName: cluster });
  const td = (await rawEcs(f, 'RegisterTaskDefinition', {
    family,
    containerDefinitions: [{ name: 'app', image: options.image, essential: true, portMappings: [{ containerPort: 8080 }] }],
  })) as { taskDefinition: { taskDefinitionArn: string } };
  await rawEcs(f, 'CreateService', {
    cluster,
    serviceName: service,
    taskDefinition: td.taskDefinition.taskDefinitionArn,
    desiredCount: 2,
    ...(options.deploymentConfiguration ? { deploymentConfiguration: options.deploymentConfiguration } : {}),
    ...(options.deploymentController ? { deploymentController: { type: options.deploymentController } } : {}),
  });
  await waitForSteady(f, cluster, service);
  return { cluster, service, family, taskDefinitionArn: td.taskDefinition.taskDefinitionArn };
}

async function rawConfiguration(target: TestService): Promise<Record<string, unknown>> {
  const out = (await rawEcs(f, 'DescribeServices', { cluster: target.cluster, services: [target.service] })) as {
    services: { deploymentConfiguration: Record<string, unknown> }[];
  };
  return out.services[0]!.deploymentConfiguration;
}

const hook = {
  hookTargetArn: 'arn:aws:lambda:us-east-1:000000000000:function:smoke-test',
  roleArn: 'arn:aws:iam::000000000000:role/ecs-hooks',
  lifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
  hookDetails: { threshold: 3 },
};
const alarms = { alarmNames: ['p99-latency', '5xx-rate'], enable: true, rollback: true };
const configurations: [string, Record<string, unknown>][] = [
  // Bake times of 0: the emulator bakes for real (on its clock), and this test is about the configuration.
  ['BLUE_GREEN', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, lifecycleHooks: [hook], alarms, maximumPercent: 200, minimumHealthyPercent: 100 }],
  [
    'CANARY',
    { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 }, bakeTimeInMinutes: 0, lifecycleHooks: [hook], alarms },
  ],
  [
    'tuned ROLLING',
    {
      strategy: 'ROLLING',
      maximumPercent: 150,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: false, rollback: false, resetOnHealthyTask: true, thresholdConfiguration: { type: 'COUNT', value: 5 } },
      alarms: { alarmNames: ['errors'], enable: false, rollback: false },
      // ECS's early success criteria (at least the minimum healthy percent): kept when early-success is empty.
      earlySuccessCriteria: { enable: true, healthyPercent: 50, sourceServiceRevisionCleanup: 'DEFERRED' },
    },
  ],
];

describe('a deploy changes only what its inputs ask', () => {
  it.each(configurations)('a %s service keeps every member of its deployment configuration across an image-only deploy', async (_name, configuration) => {
    const target = await serviceWith({ deploymentConfiguration: configuration, image: 'acme/keep:1' });
    const before = await rawConfiguration(target);
    for (const [key, value] of Object.entries(configuration)) expect(before[key], key).toEqual(value);
    const sent = proxy.all.length;

    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/keep:2' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const updates = proxy.all.slice(sent).filter((r) => r.operation === 'UpdateService' && r.body.service === target.service);
    expect(updates).toHaveLength(1);
    // Nothing asked: no deploymentConfiguration on the wire at all.
    expect(updates[0]!.body).not.toHaveProperty('deploymentConfiguration');
    expect(await rawConfiguration(target)).toEqual(before);
  });

  it("an asked change carries the service's own configuration, every member, with only that member changed", async () => {
    const [, canary] = configurations[1]!;
    const target = await serviceWith({
      deploymentConfiguration: { ...canary, earlySuccessCriteria: { enable: false, sourceServiceRevisionCleanup: 'DEFERRED' } },
      image: 'acme/tune:1',
    });
    const before = await rawConfiguration(target);
    const sent = proxy.all.length;
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/tune:2', 'maximum-percent': '150', 'circuit-breaker': 'true' });
    expect(result.exitCode, result.log).toBe(0);
    const update = proxy.all.slice(sent).find((r) => r.operation === 'UpdateService' && r.body.service === target.service)!;
    const breaker = before.deploymentCircuitBreaker as Record<string, unknown>;
    expect(update.body.deploymentConfiguration).toEqual({
      ...before,
      maximumPercent: 150,
      deploymentCircuitBreaker: { ...breaker, enable: true, rollback: true },
    });
    expect(await rawConfiguration(target)).toEqual(update.body.deploymentConfiguration);
  });

  it('refuses a CODE_DEPLOY service before anything is registered or a GitHub deployment opened', async () => {
    const target = await serviceWith({ deploymentController: 'CODE_DEPLOY', image: 'acme/cd:1' });
    const sent = proxy.all.length;
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/cd:2', 'github-token': TOKEN }, { github: { apiUrl: gh.url } });
    expect(result.exitCode, result.log).toBe(1);
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toContain('CODE_DEPLOY deployment controller');
    expect(error).toMatch(/CodeDeploy/);
    const calls = proxy.all.slice(sent).map((r) => r.operation);
    expect(calls).not.toContain('RegisterTaskDefinition');
    expect(calls).not.toContain('UpdateService');
    expect((await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: target.family }))).taskDefinitionArns).toEqual([target.taskDefinitionArn]);
    expect(gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === target.service)).toEqual([]);
  });

  it('refuses an EXTERNAL service the same way', async () => {
    const target = await serviceWith({ deploymentController: 'EXTERNAL', image: 'acme/ext:1' });
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/ext:2' });
    expect(result.exitCode, result.log).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message ?? '').toContain('EXTERNAL deployment controller');
    expect((await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: target.family }))).taskDefinitionArns).toEqual([target.taskDefinitionArn]);
  });
});

const outcomeTag = async (arn: string) =>
  ((await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? []).find((t) => t.key === 'commit-to-prod:outcome')?.value;

describe('outcomes that happened', () => {
  it('re-running a deploy whose PRIMARY deployment FAILED (breaker without rollback) is a failure, not "already runs"', async () => {
    const target = await serviceWith({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } }, image: 'acme/failed:1' });
    f.local.simulate('acme/failed:2', { pullError: true });
    const inputs = { 'container-images': 'app=acme/failed:2', 'max-failed-tasks': '50', 'rollback-on-failure': 'false' };
    const first = await deployThroughProxy(target, inputs);
    expect(first.exitCode, first.log).toBe(1);
    expect(first.outputs.status).toBe('failed');
    const failedArn = first.outputs['task-definition-arn']!;
    expect(f.local.service(target.cluster, target.service)?.deployments[0]?.rolloutState).toBe('FAILED');

    const again = await deployThroughProxy(target, inputs);
    expect(again.exitCode, again.log).toBe(1);
    expect(again.outputs.status).toBe('failed');
    expect(again.outputs['task-definition-arn']).toBe(failedArn);
    expect(again.annotations.find((a) => a.level === 'error')?.message ?? '').toMatch(/PRIMARY deployment \S+ of \S+:2 is FAILED/);
    expect(await outcomeTag(failedArn)).toBe('failed');
  });

  it('wait: false tags the revision outcome=started', async () => {
    const target = await steadyService(f, { image: 'acme/nowait:1' });
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/nowait:2', wait: 'false' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('started');
    expect(await outcomeTag(result.outputs['task-definition-arn']!)).toBe('started');
    await waitForSteady(f, target.cluster, target.service);
  });

  it('Spot interruptions and Fargate maintenance during a rollout are shown, not counted: a good release is not rolled back', async () => {
    const target = await steadyService(f, { image: 'acme/spot:1' });
    // Slow to pass health checks, so the interruptions land while the rollout is in progress.
    f.local.simulate('acme/spot:2', { startMs: 1_000, healthyAfterMs: 6_000 });
    const interrupted: string[] = [];
    const interrupter = (async () => {
      for (const kind of ['spot', 'maintenance', 'spot'] as const) {
        const until = Date.now() + 30_000;
        for (;;) {
          const d = f.local.service(target.cluster, target.service)?.deployments[0];
          const running = f.local
            .tasks(target.cluster, target.service)
            .filter((t) => t.deploymentId === d?.id && d?.taskDefinition.endsWith(':2') && t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
          if (running.length > 0 && d) {
            interrupted.push(f.local.interrupt(target.cluster, target.service, kind, d.id));
            break;
          }
          if (Date.now() > until) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/spot:2', 'max-failed-tasks': '2' });
    await interrupter;
    expect(interrupted).toHaveLength(3);
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toMatch(/stopped: Your Spot Task was interrupted\. \(SpotInterruption; app exit 143\)/);
    expect(result.log).toMatch(/stopped: ECS is performing maintenance/);
  });

  it('failed tasks are counted in a row, as ECS counts them: a release whose tasks fail now and then but become healthy is not rolled back', async () => {
    // One new task at a time; of every three tasks two crash and the third passes its container
    // health check, which resets ECS's count (resetOnHealthyTask). Four fail in all, never three in a row.
    const target = await steadyService(f, {
      image: 'acme/streak:1',
      containerExtra: { healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, retries: 2 } },
      extra: { deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 100 } },
    });
    f.local.simulate('acme/streak:2', { startMs: 200, sequence: [{ exitCode: 1, exitAfterMs: 100 }, { exitCode: 1, exitAfterMs: 100 }, {}] });
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/streak:2', 'max-failed-tasks': '3' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log.match(/stopped: Essential container in task exited/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
  });

  it("someone else's update back to the previous revision is not called ECS's circuit breaker", async () => {
    const target = await steadyService(f, { image: 'acme/other:1' });
    f.local.simulate('acme/other:2', { startMs: 60_000 });
    const other = (async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const d = f.local.service(target.cluster, target.service)?.deployments[0];
        if (d?.taskDefinition.endsWith(':2')) {
          await f.ecs.send(new UpdateServiceCommand({ cluster: target.cluster, service: target.service, taskDefinition: target.taskDefinitionArn }));
          return true;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    })();
    const result = await deployThroughProxy(target, { 'container-images': 'app=acme/other:2', 'circuit-breaker': 'false' });
    expect(await other).toBe(true);
    expect(result.exitCode, result.log).toBe(1);
    expect(result.outputs.status).toBe('failed');
    const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).not.toMatch(/circuit breaker/i);
    expect(error).toMatch(/replaced it/);
    // Not rolled back over someone else's deployment: one UpdateService of ours only.
    expect(proxy.all.filter((r) => r.operation === 'UpdateService' && r.body.service === target.service)).toHaveLength(1);
  });
});

describe('a follow that cannot read everything', () => {
  it('without stop reasons (ListTasks failing) the rollout is still followed to its outcome', async () => {
    const target = await steadyService(f, { image: 'acme/nolist:1' });
    f.local.setFaults({ serverErrorRate: 1, operations: ['ListTasks'] });
    try {
      const result = await deployThroughProxy(target, { 'container-images': 'app=acme/nolist:2' });
      expect(result.exitCode, result.log).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      expect(result.annotations.filter((a) => /Could not read why tasks stopped/.test(a.message))).toHaveLength(1);
    } finally {
      f.local.setFaults({});
    }
  });

  it('when DescribeServices fails persistently after the update, the outcome is unknown and the service is left as it is', async () => {
    const target = await steadyService(f, { image: 'acme/blind:1' });
    f.local.simulate('acme/blind:2', { startMs: 30_000 });
    const sent = proxy.all.length;
    const breakAfterUpdate = (async () => {
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        if (proxy.all.slice(sent).some((r) => r.operation === 'UpdateService' && r.status === 200)) {
          f.local.setFaults({ serverErrorRate: 1, operations: ['DescribeServices'] });
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const result = await deployThroughProxy(target, { 'container-images': 'app=acme/blind:2' });
      await breakAfterUpdate;
      expect(result.exitCode, result.log).toBe(1);
      expect(result.outputs.status).toBe('unknown');
      expect(result.outputs['rolled-back']).toBe('false');
      const error = result.annotations.find((a) => a.level === 'error')?.message ?? '';
      expect(error).toMatch(/outcome of deployment \S+ to \S+ is unknown/);
      expect(error).toMatch(/left as it is/);
      // No rollback was attempted on a guess.
      expect(proxy.all.slice(sent).filter((r) => r.operation === 'UpdateService')).toHaveLength(1);
      f.local.setFaults({});
      expect(await outcomeTag(result.outputs['task-definition-arn']!)).toBe('unknown');
    } finally {
      f.local.setFaults({});
    }
  });
});
