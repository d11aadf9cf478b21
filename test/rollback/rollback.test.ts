/**
 * rollback through its bundle and the local runner, against the local ECS emulator (simulated
 * tasks, sped up) and the local GitHub API stand-in. The release history is made by running the
 * real ecs-rolling-deploy bundle, so the records read back are exactly the ones it writes.
 */
import { DeregisterTaskDefinitionCommand, ListTagsForResourceCommand, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
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
const TOKEN = 'ghs_rollbacktesttoken456';
/** Another token with `deployments: write` (another workflow's, a collaborator's): it writes as 'mallory'. */
const FORGER = 'ghp_forgertoken000111';
const ENVIRONMENT = 'production';
const SHA = { v2: '2222222aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', v3: '3333333bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', v4: '4444444ccccccccccccccccccccccccccccccccc' };

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 4, emulatedPolls: true, defaultBehaviour: { startMs: 2_000, healthyAfterMs: 500 } });
  gh = await startLocalGitHubApi({ token: TOKEN, identities: { [FORGER]: 'mallory' } });
});
afterAll(async () => {
  await gh?.stop();
  await f?.stop();
});

const arn = (s: TestService, revision: number) => s.taskDefinitionArn.replace(/:\d+$/, `:${revision}`);

function rollback(s: TestService, inputs: Record<string, string>, options: { token?: boolean; eventName?: string } = {}): Promise<ActionResult> {
  const withToken = options.token ?? true;
  return runBundle('rollback', {
    inputs: {
      cluster: s.cluster,
      service: s.service,
      ...(withToken ? { 'github-token': TOKEN, 'github-environment': ENVIRONMENT } : {}),
      ...inputs,
    },
    env: f.local.env(),
    github: { ...github, apiUrl: gh.url, eventName: options.eventName ?? 'workflow_dispatch', actor: 'alice', workflow: 'rollback' },
    timeoutMs: 120_000,
  });
}

function deployRelease(s: TestService, image: string, sha: string): Promise<ActionResult> {
  return deployAction(
    f,
    s,
    { 'container-images': `app=${image}`, 'github-token': TOKEN, 'github-environment': ENVIRONMENT },
    { github: { sha, apiUrl: gh.url } },
  );
}

/** Everything a rollback could change: the service, the family's revisions and tags, the GitHub record. */
async function snapshot(s: TestService) {
  const service = await describe1(f, s.cluster, s.service);
  const revisions = (await f.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: s.family }))).taskDefinitionArns ?? [];
  const tags = await Promise.all(revisions.map(async (r) => (await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: r }))).tags));
  return {
    taskDefinition: service.taskDefinition,
    deployments: service.deployments?.map((d) => [d.id, d.taskDefinition, d.status, d.rolloutState]),
    revisions,
    tags,
    github: gh.deployments().map((d) => [d.id, d.statuses.length]),
  };
}

const errorOf = (r: ActionResult) =>
  r.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');

function expectNothingStarted(r: ActionResult, startedAt: number): void {
  expect(r.exitCode, r.log).toBe(1);
  expect(f.calls.filter((c) => c.operation === 'UpdateService' && c.at >= startedAt)).toEqual([]);
}

