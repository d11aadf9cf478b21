/**
 * The pure rules behind pickRollbackTarget, as tables of input → result: what `to` names, which
 * GitHub deployment or ECS revision is the last known-good one, and what matches a commit or an
 * image.
 */
import { describe, expect, it } from 'vitest';
import { deploymentVerdict, pickKnownGoodDeployment, type DeploymentRelease } from '../../shared/rollback/known-good-deployment.js';
import { concernsService } from '../../shared/release/resume-record.js';
import { judgeRevision } from '../../shared/rollback/known-good-revision.js';
import { commitMatches, imageMatch, parseImageReference } from '../../shared/rollback/revision-match.js';
import { classifyRollbackTarget } from '../../shared/rollback/target-input.js';
import { rolledBackToTags } from '../../shared/release/rollback-tags.js';
import { rollbackOutcome } from '../../shared/rollback/outcome.js';
import type { StoppedTask } from '../../shared/ecs/stopped-task.js';
import type { RevisionRecord } from '../../shared/ecs/revision-history.js';

const ARN = (n: number, family = 'pay') => `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${n}`;

describe('classifyRollbackTarget', () => {
  it.each([
    ['', { kind: 'previous' }],
    ['previous', { kind: 'previous' }],
    [' Previous ', { kind: 'previous' }],
    ['7', { kind: 'revision', revision: 7 }],
    ['123456', { kind: 'revision', revision: 123456 }],
    [ARN(3), { kind: 'arn', arn: ARN(3) }],
    ['pay:3', { kind: 'family-revision', family: 'pay', revision: 3, text: 'pay:3' }],
    ['a1b2c3d', { kind: 'commit-or-image', value: 'a1b2c3d' }],
    ['A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', { kind: 'commit-or-image', value: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }],
    ['20240101', { kind: 'commit-or-image', value: '20240101' }],
    ['v1.4.2', { kind: 'image', value: 'v1.4.2' }],
    ['registry:5000/acme/app:v2', { kind: 'image', value: 'registry:5000/acme/app:v2' }],
    [`sha256:${'ab'.repeat(32)}`, { kind: 'image', value: `sha256:${'ab'.repeat(32)}` }],
  ])('%j → %j', (text, expected) => {
    expect(classifyRollbackTarget(text)).toEqual(expected);
  });

  it.each([
    ['0', /revisions start at 1/],
    ['arn:aws:ecs:us-east-1:123456789012:service/c/s', /a task-definition ARN such as/],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/pay', /a task-definition ARN such as/],
    ['two words', /Input 'to' has an invalid value "two words"/],
  ])('%j is refused: %s', (text, message) => {
    expect(() => classifyRollbackTarget(text)).toThrow(message);
  });
});

describe('deploymentVerdict', () => {
  it.each([
    [['success', 'in_progress'], 'succeeded'],
    [['inactive', 'success', 'in_progress'], 'succeeded'],
    [['failure', 'in_progress'], 'failed'],
    [['error'], 'failed'],
    [['in_progress'], 'unfinished'],
    [['inactive'], 'unfinished'],
    [[], 'unfinished'],
  ])('%j → %s', (states, verdict) => {
    expect(deploymentVerdict(states)).toBe(verdict);
  });
});

let nextId = 100;
const release = (arn: string | undefined, states: string[], extra: Partial<DeploymentRelease> = {}): DeploymentRelease => ({
  id: nextId--,
  sha: 'f'.repeat(40),
  createdAt: '2026-01-01T00:00:00Z',
  kind: 'deploy',
  taskDefinitionArn: arn,
  rolledBackFrom: undefined,
  verdict: deploymentVerdict(states),
  states,
  ...extra,
});

