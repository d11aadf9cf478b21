/**
 * The plan's diff and the gate's comparisons, as pure functions (the bundle test, plan.test.ts,
 * runs them through the action against the emulator).
 */
import { describe, expect, it } from 'vitest';
import { diffConfiguration, diffTaskDefinitions } from '../../shared/ecs/plan-diff.js';
import { checkAgainstPlan, parsePlannedInput } from '../../shared/ecs/plan-gate.js';
import { canonicalJson, documentHash, PLAN_SCHEMA, type ReleasePlan } from '../../shared/ecs/release-plan.js';

const running = {
  family: 'web',
  cpu: '256',
  taskRoleArn: 'arn:aws:iam::000000000000:role/web',
  containerDefinitions: [
    {
      name: 'app',
      image: 'acme/app:1',
      environment: [
        { name: 'MODE', value: 'blue' },
        { name: 'OLD', value: 'x' },
      ],
      secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/db' }],
    },
    { name: 'gone', image: 'acme/gone:1' },
  ],
};

describe('diffTaskDefinitions', () => {
  it('names task-level fields, each container field, variables by name, added and removed containers', () => {
    const planned = structuredClone(running) as typeof running & { memory?: string };
    planned.memory = '512';
    delete (planned as { taskRoleArn?: string }).taskRoleArn;
    const app = planned.containerDefinitions[0]!;
    app.environment = [
      { name: 'MODE', value: 'green' },
      { name: 'NEW', value: 'y' },
    ];
    app.secrets = [{ name: 'DB', valueFrom: 'arn:aws:ssm:us-east-1:000000000000:parameter/db-v2' }];
    planned.containerDefinitions = [app, { name: 'added', image: 'acme/added:1' } as (typeof running.containerDefinitions)[number]];
    const diff = diffTaskDefinitions(running, planned);
    expect(diff.task).toEqual([
      { field: 'taskRoleArn', before: 'arn:aws:iam::000000000000:role/web', after: undefined },
      { field: 'memory', before: undefined, after: '512' },
    ]);
    expect(diff.containers.map((c) => [c.container, c.kind])).toEqual([
      ['app', 'changed'],
      ['added', 'added'],
      ['gone', 'removed'],
    ]);
    expect(diff.containers[0]!.changes).toEqual([
      { field: 'environment.MODE', before: 'blue', after: 'green' },
      { field: 'environment.OLD', before: 'x', after: undefined },
      { field: 'environment.NEW', before: undefined, after: 'y' },
      { field: 'secrets.DB', before: 'arn:aws:ssm:us-east-1:000000000000:parameter/db', after: 'arn:aws:ssm:us-east-1:000000000000:parameter/db-v2' },
    ]);
  });

  it('is empty for the same document', () => {
    expect(diffTaskDefinitions(running, structuredClone(running))).toEqual({ task: [], containers: [] });
  });
});

describe('diffConfiguration', () => {
  it('is generic over members: one it has never heard of shows leaf by leaf', () => {
    const current = { maximumPercent: 200, deploymentCircuitBreaker: { enable: false, rollback: false } };
    const sent = { ...current, deploymentCircuitBreaker: { enable: true, rollback: true }, earlySuccessCriteria: { healthyPercent: 50 } };
    expect(diffConfiguration(current, sent)).toEqual([
      { field: 'deploymentCircuitBreaker.enable', before: 'false', after: 'true' },
      { field: 'deploymentCircuitBreaker.rollback', before: 'false', after: 'true' },
      { field: 'earlySuccessCriteria', before: undefined, after: '{"healthyPercent":50}' },
    ]);
    expect(diffConfiguration(current, undefined)).toEqual([]);
  });
});

describe('the canonical hash', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    expect(documentHash({ b: 1, a: 2 })).toBe(documentHash({ a: 2, b: 1 }));
  });
});

function plan(overrides: Partial<ReleasePlan> = {}): ReleasePlan {
  return {
    schema: PLAN_SCHEMA,
    cluster: 'prod',
    service: 'web',
    plannedAt: '2026-12-07T14:00:00.000Z',
    changes: true,
    fingerprint: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:7',
      desiredCount: 2,
      deploymentConfiguration: { maximumPercent: 200 },
      primaryDeploymentId: 'ecs-svc/1',
    },
    taskDefinition: { registers: true, existingArn: null, sha256: documentHash(running), document: running },
    images: [],
    serviceUpdate: {
      strategy: 'ROLLING',
      desiredCount: { from: 2, to: null },
      deploymentConfiguration: null,
      forceNewDeployment: false,
      serviceSettings: null,
      rollingBakeSeconds: null,
      timeoutSeconds: 1800,
      deadlineNote: null,
    },
    preDeploy: null,
    diff: { taskDefinition: { task: [], containers: [] }, deploymentConfiguration: [] },
    ...overrides,
  };
}

describe('checkAgainstPlan', () => {
  it('passes when nothing moved', () => {
    expect(() => checkAgainstPlan(plan(), plan({ plannedAt: '2026-12-07T14:05:00.000Z' }), 'planned')).not.toThrow();
  });

  it('names a scaling and a configuration change, old → new', () => {
    const now = plan({ fingerprint: { ...plan().fingerprint, desiredCount: 4, deploymentConfiguration: { maximumPercent: 150 } } });
    expect(() => checkAgainstPlan(plan(), now, 'planned')).toThrow(
      /prod\/web moved since the plan .*desired count 2 → 4; deployment configuration \{"maximumPercent":200\} → \{"maximumPercent":150\}/,
    );
  });

  it('names the field of a document that differs, and a service change that differs', () => {
    const other = structuredClone(running);
    other.containerDefinitions[0]!.image = 'acme/app:2';
    const now = plan({ taskDefinition: { registers: true, existingArn: null, sha256: documentHash(other), document: other } });
    expect(() => checkAgainstPlan(plan(), now, 'planned')).toThrow(/not the planned one .*app\.image acme\/app:1 → acme\/app:2/);
    const scaled = plan({ serviceUpdate: { ...plan().serviceUpdate, desiredCount: { from: 2, to: 3 } } });
    expect(() => checkAgainstPlan(plan(), scaled, 'planned')).toThrow(/otherwise than planned: desired count \(none\) → 3/);
  });

  it("refuses another service's plan", () => {
    expect(() => checkAgainstPlan(plan(), plan({ service: 'api' }), 'planned')).toThrow(/plan of prod\/web, not of prod\/api/);
  });
});

describe('parsePlannedInput', () => {
  it('takes a plan and names the input for anything else', () => {
    expect(parsePlannedInput(JSON.parse(JSON.stringify(plan())), 'planned', '(inline)').service).toBe('web');
    expect(() => parsePlannedInput({ schema: 'other' }, 'planned', '(inline)')).toThrow(/Input 'planned' .*ecs-deploy-plan@1/);
    expect(() => parsePlannedInput({ schema: PLAN_SCHEMA, cluster: 'prod' }, 'planned', '(inline)')).toThrow(/lacks members/);
  });
});
