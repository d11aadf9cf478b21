import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { checkWorkflowFile } from '../../local/workflow-check/check-workflow.js';
import { propertyChains } from '../../local/workflow-runner/expression-reads.js';
import { checkPolicy } from '../../local/workflow-check/policy.js';
import { loadWorkflow, parseWorkflowText, rawAt, rawCount, rawKeys } from '../../local/workflow-runner/workflow-file.js';

const examples = path.join(repoRoot, 'workflows-examples');
const files = readdirSync(examples).filter((f) => f.endsWith('.yml'));

/** A copy of the examples with one file changed, so a broken variant is checked in its real setting. */
const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function mutated(file: string, from: string | RegExp, to: string, ...more: [string | RegExp, string][]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-wf-'));
  created.push(dir);
  for (const f of files) copyFileSync(path.join(examples, f), path.join(dir, f));
  let changed = readFileSync(path.join(examples, file), 'utf8');
  // One way of breaking it may need two edits (a matrix value and the script that expands it).
  for (const [a, b] of [[from, to], ...more] as [string | RegExp, string][]) {
    const next = changed.replace(a, b);
    expect(next, `the mutation of ${file} must change it (${String(a)})`).not.toBe(changed);
    changed = next;
  }
  writeFileSync(path.join(dir, file), changed);
  return path.join(dir, file);
}

