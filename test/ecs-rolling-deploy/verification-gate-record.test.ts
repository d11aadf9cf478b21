/**
 * The GitHub deployment record of a deploy paused at its verification gate, through the bundles
 * on the ECS emulator and the GitHub API stand-in: the paused deploy leaves it in_progress naming
 * the stage, the hook and how to resume, and outputs its id; ecs-resume-deploy with a token carries it to
 * success (continue) or failure (rollback, or ECS's rollback on the gate's timeout), found by
 * id or by the revision; without a token it is left alone; and `rollback to: previous` never
 * chooses a release rolled back at the gate, from the GitHub records or from the ECS tags.
 */
import { DescribeServiceDeploymentsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi, type RecordedDeployment } from '../../local/github-api/index.js';
import { runBundle, type ActionResult } from '../../local/runner/run-bundle.js';
import { closingDescription } from '../../shared/release/schema.js';
import { waitFor } from '../local-ecs/wait.js';
import {
  deployAction,
  resumeAction,
  github,
  RUN_URL,
  startDeployFixture,
  steadyService,
  trafficShiftLoadBalancers,
  type DeployFixture,
  type TestService,
} from './fixture.js';

let f: DeployFixture;
let gh: LocalGitHubApi;
const TOKEN = 'ghs_resumerecordtoken42';
const REPO = 'acme/payments-api';
const ENVIRONMENT = 'production';

beforeAll(async () => {
  f = await startDeployFixture({
    timeScale: 30,
    emulatedPolls: true,
    defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 },
    healthCheck: { intervalMs: 2_000 },
  });
  gh = await startLocalGitHubApi({ token: TOKEN });
});
afterAll(async () => {
  await f?.stop();
  await gh?.stop();
});

const callsOf = (operation: string, since: number) => f.calls.filter((c) => c.at >= since && c.operation === operation).length;
const withToken = { 'github-token': TOKEN, 'github-environment': ENVIRONMENT };
const ghContext = () => ({ github: { apiUrl: gh.url } });

function blueGreen(): Promise<TestService> {
  return steadyService(f, {
    image: 'acme/app:1',
    extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 }, loadBalancers: trafficShiftLoadBalancers },
  });
}

function record(id: string | undefined): RecordedDeployment {
  const found = gh.deployments(REPO).find((d) => String(d.id) === id);
  if (!found) throw new Error(`no GitHub deployment ${id}`);
  return found;
}

async function pausedDeploy(target: TestService, image: string, extra: Record<string, string> = {}): Promise<ActionResult> {
  const result = await deployAction(
    f,
    target,
    { 'container-images': `app=${image}`, 'verify-at': 'post-test-traffic-shift', 'verify-timeout': '30m', ...withToken, ...extra },
    ghContext(),
  );
  expect(result.exitCode, result.log).toBe(0);
  expect(result.outputs.status).toBe('paused');
  return result;
}

function resume(target: TestService, paused: ActionResult, action: 'continue' | 'rollback', inputs: Record<string, string> = {}): Promise<ActionResult> {
  return resumeAction(
    f,
    target,
    { decision: action, 'service-deployment-arn': paused.outputs['service-deployment-arn']!, 'hook-id': paused.outputs['hook-id']!, ...inputs },
    ghContext(),
  );
}

function rollbackPrevious(target: TestService, inputs: Record<string, string>): Promise<ActionResult> {
  return runBundle('rollback', {
    inputs: { cluster: target.cluster, service: target.service, to: 'previous', reason: 'test', 'dry-run': 'true', ...inputs },
    env: f.local.env(),
    github: { ...github, eventName: 'workflow_dispatch', actor: 'alice', workflow: 'rollback', apiUrl: gh.url },
    timeoutMs: 120_000,
  });
}

async function outcomeTag(taskDefinitionArn: string | undefined): Promise<string | undefined> {
  const out = await f.ecs.send(new ListTagsForResourceCommand({ resourceArn: taskDefinitionArn! }));
  return out.tags?.find((t) => t.key === 'commit-to-prod:outcome')?.value;
}