describe('pickKnownGoodDeployment (releases newest first)', () => {
  const ok = ['success', 'in_progress'];
  const superseded = ['inactive', 'success', 'in_progress'];
  const failed = ['failure', 'in_progress'];
  it.each<[string, DeploymentRelease[], string, boolean, string | undefined]>([
    ['the one before the current release', [release(ARN(3), ok), release(ARN(2), superseded), release(ARN(1), superseded)], ARN(3), true, ARN(2)],
    [
      'skips a failed (auto-rolled-back) deploy older than the current',
      [release(ARN(4), ok), release(ARN(3), failed), release(ARN(2), superseded)],
      ARN(4),
      true,
      ARN(2),
    ],
    [
      'ignores a failed deploy newer than the current (the service was rolled back to it)',
      [release(ARN(3), failed), release(ARN(2), ok), release(ARN(1), superseded)],
      ARN(2),
      true,
      ARN(1),
    ],
    [
      "skips the revision a rollback left, and the current revision's own older record",
      [
        release(ARN(2), ok, { kind: 'rollback', rolledBackFrom: ARN(3) }),
        release(ARN(3), superseded),
        release(ARN(2), superseded),
        release(ARN(1), superseded),
      ],
      ARN(2),
      true,
      ARN(1),
    ],
    ['skips a deploy that never finished', [release(ARN(3), ok), release(ARN(2), ['in_progress']), release(ARN(1), superseded)], ARN(3), true, ARN(1)],
    ['skips a record without an ARN', [release(ARN(3), ok), release(undefined, superseded), release(ARN(1), superseded)], ARN(3), true, ARN(1)],
    [
      'a revision whose newest record failed is not known-good, even with an older success',
      [release(ARN(3), ok), release(ARN(2), failed), release(ARN(2), superseded)],
      ARN(3),
      true,
      undefined,
    ],
    ['nothing before the current release', [release(ARN(2), ok), release(ARN(1), failed)], ARN(2), true, undefined],
    ['requireCurrent: no record of the running revision means no candidate', [release(ARN(2), ok)], ARN(5), true, undefined],
    ['without requireCurrent every deployment is older', [release(ARN(2), ok), release(ARN(1), superseded)], ARN(5), false, ARN(2)],
  ])('%s', (_, releases, current, requireCurrent, expected) => {
    expect(pickKnownGoodDeployment(releases, current, requireCurrent).target?.taskDefinitionArn).toBe(expected);
  });

  it('says why each closer release was passed over', () => {
    const pick = pickKnownGoodDeployment(
      [
        release(ARN(5), ok),
        release(ARN(4), failed),
        release(ARN(3), ok, { kind: 'rollback', rolledBackFrom: ARN(2) }),
        release(ARN(2), superseded),
        release(ARN(1), superseded),
      ],
      ARN(5),
      true,
    );
    expect(pick.target?.taskDefinitionArn).toBe(ARN(3));
    expect(pick.skipped.map((s) => s.why)).toEqual(['the deploy failed (failure)']);
  });
});

describe('concernsService', () => {
  it.each([
    [{ service: 'api', cluster: 'prod' }, true],
    [{ service: 'arn:aws:ecs:us-east-1:1:service/prod/api', cluster: 'arn:aws:ecs:us-east-1:1:cluster/prod' }, true],
    [{ service: 'api' }, true],
    [{ service: 'web', cluster: 'prod' }, false],
    [{ service: 'api', cluster: 'staging' }, false],
    [{}, false],
  ])('%j → %s', (payload, expected) => {
    expect(concernsService({ payload }, 'prod', 'api')).toBe(expected);
  });
});

const revision = (n: number, tags: Record<string, string>, images: [string, string][] = [], status = 'ACTIVE'): RevisionRecord => ({
  arn: ARN(n),
  family: 'pay',
  revision: n,
  status,
  images: images.map(([container, image]) => ({ container, image })),
  tags: new Map(Object.entries(tags)),
  registeredAt: undefined,
});

describe('judgeRevision (ECS tags, current revision 5)', () => {
  it.each([
    [revision(6, { 'commit-to-prod:outcome': 'succeeded' }), { verdict: 'not-older' }],
    [revision(5, { 'commit-to-prod:outcome': 'succeeded' }), { verdict: 'not-older' }],
    [revision(4, { 'commit-to-prod:outcome': 'succeeded' }), { verdict: 'candidate' }],
    [revision(4, { 'commit-to-prod:outcome': 'rolled-back' }), { verdict: 'skip', why: 'its deploy was rolled back' }],
    [revision(4, { 'commit-to-prod:outcome': 'failed' }), { verdict: 'skip', why: 'its deploy failed' }],
    // Changed by issue 14: wait: false now tags `started`; it is named as not proven good.
    [revision(4, { 'commit-to-prod:outcome': 'started' }), { verdict: 'skip', why: 'its deploy was started and not followed (wait: false): not proven good' }],
    [revision(4, { 'commit-to-prod:outcome': 'unknown' }), { verdict: 'skip', why: 'the outcome of its deploy is unknown (ECS could not be read)' }],
    [revision(4, {}), { verdict: 'skip', why: 'no commit-to-prod:outcome tag (not deployed by ecs-rolling-deploy)' }],
    [revision(4, { 'commit-to-prod:outcome': 'succeeded' }, [], 'INACTIVE'), { verdict: 'skip', why: 'inactive (deregistered)' }],
  ])('%#', (r, expected) => {
    expect(judgeRevision(r, 5)).toEqual(expected);
  });
});

