/**
 * ecs-rolling-deploy's keep-revisions through its bundle, then the rollback bundle: old revisions
 * are deregistered, never the running one, the one that ran before, or the one
 * `rollback to: previous` would choose — and that rollback still works afterwards.
 */
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { runBundle, type ActionResult } from '../../local/runner/run-bundle.js';
import {
  deployAction,
  describe1,
  github,
  startDeployFixture,
  steadyService,
  waitForSteady,
  type DeployFixture,
  type TestService,
} from '../ecs-rolling-deploy/fixture.js';

let f: DeployFixture;
let gh: LocalGitHubApi;
const TOKEN = 'ghs_keeprevisionstoken789';
const ENVIRONMENT = 'production';
const sha = (n: number) => `${n}`.repeat(40);

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 4, emulatedPolls: true, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  await gh?.stop();
  await f?.stop();
});

const arn = (s: TestService, revision: number) => s.taskDefinitionArn.replace(/:\d+$/, `:${revision}`);
const status = async (s: TestService, revision: number) =>
  (await f.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn(s, revision) }))).taskDefinition!.status;

function release(s: TestService, image: string, n: number, extra: Record<string, string> = {}): Promise<ActionResult> {
  return deployAction(
    f,
    s,
    { 'container-images': `app=${image}`, 'github-token': TOKEN, 'github-environment': ENVIRONMENT, ...extra },
    { github: { sha: sha(n), apiUrl: gh.url } },
  );
}