describe('workflows-examples', () => {
  it('has the four workflows of the issue (other examples may sit beside them, and are checked too)', () => {
    expect(files).toEqual(expect.arrayContaining(['commit-stage.yml', 'deploy.yml', 'pipeline.yml', 'rollback.yml']));
  });

  it.each(files)('%s parses with GitHub’s parser without errors', async (file) => {
    const { problems, workflow } = await parseWorkflowText(file, readFileSync(path.join(examples, file), 'utf8'));
    expect(problems).toEqual([]);
    expect(workflow?.template.jobs.length).toBeGreaterThan(0);
  });

  it.each(files)('%s passes declared inputs, sets required ones, and reads outputs that exist', async (file) => {
    expect((await checkWorkflowFile(path.join(examples, file))).problems).toEqual([]);
  });

  it.each(files)('%s follows the policy: permissions, concurrency, pinned SHAs, nothing untrusted in run:', async (file) => {
    const full = path.join(examples, file);
    expect(checkPolicy(await loadWorkflow(full), readFileSync(full, 'utf8'))).toEqual([]);
  });

  it('pins configure-aws-credentials to a full commit SHA with its version', () => {
    for (const file of ['deploy.yml', 'rollback.yml', 'pipeline.yml']) {
      expect(readFileSync(path.join(examples, file), 'utf8')).toMatch(/aws-actions\/configure-aws-credentials@[0-9a-f]{40} # v\d/);
    }
  });

  it('moves the image by digest: build-push-image image-ref → deploy container-images', async () => {
    const pipeline = readFileSync(path.join(examples, 'pipeline.yml'), 'utf8');
    expect(pipeline).toContain('image-ref: ${{ steps.push.outputs.image-ref }}');
    expect(pipeline).toContain('image-ref: ${{ needs.image.outputs.image-ref }}');
    expect(readFileSync(path.join(examples, 'deploy.yml'), 'utf8')).toContain('container-images: ${{ inputs.container }}=${{ inputs.image-ref }}');
  });

  it('deploy-verified: acceptance runs in a job with no cloud role, no id-token and no environment; its own job answers the gate', async () => {
    const workflow = await loadWorkflow(path.join(examples, 'deploy-verified.yml'));
    const job = (id: string) => rawAt(workflow.raw, 'jobs', id);
    const permissions = (id: string) => Object.fromEntries(rawKeys(rawAt(job(id), 'permissions')).map((k) => [k, String(rawAt(job(id), 'permissions', k))]));
    expect(permissions('acceptance')).toEqual({ contents: 'read' });
    expect(rawAt(job('acceptance'), 'environment')).toBeUndefined();
    const acceptanceSource = JSON.stringify(job('acceptance'));
    expect(acceptanceSource).not.toContain('configure-aws-credentials');
    expect(acceptanceSource).toContain('run-test-tier');
    for (const id of ['deploy', 'resume']) {
      expect(permissions(id)).toEqual({ contents: 'read', 'id-token': 'write', deployments: 'write' });
      expect(rawAt(job(id), 'environment')).toBeDefined();
      expect(JSON.stringify(job(id))).not.toContain('run-test-tier');
    }
    expect(JSON.stringify(job('resume'))).toMatch(/ecs-resume-deploy.*decision.*continue[\s\S]*ecs-resume-deploy.*decision.*rollback/);
  });

  it('rollback has its own concurrency group: never queued behind (nor cancelled by) a deploy pending approval', () => {
    const group = (file: string) => /group: (ecs-[a-z]+-\$\{\{ inputs\.environment \}\})/.exec(readFileSync(path.join(examples, file), 'utf8'))?.[1];
    expect(group('deploy.yml')).toBe('ecs-deploy-${{ inputs.environment }}');
    expect(group('deploy-verified.yml')).toBe('ecs-deploy-${{ inputs.environment }}');
    expect(group('rollback.yml')).toBe('ecs-rollback-${{ inputs.environment }}');
  });

  it('shows the talk’s build: maven:3 and mvn -B clean package', () => {
    const commit = readFileSync(path.join(examples, 'commit-stage.yml'), 'utf8');
    // The talk's build is the default; a repository variable changes it (the demo's busybox build).
    expect(commit).toContain("image: ${{ vars.BUILD_IMAGE || 'maven:3' }}");
    expect(commit).toContain("run: ${{ vars.BUILD_COMMAND || 'mvn -B clean package' }}");
    expect(commit).toMatch(/tier: unit[\s\S]*budget: 5m/);
  });
});

describe('the checks catch broken workflows', () => {
  it('an input the action does not declare', async () => {
    const file = mutated('deploy.yml', 'max-failed-tasks: ${{ inputs.max-failed-tasks }}', 'max-failed-task: ${{ inputs.max-failed-tasks }}');
    expect((await checkWorkflowFile(file)).problems).toEqual([
      expect.stringMatching(/job 'deploy' step 3 \(deploy\): .*ecs-rolling-deploy@[0-9a-f]{40} declares no input 'max-failed-task'/),
    ]);
  });

  it('a required input left out', async () => {
    const file = mutated('deploy.yml', /\n {10}cluster: \$\{\{ vars\.ECS_CLUSTER \}\}/, '');
    expect((await checkWorkflowFile(file)).problems).toEqual([expect.stringMatching(/ecs-rolling-deploy@[0-9a-f]{40} requires input 'cluster'/)]);
  });

  it('each of the three, on a fixture workflow of the probe action (required = required: true and no default)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctp-wf-'));
    created.push(dir);
    const file = path.join(dir, 'probe.yml');
    writeFileSync(
      file,
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - id: p',
        '        uses: acme/commit-to-prod/actions/probe@v1',
        '        with:',
        '          secret: x',
        '          greting: typo',
        '      - run: echo "${{ steps.p.outputs.sad }} ${{ steps.p.outputs.said }}"',
        '',
      ].join('\n'),
    );
    expect((await checkWorkflowFile(file, { root: path.join(repoRoot, 'test/fixtures/runner-root') })).problems).toEqual([
      "job 'a' step 1 (p): acme/commit-to-prod/actions/probe@v1 declares no input 'greting' (it has: greeting, secret, fail, linger)",
      "job 'a' step 1 (p): acme/commit-to-prod/actions/probe@v1 requires input 'greeting'",
      "job 'a' step 2: steps.p.outputs.sad does not exist (outputs: said)",
    ]);
  });

  it('a typo’d step output', async () => {
    const file = mutated('deploy.yml', 'steps.deploy.outputs.rolled-back', 'steps.deploy.outputs.rolledback');
    expect((await checkWorkflowFile(file)).problems).toEqual([
      expect.stringMatching(/steps\.deploy\.outputs\.rolledback does not exist \(outputs: task-definition-arn, .*rolled-back/),
    ]);
  });

  it('a typo’d needs output, and a job read without needing it', async () => {
    const typo = mutated(
      'pipeline.yml',
      'DEPLOYED_TASK_DEFINITION=${{ needs.deploy-staging.outputs.task-definition-arn }}',
      'DEPLOYED_TASK_DEFINITION=${{ needs.deploy-staging.outputs.task-definition }}',
    );
    expect((await checkWorkflowFile(typo)).problems).toEqual([
      expect.stringMatching(/job 'acceptance' step 3: needs\.deploy-staging\.outputs\.task-definition does not exist/),
    ]);
    const notNeeded = mutated('pipeline.yml', 'needs: [image, acceptance, plan-production]', 'needs: [acceptance, plan-production]');
    expect((await checkWorkflowFile(notNeeded)).problems).toEqual([
      expect.stringMatching(/job 'deploy-production': needs\.image is read but the job does not list 'image' in needs/),
    ]);
  });

  it('a step output read before the step runs, or from a step that does not exist', async () => {
    const early = mutated('rollback.yml', 'role-session-name: rollback-${{ github.run_id }}', 'role-session-name: rollback-${{ steps.rollback.outputs.to }}');
    expect((await checkWorkflowFile(early)).problems).toEqual([expect.stringMatching(/step 1: steps\.rollback is read before that step has run/)]);
    const missing = mutated('commit-stage.yml', 'steps.unit.outputs.passed', 'steps.units.outputs.passed');
    expect((await checkWorkflowFile(missing)).problems).toEqual([expect.stringMatching(/steps\.units does not exist \(step ids: unit\)/)]);
  });

  it('a workflow_call output of a job output that does not exist', async () => {
    const file = mutated('deploy.yml', 'value: ${{ jobs.deploy.outputs.status }}', 'value: ${{ jobs.deploy.outputs.state }}');
    expect((await checkWorkflowFile(file)).problems).toEqual([expect.stringMatching(/workflow_call outputs: jobs\.deploy\.outputs\.state does not exist/)]);
  });

  it('a reusable workflow call: undeclared input, missing required input, wrong type, undeclared workflow input read', async () => {
    const undeclared = mutated('pipeline.yml', '      environment: staging\n', '      environment: staging\n      region: eu-west-1\n');
    expect((await checkWorkflowFile(undeclared)).problems).toEqual([
      expect.stringMatching(/job 'deploy-staging': \.\/\.github\/workflows\/deploy\.yml declares no input 'region'/),
    ]);
    const missing = mutated('pipeline.yml', /( {6}environment: production\n {6}container: app\n)/, '      environment: production\n');
    expect((await checkWorkflowFile(missing)).problems).toEqual([expect.stringMatching(/job 'deploy-production': .*deploy\.yml requires input 'container'/)]);
    const wrongType = mutated('pipeline.yml', '      environment: staging\n', '      environment: staging\n      max-failed-tasks: true\n');
    expect((await checkWorkflowFile(wrongType)).problems).toEqual([expect.stringMatching(/input 'max-failed-tasks' of .* is a number, given a boolean/)]);
    const inputTypo = mutated('deploy.yml', 'container-images: ${{ inputs.container }}=', 'container-images: ${{ inputs.containr }}=');
    expect((await checkWorkflowFile(inputTypo)).problems).toEqual([expect.stringMatching(/inputs\.containr is not declared/)]);
  });

  it('a typo’d output of a run: step, read from what its script writes to GITHUB_OUTPUT', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctp-wf-'));
    created.push(dir);
    const file = path.join(dir, 'run.yml');
    const steps = (script: string, read: string) =>
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: x',
        '    steps:',
        '      - id: v',
        '        run: |',
        ...script.split('\n').map((l) => `          ${l}`),
        `      - run: echo "\${{ ${read} }}"`,
        '',
      ].join('\n');
    writeFileSync(file, steps('echo "version=1.2.3" >> "$GITHUB_OUTPUT"\necho "digest<<EOF" >> $GITHUB_OUTPUT', 'steps.v.outputs.versoin'));
    expect((await checkWorkflowFile(file)).problems).toEqual(["job 'a' step 2: steps.v.outputs.versoin does not exist (outputs: version, digest)"]);
    // A write the text does not name (a { … } group) makes the step's outputs unknowable: not checked.
    writeFileSync(file, steps('{\n  echo "version=1"\n} >> "$GITHUB_OUTPUT"', 'steps.v.outputs.anything'));
    expect((await checkWorkflowFile(file)).problems).toEqual([]);
  });

  it('the runner’s fixture workflows pass the checks (so the checks do not cry wolf)', async () => {
    const fixtures = path.join(repoRoot, 'test/fixtures/workflows');
    for (const f of readdirSync(fixtures)) {
      expect((await checkWorkflowFile(path.join(fixtures, f), { root: path.join(repoRoot, 'test/fixtures/runner-root') })).problems, f).toEqual([]);
    }
  });

  it('a schema error is reported by GitHub’s parser with its line', async () => {
    const file = mutated('commit-stage.yml', 'timeout-minutes: 20', 'timeout-minutes: 20\n    timeout-seconds: 5');
    expect((await checkWorkflowFile(file)).problems).toEqual([expect.stringMatching(/\(Line: \d+, Col: \d+\): Unexpected value 'timeout-seconds'/)]);
  });

  it('the policy: untrusted text in run:, an unpinned action, no permissions, no per-environment concurrency', async () => {
    const check = async (file: string) => checkPolicy(await loadWorkflow(file), readFileSync(file, 'utf8'));
    const injected = mutated('rollback.yml', 'echo "| reason | ${REASON} |"', 'echo "| reason | ${{ inputs.reason }} |"');
    expect(await check(injected)).toEqual([expect.stringMatching(/step 3: \$\{\{ inputs\.reason \}\} is expanded inside run:/)]);
    const event = mutated('commit-stage.yml', 'echo "| stage | result |"', 'echo "${{ github.event.pull_request.title }}"');
    expect(await check(event)).toEqual([expect.stringMatching(/github\.event\.pull_request\.title }} is expanded inside run:/)]);
    const unpinned = mutated('deploy.yml', 'configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502', 'configure-aws-credentials@v4');
    expect(await check(unpinned)).toEqual([expect.stringMatching(/configure-aws-credentials@v4 is not pinned to a full commit SHA/)]);
    const noPermissions = mutated('pipeline.yml', /\npermissions:\n {2}contents: read\n/, '\n');
    expect(await check(noPermissions)).toEqual(['no top-level `permissions:` (the default token can write to everything) [rule: excessive-permissions]']);
    const shared = mutated('deploy.yml', 'group: ecs-deploy-${{ inputs.environment }}', 'group: ecs-deploy');
    expect(await check(shared)).toEqual([
      expect.stringMatching(/deploys to environment inputs\.environment but its concurrency group \(ecs-deploy\) is not per environment/),
    ]);
    const none = mutated('rollback.yml', /\nconcurrency:\n {2}group: .*\n {2}cancel-in-progress: false\n/, '\n');
    expect(await check(none)).toEqual([
      "job 'rollback': changes environment inputs.environment without a concurrency group (workflow or job level) [rule: per-environment-concurrency]",
    ]);
  });

  // The ways an earlier issue found to break the examples that passed the checks before: each one
  // applied alone to a real example, each caught with its rule and where it is.
  const OURS_PIN = /acme\/commit-to-prod\/actions\/build-in-container@[0-9a-f]{40} # v\d+\.\d+\.\d+/;
  it.each([
    {
      what: 'a PR title in the run input of our action',
      file: 'commit-stage.yml',
      from: "run: ${{ vars.BUILD_COMMAND || 'mvn -B clean package' }}",
      to: 'run: echo "${{ github.event.pull_request.title }}"',
      found:
        /^job 'build' step 2: \$\{\{ github\.event\.pull_request\.title \}\} is expanded inside the `run` input of build-in-container .*\[rule: template-injection\]$/,
    },
    {
      what: 'the head branch name in the env input of our action',
      file: 'commit-stage.yml',
      from: 'MAVEN_OPTS=-Dmaven.repo.local=${{ github.workspace }}/.m2/repository\n          run: ${{ vars.BUILD_COMMAND',
      to: 'BRANCH=${{ github.head_ref }}\n          run: ${{ vars.BUILD_COMMAND',
      found: /^job 'build' step 2: \$\{\{ github\.head_ref \}\} is expanded inside the `env` input of build-in-container .*\[rule: template-injection\]$/,
    },
    {
      what: 'permissions: write-all',
      file: 'pipeline.yml',
      from: /\npermissions:\n {2}contents: read\n/,
      to: '\npermissions: write-all\n',
      found: /^top-level `permissions: write-all` grants every scope.*\[rule: excessive-permissions\]$/,
    },
    {
      what: 'a checkout without persist-credentials: false',
      file: 'deploy.yml',
      from: '# v4.2.2\n        with:\n          persist-credentials: false\n',
      to: '# v4.2.2\n',
      found: /^job 'deploy' step 1: actions\/checkout without `persist-credentials: false`.*\[rule: artipacked\]$/,
    },
    {
      what: 'pull_request_target',
      file: 'commit-stage.yml',
      from: 'on:\n  pull_request:\n',
      to: 'on:\n  pull_request_target:\n',
      found: /^on: pull_request_target runs with a write token.*\[rule: dangerous-triggers\]$/,
    },
    {
      what: 'id-token: write at top level',
      file: 'pipeline.yml',
      from: /\npermissions:\n {2}contents: read\n/,
      to: '\npermissions:\n  contents: read\n  id-token: write\n',
      found: /^top-level `id-token: write` lets every job get a cloud token.*\[rule: excessive-permissions\]$/,
    },
    {
      what: 'secrets: inherit',
      file: 'pipeline.yml',
      from: '    with:\n      environment: production\n',
      to: '    secrets: inherit\n    with:\n      environment: production\n',
      found: /^job 'deploy-production': `secrets: inherit` hands every secret to the called workflow.*\[rule: secrets-inherit\]$/,
    },
    {
      what: 'our action on @main',
      file: 'commit-stage.yml',
      from: OURS_PIN,
      to: 'acme/commit-to-prod/actions/build-in-container@main',
      found: /^job 'build' step 2: acme\/commit-to-prod\/actions\/build-in-container@main is not pinned to a full commit SHA \[rule: unpinned-uses\]$/,
    },
  ])('catches $what', async ({ file, from, to, found }) => {
    const broken = mutated(file, from, to);
    expect(checkPolicy(await loadWorkflow(broken), readFileSync(broken, 'utf8'))).toEqual([expect.stringMatching(found)]);
  });

  // The variants issue 28's review found the checks missed: each applied alone to a real example,
  // each caught once, with its rule (named after zizmor's audit where one exists) and where it is.
  const SCRIPT_SHA = 'actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea # v7.0.1';
  const CACHE_SHA = 'actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3';
  const BEFORE_TIER = '      - uses: acme/commit-to-prod/actions/run-test-tier';
  const FORK_CHECKOUT = '# v4.2.2\n        with:\n          persist-credentials: false\n      - uses: actions/download-artifact';
  const VARIANTS: { what: string; file: string; edits: [string | RegExp, string][]; found: RegExp }[] = [
    {
      what: 'a dispatch input routed through env.* into run:',
      file: 'rollback.yml',
      edits: [['echo "| reason | ${REASON} |"', 'echo "| reason | ${{ env.REASON }} |"']],
      found: /^job 'rollback' step 3: \$\{\{ env\.REASON \}\} \(env\.REASON ← inputs\.reason\) is expanded inside run: .*\[rule: template-injection\]$/,
    },
    {
      what: 'a step output (a report path a test chose) in run:',
      file: 'commit-stage.yml',
      edits: [['cp "$REPORT" .test-timings/unit.json', 'cp "${{ steps.unit.outputs.report }}" .test-timings/unit.json']],
      found: /^job 'unit-tier' step 4: \$\{\{ steps\.unit\.outputs\.report \}\} is expanded inside run: .*\[rule: template-injection\]$/,
    },
    {
      what: 'a job output in run:',
      file: 'commit-stage.yml',
      edits: [['echo "| build | ${BUILD_SECONDS:-?} s', 'echo "| build | ${{ needs.build.outputs.duration-seconds }} s']],
      found: /^job 'unit-tier' step 6: \$\{\{ needs\.build\.outputs\.duration-seconds \}\} is expanded inside run: .*\[rule: template-injection\]$/,
    },
    {
      what: 'a PR title routed through a matrix value into run:',
      file: 'commit-stage.yml',
      edits: [
        ['shard: [1, 2, 3, 4]', "shard: [1, 2, 3, 4]\n        title: ['${{ github.event.pull_request.title }}']"],
        ["      # Also when the shard failed: the merge needs every shard's report.\n", '      - run: echo "${{ matrix.title }} ${{ matrix.shard }}"\n'],
      ],
      found:
        /^job 'unit' step 5: \$\{\{ matrix\.title \}\} \(matrix\.title ← github\.event\.pull_request\.title\) is expanded inside run: .*\[rule: template-injection\]$/,
    },
    {
      what: 'toJSON(github) in run:',
      file: 'commit-stage.yml',
      edits: [['echo "| stage | result |"', "echo '${{ toJSON(github) }}'"]],
      found: /^job 'unit-tier' step 6: \$\{\{ github \}\} is expanded inside run: .*\[rule: template-injection\]$/,
    },
    {
      what: 'event text in actions/github-script',
      file: 'publish-test-results.yml',
      edits: [
        [
          BEFORE_TIER,
          `      - uses: ${SCRIPT_SHA}\n        with:\n          script: core.info('\${{ github.event.workflow_run.head_branch }}')\n${BEFORE_TIER}`,
        ],
      ],
      found:
        /^job 'publish' step 3: \$\{\{ github\.event\.workflow_run\.head_branch \}\} is expanded inside actions\/github-script's script .*\[rule: template-injection\]$/,
    },
    {
      what: 'a dispatch input written to GITHUB_ENV',
      file: 'rollback.yml',
      edits: [['} >> "$GITHUB_STEP_SUMMARY"', '} >> "$GITHUB_STEP_SUMMARY"\n          echo "ROLLBACK_REASON=${REASON}" >> "$GITHUB_ENV"']],
      found: /^job 'rollback' step 3: writes \$REASON \(env\.REASON ← inputs\.reason\) to GITHUB_ENV\/GITHUB_PATH.*\[rule: github-env\]$/,
    },
    {
      what: 'a workflow_run job that checks out the fork’s head',
      file: 'publish-test-results.yml',
      edits: [[FORK_CHECKOUT, FORK_CHECKOUT.replace('false\n', 'false\n          ref: ${{ github.event.workflow_run.head_sha }}\n')]],
      found: /^job 'publish' step 1: checks out \$\{\{ github\.event\.workflow_run\.head_sha \}\} in a workflow_run job.*\[rule: dangerous-triggers\]$/,
    },
    {
      what: 'a workflow_run job that runs what the fork sent',
      file: 'publish-test-results.yml',
      edits: [[BEFORE_TIER, `      - run: bash "$RUNNER_TEMP/fork-results/junit-unit/setup.sh"\n${BEFORE_TIER}`]],
      found: /^job 'publish' step 3: runs code \(bash\) in a workflow_run job.*\[rule: dangerous-triggers\]$/,
    },
    {
      what: 'a workflow_run job that saves a cache',
      file: 'publish-test-results.yml',
      edits: [[BEFORE_TIER, `      - uses: ${CACHE_SHA}\n        with:\n          path: build/fork-results\n          key: fork-results\n${BEFORE_TIER}`]],
      found: /^job 'publish' step 3: actions\/cache saves a cache in a workflow_run job.*\[rule: cache-poisoning\]$/,
    },
    {
      what: 'cancel-in-progress on a deploy',
      file: 'deploy.yml',
      edits: [
        [
          'group: ecs-deploy-${{ inputs.environment }}\n      cancel-in-progress: false',
          'group: ecs-deploy-${{ inputs.environment }}\n      cancel-in-progress: true',
        ],
      ],
      found: /^job 'deploy': `cancel-in-progress` on a job that deploys to inputs\.environment stops a deploy half-way.*\[rule: per-environment-concurrency\]$/,
    },
    {
      what: 'a per-run concurrency group on a deploy',
      file: 'deploy.yml',
      edits: [['group: ecs-deploy-${{ inputs.environment }}', 'group: ecs-deploy-${{ inputs.environment }}-${{ github.run_id }}']],
      found: /^job 'deploy': its concurrency group .* includes github\.run_id, so it is this run's own.*\[rule: per-environment-concurrency\]$/,
    },
    {
      what: 'a deploy job without environment:',
      file: 'deploy.yml',
      edits: [[/ {4}environment:\n {6}name: \$\{\{ inputs\.environment \}\}\n(?: {6}#.*\n)? {6}deployment: false\n/, '']],
      found: /^job 'deploy': deploys or rolls back without `environment:`.*\[rule: deploy-environment\]$/,
    },
    {
      what: 'a migration command taken from the commit message (a step of our action)',
      file: 'deploy.yml',
      edits: [['pre-deploy-command: ${{ inputs.pre-deploy-command }}', 'pre-deploy-command: ${{ github.event.head_commit.message }}']],
      found:
        /^job 'deploy' step 3: \$\{\{ github\.event\.head_commit\.message \}\} is expanded inside the `pre-deploy-command` input of ecs-rolling-deploy.*\[rule: template-injection\]$/,
    },
    {
      what: 'a migration command taken from the commit message (a reusable call’s input)',
      file: 'pipeline.yml',
      edits: [['pre-deploy-command: ${{ vars.MIGRATION_COMMAND }}', 'pre-deploy-command: ${{ github.event.head_commit.message }}']],
      found:
        /^job 'deploy-staging': \$\{\{ github\.event\.head_commit\.message \}\} .*is passed as the command input 'pre-deploy-command'.*\[rule: template-injection\]$/,
    },
    {
      what: 'an unpinned docker:// image',
      file: 'commit-stage.yml',
      edits: [
        [
          '      # What the image job packages (COPY target/*.jar)',
          '      - uses: docker://alpine:3.20\n        with:\n          args: echo hi\n      # What the image job packages (COPY target/*.jar)',
        ],
      ],
      found: /^job 'build' step 3: docker:\/\/alpine:3\.20 is not pinned by digest.*\[rule: unpinned-images\]$/,
    },
    {
      what: 'a write scope for the whole workflow',
      file: 'pipeline.yml',
      edits: [[/\npermissions:\n {2}contents: read\n/, '\npermissions:\n  contents: write\n']],
      found: /^top-level `contents: write` gives every job a token that can write.*\[rule: excessive-permissions\]$/,
    },
    {
      what: 'a write scope no step of the job needs',
      file: 'deploy.yml',
      edits: [['      deployments: write\n    timeout-minutes: 40', '      deployments: write\n      packages: write\n    timeout-minutes: 40']],
      found: /^job 'deploy': `packages: write` but none of its steps needs to write packages \[rule: excessive-permissions\]$/,
    },
    {
      what: 'a self-hosted runner on pull requests',
      file: 'commit-stage.yml',
      edits: [['runs-on: ubuntu-latest\n    timeout-minutes: 20', 'runs-on: [self-hosted, linux]\n    timeout-minutes: 20']],
      found: /^job 'build': a self-hosted runner for a workflow that runs on pull requests.*\[rule: self-hosted-runner\]$/,
    },
    {
      what: 'an issue_comment trigger on the rollback',
      file: 'rollback.yml',
      edits: [['on:\n  workflow_dispatch:\n', 'on:\n  issue_comment:\n    types: [created]\n  workflow_dispatch:\n']],
      found: /^on: issue_comment lets anyone who can comment start a workflow that deploys or rolls back.*\[rule: dangerous-triggers\]$/,
    },
  ];
  it.each(VARIANTS)('catches $what', async ({ file, edits, found }) => {
    const [[from, to], ...more] = edits as [[string | RegExp, string], ...[string | RegExp, string][]];
    const broken = mutated(file, from, to, ...more);
    expect(checkPolicy(await loadWorkflow(broken), readFileSync(broken, 'utf8'))).toEqual([expect.stringMatching(found)]);
  });

  it('does not cry wolf: a literal matrix value in run:, a digest-pinned image are fine', async () => {
    const broken = mutated(
      'commit-stage.yml',
      "      # Also when the shard failed: the merge needs every shard's report.\n",
      `      - run: echo "\${{ matrix.shard }}"\n      - uses: docker://alpine@sha256:${'a'.repeat(64)}\n`,
    );
    expect(checkPolicy(await loadWorkflow(broken), readFileSync(broken, 'utf8'))).toEqual([]);
  });

  it('catches a step output that configure-aws-credentials (at the pinned version) does not have', async () => {
    const broken = mutated(
      'rollback.yml',
      /( {6}- uses: aws-actions\/configure-aws-credentials@[0-9a-f]{40} # v4\.0\.2\n)/,
      '      - id: aws\n        uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2\n',
    );
    const withOutput = broken;
    writeFileSync(
      withOutput,
      readFileSync(broken, 'utf8').replace(
        '          ACTOR: ${{ github.triggering_actor }}\n',
        '          ACTOR: ${{ github.triggering_actor }}\n          ROLE: ${{ steps.aws.outputs.authenticated-arn }}\n',
      ),
    );
    expect((await checkWorkflowFile(withOutput)).problems).toEqual([
      expect.stringMatching(
        /^job 'rollback' step 3: steps\.aws\.outputs\.authenticated-arn does not exist \(outputs of aws-actions\/configure-aws-credentials v4\.0\.2: aws-account-id, aws-access-key-id, aws-secret-access-key, aws-session-token\)$/,
      ),
    ]);
  });

  it('reads property chains from expressions through GitHub’s expression parser', () => {
    expect(propertyChains("steps.a.outputs.b == 'x' && needs['j'].outputs.o")).toEqual([
      ['steps', 'a', 'outputs', 'b'],
      ['needs', 'j', 'outputs', 'o'],
    ]);
    expect(propertyChains("format('{0}', github.event.inputs.x)")).toEqual([['github', 'event', 'inputs', 'x']]);
  });
});

describe('this repository’s own workflows (.github/workflows)', () => {
  const own = path.join(repoRoot, '.github/workflows');
  const ownFiles = readdirSync(own).filter((f) => f.endsWith('.yml'));

  it('has CI and the release', () => {
    expect(ownFiles.sort()).toEqual(['ci.yml', 'release.yml']);
  });

  it.each(ownFiles)('%s passes the same checks and policy as the examples', async (file) => {
    const full = path.join(own, file);
    expect((await checkWorkflowFile(full)).problems).toEqual([]);
    expect(checkPolicy(await loadWorkflow(full), readFileSync(full, 'utf8'))).toEqual([]);
  });

  it('the release jobs that hold the write token install nothing and run no tests; the one that does has a read-only token', async () => {
    const workflow = await loadWorkflow(path.join(own, 'release.yml'));
    const jobs = rawKeys(rawAt(workflow.raw, 'jobs'));
    expect(jobs).toEqual(['draft', 'verify', 'publish']);
    for (const id of jobs) {
      const job = rawAt(workflow.raw, 'jobs', id);
      const writes = rawKeys(rawAt(job, 'permissions')).filter((k) => String(rawAt(job, 'permissions', k)) === 'write');
      // What its steps run (an `echo` of a command in the release notes runs nothing) and use.
      const steps = rawAt(job, 'steps');
      const commands = Array.from({ length: rawCount(steps) }, (_, i) => [String(rawAt(steps, i, 'run') ?? ''), String(rawAt(steps, i, 'uses') ?? '')])
        .flatMap(([run, uses]) => [...run!.split('\n').filter((l) => !/^\s*echo\b/.test(l)), uses!])
        .join('\n');
      const runsCode = /npm ci|npm run|\.ci\/run|setup-node/.test(commands);
      expect({ id, writes: writes.length > 0, runsCode }).toEqual({ id, writes: id !== 'verify', runsCode: id === 'verify' });
    }
    expect(String(rawAt(workflow.raw, 'jobs', 'verify', 'needs'))).toContain('draft');
    expect(JSON.stringify(rawAt(workflow.raw, 'jobs', 'publish', 'needs'))).toContain('verify');
  });

  it('CI runs exactly .ci/run; the release drafts, checks dist/, runs .ci/run, publishes and moves the major tag', () => {
    expect(readFileSync(path.join(own, 'ci.yml'), 'utf8')).toMatch(/\n {8}run: bash \.ci\/run\n/);
    const release = readFileSync(path.join(own, 'release.yml'), 'utf8');
    expect(release).toMatch(/tags: \['v\[0-9\]\+\.\[0-9\]\+\.\[0-9\]\+'\]/);
    // release.test.ts runs it through the local runner against the GitHub stand-in.
    const order = ['/releases" --data-binary', 'npm run check-dist\n', 'run: bash .ci/run\n', '"draft": false', 'git/refs/tags/${major}'].map((s) =>
      release.indexOf(s),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
