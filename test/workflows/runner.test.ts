import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { runWorkflow, type JobRunResult, type RunWorkflowOptions, type WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';

const fixtures = path.join(repoRoot, 'test/fixtures/workflows');
const probeRoot = path.join(repoRoot, 'test/fixtures/runner-root');

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** The commit each workspace's repository is at: github.sha for its runs. */
const heads = new Map<string, string>();

/** The run's repository: a git repository with one commit, which actions/checkout clones. */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-wf-ws-'));
  created.push(dir);
  mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
  cpSync(path.join(fixtures, 'called.yml'), path.join(dir, '.github/workflows/called.yml'));
  writeFileSync(path.join(dir, 'README.md'), 'the repository\n');
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).stdout.trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  heads.set(dir, git('rev-parse', 'HEAD'));
  return dir;
}

async function run(file: string, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult & { log: string }> {
  const lines: string[] = [];
  const ws = options.workspace ?? workspace();
  const result = await runWorkflow(path.join(fixtures, file), {
    root: probeRoot,
    onLog: (l) => lines.push(l),
    ...options,
    workspace: ws,
    github: { sha: heads.get(ws) ?? '', ...options.github },
  });
  return { ...result, log: lines.join('\n') };
}

function job(result: WorkflowRunResult, id: string): JobRunResult {
  const found = result.jobs.find((j) => j.id === id);
  if (!found) throw new Error(`no job ${id} in ${result.jobs.map((j) => j.id).join(', ')}`);
  return found;
}

function stepLog(j: JobRunResult, name: string): string {
  const step = j.steps.find((s) => s.name === name || s.id === name);
  if (!step) throw new Error(`no step ${name} in ${j.steps.map((s) => s.name).join(' | ')}`);
  return step.log;
}

describe('runWorkflow: contexts, outputs, env', () => {
  it('evaluates expressions with GitHub’s evaluator, hands outputs across steps and jobs, honours env precedence and the file commands', async () => {
    const r = await run('basics.yml', { github: { ref: 'refs/heads/feature-x' } });
    expect(r.conclusion).toBe('success');
    const first = job(r, 'first');
    expect(first.steps.map((s) => s.conclusion)).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(first.steps[0]!.outputs.said).toBe('hi feature-x from job');
    // step env > job env > workflow env; GITHUB_ENV applies to later steps; step env beats it
    expect(stepLog(first, 'compute')).toContain('levels: step j w probe-var=exported');
    expect(stepLog(first, 'after')).toMatch(/level now: from-github-env\ntool-on-path\npwd: .*\/sub$/);
    expect(stepLog(first, 'step env beats GITHUB_ENV')).toBe('level here=step-again');
    expect(first.steps[1]!.name).toBe('compute hi feature-x from job');
    expect(first.steps[1]!.summary).toContain('## summary from compute');
    expect(stepLog(first, 'expressions')).toBe('list=[1,2,3] has=true fmt=push-42 status=success success');
    expect(first.outputs).toEqual({ said: 'hi feature-x from job', computed: '42', json: '{"list": [1, 2, 3], "name": "x"}' });
    const second = job(r, 'second');
    expect(second.steps[0]!.log).toBe('got hi feature-x from job and 42, first was success');
    expect(second.steps[1]!.log).toBe('name=x');
    expect(r.notices).toContain("acme/commit-to-prod/actions/*@v1: run from this checkout's bundles (dist/), not from ref 'v1'");
    expect(r.notices).toContain("an action's post step runs right after its main step here (GitHub runs post steps at the end of the job, in reverse order)");
    expect(first.summary).toMatch(/<h1>Probe<\/h1>[\s\S]*## summary from compute/);
  });

  it('runs a run: step with bash -eo pipefail: a failing command in the middle fails the step', async () => {
    const r = await run('failures.yml');
    const breaks = job(r, 'breaks');
    const fails = breaks.steps.find((s) => s.id === 'fails')!;
    expect(fails.outcome).toBe('failure');
    expect(fails.exitCode).toBe(1);
    expect(fails.log).toBe('before');
  });
});

describe('runWorkflow: if, failure handling, needs', () => {
  it('skips after a failure, runs failure() and always() steps, applies continue-on-error, and propagates to jobs', async () => {
    const r = await run('failures.yml');
    expect(r.conclusion).toBe('failure');
    const breaks = job(r, 'breaks');
    expect(breaks.result).toBe('failure');
    expect(breaks.steps.map((s) => [s.name, s.outcome, s.conclusion])).toEqual([
      ['Run exit 3', 'failure', 'success'],
      ['Run echo "after tolerated, outcome=${{ steps.tolerated.outcome }} conclusion=${{ steps.tolerated.conclusion }}"', 'success', 'success'],
      ['Run echo before', 'failure', 'failure'],
      ['skipped by default', 'skipped', 'skipped'],
      ['on failure', 'success', 'success'],
      ['Run echo "reached=yes" >> "$GITHUB_OUTPUT"', 'success', 'success'],
      ['probe fails', 'failure', 'failure'],
    ]);
    expect(breaks.steps[1]!.log).toBe('after tolerated, outcome=failure conclusion=success');
    expect(breaks.steps[4]!.log).toBe('failure handled, fails=failure');
    expect(breaks.steps[6]!.log).toContain('Error: failing as asked');
    expect(breaks.outputs).toEqual({ reached: 'yes' });
    expect(job(r, 'dependent').result).toBe('skipped');
    expect(job(r, 'on-failure').steps[0]!.log).toBe('breaks was failure, reached=yes');
    expect(job(r, 'transitively').steps[0]!.log).toBe('dependent was skipped');
    expect(r.log).toContain('── job dependent: skipped (if: success())');
    // on-failure and dependent both wait only for breaks: they run side by side, as on GitHub.
    expect(r.notices.some((n) => n.startsWith('independent jobs run one after another'))).toBe(false);
  });
});

describe('runWorkflow: secrets', () => {
  it('masks secrets and ::add-mask:: values in every later log, and drops a job output that carries a secret', async () => {
    const secret = 's3cr3t-token-value';
    const r = await run('secrets.yml', { secrets: { API_TOKEN: secret } });
    expect(r.conclusion).toBe('success');
    const use = job(r, 'use');
    expect(use.steps[0]!.log).toBe('token is ***\nlater: ***');
    expect(use.steps[1]!.log).toContain('hello the token *** and *** with no secret');
    expect(use.steps[2]!.log).toBe("missing secret is ''");
    expect(r.log).not.toContain(secret);
    expect(r.log).not.toContain('runtime-value-123');
    expect(use.outputs).toEqual({ fine: 'ok' });
    expect(r.log).toContain("Warning: skip output 'leaked' since it may contain secret.");
  });
});

describe('runWorkflow: workflow_dispatch and reusable workflows', () => {
  it('types the dispatch inputs and runs a called workflow in place, with typed inputs, secrets and outputs', async () => {
    const r = await run('caller.yml', { event: 'workflow_dispatch', inputs: { who: 'ann', loud: 'true' }, secrets: { DEPLOY_TOKEN: 'tok-abcdef' } });
    expect(r.conclusion).toBe('success');
    const call = job(r, 'call');
    expect(call.outputs).toEqual({ said: 'hello-ann x3!' });
    const speak = call.called!.jobs[0]!;
    expect(speak.name).toBe('call / speak');
    expect(speak.environment).toBe('staging');
    expect(speak.steps[1]!.log).toBe('token: ***\ntypes: {"word":"hello-ann","times":3,"loud":true}');
    expect(job(r, 'after').steps[0]!.log).toBe('called said hello-ann x3! (success), level low, loud true');
    expect(r.notices.some((n) => n.startsWith("environment 'staging': its protection rules"))).toBe(true);
  });

  it('reads ./.github/workflows/ of a call from another directory when told (to run examples in place)', async () => {
    const bare = mkdtempSync(path.join(tmpdir(), 'ctp-wf-ws-'));
    created.push(bare);
    const lines: string[] = [];
    const r = await runWorkflow(path.join(fixtures, 'caller.yml'), {
      root: probeRoot,
      workspace: bare,
      workflowsDir: fixtures,
      event: 'workflow_dispatch',
      inputs: { who: 'x' },
      secrets: { DEPLOY_TOKEN: 't0k3n' },
      onLog: (l) => lines.push(l),
    });
    expect(r.conclusion).toBe('success');
    expect(job(r, 'call').outputs).toEqual({ said: 'hello-x x3' });
    expect(r.notices).toContain(`reusable workflows ./.github/workflows/* are read from ${fixtures}`);
    const without = await runWorkflow(path.join(fixtures, 'caller.yml'), {
      root: probeRoot,
      workspace: bare,
      event: 'workflow_dispatch',
      inputs: { who: 'x' },
      secrets: { DEPLOY_TOKEN: 't0k3n' },
    });
    expect(job(without, 'call').message).toMatch(/\.github\/workflows\/called\.yml is not a valid workflow:\n {2}- cannot read it/);
  });

  it('refuses bad dispatch inputs before running anything', async () => {
    await expect(run('caller.yml', { event: 'workflow_dispatch', inputs: {} })).rejects.toThrow("input 'who' is required");
    await expect(run('caller.yml', { event: 'workflow_dispatch', inputs: { who: 'a', level: 'medium' } })).rejects.toThrow(
      "input 'level' must be one of low, high, got 'medium'",
    );
    await expect(run('caller.yml', { event: 'workflow_dispatch', inputs: { who: 'a', loud: 'yes' } })).rejects.toThrow(
      `input 'loud' must be a boolean, got "yes"`,
    );
    await expect(run('caller.yml', { event: 'workflow_dispatch', inputs: { who: 'a', colour: 'red' } })).rejects.toThrow(
      "input 'colour' is not defined by workflow_dispatch",
    );
    await expect(run('caller.yml', { event: 'push' })).rejects.toThrow("is not triggered by 'push'");
  });

  it('fails the calling job when the call passes an input the called workflow does not declare', async () => {
    const ws = workspace();
    writeFileSync(
      path.join(ws, 'bad-caller.yml'),
      'on: push\njobs:\n  call:\n    uses: ./.github/workflows/called.yml\n    with:\n      word: x\n      colour: red\n    secrets:\n      token: t\n',
    );
    const lines: string[] = [];
    const r = await runWorkflow(path.join(ws, 'bad-caller.yml'), { root: probeRoot, workspace: ws, onLog: (l) => lines.push(l) });
    expect(r.conclusion).toBe('failure');
    expect(job(r, 'call').message).toMatch(/input 'colour' is not defined by \.\/\.github\/workflows\/called\.yml/);
  });
});

describe('runWorkflow: what it cannot run', () => {
  it('clones the repository for checkout, skips configure-aws-credentials with a notice and gives the local stack’s AWS environment instead', async () => {
    const r = await run('marketplace.yml', {
      localAws: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:4599', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    });
    const aws = job(r, 'aws');
    expect(aws.steps.map((s) => [s.kind, s.conclusion])).toEqual([
      ['marketplace', 'success'],
      ['marketplace', 'success'],
      ['run', 'success'],
    ]);
    expect(aws.steps[2]!.log).toBe('region=us-east-1 endpoint=http://127.0.0.1:4599');
    expect(r.notices).toContainEqual(expect.stringMatching(/^actions\/checkout: clones the run's repository .* into each job's fresh workspace/));
    expect(aws.steps[0]!.outputs.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.notices).toContainEqual(
      'aws-actions/configure-aws-credentials skipped: role arn:aws:iam::123456789012:role/deploy is not assumed; AWS calls go to http://127.0.0.1:4599 with its local credentials, region us-east-1 (the workflow asked for eu-west-1; the emulator serves us-east-1)',
    );
    // An action with no local stand-in fails its step: a later step would miss its effect.
    const unknown = job(r, 'unknown');
    expect(unknown.result).toBe('failure');
    expect(unknown.steps[0]!.message).toMatch(/marketplace action some-org\/some-action cannot run locally and has no local stand-in/);
    expect(unknown.steps[1]!.conclusion).toBe('skipped');
  });

  it('says when github.token is read but no token was given', async () => {
    const ws = workspace();
    writeFileSync(
      path.join(ws, 'token.yml'),
      'on: push\njobs:\n  a:\n    runs-on: macos-latest\n    steps:\n      - env:\n          T: ${{ github.token }}\n        run: echo "token=[$T]"\n',
    );
    const r = await runWorkflow(path.join(ws, 'token.yml'), { workspace: ws });
    expect(job(r, 'a').steps[0]!.log).toBe('token=[]');
    expect(r.notices).toEqual([
      'no GITHUB_TOKEN was given: github.token and secrets.GITHUB_TOKEN are empty here (GitHub always provides one)',
      "job 'a' asks for macos-latest; it runs on this Linux machine",
    ]);
    const given = await runWorkflow(path.join(ws, 'token.yml'), { workspace: ws, secrets: { GITHUB_TOKEN: 'ghs_local-token' } });
    expect(job(given, 'a').steps[0]!.log).toBe('token=[***]');
    expect(given.notices).toEqual(["job 'a' asks for macos-latest; it runs on this Linux machine"]);
  });

  it('fails configure-aws-credentials when no local AWS stand-in is given', async () => {
    const r = await run('marketplace.yml');
    expect(job(r, 'aws').steps[1]!.message).toMatch(/needs the local AWS stand-in/);
    expect(job(r, 'aws').steps[2]!.conclusion).toBe('skipped');
  });

  it('refuses services before running anything', async () => {
    await expect(run('matrix.yml')).rejects.toThrow(/cannot run as GitHub does:\n {2}- job 'build': service containers$/);
  });

  it('reports an invalid workflow with GitHub’s parser messages', async () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'broken.yml'), 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ nope.x }}\n');
    await expect(runWorkflow(path.join(ws, 'broken.yml'), { workspace: ws })).rejects.toThrow(/Unrecognized named-value: 'nope'/);
  });
});