describe('rollback after a history of releases', () => {
  // v1 seeded by hand (no record), v2 released, v3 crash-looped and was rolled back by
  // ecs-rolling-deploy, v4 released and running: the last known-good release before v4 is v2.
  let s: TestService;
  beforeAll(async () => {
    s = await steadyService(f, { image: 'acme/hist:1.0.0' });
    expect((await deployRelease(s, 'acme/hist:2.0.0', SHA.v2)).outputs.status).toBe('succeeded');
    f.local.simulate('acme/hist:3.0.0', { exitCode: 3, exitAfterMs: 200 });
    expect((await deployRelease(s, 'acme/hist:3.0.0', SHA.v3)).outputs.status).toBe('rolled-back');
    await waitForSteady(f, s.cluster, s.service);
    expect((await deployRelease(s, 'acme/hist:4.0.0', SHA.v4)).outputs.status).toBe('succeeded');
    expect((await describe1(f, s.cluster, s.service)).taskDefinition).toBe(arn(s, 4));
  }, 120_000);

  it('previous: picks v2 from the GitHub deployments, skipping the failed v3; the dry run prints the plan and changes nothing', async () => {
    const before = await snapshot(s);
    const r = await rollback(s, { 'dry-run': 'true', reason: 'checkout errors since v4' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ from: arn(s, 4), to: arn(s, 2), status: 'planned', source: 'github-deployments' });
    // The plan: service, both revisions and images, the record, who and why.
    expect(r.log).toContain(`Service:      ${s.cluster}/${s.service}`);
    expect(r.log).toContain(`Now running:  ${s.family}:4`);
    expect(r.log).toContain(`Roll back to: ${s.family}:2`);
    expect(r.log).toContain('app: acme/hist:4.0.0 → acme/hist:2.0.0');
    expect(r.log).toMatch(
      /Chosen from: {2}GitHub deployment #\d+ of 'production' \(inactive ← success ← in_progress, .*commit 2222222aaaaa\) \[source: github-deployments\]/,
    );
    expect(r.log).toMatch(new RegExp(`Passed over: .*GitHub deployment #\\d+ ${s.family}:3: the deploy failed \\(failure\\)`));
    expect(r.log).toContain('Requested by: alice (workflow_dispatch, run 9001)');
    expect(r.log).toContain('Reason:       checkout errors since v4');
    for (const text of [`${s.family}:4`, `${s.family}:2`, 'acme/hist:4.0.0', 'acme/hist:2.0.0', 'alice', 'checkout errors since v4', 'GitHub deployment #']) {
      expect(r.summary).toContain(text);
    }
    expect(await snapshot(s)).toEqual(before);
  });

  it('previous: a forged record steers nothing — statuses or deployments by another identity are not trusted, nor ours when the ECS tags disagree', async () => {
    const [owner, repo] = github.repository!.split('/');
    const api = (token: string, path: string, body: unknown) =>
      fetch(`${gh.url}/repos/${owner}/${repo}${path}`, {
        method: 'POST',
        headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (res) => {
        expect(res.status, await res.clone().text()).toBe(201);
        return (await res.json()) as { id: number };
      });
    const v3 = gh.deployments().find((d) => d.sha === SHA.v3 && d.environment === ENVIRONMENT && JSON.stringify(d.payload).includes(s.service));
    expect(v3, 'the crash-looping v3 has a GitHub deployment').toBeDefined();
    // The attack: mark the release that crash-looped as good, and plant a "known-good" release of it.
    await api(FORGER, `/deployments/${v3!.id}/statuses`, { state: 'success', description: 'looks fine to me' });
    const planted = await api(FORGER, '/deployments', {
      ref: SHA.v3,
      environment: ENVIRONMENT,
      auto_merge: false,
      required_contexts: [],
      payload: { ...(v3!.payload as Record<string, unknown>) },
      description: 'planted',
    });
    await api(FORGER, `/deployments/${planted.id}/statuses`, { state: 'success' });
    const forged = await rollback(s, { 'dry-run': 'true', reason: 'after a forgery' });
    expect(forged.exitCode, forged.log).toBe(0);
    expect(forged.outputs).toMatchObject({ from: arn(s, 4), to: arn(s, 2), source: 'github-deployments' });
    expect(forged.log).toContain(`#${planted.id} ${s.family}:3: not trusted, created by mallory, not by the pipeline's identity github-actions[bot]`);
    expect(forged.log).toMatch(new RegExp(`#${v3!.id} ${s.family}:3: skipped, the deploy failed \\(failure\\)`));

    // The pipeline's own identity saying success is still held to ECS's tags (only the AWS role writes those).
    await api(TOKEN, `/deployments/${v3!.id}/statuses`, { state: 'success', description: 'a mistaken workflow' });
    const disagreeing = await rollback(s, { 'dry-run': 'true', reason: 'after a mistaken status' });
    expect(disagreeing.exitCode, disagreeing.log).toBe(0);
    expect(disagreeing.outputs).toMatchObject({ from: arn(s, 4), to: arn(s, 2), source: 'github-deployments' });
    expect(disagreeing.log).toContain(
      `#${v3!.id} ${s.family}:3: not trusted, the revision's ECS tags record commit-to-prod:outcome=rolled-back, not a success`,
    );
  });

  it('previous without a token: falls back to the ECS revision tags and finds the same release', async () => {
    const before = await snapshot(s);
    const requestsBefore = gh.requests.length;
    const r = await rollback(s, { 'dry-run': 'true', reason: 'no token here' }, { token: false });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ from: arn(s, 4), to: arn(s, 2), status: 'planned', source: 'ecs-tags' });
    expect(r.log).toContain(`${s.family}:3: skipped, its deploy was rolled back`);
    expect(r.annotations.some((a) => a.level === 'warning' && /No github-token/.test(a.message))).toBe(true);
    expect(gh.requests.length).toBe(requestsBefore);
    expect(await snapshot(s)).toEqual(before);
  });

  it('previous when GitHub cannot be read (a bad token): warns and falls back to the ECS revision tags', async () => {
    const r = await runBundle('rollback', {
      inputs: {
        cluster: s.cluster,
        service: s.service,
        'github-token': 'ghs_revokedtoken789',
        'github-environment': ENVIRONMENT,
        'dry-run': 'true',
        reason: 'GitHub is down',
      },
      env: f.local.env(),
      github: { ...github, apiUrl: gh.url, eventName: 'workflow_dispatch', actor: 'alice' },
      timeoutMs: 60_000,
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ to: arn(s, 2), source: 'ecs-tags' });
    expect(r.annotations.some((a) => a.level === 'warning' && /Could not read the GitHub deployments of 'production' \(Bad credentials/.test(a.message))).toBe(
      true,
    );
    expect(r.log).not.toContain('ghs_revokedtoken789');
  });

  it.each([
    ['a revision number', '2', 'revision 2'],
    ['a task-definition ARN', 'ARN', 'the ARN'],
    ['family:revision', 'FAMILY:2', 'FAMILY:2'],
    ['a short git SHA', SHA.v2.slice(0, 7), `commit ${SHA.v2}`],
    ['a full git SHA', SHA.v2, `commit ${SHA.v2}`],
    ['an image tag', '2.0.0', "image acme/hist:2.0.0 of container 'app'"],
    ['a whole image reference', 'acme/hist:2.0.0', "image acme/hist:2.0.0 of container 'app'"],
  ])('explicit target: %s resolves', async (_, to, chosen) => {
    const r = await rollback(s, { to: to === 'ARN' ? arn(s, 2) : to.replace('FAMILY', s.family), 'dry-run': 'true', reason: 'explicit' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ from: arn(s, 4), to: arn(s, 2), status: 'planned', source: 'explicit' });
    expect(r.log).toContain(chosen.replace('FAMILY', s.family));
  });

  it('refuses the revision already running, without touching the service', async () => {
    const startedAt = Date.now();
    const r = await rollback(s, { to: '4', reason: 'oops' });
    expectNothingStarted(r, startedAt);
    expect(errorOf(r)).toContain(`Refusing to roll back ${s.service} to ${s.family}:4: the service already runs it`);
    expect(r.summary).toContain('Rollback refused');
    expect(r.summary).toContain('Nothing was changed.');
  });

  it('refuses a target of another family', async () => {
    const other = await f.ecs.send(
      new RegisterTaskDefinitionCommand({ family: `${s.family}-other`, containerDefinitions: [{ name: 'app', image: 'acme/other:1' }] }),
    );
    const startedAt = Date.now();
    const r = await rollback(s, { to: other.taskDefinition!.taskDefinitionArn!, reason: 'wrong family' });
    expectNothingStarted(r, startedAt);
    expect(errorOf(r)).toContain(`it belongs to family '${s.family}-other', but the service runs family '${s.family}'`);
  });

  it('refuses an INACTIVE (deregistered) target, named by revision or by image tag', async () => {
    const registered = await f.ecs.send(
      new RegisterTaskDefinitionCommand({ family: s.family, containerDefinitions: [{ name: 'app', image: 'acme/hist:5.0.0' }] }),
    );
    const v5 = registered.taskDefinition!.taskDefinitionArn!;
    await f.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: v5 }));
    const startedAt = Date.now();
    for (const to of ['5', '5.0.0']) {
      const r = await rollback(s, { to, reason: 'deregistered' });
      expectNothingStarted(r, startedAt);
      expect(errorOf(r)).toContain(`Refusing to roll back ${s.service} to ${s.family}:5: it is INACTIVE (deregistered)`);
    }
  });

  it('refuses a target no revision records', async () => {
    const startedAt = Date.now();
    const r = await rollback(s, { to: 'v9.9.9', reason: 'typo' });
    expectNothingStarted(r, startedAt);
    expect(errorOf(r)).toMatch(
      /Input 'to' has an invalid value "v9\.9\.9": expected an image tag, reference or digest recorded on a revision of family '.*', but none of its 4 newest ACTIVE and 1 INACTIVE revisions matches/,
    );
  });

  it.each([
    [
      { to: 'arn:aws:ecs:us-east-1:123456789012:service/c/s' },
      /Input 'to' has an invalid value "arn:aws:ecs:us-east-1:123456789012:service\/c\/s": expected a task-definition ARN/,
    ],
    [{ to: 'two words' }, /Input 'to' has an invalid value "two words": expected `previous`, a revision number/],
    [{ timeout: 'soon' }, /Input 'timeout' has an invalid value "soon"/],
    [{ 'max-failed-tasks': '0' }, /Input 'max-failed-tasks' has an invalid value "0"/],
    [{ 'dry-run': 'maybe' }, /Input 'dry-run' has an invalid value "maybe"/],
  ])('refuses bad input %j before calling AWS', async (inputs, message) => {
    const startedAt = Date.now();
    const r = await rollback(s, { reason: 'bad input', ...inputs });
    expect(r.exitCode, r.log).toBe(1);
    expect(errorOf(r)).toMatch(message);
    expect(f.calls.filter((c) => c.at >= startedAt)).toEqual([]);
  });

  it('an automated rollback (not workflow_dispatch) may omit the reason: the workflow and event are recorded', async () => {
    const r = await rollback(s, { 'dry-run': 'true' }, { eventName: 'repository_dispatch' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`Reason:       automated rollback by workflow 'rollback' (repository_dispatch)`);
    expect(r.log).toContain('Requested by: alice (repository_dispatch, run 9001)');
  });

  it('refuses a manual rollback without a reason before calling AWS', async () => {
    const startedAt = Date.now();
    const r = await rollback(s, {});
    expectNothingStarted(r, startedAt);
    expect(errorOf(r)).toMatch(/Input 'reason' is required: expected why the service is rolled back/);
    expect(f.calls.filter((c) => c.at >= startedAt)).toEqual([]);
  });

  it('rolls back to previous through the deploy engine and records it (GitHub deployment and revision tags)', async () => {
    const startedAt = Date.now();
    const r = await rollback(s, { reason: 'checkout errors since v4' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ from: arn(s, 4), to: arn(s, 2), status: 'succeeded', source: 'github-deployments' });
    // The same live progress as a deploy, and no new revision.
    expect(r.log).toContain(`Deploying ${s.family}:2 as is: no new revision registered.`);
    expect(r.log).toMatch(new RegExp(`${s.family}:2 2/2 running · ${s.family}:4 0 running · 0 failed`));
    expect(f.calls.filter((c) => c.operation === 'RegisterTaskDefinition' && c.at >= startedAt)).toEqual([]);
    const service = await waitForSteady(f, s.cluster, s.service);
    expect(service.taskDefinition).toBe(arn(s, 2));

    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === s.service);
    expect(record?.environment).toBe(ENVIRONMENT);
    expect(record?.sha).toBe(SHA.v2);
    expect(record?.payload).toMatchObject({
      kind: 'rollback',
      from: arn(s, 4),
      to: arn(s, 2),
      taskDefinitionArn: arn(s, 2),
      reason: 'checkout errors since v4',
      requestedBy: 'alice (workflow_dispatch, run 9001)',
      source: 'github-deployments',
    });
    expect(record?.statuses.map((st) => st.state)).toEqual(['success', 'in_progress']);

    const tagsOf = async (revision: number) =>
      Object.fromEntries(((await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn(s, revision) }))).tags ?? []).map((t) => [t.key, t.value]));
    expect(await tagsOf(2)).toMatchObject({
      'commit-to-prod:outcome': 'succeeded',
      'commit-to-prod:rolled-back-to-from': `${s.family}:4`,
      'commit-to-prod:rolled-back-to-reason': 'checkout errors since v4',
      'commit-to-prod:rolled-back-to-by': 'alice _workflow_dispatch_ run 9001_',
    });
    expect(await tagsOf(4)).toMatchObject({ 'commit-to-prod:outcome': 'rolled-back', 'commit-to-prod:rolled-back-to': `${s.family}:2` });
    expect(r.summary).toContain('Rollback plan');
    expect(r.summary).toContain('✅ succeeded');
  });

  it('previous after that rollback: nothing known-good is left, and the refusal says what was searched', async () => {
    for (const token of [true, false]) {
      const startedAt = Date.now();
      const r = await rollback(s, { reason: 'again' }, { token });
      expectNothingStarted(r, startedAt);
      const error = errorOf(r);
      expect(error).toContain(`No known-good release of ${s.service} before ${s.family}:2 to roll back to. Searched:`);
      expect(error).toContain(token ? `GitHub deployments of ${s.service} in environment 'production'` : 'no GitHub deployments (no github-token)');
      expect(error).toContain(`newest ACTIVE revisions of family '${s.family}'`);
      expect(error).toMatch(token ? /#\d+ \S+:4: rolled back from by deployment #\d+/ : /\S+:1: no commit-to-prod:outcome tag/);
    }
  });
});

