/**
 * workflows-examples/deploy-verified.yml itself, copied unchanged into a repository's
 * .github/workflows and called as a user calls it, run by the local workflow runner against the
 * ECS emulator (simulated, time scaled) with a BLUE_GREEN service behind a load balancer with
 * advancedConfiguration. It promises: "if anything in the job fails or it is cancelled before
 * [the continue], it is rolled back with production never having seen green". Cancelling the run
 * while the acceptance tier runs is what exercises that promise; the positive path goes through
 * the same file to SUCCESSFUL.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { runWorkflow, type JobRunResult, type WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';
import { waitFor } from '../local-ecs/wait.js';
import {
  describe1,
  startDeployFixture,
  steadyService,
  trafficShiftLoadBalancers,
  type DeployFixture,
  type TestService,
} from '../ecs-rolling-deploy/fixture.js';
import { deployCaller, git, scratchDirs } from './scratch.js';

const temp = scratchDirs();
let f: DeployFixture;

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 30, defaultBehaviour: { startMs: 3_000, healthyAfterMs: 1_000 }, healthCheck: { intervalMs: 2_000 } });
});
afterAll(() => f?.stop());

/** A user's repository: deploy-verified.yml copied unchanged, and the caller this test writes. */
function repository(): { dir: string; sha: string } {
  const dir = temp('ctp-deploy-verified-');
  const workflows = path.join(dir, '.github/workflows');
  mkdirSync(workflows, { recursive: true });
  cpSync(path.join(repoRoot, 'workflows-examples/deploy-verified.yml'), path.join(workflows, 'deploy-verified.yml'));
  writeFileSync(
    path.join(workflows, 'release.yml'),
    deployCaller(
      'deploy-verified.yml',
      'acme/app:2',
      ['strategy: blue-green'],
      `  report:
    needs: deploy
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo "deploy \${{ needs.deploy.result }}, status \${{ needs.deploy.outputs.status }}"
`,
    ),
  );
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'release workflows');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

async function blueGreen(bakeTimeInMinutes = 1): Promise<TestService> {
  return steadyService(f, {
    image: 'acme/app:1',
    extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes }, loadBalancers: trafficShiftLoadBalancers },
  });
}

/** Watches production traffic on green for as long as the run lasts. */
function watchProduction(target: TestService): { onGreen: () => boolean; stop: () => void } {
  let seen = false;
  const look = () => {
    if (f.local.traffic(target.cluster, target.service).productionGreen > 0) seen = true;
  };
  const unsubscribe = f.local.onTaskChange(look);
  const timer = setInterval(look, 20);
  return {
    onGreen: () => seen,
    stop: () => {
      unsubscribe();
      clearInterval(timer);
    },
  };
}

async function release(
  target: TestService,
  acceptance: string,
  cancelWhen?: RegExp,
): Promise<
  WorkflowRunResult & { log: string; deploy: JobRunResult; calledJobs: Record<string, JobRunResult>; steps: Record<string, JobRunResult['steps'][number]> }
> {
  const repo = repository();
  const lines: string[] = [];
  const cancel = new AbortController();
  const result = await runWorkflow(path.join(repo.dir, '.github/workflows/release.yml'), {
    event: 'workflow_dispatch',
    workspace: repo.dir,
    stateDir: temp('ctp-deploy-verified-state-'),
    vars: { AWS_REGION: f.local.region, ACCEPTANCE_TEST_COMMAND: acceptance, TEST_REPORTS: 'reports/TEST-*.xml' },
    environments: {
      production: {
        vars: {
          ECS_CLUSTER: target.cluster,
          ECS_SERVICE: target.service,
          AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::000000000000:role/deploy-production',
          TEST_LISTENER_URL: 'http://green.test.invalid:8080',
        },
      },
    },
    localAws: f.local.env(),
    github: { repository: 'acme/app', sha: repo.sha, ref: 'refs/heads/main' },
    signal: cancel.signal,
    onLog: (line) => {
      lines.push(line);
      if (cancelWhen?.test(line)) cancel.abort();
    },
  });
  const log = lines.join('\n');
  const call = result.jobs.find((j) => j.id === 'deploy');
  const jobs = Object.fromEntries((call?.called?.jobs ?? []).map((j) => [j.id, j]));
  if (!call || !jobs.deploy) throw new Error(`deploy-verified's deploy job did not run:\n${log}`);
  // The verified deploy is three jobs (deploy to the gate, acceptance, resume): `deploy` here is
  // the call of the whole file, and the steps are those of its jobs, by id.
  const steps = Object.fromEntries(Object.values(jobs).flatMap((j) => j.steps.map((s) => [s.id, s] as const)));
  return { ...result, log, deploy: call, calledJobs: jobs, steps };
}

async function deploymentStatus(arn: string): Promise<string | undefined> {
  const out = await f.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments?.[0]?.status;
}

/** Writes one passing JUnit report, as an acceptance suite would. */
const PASSING = `mkdir -p reports && printf '<testsuite name="acceptance" tests="1"><testcase classname="home" name="answers"/></testsuite>' > reports/TEST-acceptance.xml`;