describe('the CLI', () => {
  it('runs a workflow with inputs and secrets, prints the log and a table, exits with the conclusion', () => {
    const ws = workspace();
    const out = spawnSync(
      'npx',
      [
        'tsx',
        'local/workflow-runner/cli.ts',
        path.join(fixtures, 'caller.yml'),
        '--event',
        'workflow_dispatch',
        '--input',
        'who=cli',
        '--secret',
        'DEPLOY_TOKEN=tok-from-cli',
        '--root',
        probeRoot,
        '--workspace',
        ws,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('called said hello-cli x3 (success), level low, loud false');
    expect(out.stdout).toMatch(/caller: success in [\d.]+ s/);
    expect(out.stdout).toMatch(/call \/ speak +success/);
    expect(out.stdout).not.toContain('tok-from-cli');
    const aws = spawnSync(
      'npx',
      [
        'tsx',
        'local/workflow-runner/cli.ts',
        path.join(fixtures, 'marketplace.yml'),
        '--aws-env',
        'AWS_REGION=us-east-1',
        '--aws-env',
        'AWS_ENDPOINT_URL_ECS=http://127.0.0.1:4599',
        '--workspace',
        ws,
        '--sha',
        heads.get(ws)!,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(aws.stdout).toContain('region=us-east-1 endpoint=http://127.0.0.1:4599');
    expect(aws.status).toBe(1); // the job with an unknown marketplace action fails
    const failing = spawnSync('npx', ['tsx', 'local/workflow-runner/cli.ts', path.join(fixtures, 'failures.yml'), '--root', probeRoot, '--workspace', ws], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(failing.status).toBe(1);
  });
});