describe('keep-revisions', () => {
  // v1 seeded by hand, v2 released, v3 rolled back, v4 released, v5 deployed by hand (no record,
  // no tags), v6 released with keep-revisions: 1. A rollback from v6 goes to v4 (the last
  // known-good); v5 ran before v6; v6 runs. v1–v3 are not needed by anything.
  let s: TestService;
  let v6: ActionResult;
  beforeAll(async () => {
    s = await steadyService(f, { image: 'acme/keep:1' });
    expect((await release(s, 'acme/keep:2', 2)).outputs.status).toBe('succeeded');
    f.local.simulate('acme/keep:3', { exitCode: 3, exitAfterMs: 200 });
    expect((await release(s, 'acme/keep:3', 3)).outputs.status).toBe('rolled-back');
    await waitForSteady(f, s.cluster, s.service);
    expect((await release(s, 'acme/keep:4', 4)).outputs.status).toBe('succeeded');
    const hand = await f.ecs.send(
      new RegisterTaskDefinitionCommand({ family: s.family, containerDefinitions: [{ name: 'app', image: 'acme/keep:5', essential: true }] }),
    );
    await f.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: s.service, taskDefinition: hand.taskDefinition!.taskDefinitionArn! }));
    await waitForSteady(f, s.cluster, s.service);
    v6 = await release(s, 'acme/keep:6', 6, { 'keep-revisions': '1' });
  }, 180_000);

  it('deregisters only what no rollback needs, and says so in the log and the summary', async () => {
    expect(v6.exitCode, v6.log).toBe(0);
    expect(v6.outputs).toMatchObject({ status: 'succeeded', 'task-definition-arn': arn(s, 6), 'previous-task-definition-arn': arn(s, 5) });
    expect([await status(s, 1), await status(s, 2), await status(s, 3)]).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
    expect([await status(s, 4), await status(s, 5), await status(s, 6)]).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(v6.log).toContain(`keeping ${s.family}:5: the revision that ran before this deploy.`);
    expect(v6.log).toContain(`keeping ${s.family}:4: \`rollback to: previous\` would choose it (GitHub deployments).`);
    expect(v6.log).toContain(`Deregistered 3 old revision(s): ${s.family}:3, ${s.family}:2, ${s.family}:1.`);
    expect(v6.summary).toContain('Old revisions (keep-revisions: 1)');
    for (const text of [`${s.family}:1</td><td>deregistered`, `${s.family}:4</td><td>kept: `, `${s.family}:5</td><td>kept: the revision that ran before`]) {
      expect(v6.summary).toContain(text);
    }
  });

  it('rollback to: previous still works afterwards, and goes to v4', async () => {
    const r = await runBundle('rollback', {
      inputs: { cluster: s.cluster, service: s.service, 'github-token': TOKEN, 'github-environment': ENVIRONMENT, reason: 'after pruning' },
      env: f.local.env(),
      github: { ...github, apiUrl: gh.url, eventName: 'workflow_dispatch', actor: 'alice', workflow: 'rollback' },
      timeoutMs: 120_000,
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ from: arn(s, 6), to: arn(s, 4), status: 'succeeded' });
    expect((await describe1(f, s.cluster, s.service)).taskDefinition).toBe(arn(s, 4));
  });

  it('without a GitHub token, keeps what the ECS-tag fallback of `rollback to: previous` would choose, and that rollback works', async () => {
    // v1 seeded, v2 released, v3 rolled back, v4 deployed by hand, v5 released with keep-revisions:
    // the ECS tags lead a rollback past v4 (no record) and v3 (rolled back) to v2.
    const t = await steadyService(f, { image: 'acme/keeptags:1' });
    const plain = (image: string, extra: Record<string, string> = {}) => deployAction(f, t, { 'container-images': `app=${image}`, ...extra });
    expect((await plain('acme/keeptags:2')).outputs.status).toBe('succeeded');
    f.local.simulate('acme/keeptags:3', { exitCode: 3, exitAfterMs: 200 });
    expect((await plain('acme/keeptags:3')).outputs.status).toBe('rolled-back');
    await waitForSteady(f, t.cluster, t.service);
    const hand = await f.ecs.send(
      new RegisterTaskDefinitionCommand({ family: t.family, containerDefinitions: [{ name: 'app', image: 'acme/keeptags:4', essential: true }] }),
    );
    await f.ecs.send(new UpdateServiceCommand({ cluster: t.cluster, service: t.service, taskDefinition: hand.taskDefinition!.taskDefinitionArn! }));
    await waitForSteady(f, t.cluster, t.service);
    const v5 = await plain('acme/keeptags:5', { 'keep-revisions': '1' });
    expect(v5.exitCode, v5.log).toBe(0);
    expect(v5.log).toContain(`keeping ${t.family}:2: \`rollback to: previous\` would choose it (ECS tags).`);
    expect([await status(t, 1), await status(t, 2), await status(t, 3), await status(t, 4), await status(t, 5)]).toEqual([
      'INACTIVE',
      'ACTIVE',
      'INACTIVE',
      'ACTIVE',
      'ACTIVE',
    ]);
    const r = await runBundle('rollback', {
      inputs: { cluster: t.cluster, service: t.service, reason: 'after pruning, no token' },
      env: f.local.env(),
      github: { ...github, eventName: 'workflow_dispatch', actor: 'alice', workflow: 'rollback' },
      timeoutMs: 120_000,
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ to: arn(t, 2), status: 'succeeded', source: 'ecs-tags' });
  }, 120_000);

  it('a failed deploy deregisters nothing', async () => {
    const t = await steadyService(f, { image: 'acme/keepfail:1' });
    expect((await release(t, 'acme/keepfail:2', 2)).outputs.status).toBe('succeeded');
    f.local.simulate('acme/keepfail:3', { exitCode: 1, exitAfterMs: 200 });
    const r = await release(t, 'acme/keepfail:3', 3, { 'keep-revisions': '1' });
    expect(r.outputs.status).toBe('rolled-back');
    expect([await status(t, 1), await status(t, 2), await status(t, 3)]).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(r.log).not.toContain('Old revisions');
  });

  it('refuses keep-revisions: 0 before any AWS call, naming the input', async () => {
    const calls = f.calls.length;
    const r = await deployAction(f, { cluster: 'c', service: 'svc', family: 'fam', taskDefinitionArn: '' }, { 'keep-revisions': '0' });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain(`Input 'keep-revisions' has an invalid value "0": expected a whole number of at least 1.`);
    expect(f.calls.length).toBe(calls);
  });
});