describe('deploy-verified.yml on the local runner and the ECS emulator', () => {
  it('a run cancelled while the acceptance tier runs against paused green rolls back: production never sees green, the run is cancelled', async () => {
    const target = await blueGreen();
    const production = watchProduction(target);
    const r = await release(target, 'echo acceptance-started; sleep 60', /acceptance-started/);
    production.stop();
    expect(r.conclusion, r.log).toBe('cancelled');
    const { steps } = r;
    expect(steps.deploy!.outputs.status, r.log).toBe('paused');
    const arn = steps.deploy!.outputs['service-deployment-arn']!;
    expect(arn).toMatch(/:service-deployment\//);
    // The acceptance step was the one running: cancelled, and the action heard the signal.
    const acceptance = r.calledJobs.acceptance!.steps.find((s) => s.name === 'acceptance tier against green (test listener)')!;
    expect(acceptance.outcome).toBe('cancelled');
    expect(acceptance.log).toMatch(/received SIGINT, the job is being cancelled/);
    // Production traffic moves only in the continue, which a cancelled job does not run…
    expect(steps.continue!.conclusion).toBe('skipped');
    // …and the rollback's if (failure() || cancelled()) holds: it answers the gate with rollback.
    expect(steps.rollback!.conclusion, r.log).toBe('success');
    expect(steps.rollback!.outputs.status).toBe('rolled-back');
    expect(steps.rollback!.log).toMatch(/production traffic never reached the new revision/);
    // The acceptance job was the one running: cancelled. The resume job started after the cancel
    // (its if: always() held), in its own job with the deploy role, and answered the gate.
    expect(r.calledJobs.acceptance!.result).toBe('cancelled');
    expect(r.calledJobs.resume!.result, r.log).toBe('success');
    expect(r.deploy.result).toBe('cancelled');
    expect(r.deploy.outputs.status).toBe('rolled-back');
    // A job that needs the deploy with if: always() still runs after the cancel, and sees it.
    const report = r.jobs.find((j) => j.id === 'report')!;
    expect(report.steps[0]!.log).toBe('deploy cancelled, status rolled-back');
    expect(await deploymentStatus(arn)).toBe('ROLLBACK_SUCCESSFUL');
    expect(production.onGreen()).toBe(false);
    expect(f.local.traffic(target.cluster, target.service).productionGreen).toBe(0);
  }, 180_000);

  it('a run cancelled during the continue (green baking with production) is rolled back by the continue itself; the rollback step does not answer a gate already passed', async () => {
    const target = await blueGreen(30);
    const r = await release(target, PASSING, /BAKE_TIME:/);
    expect(r.conclusion, r.log).toBe('cancelled');
    expect(r.steps.deploy!.outputs.status).toBe('paused');
    expect(r.steps.continue!.outcome, r.log).toBe('cancelled');
    expect(r.steps.continue!.outputs.status).toBe('cancelled');
    expect(r.steps.continue!.log).toMatch(/Stopped service deployment .+ \(ROLLBACK\)/);
    expect(r.steps.rollback!.conclusion, r.log).toBe('skipped');
    expect(r.deploy.outputs.status).toBe('cancelled');
    const arn = r.steps.deploy!.outputs['service-deployment-arn']!;
    await waitFor(async () => ((await deploymentStatus(arn)) === 'ROLLBACK_SUCCESSFUL' ? true : undefined), 30_000, 100);
  }, 180_000);

  it('a run whose acceptance tier fails rolls back from the gate and fails', async () => {
    const target = await blueGreen();
    const r = await release(target, 'echo "the home page is gone" >&2; exit 1');
    expect(r.conclusion, r.log).toBe('failure');
    expect(r.steps.continue!.conclusion).toBe('skipped');
    expect(r.steps.rollback!.outputs.status, r.log).toBe('rolled-back');
    expect(r.deploy.result).toBe('failure');
    expect(r.deploy.outputs.status).toBe('rolled-back');
    expect(await deploymentStatus(r.steps.deploy!.outputs['service-deployment-arn']!)).toBe('ROLLBACK_SUCCESSFUL');
  }, 180_000);

  it('a run whose acceptance tier passes continues to production: SUCCESSFUL, no rollback', async () => {
    const target = await blueGreen();
    const r = await release(target, PASSING);
    expect(r.conclusion, r.log).toBe('success');
    expect(r.steps.deploy!.outputs.status).toBe('paused');
    expect(r.steps.continue!.outputs.status).toBe('succeeded');
    expect(r.steps.rollback!.conclusion).toBe('skipped');
    expect(r.deploy.outputs.status).toBe('succeeded');
    expect(r.jobs.find((j) => j.id === 'report')!.steps[0]!.log).toBe('deploy success, status succeeded');
    const arn = r.steps.deploy!.outputs['service-deployment-arn']!;
    await waitFor(async () => ((await deploymentStatus(arn)) === 'SUCCESSFUL' ? true : undefined), 30_000, 100);
    // The service now runs the new revision (green became production).
    const after = await describe1(f, target.cluster, target.service);
    expect(after.taskDefinition).toBe(r.steps.deploy!.outputs['task-definition-arn']);
    expect(after.taskDefinition).not.toBe(target.taskDefinitionArn);
  }, 180_000);
});