describe('the GitHub deployment record of a paused deploy', () => {
  it('paused → in_progress naming the hook; continue (found by the revision) → success; rollback at the gate → failure; rollback to: previous skips the rolled-back release', async () => {
    const target = await blueGreen();

    // Release 2: paused, then continued by a resume step that is given no id (lookup by the revision).
    const two = await pausedDeploy(target, 'acme/app:2');
    const id2 = two.outputs['github-deployment-id'];
    expect(id2).toMatch(/^\d+$/);
    const paused = record(id2);
    expect(paused.environment).toBe(ENVIRONMENT);
    expect(paused.payload).toMatchObject({ service: target.service, taskDefinitionArn: two.outputs['task-definition-arn'] });
    expect(paused.statuses[0]?.state).toBe('in_progress');
    expect(paused.statuses[0]?.description).toBe(
      `Paused at POST_TEST_TRAFFIC_SHIFT, hook ${two.outputs['hook-id']}: verify ${target.family}:2, then resume: continue or rollback; ECS rolls back after 30m`.slice(
        0,
        140,
      ),
    );
    expect(paused.statuses[0]?.log_url).toBe(RUN_URL);
    expect(await outcomeTag(two.outputs['task-definition-arn'])).toBe('paused');

    const continued = await resume(target, two, 'continue', { 'github-token': TOKEN, 'github-environment': ENVIRONMENT });
    expect(continued.exitCode, continued.log).toBe(0);
    expect(continued.outputs.status).toBe('succeeded');
    expect(continued.outputs['github-deployment-id']).toBe(id2);
    expect(continued.log).toContain(`GitHub deployment record: GitHub deployment ${id2} of '${ENVIRONMENT}' (the newest unfinished one of ${target.family}:2`);
    const success = record(id2);
    expect(success.statuses.map((s) => s.state)).toEqual(['success', 'in_progress', 'in_progress']);
    // The closing status: the words, then the release record's fields (shared/release/README.md).
    expect(success.statuses[0]?.description).toBe(
      closingDescription(`Verified at POST_TEST_TRAFFIC_SHIFT and continued: ${target.family}:2 is SUCCESSFUL`, {
        outcome: 'succeeded',
        served: 'yes',
        kind: 'resume',
      }),
    );
    expect(success.statuses[0]?.log_url).toBe(RUN_URL);
    expect(continued.summary).toContain(`GitHub deployment #${id2}: success`);
    expect(await outcomeTag(two.outputs['task-definition-arn'])).toBe('succeeded');

    // Release 3: paused, then rolled back at the gate by a resume step given the id.
    const three = await pausedDeploy(target, 'acme/app:3');
    const id3 = three.outputs['github-deployment-id'];
    const rolledBack = await resume(target, three, 'rollback', { 'github-token': TOKEN, 'github-deployment-id': id3! });
    expect(rolledBack.exitCode, rolledBack.log).toBe(0);
    expect(rolledBack.outputs.status).toBe('rolled-back');
    expect(rolledBack.outputs['github-deployment-id']).toBe(id3);
    const failure = record(id3);
    expect(failure.statuses.map((s) => s.state)).toEqual(['failure', 'in_progress', 'in_progress']);
    expect(failure.statuses[0]?.description).toBe(
      closingDescription(`Rolled back at the verification gate (POST_TEST_TRAFFIC_SHIFT) as asked; production never saw ${target.family}:3`, {
        outcome: 'rolled-back',
        cause: 'gate-rollback',
        rolledBackBy: 'person',
        served: 'no',
        kind: 'resume',
      }),
    );
    // The record keeps its environment (github-environment was not given with the id).
    expect(failure.statuses[0]?.environment).toBe(ENVIRONMENT);
    expect(await outcomeTag(three.outputs['task-definition-arn'])).toBe('rolled-back');
    // Release 2's success stands: a failed release does not make the one before it inactive.
    expect(record(id2).statuses[0]?.state).toBe('success');

    // Release 4: paused and continued, so release 3 lies between the running release and 2.
    const four = await pausedDeploy(target, 'acme/app:4');
    const continued4 = await resume(target, four, 'continue', { 'github-token': TOKEN, 'github-deployment-id': four.outputs['github-deployment-id']! });
    expect(continued4.outputs.status, continued4.log).toBe('succeeded');
    expect(record(id2).statuses.map((s) => s.state)).toEqual(['inactive', 'success', 'in_progress', 'in_progress']);

    const fromGitHub = await rollbackPrevious(target, withToken);
    expect(fromGitHub.exitCode, fromGitHub.log).toBe(0);
    expect(fromGitHub.outputs.source).toBe('github-deployments');
    expect(fromGitHub.outputs.to).toBe(two.outputs['task-definition-arn']);
    expect(fromGitHub.log).toContain(`#${id3} ${target.family}:3: skipped, the deploy failed (failure)`);
    const fromTags = await rollbackPrevious(target, {});
    expect(fromTags.exitCode, fromTags.log).toBe(0);
    expect(fromTags.outputs.source).toBe('ecs-tags');
    expect(fromTags.outputs.to).toBe(two.outputs['task-definition-arn']);
    expect(fromTags.log).toContain(`${target.family}:3: skipped, its deploy was rolled back`);
  }, 240_000);

  it('a resume without github-token leaves the record alone; a github-deployment-id that does not fit is refused before anything is sent', async () => {
    const target = await blueGreen();
    const paused = await pausedDeploy(target, 'acme/app:2');
    const id = paused.outputs['github-deployment-id']!;
    const before = record(id).statuses;

    const since = Date.now();
    const unknown = await resume(target, paused, 'continue', { 'github-token': TOKEN, 'github-deployment-id': '987654' });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /github-deployment-id: acme\/payments-api has no GitHub deployment 987654; nothing was resumed/,
    );

    // Another service's record (as a deploy of it would have written it).
    const other = await fetch(`${gh.url}/repos/${REPO}/deployments`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ref: github.sha,
        environment: ENVIRONMENT,
        payload: { cluster: target.cluster, service: 'someone-else', taskDefinitionArn: paused.outputs['task-definition-arn'] },
      }),
    }).then((r) => r.json() as Promise<{ id: number }>);
    const wrong = await resume(target, paused, 'rollback', { 'github-token': TOKEN, 'github-deployment-id': String(other.id) });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.annotations.find((a) => a.level === 'error')?.message).toMatch(
      new RegExp(
        `github-deployment-id: GitHub deployment ${other.id} records ${target.family}:2 to ${target.cluster}/someone-else, but .* rolls out ${target.family}:2 to ${target.cluster}/${target.service}; nothing was resumed`,
      ),
    );
    const wrongEnvironment = await resume(target, paused, 'rollback', { 'github-token': TOKEN, 'github-deployment-id': id, 'github-environment': 'staging' });
    expect(wrongEnvironment.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /github-environment: GitHub deployment \d+ is of environment 'production', not 'staging'; nothing was resumed/,
    );
    expect(callsOf('ContinueServiceDeployment', since)).toBe(0);

    const requestsBefore = gh.requests.length;
    const plain = await resume(target, paused, 'continue');
    expect(plain.exitCode, plain.log).toBe(0);
    expect(plain.outputs.status).toBe('succeeded');
    expect(plain.outputs['github-deployment-id']).toBe('');
    expect(plain.log).toContain('No github-token: no GitHub deployment record is updated');
    expect(gh.requests.length).toBe(requestsBefore);
    expect(record(id).statuses).toEqual(before);
    // The ECS tag is the record without a token, and it follows.
    expect(await outcomeTag(paused.outputs['task-definition-arn'])).toBe('succeeded');
  }, 180_000);

  it('a gate that timed out before the resume: the resume is refused and the record says the release was rolled back', async () => {
    const target = await blueGreen();
    // 3 emulated minutes are 6 s here: the deploy step ends at the pause well before.
    const paused = await pausedDeploy(target, 'acme/app:2', { 'verify-timeout': '3m' });
    const arn = paused.outputs['service-deployment-arn']!;
    await waitFor(
      async () => {
        const sd = await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
        return sd.serviceDeployments?.[0]?.status === 'ROLLBACK_SUCCESSFUL' ? true : undefined;
      },
      60_000,
      200,
    );
    const late = await resume(target, paused, 'continue', { 'github-token': TOKEN, 'github-deployment-id': paused.outputs['github-deployment-id']! });
    expect(late.exitCode).toBe(1);
    expect(late.annotations.find((a) => a.level === 'error')?.message).toMatch(/Cannot continue .*ROLLBACK_SUCCESSFUL.*Nothing was resumed/);
    const rolledBack = record(paused.outputs['github-deployment-id']);
    expect(rolledBack.statuses.map((s) => s.state)).toEqual(['failure', 'in_progress', 'in_progress']);
    expect(rolledBack.statuses[0]?.description).toMatch(/^Rolled back before this resume \(ROLLBACK_SUCCESSFUL/);
    expect(await outcomeTag(paused.outputs['task-definition-arn'])).toBe('rolled-back');
  }, 120_000);

  it('refuses github-deployment-id outside a resume, malformed, or without a token', async () => {
    const target = await blueGreen();
    const since = Date.now();
    // Outside a resume: ecs-rolling-deploy has no such input (the runner refuses an undeclared one, as GitHub warns of it).
    await expect(deployAction(f, target, { 'container-images': 'app=acme/app:9', 'github-deployment-id': '12' }, ghContext())).rejects.toThrow(
      /action 'ecs-rolling-deploy' declares no input 'github-deployment-id'/,
    );
    const arnAndHook = { 'service-deployment-arn': 'arn:aws:ecs:us-east-1:000000000000:service-deployment/c/s/x', 'hook-id': 'ecs-pause-1' };
    const cases: [Record<string, string>, RegExp][] = [
      [
        { decision: 'continue', ...arnAndHook, 'github-token': TOKEN, 'github-deployment-id': 'abc' },
        /Input 'github-deployment-id' has an invalid value "abc": expected the paused deploy step's github-deployment-id output/,
      ],
      [
        { decision: 'continue', ...arnAndHook, 'github-deployment-id': '12' },
        /Input 'github-token' is required: expected a token \(deployments: write\) to update GitHub deployment 12/,
      ],
    ];
    for (const [inputs, error] of cases) {
      const result = await resumeAction(f, target, inputs, ghContext());
      expect(result.exitCode).toBe(1);
      expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(error);
    }
    expect(callsOf('ContinueServiceDeployment', since)).toBe(0);
    expect(callsOf('RegisterTaskDefinition', since)).toBe(0);
  }, 60_000);
});
