/**
 * The project's rules for a workflow users copy, each problem naming its rule and where it is.
 * Rules are named after zizmor's audits (https://docs.zizmor.sh/audits/) where one exists:
 *
 * - excessive-permissions: top-level `permissions:` declared, never `write-all`/`read-all`, no
 *   write scope for the whole workflow (writes go on the jobs that need them), and a job's write
 *   scopes only those its steps use (`id-token` for configure-aws-credentials, `deployments` for
 *   our deploy and rollback, `checks`/`pull-requests` for run-test-tier, `contents` for `gh`,
 *   `id-token` and `attestations` for actions/attest);
 * - attest-by-digest (ours): actions/attest names an image by `subject-digest` (what was pushed,
 *   not a tag that can move) with `subject-name` free of tag and digest, as push-to-registry needs;
 * - per-environment-concurrency (ours): every job that deploys to an environment in a
 *   `concurrency:` group named after that environment, never `cancel-in-progress: true` (a deploy
 *   cancelled half-way), never a group per run (a group no other run shares queues nothing);
 * - deploy-environment (ours): a job that deploys or rolls back runs in an `environment:`, so its
 *   protection rules and the deploy role's trust policy (bound to the environment) apply;
 * - unpinned-uses: every action, ours and the marketplace's, pinned to a full commit SHA with its
 *   version in a comment (a tag or branch can be moved under a job holding production credentials);
 * - unpinned-images: `docker://` actions, job containers and services pinned by `@sha256:` digest;
 * - template-injection: nothing an outsider can write (`github.event.*`, `github.head_ref`, the
 *   whole `github` context, inputs, secrets, step and job outputs, and `env.*` / `matrix.*` values
 *   defined from any of those) expanded inside a `run:` script, `actions/github-script`'s
 *   `script`, or the script-like inputs of our actions (`run`, `shell`; `env`, whose lines become
 *   the container's environment: a newline in a branch name adds a variable; `pre-deploy-command`
 *   and a reusable call's `*command` inputs, where event text would become the migration);
 * - github-env: no script writes a value from such a source into `GITHUB_ENV`/`GITHUB_PATH`
 *   (every later step, our ECS steps included, trusts them), and no write at all in a workflow
 *   that runs on a privileged trigger (`workflow_run`, `pull_request_target`, comments);
 * - artipacked: `actions/checkout` with `persist-credentials: false`, so the token is not left in
 *   .git/config for every later step (and the build) to read;
 * - dangerous-triggers: no `pull_request_target`; no comment trigger (`issue_comment`…) on a
 *   workflow that deploys or rolls back; a `workflow_run` job checks out nothing of the fork and
 *   runs no interpreter or package manager on what it received;
 * - cache-poisoning: a `workflow_run`/`pull_request_target` job saves no cache (it would be
 *   written in the default branch's scope, from a fork's data, and restored by later main runs);
 * - self-hosted-runner: no self-hosted runner for a workflow that runs on pull requests;
 * - secrets-inherit: a reusable workflow gets the secrets it declares, never `secrets: inherit`.
 */
