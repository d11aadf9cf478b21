/**
 * Plan mode and the gate (issue 32), through ecs-rolling-deploy's bundle against the local ECS
 * emulator: `plan: true` only reads (the emulator's request log) and its diff names every changed
 * field of a two-container task definition with secrets; `planned` deploys exactly the plan, and
 * is refused before any write once the service moved after the plan.
 */
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../local/runner/run-bundle.js';
import type { ReleasePlan } from '../../shared/ecs/release-plan.js';
import { documentHash } from '../../shared/ecs/release-plan.js';
import { registrableTaskDefinition } from '../../shared/ecs/render-task-definition.js';
import { deployAction, describe1, startDeployFixture, steadyService, type DeployFixture } from './fixture.js';

let f: DeployFixture;

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 4, emulatedPolls: true, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
});
afterAll(async () => {
  await f?.stop();
});

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-password-AbCdEf';
const NEW_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db-password-v2-GhIjKl';
const WRITES = ['RegisterTaskDefinition', 'UpdateService', 'RunTask', 'TagResource', 'StopTask', 'DeregisterTaskDefinition', 'CreateService'];

/** The operations the emulator answered while `run` ran. */
async function operationsDuring(run: () => Promise<ActionResult>): Promise<{ result: ActionResult; operations: string[] }> {
  const from = f.calls.length;
  const result = await run();
  return { result, operations: f.calls.slice(from).map((c) => c.operation) };
}

function planOf(result: ActionResult): ReleasePlan {
  expect(result.outputs.plan, result.log).toBeTruthy();
  return JSON.parse(result.outputs.plan!) as ReleasePlan;
}

describe('plan: true', () => {
  it('only reads, and its diff names every changed field of both containers, secrets by name and ARN', async () => {
    const target = await steadyService(f, {
      image: 'acme/app:1',
      sidecar: true,
      containerExtra: {
        secrets: [{ name: 'DB_PASSWORD', valueFrom: SECRET_ARN }],
        command: ['serve'],
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health'], interval: 10 },
      },
      taskDefinitionExtra: { cpu: '256', memory: '512' },
    });
    const current = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: target.taskDefinitionArn }));
    // The file the deploy renders from: cpu/memory, the port and the health check changed by hand.
    const document = registrableTaskDefinition(current.taskDefinition, 'test') as Record<string, unknown>;
    document.cpu = '512';
    document.memory = '1024';
    const [app] = document.containerDefinitions as Record<string, unknown>[];
    app!.portMappings = [{ containerPort: 9090 }];
    app!.healthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost:9090/health'], interval: 10 };
    const dir = mkdtempSync(path.join(tmpdir(), 'plan-'));
    writeFileSync(path.join(dir, 'task-definition.json'), JSON.stringify(document));

    const { result, operations } = await operationsDuring(() =>
      deployAction(f, target, {
        plan: 'true',
        'task-definition': path.join(dir, 'task-definition.json'),
        'container-images': `app=acme/app@${DIGEST}\nlog-router=acme/log-router:2`,
        environment: 'app.MODE=green',
        secrets: `app.DB_PASSWORD=${NEW_SECRET_ARN}`,
        command: 'app=serve --port 9090',
        'desired-count': '3',
        'circuit-breaker': 'true',
      }),
    );
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('planned');
    expect(result.outputs.changes).toBe('true');
    // Nothing but reads reached ECS.
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((op) => !/^(Describe|List|Get)/.test(op))).toEqual([]);
    const service = await describe1(f, target.cluster, target.service);
    expect(service.taskDefinition).toBe(target.taskDefinitionArn);
    expect(service.desiredCount).toBe(2);

    const plan = planOf(result);
    expect(plan.taskDefinition.registers).toBe(true);
    expect(plan.fingerprint.taskDefinitionArn).toBe(target.taskDefinitionArn);
    expect(plan.images).toEqual([
      { container: 'app', image: `acme/app@${DIGEST}`, digest: DIGEST },
      { container: 'log-router', image: 'acme/log-router:2', digest: null },
    ]);
    const fields = (c: string) => plan.diff.taskDefinition.containers.find((d) => d.container === c)?.changes.map((x) => x.field);
    expect(fields('app')).toEqual(expect.arrayContaining(['image', 'environment.MODE', 'secrets.DB_PASSWORD', 'command', 'portMappings', 'healthCheck']));
    expect(fields('log-router')).toEqual(['image']);
    expect(plan.diff.taskDefinition.task.map((c) => c.field).sort()).toEqual(['cpu', 'memory']);
    const secret = plan.diff.taskDefinition.containers[0]!.changes.find((c) => c.field === 'secrets.DB_PASSWORD');
    expect(secret).toEqual({ field: 'secrets.DB_PASSWORD', before: SECRET_ARN, after: NEW_SECRET_ARN });
    expect(plan.serviceUpdate.desiredCount).toEqual({ from: 2, to: 3 });
    expect(plan.diff.deploymentConfiguration.map((c) => c.field)).toEqual(expect.arrayContaining(['deploymentCircuitBreaker.enable']));

    // The reviewer's summary: a table per container (running → planned), the service's, the JSON.
    for (const text of [
      'Container app',
      'Container log-router',
      'environment.MODE',
      'secrets.DB_PASSWORD',
      NEW_SECRET_ARN,
      'healthCheck',
      'portMappings',
      'command',
      'cpu',
      'memory',
      'deploymentConfiguration.deploymentCircuitBreaker.enable',
      'desiredCount',
      'NOT pinned by digest',
    ]) {
      expect(result.summary).toContain(text);
    }
    expect(result.summary).toContain('blue</td><td>green');
    expect(result.log).toContain('app.image: acme/app:1 → acme/app@');
  });

  it('says `changes: false` when the deploy would change nothing', async () => {
    const target = await steadyService(f, { image: 'acme/same:1' });
    const { result, operations } = await operationsDuring(() => deployAction(f, target, { plan: 'true', 'container-images': 'app=acme/same:1' }));
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.changes).toBe('false');
    expect(operations.filter((op) => !/^(Describe|List|Get)/.test(op))).toEqual([]);
    expect(result.summary).toContain('nothing would change');
    expect(planOf(result).taskDefinition.existingArn).toBe(target.taskDefinitionArn);
  });

  it('refuses `planned` together with `plan: true`, before any AWS call', async () => {
    const target = await steadyService(f, { image: 'acme/both:1' });
    const first = await deployAction(f, target, { plan: 'true', 'container-images': 'app=acme/both:2' });
    const { result, operations } = await operationsDuring(() => deployAction(f, target, { plan: 'true', planned: first.outputs.plan! }));
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain("Input 'planned'");
    expect(operations).toEqual([]);
  });
});