describe('matching a revision by commit or image', () => {
  const r = revision(3, { 'commit-to-prod:sha': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', 'commit-to-prod:image:worker': `sha256:${'cd'.repeat(32)}` }, [
    ['app', '127.0.0.1:5000/acme/app:v2.1'],
    ['proxy', `acme/proxy@sha256:${'ef'.repeat(32)}`],
  ]);
  it.each([
    ['a1b2c3d', true],
    ['A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', true],
    ['a1b2c3', false],
    ['b1b2c3d', false],
  ])('commit %s → %s', (sha, expected) => expect(commitMatches(r, sha)).toBe(expected));
  it.each([
    ['v2.1', 'app'],
    ['127.0.0.1:5000/acme/app:v2.1', 'app'],
    [`sha256:${'ef'.repeat(32)}`, 'proxy'],
    [`sha256:${'cd'.repeat(32)}`, 'worker'],
    ['v2', undefined],
    ['5000/acme/app', undefined],
  ])('image %s → container %s', (value, container) => expect(imageMatch(r, value)?.container).toBe(container));
  it.each([
    ['acme/app', { name: 'acme/app', tag: undefined, digest: undefined }],
    ['host:5000/acme/app', { name: 'host:5000/acme/app', tag: undefined, digest: undefined }],
    ['host:5000/acme/app:v1@sha256:x', { name: 'host:5000/acme/app', tag: 'v1', digest: 'sha256:x' }],
  ])('parseImageReference %s', (image, expected) => expect(parseImageReference(image)).toEqual(expected));
});

describe('rollback tags', () => {
  it("sanitizes the reason to ECS's tag charset and length", () => {
    const tags = rolledBackToTags({
      from: ARN(4),
      at: new Date('2026-01-02T03:04:05Z'),
      reason: `500s on /pay; "checkout" broken! ${'x'.repeat(300)}`,
      requestedBy: 'alice (workflow_dispatch)',
    });
    expect(tags.find((t) => t.key === 'commit-to-prod:rolled-back-to-from')?.value).toBe('pay:4');
    expect(tags.find((t) => t.key === 'commit-to-prod:rolled-back-to-at')?.value).toBe('2026-01-02T03:04:05.000Z');
    const reason = tags.find((t) => t.key === 'commit-to-prod:rolled-back-to-reason')!.value;
    expect(reason).toMatch(/^500s on \/pay_ _checkout_ broken_ x+$/);
    expect(reason).toHaveLength(256);
    expect(tags.find((t) => t.key === 'commit-to-prod:rolled-back-to-by')?.value).toBe('alice _workflow_dispatch_');
  });
});

describe('rollbackOutcome', () => {
  const ctx = { where: 'prod/api', from: ARN(4), to: ARN(2), serviceNow: 'pay:2 0/2 running, FAILED; pay:4 2/2 running' };
  const crashed: StoppedTask = {
    taskArn: 't1',
    taskId: 't1',
    taskDefinitionArn: ARN(2),
    failed: true,
    stoppedReason: 'Essential container in task exited',
    stopCode: 'EssentialContainerExited',
    containers: [{ name: 'app', exitCode: 3 }],
  };
  it.each<[string, Parameters<typeof rollbackOutcome>[0], { status: string; recordState: string; message: RegExp }]>([
    [
      'succeeded',
      { status: 'succeeded', message: '', stoppedTasks: [], deploymentId: 'd1', failure: undefined },
      { status: 'succeeded', recordState: 'success', message: /^Rolled back: prod\/api runs pay:2 again \(was pay:4\)\.$/ },
    ],
    [
      'started',
      { status: 'started', message: '', stoppedTasks: [], deploymentId: 'd1', failure: undefined },
      { status: 'started', recordState: 'in_progress', message: /started \(deployment d1\); not followed/ },
    ],
    [
      'failed',
      {
        status: 'failed',
        message: 'engine words',
        stoppedTasks: [crashed, crashed],
        deploymentId: 'd1',
        failure: { cause: 'failed-tasks', reason: '2 tasks of the new revision failed (max-failed-tasks 2)' },
      },
      {
        status: 'failed',
        recordState: 'failure',
        message:
          /^Rollback of prod\/api to pay:2 FAILED: 2 tasks of the new revision failed \(max-failed-tasks 2\)\. Why: .*app exit 3\) ×2\. Not rolled forward to pay:4: ECS keeps the service as it is \(now: pay:2 0\/2 running, FAILED; pay:4 2\/2 running\)\./,
      },
    ],
    [
      'a circuit-breaker rollback by ECS is still a failed rollback',
      {
        status: 'rolled-back',
        message: 'engine words',
        stoppedTasks: [],
        deploymentId: 'd1',
        failure: { cause: 'circuit-breaker-rollback', reason: 'tasks failed to start' },
      },
      { status: 'failed', recordState: 'failure', message: /FAILED: tasks failed to start\. Not rolled forward/ },
    ],
    [
      'cancelled',
      { status: 'cancelled', message: '', stoppedTasks: [], deploymentId: 'd1', failure: { cause: 'cancelled', reason: 'cancelled' } },
      { status: 'cancelled', recordState: 'error', message: /cancelled while ECS rolled it out \(deployment d1\)\. ECS carries on/ },
    ],
  ])('%s', (_, result, expected) => {
    const outcome = rollbackOutcome(result, ctx);
    expect(outcome.status).toBe(expected.status);
    expect(outcome.recordState).toBe(expected.recordState);
    expect(outcome.message).toMatch(expected.message);
  });
});