describe('a rollback whose target itself fails', () => {
  it('is reported as failed, loudly, and does not roll forward', async () => {
    const s = await steadyService(f, { image: 'acme/rbfail:1' });
    expect((await deployRelease(s, 'acme/rbfail:2', SHA.v2)).outputs.status).toBe('succeeded');
    // What ran fine as v1 now crash-loops (say, a secret it reads was rotated away).
    f.local.simulate('acme/rbfail:1', { exitCode: 4, exitAfterMs: 200 });
    const startedAt = Date.now();
    const r = await rollback(s, { to: '1', reason: 'try v1' });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.outputs).toMatchObject({ from: arn(s, 2), to: arn(s, 1), status: 'failed', source: 'explicit' });
    const error = errorOf(r);
    expect(error).toMatch(
      // Whichever sees the failures first: our count of failed tasks, or (on a slow machine, when a
      // poll comes late) ECS's own circuit breaker; both are the target failing.
      new RegExp(
        `Rollback of ${s.cluster}/${s.service} to ${s.family}:1 FAILED: (\\d+ tasks of the new revision failed in a row \\(max-failed-tasks 2\\)|ECS deployment circuit breaker: tasks failed to start)\\.`,
      ),
    );
    expect(error).toMatch(/app exit 4/);
    expect(error).toContain(`Not rolled forward to ${s.family}:2: ECS keeps the service as it is (now: ${s.family}:1 `);
    // One UpdateService (the rollback itself): neither the engine nor ECS went back to v2.
    expect(f.calls.filter((c) => c.operation === 'UpdateService' && c.at >= startedAt)).toHaveLength(1);
    const service = await describe1(f, s.cluster, s.service);
    expect(service.deployments?.[0]?.taskDefinition).toBe(arn(s, 1));
    expect(service.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: false });

    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === s.service);
    expect(record?.payload).toMatchObject({ kind: 'rollback', from: arn(s, 2), to: arn(s, 1) });
    expect(record?.statuses.map((st) => st.state)).toEqual(['failure', 'in_progress']);
    expect(r.summary).toContain('❌ failed');
    expect(r.summary).toContain(`Not rolled forward to ${s.family}:2`);
    expect(r.summary).toContain('<td>Rolled back</td><td>off: a failure is reported, never rolled forward</td>');
  });
});