import { isBoolean, isMapping, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { parseActionRef } from '../workflow-runner/action-refs.js';
import { propertyChains } from '../workflow-runner/expression-reads.js';
import { rawAt, rawCount, rawKeys, type LoadedWorkflow } from '../workflow-runner/workflow-file.js';
import { expressionsOf, type TaintOptions, type TaintScope, taintOf, untrustedReads } from './taint.js';

export type PolicyRule =
  | 'excessive-permissions'
  | 'per-environment-concurrency'
  | 'deploy-environment'
  | 'unpinned-uses'
  | 'unpinned-images'
  | 'template-injection'
  | 'github-env'
  | 'artipacked'
  | 'dangerous-triggers'
  | 'cache-poisoning'
  | 'self-hosted-runner'
  | 'secrets-inherit'
  | 'attest-by-digest';

type Report = (rule: PolicyRule, text: string) => void;

/** In a script: everything counts. */
const SCRIPT: TaintOptions = { secrets: true, outputs: true, inputs: true };
/** Inputs of our actions that a shell runs, or that become a container's environment, or a migration command. */
const SCRIPT_INPUTS: Record<string, TaintOptions> = {
  run: SCRIPT,
  shell: SCRIPT,
  env: { secrets: false, outputs: false, inputs: true },
  // A command by design, chosen by the caller (a variable, a workflow input); event text is not.
  'pre-deploy-command': { secrets: false, outputs: false, inputs: false },
  'task-command': { secrets: false, outputs: false, inputs: false },
};
/**
 * Triggers whose runs hold the base repository's token while acting on what an outsider sent
 * (pull_request_target is refused outright above, so its jobs are not judged step by step too).
 */
const PRIVILEGED_TRIGGERS = ['workflow_run'];
/** Triggers anyone who can comment (on a public repository: anyone) can fire. */
const COMMENT_TRIGGERS = ['issue_comment', 'pull_request_review_comment', 'discussion_comment', 'issues', 'discussion'];
/** Our actions that change an environment (a gate answered moves production; a one-off task runs with its data). */
const DEPLOYING_ACTIONS = ['ecs-rolling-deploy', 'ecs-resume-deploy', 'ecs-run-task', 'rollback'];
/** Those of them that write a GitHub deployment (ecs-run-task deploys nothing, so records none). */
const RECORDING_ACTIONS = ['ecs-rolling-deploy', 'ecs-resume-deploy', 'rollback'];

interface JobFacts {
  id: string;
  raw: TemplateToken | undefined;
  ours: Set<string>;
  marketplace: Set<string>;
  /** A run: step calls gh or passes GH_TOKEN. */
  usesGh: boolean;
}

export function checkPolicy(workflow: LoadedWorkflow, source: string): string[] {
  const problems: string[] = [];
  const report: Report = (rule, text) => problems.push(`${text} [rule: ${rule}]`);
  const raw = workflow.raw;
  const events = Object.keys(workflow.template.events);
  const privileged = events.filter((e) => PRIVILEGED_TRIGGERS.includes(e));
  checkWorkflowPermissions(raw, report);
  if (events.includes('pull_request_target'))
    report('dangerous-triggers', 'on: pull_request_target runs with a write token and the secrets, in reach of a fork’s code; use pull_request');
  const jobs = rawKeys(rawAt(raw, 'jobs')).map((id) => jobFacts(raw, id));
  const deploys = jobs.some((j) => rawAt(j.raw, 'environment') || DEPLOYING_ACTIONS.some((a) => j.ours.has(a)));
  for (const event of events.filter((e) => COMMENT_TRIGGERS.includes(e)))
    if (deploys) report('dangerous-triggers', `on: ${event} lets anyone who can comment start a workflow that deploys or rolls back; use workflow_dispatch`);
  for (const job of jobs) {
    const where = `job '${job.id}'`;
    checkJobPermissions(job, report);
    const secretsToken = rawAt(job.raw, 'secrets');
    if (secretsToken && isString(secretsToken) && secretsToken.value === 'inherit')
      report('secrets-inherit', `${where}: \`secrets: inherit\` hands every secret to the called workflow; pass the ones it declares`);
    const uses = rawAt(job.raw, 'uses');
    if (uses && isString(uses) && !uses.value.startsWith('./')) checkPinned(where, uses.value, source, report);
    if (uses) checkCallCommands(job, report);
    checkDeployConcurrency(job, rawAt(raw, 'concurrency'), report);
    if (!rawAt(job.raw, 'environment') && DEPLOYING_ACTIONS.some((a) => job.ours.has(a)))
      report(
        'deploy-environment',
        `${where}: deploys or rolls back without \`environment:\`; no reviewers gate it and the deploy role's trust policy (bound to the environment) cannot tell it apart`,
      );
    if ((events.includes('pull_request') || events.includes('pull_request_target')) && runsOnSelfHosted(rawAt(job.raw, 'runs-on')))
      report(
        'self-hosted-runner',
        `${where}: a self-hosted runner for a workflow that runs on pull requests: a fork's code runs on a machine that outlives the job`,
      );
    checkImages(job, report);
    checkSteps(raw, job, privileged, source, report);
  }
  return problems;
}

function jobFacts(raw: TemplateToken | undefined, id: string): JobFacts {
  const job = rawAt(raw, 'jobs', id);
  const steps = rawAt(job, 'steps');
  const ours = new Set<string>();
  const marketplace = new Set<string>();
  let usesGh = false;
  for (let i = 0; i < rawCount(steps); i++) {
    const uses = rawAt(steps, i, 'uses');
    if (uses && isString(uses)) {
      const ref = parseActionRef(uses.value, { root: '.', workspace: '.' });
      if (ref.kind === 'ours') ours.add(ref.action);
      if (ref.kind === 'marketplace') marketplace.add(ref.slug.toLowerCase());
    }
    const run = rawAt(steps, i, 'run');
    if ((run && isString(run) && /(^|[\s;&|(])gh\s/.test(run.value)) || rawAt(steps, i, 'env', 'GH_TOKEN')) usesGh = true;
  }
  return { id, raw: job, ours, marketplace, usesGh };
}

/** The permissions that grant everything at once. */
function broadPermissions(token: TemplateToken | undefined): string | undefined {
  return token && isString(token) && (token.value === 'write-all' || token.value === 'read-all') ? token.value : undefined;
}

function writeScopes(token: TemplateToken | undefined): string[] {
  return rawKeys(token).filter((k) => {
    const v = rawAt(token, k);
    return v && isString(v) && v.value === 'write';
  });
}

function checkWorkflowPermissions(raw: TemplateToken | undefined, report: Report): void {
  const top = rawAt(raw, 'permissions');
  if (!top) report('excessive-permissions', 'no top-level `permissions:` (the default token can write to everything)');
  const broad = broadPermissions(top);
  if (broad) report('excessive-permissions', `top-level \`permissions: ${broad}\` grants every scope; name the scopes the workflow needs`);
  for (const scope of writeScopes(top)) {
    if (scope === 'id-token')
      report('excessive-permissions', 'top-level `id-token: write` lets every job get a cloud token; grant it on the jobs that assume a role');
    else report('excessive-permissions', `top-level \`${scope}: write\` gives every job a token that can write; grant it on the job that needs it`);
  }
}

/** Which of a job's steps need each write scope. */
function neededWrites(job: JobFacts): Set<string> {
  const needed = new Set<string>();
  if (job.marketplace.has('aws-actions/configure-aws-credentials')) needed.add('id-token');
  if (RECORDING_ACTIONS.some((a) => job.ours.has(a))) needed.add('deployments');
  if (job.ours.has('run-test-tier')) {
    needed.add('checks');
    needed.add('pull-requests');
  }
  if (job.usesGh) needed.add('contents');
  // Sigstore's certificate comes from the job's OIDC token; the attestations API stores the result.
  if (job.marketplace.has('actions/attest') || job.marketplace.has('actions/attest-build-provenance')) {
    needed.add('id-token');
    needed.add('attestations');
  }
  return needed;
}

function checkJobPermissions(job: JobFacts, report: Report): void {
  const where = `job '${job.id}'`;
  const token = rawAt(job.raw, 'permissions');
  const broad = broadPermissions(token);
  if (broad) report('excessive-permissions', `${where}: \`permissions: ${broad}\` grants every scope; name the scopes the job needs`);
  // A reusable call's permissions cap the called jobs, which are checked in their own file.
  if (rawAt(job.raw, 'uses')) return;
  const needed = neededWrites(job);
  for (const scope of writeScopes(token))
    if (!needed.has(scope)) report('excessive-permissions', `${where}: \`${scope}: write\` but none of its steps needs to write ${scope}`);
}

function exprText(token: TemplateToken | undefined): string {
  if (!token) return '';
  const expressions = expressionsOf(token);
  if (expressions.length && !isString(token)) return expressions.join(' ');
  if (isString(token)) return token.value;
  return token.toString();
}

/** What makes a concurrency group one run's own: nothing else ever queues behind it. */
const PER_RUN = ['run_id', 'run_number', 'run_attempt', 'sha'];

function checkDeployConcurrency(job: JobFacts, topConcurrency: TemplateToken | undefined, report: Report): void {
  const environment = rawAt(job.raw, 'environment');
  if (!environment) return;
  const where = `job '${job.id}'`;
  const concurrency = rawAt(job.raw, 'concurrency') ?? topConcurrency;
  const envName = exprText(isMapping(environment) ? rawAt(environment, 'name') : environment);
  const groupToken = concurrency && isMapping(concurrency) ? rawAt(concurrency, 'group') : concurrency;
  const group = exprText(groupToken);
  // A job that changes an environment must queue behind any other change to it; a build-only
  // workflow may run as often as it likes.
  if (!concurrency) {
    report('per-environment-concurrency', `${where}: changes environment ${envName} without a concurrency group (workflow or job level)`);
    return;
  }
  if (envName && !group.includes(envName))
    report('per-environment-concurrency', `${where}: deploys to environment ${envName} but its concurrency group (${group}) is not per environment`);
  const perRun = expressionsOf(groupToken)
    .flatMap(propertyChains)
    .find(([c, k]) => c === 'github' && k !== undefined && PER_RUN.includes(k));
  if (perRun)
    report(
      'per-environment-concurrency',
      `${where}: its concurrency group (${group}) includes ${perRun.join('.')}, so it is this run's own: two deploys to ${envName} run at once`,
    );
  const cancel = concurrency && isMapping(concurrency) ? rawAt(concurrency, 'cancel-in-progress') : undefined;
  if (cancel && ((isBoolean(cancel) && cancel.value) || !isBoolean(cancel)))
    report(
      'per-environment-concurrency',
      `${where}: \`cancel-in-progress\` on a job that deploys to ${envName} stops a deploy half-way when the next one queues`,
    );
}

function runsOnSelfHosted(token: TemplateToken | undefined): boolean {
  if (!token) return false;
  if (isString(token)) return token.value === 'self-hosted';
  if (isSequence(token)) return Array.from({ length: token.count }, (_, i) => token.get(i)).some((t) => isString(t) && t.value === 'self-hosted');
  if (isMapping(token)) return runsOnSelfHosted(rawAt(token, 'labels'));
  return false;
}

function checkImages(job: JobFacts, report: Report): void {
  const images: { where: string; image: TemplateToken | undefined }[] = [];
  const container = rawAt(job.raw, 'container');
  images.push({ where: 'container', image: container && isMapping(container) ? rawAt(container, 'image') : container });
  for (const name of rawKeys(rawAt(job.raw, 'services'))) images.push({ where: `service ${name}`, image: rawAt(job.raw, 'services', name, 'image') });
  for (const { where, image } of images)
    if (image && isString(image) && !image.value.includes('@sha256:'))
      report('unpinned-images', `job '${job.id}' ${where}: image ${image.value} is not pinned by digest (@sha256:…)`);
}

/** A reusable call: event text passed to a `*command` or `run` input of the called workflow. */
function checkCallCommands(job: JobFacts, report: Report): void {
  const withToken = rawAt(job.raw, 'with');
  const scope: TaintScope = { env: [], matrix: rawAt(job.raw, 'strategy', 'matrix') };
  for (const name of rawKeys(withToken).filter((n) => n === 'run' || /command$/.test(n)))
    for (const { chain, why } of untrustedReads(rawAt(withToken, name), SCRIPT_INPUTS['pre-deploy-command']!, scope))
      report('template-injection', `job '${job.id}': \${{ ${chain} }} (${why}) is passed as the command input '${name}' of the called workflow`);
}

function checkPinned(where: string, uses: string, source: string, report: Report): void {
  const at = uses.lastIndexOf('@');
  const ref = at > 0 ? uses.slice(at + 1) : '';
  if (!/^[0-9a-f]{40}$/.test(ref)) report('unpinned-uses', `${where}: ${uses} is not pinned to a full commit SHA`);
  else if (!new RegExp(`${escapeRegExp(uses)}\\s+#\\s*v\\d`).test(source))
    report('unpinned-uses', `${where}: ${uses} has no '# vX' comment saying which version the SHA is`);
}

/** An image attested by the digest that was pushed, under its bare name. */
function checkAttestSubject(where: string, step: TemplateToken, report: Report): void {
  const digest = rawAt(step, 'with', 'subject-digest');
  const name = rawAt(step, 'with', 'subject-name');
  if (!digest) report('attest-by-digest', `${where}: actions/attest without \`subject-digest\`: attest the image by the digest the push reported`);
  const text = name && isString(name) ? name.value.replace(/\$\{\{[^}]*\}\}/g, 'x') : '';
  if (!name) report('attest-by-digest', `${where}: actions/attest without \`subject-name\` (the image name the digest belongs to)`);
  else if (text.includes('@') || /:[^/]*$/.test(text))
    report(
      'attest-by-digest',
      `${where}: actions/attest subject-name '${String(name)}' carries a tag or digest; give the bare image name (the digest says which image)`,
    );
  const push = rawAt(step, 'with', 'push-to-registry');
  if (!push || !((isBoolean(push) && push.value) || (isString(push) && push.value === 'true')))
    report('attest-by-digest', `${where}: actions/attest without \`push-to-registry: true\`: the attestation should travel with the image in its registry`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Interpreters and package managers: what runs code from files it is given. */
const RUNS_CODE = /(^|[\s;&|(])(bash|sh|zsh|source|node|python3?|ruby|perl|npm|npx|yarn|pnpm|make|mvn|gradle|\.\/[\w./-]+|\.\s)(\s|$)/m;

function checkSteps(raw: TemplateToken | undefined, job: JobFacts, privileged: string[], source: string, report: Report): void {
  const steps = rawAt(job.raw, 'steps');
  for (let i = 0; i < rawCount(steps); i++) {
    const step = rawAt(steps, i)!;
    const where = `job '${job.id}' step ${i + 1}`;
    const scope: TaintScope = { env: [rawAt(step, 'env'), rawAt(job.raw, 'env'), rawAt(raw, 'env')], matrix: rawAt(job.raw, 'strategy', 'matrix') };
    const uses = rawAt(step, 'uses');
    if (uses && isString(uses)) {
      if (uses.value.startsWith('docker://')) {
        if (!uses.value.includes('@sha256:')) report('unpinned-images', `${where}: ${uses.value} is not pinned by digest (docker://image@sha256:…)`);
      } else checkActionStep(where, step, uses.value, scope, privileged, source, report);
    }
    const run = rawAt(step, 'run');
    for (const { chain, why } of untrustedReads(run, SCRIPT, scope))
      report('template-injection', `${where}: \${{ ${chain} }}${why !== chain ? ` (${why})` : ''} is expanded inside run: (pass it through env: instead)`);
    if (run && isString(run)) {
      checkGithubEnv(where, run.value, scope, privileged, report);
      if (privileged.length && RUNS_CODE.test(run.value))
        report(
          'dangerous-triggers',
          `${where}: runs code (${RUNS_CODE.exec(run.value)![2]}) in a ${privileged.join('/')} job, which holds the base repository's token: what it runs can be a fork's`,
        );
    }
  }
}

function checkActionStep(where: string, step: TemplateToken, uses: string, scope: TaintScope, privileged: string[], source: string, report: Report): void {
  const ref = parseActionRef(uses, { root: '.', workspace: '.' });
  if (ref.kind === 'marketplace' || ref.kind === 'ours') checkPinned(where, uses, source, report);
  const slug = ref.kind === 'marketplace' ? ref.slug.toLowerCase() : '';
  if (slug === 'actions/attest' || slug === 'actions/attest-build-provenance') checkAttestSubject(where, step, report);
  if (slug === 'actions/checkout') {
    const persist = rawAt(step, 'with', 'persist-credentials');
    const off = persist && ((isString(persist) && persist.value === 'false') || (isBoolean(persist) && !persist.value));
    if (!off) report('artipacked', `${where}: actions/checkout without \`persist-credentials: false\` leaves the token in .git/config for every later step`);
    if (privileged.length) {
      const fork = ['ref', 'repository'].flatMap((k) => untrustedReads(rawAt(step, 'with', k), { secrets: false, outputs: true, inputs: false }, scope));
      if (fork.length)
        report(
          'dangerous-triggers',
          `${where}: checks out \${{ ${fork[0]!.chain} }} in a ${privileged.join('/')} job: the fork's code, with the base repository's token and secrets in reach`,
        );
    }
  }
  if (slug === 'actions/github-script')
    for (const { chain, why } of untrustedReads(rawAt(step, 'with', 'script'), SCRIPT, scope))
      report(
        'template-injection',
        `${where}: \${{ ${chain} }}${why !== chain ? ` (${why})` : ''} is expanded inside actions/github-script's script (pass it through env: and read process.env)`,
      );
  const saves = slug === 'actions/cache' || slug === 'actions/cache/save' || (/^actions\/setup-/.test(slug) && rawAt(step, 'with', 'cache'));
  if (privileged.length && saves)
    report(
      'cache-poisoning',
      `${where}: ${slug} saves a cache in a ${privileged.join('/')} job: written in the default branch's scope from a fork's data, restored by later runs of main`,
    );
  if (ref.kind === 'ours') {
    for (const [input, options] of Object.entries(SCRIPT_INPUTS)) {
      for (const { chain, why } of untrustedReads(rawAt(step, 'with', input), options, scope))
        report(
          'template-injection',
          `${where}: \${{ ${chain} }}${why !== chain ? ` (${why})` : ''} is expanded inside the \`${input}\` input of ${ref.action} (pass it through env: and read the variable instead)`,
        );
    }
  }
}

/** A script that writes to GITHUB_ENV or GITHUB_PATH: what it writes must not be an outsider's. */
function checkGithubEnv(where: string, script: string, scope: TaintScope, privileged: string[], report: Report): void {
  const lines = script.split('\n').filter((l) => /GITHUB_(ENV|PATH)\b/.test(l));
  if (!lines.length) return;
  if (privileged.length) {
    report('github-env', `${where}: writes GITHUB_ENV/GITHUB_PATH in a ${privileged.join('/')} job: every later step trusts what it sets`);
    return;
  }
  // The variables the writing lines read; when they read none (a `{ … } >> "$GITHUB_ENV"` group),
  // every variable the script reads.
  const names = (text: string) => [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!).filter((n) => !/^GITHUB_(ENV|PATH)$/.test(n));
  const read = lines.flatMap(names);
  for (const name of new Set(read.length ? read : names(script))) {
    const why = taintOf(['env', name], SCRIPT, scope);
    if (why && !why.includes('not defined in the workflow'))
      report('github-env', `${where}: writes $${name} (${why}) to GITHUB_ENV/GITHUB_PATH: every later step, the ECS steps included, trusts what it sets`);
  }
}
