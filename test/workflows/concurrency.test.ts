/**
 * Issue 28: "a pending deploy blocks an emergency rollback". The real deploy.yml (called as a
 * pipeline calls it) and the real rollback.yml, run by the local workflow runner with the
 * repository's concurrency groups shared between the runs (as GitHub shares them), production's
 * required reviewers standing in as a review that never comes for the deploys and comes at once
 * for the rollback, and the rollback run against the ECS emulator.
 *
 * With rollback in the deploy's group (ecs-deploy-<env>, as before), the scenario of the issue:
 * deploy 1 waits for approval holding the group → the rollback is pending behind it → deploy 2 is
 * queued → GitHub's one-pending rule cancels the rollback. With rollback.yml's own group, the
 * rollback runs at once, whatever the deploys do.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { ConcurrencyGroups } from '../../local/workflow-runner/concurrency.js';
import { runWorkflow, type JobEvent, type RunWorkflowOptions, type WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';
import { startDeployFixture, steadyService, waitForSteady, type DeployFixture, type TestService } from '../ecs-rolling-deploy/fixture.js';
import { waitFor } from '../local-ecs/wait.js';
import { deployCaller, git, scratchDirs } from './scratch.js';

const temp = scratchDirs();
let f: DeployFixture;
let service: TestService;

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 30, defaultBehaviour: { startMs: 1_000, healthyAfterMs: 500 } });
  // Revision 2 running, revision 1 the one to go back to.
  service = await steadyService(f, { image: 'acme/app:1' });
  const second = await f.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: service.family,
      containerDefinitions: [{ name: 'app', image: 'acme/app:2', essential: true, portMappings: [{ containerPort: 8080 }] }],
    }),
  );
  await f.ecs.send(new UpdateServiceCommand({ cluster: service.cluster, service: service.service, taskDefinition: second.taskDefinition!.taskDefinitionArn! }));
  await waitForSteady(f, service.cluster, service.service);
}, 120_000);
afterAll(() => f?.stop());

/** A user's repository: deploy.yml and rollback.yml copied unchanged, the caller a pipeline would be, and rollback.yml as it was (in the deploy's group). */
function repository(): { dir: string; sha: string } {
  const dir = temp('ctp-concurrency-');
  const workflows = path.join(dir, '.github/workflows');
  mkdirSync(workflows, { recursive: true });
  for (const file of ['deploy.yml', 'rollback.yml']) cpSync(path.join(repoRoot, 'workflows-examples', file), path.join(workflows, file));
  const rollback = readFileSync(path.join(workflows, 'rollback.yml'), 'utf8');
  const shared = rollback.replace('group: ecs-rollback-${{ inputs.environment }}', 'group: ecs-deploy-${{ inputs.environment }}');
  expect(shared).not.toBe(rollback);
  writeFileSync(path.join(workflows, 'rollback-in-deploy-group.yml'), shared);
  writeFileSync(path.join(workflows, 'release.yml'), deployCaller('deploy.yml', 'acme/app:3'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'workflows');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

async function emergency(rollbackFile: string): Promise<{ rollback: WorkflowRunResult; groups: ConcurrencyGroups; log: string[] }> {
  const repo = repository();
  const groups = new ConcurrencyGroups();
  const log: string[] = [];
  const waiting: string[] = [];
  const options = (label: string, signal?: AbortSignal): RunWorkflowOptions => ({
    event: 'workflow_dispatch',
    workspace: repo.dir,
    stateDir: temp('ctp-concurrency-state-'),
    vars: { AWS_REGION: f.local.region },
    environments: {
      production: {
        vars: { ECS_CLUSTER: service.cluster, ECS_SERVICE: service.service, AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::000000000000:role/deploy-production' },
        // The reviewers approve the rollback at once; the release waits (for days).
        review: ({ job }) => (job.includes('roll back') ? Promise.resolve(true) : new Promise<boolean>(() => {})),
      },
    },
    localAws: f.local.env(),
    github: { repository: 'acme/app', sha: repo.sha, ref: 'refs/heads/main' },
    concurrency: groups,
    runLabel: label,
    onLog: (line) => log.push(`[${label}] ${line}`),
    onJob: (e: JobEvent) => {
      if (e.type === 'waiting') waiting.push(label);
    },
    ...(signal ? { signal } : {}),
  });
  const file = (name: string) => path.join(repo.dir, '.github/workflows', name);
  const cancel1 = new AbortController();
  const cancel2 = new AbortController();
  // Deploy 1 reaches production's reviewers, and waits there.
  const deploy1 = runWorkflow(file('release.yml'), options('deploy 1', cancel1.signal));
  await waitFor(async () => (waiting.includes('deploy 1') ? true : undefined), 30_000, 20);
  // Production breaks: the emergency rollback is started…
  const rollback = runWorkflow(file(rollbackFile), {
    ...options('rollback'),
    inputs: { environment: 'production', to: '1', reason: 'checkout is down', 'dry-run': true },
  });
  await waitFor(async () => (groups.events.some((e) => e.includes('rollback is')) ? true : undefined), 30_000, 20);
  // …and the next push queues the next deploy.
  const deploy2 = runWorkflow(file('release.yml'), options('deploy 2', cancel2.signal));
  await waitFor(async () => (groups.events.some((e) => e.includes('deploy 2') && / is pending| replaces/.test(e)) ? true : undefined), 30_000, 20);
  const result = await Promise.race([
    rollback,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the rollback never ended:\n${log.join('\n')}`)), 90_000)),
  ]);
  cancel1.abort();
  cancel2.abort();
  const ends = await Promise.all([deploy1, deploy2]);
  expect(ends.map((r) => r.conclusion)).toEqual(['cancelled', 'cancelled']);
  return { rollback: result, groups, log };
}

describe('an emergency rollback while a deploy waits for approval (local workflow runner, shared concurrency groups)', () => {
  it('in the deploy’s group (as before): pending behind the unapproved deploy, then cancelled when the next deploy queues', async () => {
    const { rollback, groups } = await emergency('rollback-in-deploy-group.yml');
    expect(rollback.conclusion).toBe('cancelled');
    expect(rollback.jobs).toEqual([]);
    expect(rollback.notices.join('\n')).toMatch(/cancelled while pending in concurrency group ecs-deploy-production: deploy 2 .* was queued after it/);
    expect(groups.events).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ecs-deploy-production: rollback is pending behind deploy 1 \/ deploy \/ deploy to production$/),
        expect.stringMatching(/^ecs-deploy-production: deploy 2 \/ deploy \/ deploy to production replaces rollback, which is cancelled/),
      ]),
    );
  }, 180_000);

  it('with rollback.yml’s own group: it runs at once, approved by its reviewers, while deploy 1 still waits and deploy 2 is pending', async () => {
    const { rollback, groups, log } = await emergency('rollback.yml');
    expect(rollback.conclusion, log.join('\n')).toBe('success');
    const job = rollback.jobs.find((j) => j.id === 'rollback')!;
    expect(job.result).toBe('success');
    expect(job.steps.find((s) => s.id === 'rollback')!.log).toMatch(/dry run|Dry run|plan/i);
    expect(groups.events).toEqual(
      expect.arrayContaining([
        'ecs-rollback-production: rollback is in progress',
        expect.stringMatching(/^ecs-deploy-production: deploy 2 \/ deploy \/ deploy to production is pending behind deploy 1/),
      ]),
    );
    expect(groups.events.some((e) => e.includes('rollback') && /pending|cancelled/.test(e))).toBe(false);
  }, 180_000);
});

describe('ConcurrencyGroups, as GitHub documents concurrency', () => {
  const contender = (label: string, cancelInProgress = false) => {
    const cancelled: string[] = [];
    const abort = new AbortController();
    return { label, cancelInProgress, cancel: (why: string) => cancelled.push(why), signal: abort.signal, cancelled, abort };
  };

  it('one in progress, one pending; a newer pending one cancels the older; names are case-insensitive', async () => {
    const groups = new ConcurrencyGroups();
    const a = await groups.enter('Deploy-Prod', contender('a'));
    expect(a.entered).toBe(true);
    const b = groups.enter('deploy-prod', contender('b'));
    const c = groups.enter('DEPLOY-PROD', contender('c'));
    expect(await b).toEqual({ entered: false, why: expect.stringMatching(/^cancelled while pending in concurrency group Deploy-Prod: c was queued after it/) });
    expect(groups.status('deploy-prod')).toEqual({ running: 'a', pending: 'c' });
    if (a.entered) a.release();
    const entered = await c;
    expect(entered.entered).toBe(true);
    expect(groups.status('deploy-prod')).toEqual({ running: 'c' });
  });

  it('cancel-in-progress cancels the one in progress, which still holds the group until it ends', async () => {
    const groups = new ConcurrencyGroups();
    const first = contender('first');
    const a = await groups.enter('g', first);
    const b = groups.enter('g', contender('second', true));
    expect(first.cancelled).toEqual([expect.stringMatching(/cancel-in-progress: second was queued/)]);
    expect(groups.status('g')).toEqual({ running: 'first', pending: 'second' });
    if (a.entered) a.release();
    expect((await b).entered).toBe(true);
  });

  it('a pending one whose run is cancelled leaves the queue', async () => {
    const groups = new ConcurrencyGroups();
    await groups.enter('g', contender('a'));
    const waiting = contender('b');
    const b = groups.enter('g', waiting);
    waiting.abort.abort();
    expect(await b).toEqual({ entered: false, why: 'cancelled while pending in concurrency group g' });
    expect(groups.status('g')).toEqual({ running: 'a' });
  });
});

describe('an environment’s required reviewers (the review option)', () => {
  function gated(): { file: string; dir: string; sha: string } {
    const dir = temp('ctp-review-');
    const file = path.join(dir, 'gated.yml');
    writeFileSync(
      file,
      'on: workflow_dispatch\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: echo shipped\n  after:\n    needs: ship\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo after\n',
    );
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'gated');
    return { file, dir, sha: git(dir, 'rev-parse', 'HEAD') };
  }
  const run = (review: () => Promise<boolean>) => {
    const g = gated();
    return runWorkflow(g.file, {
      event: 'workflow_dispatch',
      workspace: g.dir,
      stateDir: temp('ctp-review-state-'),
      github: { sha: g.sha },
      environments: { production: { review } },
    });
  };

  it('approved: the job runs; rejected: it fails with the reason and its dependants are skipped', async () => {
    const approved = await run(async () => true);
    expect(approved.conclusion).toBe('success');
    expect(approved.jobs.find((j) => j.id === 'ship')!.steps[0]!.log).toBe('shipped');
    const rejected = await run(async () => false);
    expect(rejected.conclusion).toBe('failure');
    const ship = rejected.jobs.find((j) => j.id === 'ship')!;
    expect([ship.result, ship.message, ship.steps]).toEqual(['failure', "a reviewer rejected the deployment to environment 'production'", []]);
    expect(rejected.jobs.find((j) => j.id === 'after')!.result).toBe('skipped');
  });
});