describe('explicit targets that look like something else', () => {
  it('a hex image tag no commit matches resolves as an image tag, an image reference resolves, and `name:N` matching neither is refused', async () => {
    const s = await steadyService(f, { image: 'acme/hex:1' });
    for (const image of ['acme/hex:deadbeef', 'acme/hex:3']) {
      await f.ecs.send(new RegisterTaskDefinitionCommand({ family: s.family, containerDefinitions: [{ name: 'app', image }] }));
    }
    const byHex = await rollback(s, { to: 'deadbeef', 'dry-run': 'true', reason: 'hex tag' });
    expect(byHex.exitCode, byHex.log).toBe(0);
    expect(byHex.outputs).toMatchObject({ to: arn(s, 2), source: 'explicit' });
    expect(byHex.log).toContain(`image acme/hex:deadbeef of container 'app' on ${s.family}:2`);
    const byNameTag = await rollback(s, { to: 'hex:3', 'dry-run': 'true', reason: 'name:tag' });
    expect(byNameTag.exitCode, byNameTag.log).toBe(1);
    // `hex:3` is neither family:revision of this family nor an image reference recorded here.
    expect(errorOf(byNameTag)).toContain(`ECS knows no revision hex:3, and no image hex:3 is recorded on the 3 newest revisions of family '${s.family}'`);
    const byRefTag = await rollback(s, { to: 'acme/hex:3', 'dry-run': 'true', reason: 'image ref' });
    expect(byRefTag.outputs).toMatchObject({ to: arn(s, 3), source: 'explicit' });
  });
});