describe('planned: the gate', () => {
  it('deploys exactly the planned revision when nothing moved', async () => {
    const target = await steadyService(f, { image: 'acme/gate:1' });
    const inputs = { 'container-images': `app=acme/gate@${DIGEST}`, environment: 'app.MODE=green' };
    const planned = planOf(await deployAction(f, target, { ...inputs, plan: 'true' }));
    const result = await deployAction(f, target, { ...inputs, planned: JSON.stringify(planned) });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(result.log).toContain('deploying exactly that plan');
    const registered = await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn']! }));
    expect(documentHash(registrableTaskDefinition(registered.taskDefinition, 'test'))).toBe(planned.taskDefinition.sha256);
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(result.outputs['task-definition-arn']);
  });

  it('refuses, before any write, when another deploy ran after the plan, naming what moved', async () => {
    const target = await steadyService(f, { image: 'acme/moved:1' });
    const inputs = { 'container-images': 'app=acme/moved:2' };
    const planned = await deployAction(f, target, { ...inputs, plan: 'true' });
    expect(planned.exitCode, planned.log).toBe(0);
    // Someone else deploys in between.
    const other = await deployAction(f, target, { 'container-images': 'app=acme/moved:3' });
    expect(other.exitCode, other.log).toBe(0);
    const runningNow = (await describe1(f, target.cluster, target.service)).taskDefinition!;

    const { result, operations } = await operationsDuring(() => deployAction(f, target, { ...inputs, planned: planned.outputs.plan! }));
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(`${target.cluster}/${target.service} moved since the plan`);
    expect(result.log).toContain(`task definition ${target.family}:1 → ${target.family}:2`);
    expect(result.log).toContain('PRIMARY deployment (another deploy ran)');
    expect(operations.filter((op) => WRITES.includes(op))).toEqual([]);
    expect((await describe1(f, target.cluster, target.service)).taskDefinition).toBe(runningNow);
  });

  it('refuses a deploy whose inputs render another document than the plan, naming the field', async () => {
    const target = await steadyService(f, { image: 'acme/drift:1' });
    const planned = await deployAction(f, target, { 'container-images': 'app=acme/drift:2', plan: 'true' });
    const { result, operations } = await operationsDuring(() =>
      deployAction(f, target, { 'container-images': 'app=acme/drift:3', planned: planned.outputs.plan! }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain('is not the planned one');
    expect(result.log).toContain('app.image acme/drift:2 → acme/drift:3');
    expect(operations.filter((op) => WRITES.includes(op))).toEqual([]);
  });

  it('refuses wait-for-in-progress with planned, and a value that is no plan, before any AWS call', async () => {
    const target = await steadyService(f, { image: 'acme/bad:1' });
    const plan = await deployAction(f, target, { plan: 'true' });
    const { result: waiting, operations } = await operationsDuring(() =>
      deployAction(f, target, { planned: plan.outputs.plan!, 'wait-for-in-progress': 'true' }),
    );
    expect(waiting.exitCode).toBe(1);
    expect(waiting.log).toContain("Input 'wait-for-in-progress'");
    const junk = await deployAction(f, target, { planned: '{"schema": "something-else"}' });
    expect(junk.exitCode).toBe(1);
    expect(junk.log).toContain("Input 'planned'");
    expect(junk.log).toContain('commit-to-prod/ecs-deploy-plan@1');
    expect(operations).toEqual([]);
  });
});