describe('a rollback that is not followed to the end', () => {
  it('wait: false stops once the service is updated (status started, record in_progress)', async () => {
    const s = await steadyService(f, { image: 'acme/nowait:1' });
    expect((await deployRelease(s, 'acme/nowait:2', SHA.v2)).outputs.status).toBe('succeeded');
    const r = await rollback(s, { to: '1', reason: 'quick', wait: 'false' });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ from: arn(s, 2), to: arn(s, 1), status: 'started' });
    expect((await describe1(f, s.cluster, s.service)).deployments?.[0]?.taskDefinition).toBe(arn(s, 1));
    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === s.service);
    expect(record?.statuses.map((st) => st.state)).toEqual(['in_progress']);
    await waitForSteady(f, s.cluster, s.service);
  });

  it('a cancelled job leaves ECS rolling back (never forward) and records an error', async () => {
    const s = await steadyService(f, { image: 'acme/cancel:1' });
    expect((await deployRelease(s, 'acme/cancel:2', SHA.v2)).outputs.status).toBe('succeeded');
    // Slow to start, so the job is cancelled mid-rollout.
    f.local.simulate('acme/cancel:1', { startMs: 40_000, healthyAfterMs: 500 });
    const startedAt = Date.now();
    const r = await runBundle('rollback', {
      inputs: { cluster: s.cluster, service: s.service, to: '1', reason: 'cancel me', 'github-token': TOKEN, 'github-environment': ENVIRONMENT },
      env: f.local.env(),
      github: { ...github, apiUrl: gh.url, eventName: 'workflow_dispatch', actor: 'alice' },
      cancel: { whenLogMatches: /Service updated to/, signal: 'SIGTERM' },
      timeoutMs: 60_000,
    });
    expect(r.exitCode, r.log).not.toBe(0);
    expect(r.outputs.status).toBe('cancelled');
    expect(errorOf(r)).toContain(`was cancelled while ECS rolled it out`);
    expect(errorOf(r)).toContain(`nothing was rolled forward to ${s.family}:2`);
    expect(f.calls.filter((c) => c.operation === 'UpdateService' && c.at >= startedAt)).toHaveLength(1);
    expect((await describe1(f, s.cluster, s.service)).deployments?.[0]?.taskDefinition).toBe(arn(s, 1));
    const [record] = gh.deployments('acme/payments-api').filter((d) => (d.payload as { service?: string }).service === s.service);
    expect(record?.statuses.map((st) => st.state)).toEqual(['error', 'in_progress']);
  });
});

describe('a service with no release history', () => {
  it('previous: refuses, saying what was searched', async () => {
    const s = await steadyService(f, { image: 'acme/fresh:1' });
    const startedAt = Date.now();
    const r = await rollback(s, { reason: 'nothing to go back to' }, { token: false });
    expectNothingStarted(r, startedAt);
    expect(errorOf(r)).toContain(
      `No known-good release of ${s.service} before ${s.family}:1 to roll back to. Searched: no GitHub deployments (no github-token); the 1 newest ACTIVE revision of family '${s.family}'`,
    );
  });
});
