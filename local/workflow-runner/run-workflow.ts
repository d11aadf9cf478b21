/**
 * Runs a workflow file on this machine the way GitHub runs it, for the subset the project's
 * workflows use: every job in its own empty workspace, started as soon as its `needs` are met (up
 * to a limit), matrices expanded into one job per combination, steps in order, `if:` with the
 * status functions, env at workflow/job/step level, `with:`, step and job outputs, `needs`,
 * `inputs` (workflow_dispatch and workflow_call), the `github` context, secrets (masked),
 * environment variables, reusable workflows run in place, checkout / artifacts / cache provided
 * locally, and our own actions run from their bundles (local/runner/run-bundle.ts).
 *
 * What it cannot do as GitHub does is refused before anything runs (services, job containers…)
 * or announced as a notice when it runs anyway (environment protection rules are not enforced,
 * marketplace actions replaced by local stand-ins).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActionStep, Job, ReusableWorkflowJob, RunStep, Step, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { isBasicExpression, isBoolean, isMapping, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { contextEnv, defaultGitHubContext, HOST_ENV, repoRoot, runBundle, type GitHubContext } from '../runner/run-bundle.js';
import type { Annotation } from '../runner/workflow-commands.js';
import { parseActionRef } from './action-refs.js';
import { ArtifactStore } from './artifacts.js';
import type { AttestationRecord } from './attest.js';
import { CacheStore } from './cache.js';
import type { ConcurrencyGroups, Entry } from './concurrency.js';
import { JobSlots } from './job-slots.js';
import { expandStrategy, matrixJobName, type MatrixCombination } from './matrix.js';
import {
  evaluateCondition,
  evaluateStringMap,
  evaluateToString,
  evaluateToValue,
  ExpressionFailure,
  type ContextValue,
  type EvaluationScope,
  type StatusState,
} from './expressions.js';
import { expressionsIn, propertyChains } from './expression-reads.js';
import { substituteMarketplaceAction } from './marketplace.js';
import { type RunPageRecords, writeRunPage } from './run-page.js';
import { runStepScript } from './step-script.js';
import { unsupportedFeatures } from './unsupported.js';
import { inputDefinitions, loadWorkflow, rawAt, rawKeys, type InputDefinition, type LoadedWorkflow } from './workflow-file.js';

export type InputValue = string | number | boolean;

export interface RunWorkflowOptions {
  /** The triggering event (default `push`). */
  event?: string;
  /** The event payload (`github.event`); a plausible one is made for push and workflow_dispatch. */
  eventPayload?: Record<string, unknown>;
  /** workflow_dispatch (or workflow_call, when a workflow is run as if called) inputs. */
  inputs?: Record<string, InputValue>;
  /** Secrets: available as `secrets.*` and masked in every log. `GITHUB_TOKEN` becomes `github.token`. */
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Machine environment every step sees, as a self-hosted runner's own environment. */
  env?: Record<string, string>;
  /**
   * The run's repository: a git repository on this machine (default: the current directory).
   * Each job gets its own empty workspace, and actions/checkout clones this at github.sha into it.
   */
  workspace?: string;
  /**
   * Where the run's artifacts are kept (default: in the run's own directory, removed when it ends).
   * Given, they outlive the run, as on GitHub (until their retention-days), for whoever downloads
   * them afterwards (a report a job uploaded); give each run its own directory.
   */
  artifactsDir?: string;
  /** Where actions/cache entries are kept between runs (default: ctp-workflow-runner/cache in the temp directory). */
  stateDir?: string;
  /** Jobs run at once, GitHub starting every job whose needs are met (default 4). */
  maxParallelJobs?: number;
  /**
   * Environment-level variables and secrets, by environment name: a job in that environment sees
   * them over the repository's. `review` stands for the environment's required reviewers: a job in
   * it waits until the promise settles (true: approved, the job runs; false: rejected, it fails),
   * holding its concurrency group meanwhile, as on GitHub.
   */
  environments?: Record<
    string,
    { vars?: Record<string, string>; secrets?: Record<string, string>; review?: (request: { environment: string; job: string }) => Promise<boolean> }
  >;
  /**
   * The repository's concurrency groups, shared by every run given the same instance: `concurrency:`
   * (workflow and job level) is then enforced between those runs as GitHub does (one in progress,
   * one pending, a newer pending one cancelling the older). Without it, groups are not enforced.
   */
  concurrency?: ConcurrencyGroups;
  /** How this run is named in the concurrency groups' events (default: the workflow's name and run id). */
  runLabel?: string;
  /** Where `actions/<name>/` and `dist/` of our actions live (default: this repository). */
  root?: string;
  github?: Partial<GitHubContext>;
  /**
   * Where `./.github/workflows/<file>` of a reusable call is read from (default: the workspace's
   * .github/workflows), e.g. workflows-examples/ to run the examples in place.
   */
  workflowsDir?: string;
  /** Environment of the local AWS stand-in, given where configure-aws-credentials would set it. */
  localAws?: Record<string, string>;
  /** Every log line, as the job log would show it (masked). */
  onLog?: (line: string) => void;
  /** Told when each job starts and ends (e.g. to put load on a service during a deploy job). */
  onJob?: (event: JobEvent) => void;
  /**
   * Aborting cancels the run, as "Cancel workflow run" does on GitHub: each running job whose `if`
   * no longer holds is cancelled (its running step's process gets SIGINT, SIGTERM 7.5 s later, then
   * is killed; its remaining steps run only if their `if` holds with cancelled() true), jobs not yet
   * started run only if their `if` holds, and the run concludes `cancelled`.
   */
  signal?: AbortSignal;
  /**
   * Where to write the run's page when it ends (run-page.ts): jobs graph, steps, annotations,
   * summaries rendered as GitHub renders them, and what `records` returns of the GitHub stand-in.
   */
  runPage?: { file: string; records?: () => RunPageRecords };
}

export type JobEvent =
  | { type: 'start'; id: string; name: string }
  | { type: 'waiting'; id: string; name: string; for: 'review'; environment: string }
  | { type: 'end'; id: string; name: string; result: Conclusion; durationMs: number };

export type Conclusion = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRunResult {
  id: string;
  name: string;
  kind: 'run' | 'action' | 'marketplace';
  /** Before continue-on-error is applied… */
  outcome: Conclusion;
  /** …and after. */
  conclusion: Conclusion;
  outputs: Record<string, string>;
  exitCode?: number;
  summary: string;
  annotations: Annotation[];
  log: string;
  durationMs: number;
  /** Why it failed before it could run, or what stood in for it. */
  message?: string;
}

export interface JobRunResult {
  id: string;
  name: string;
  result: Conclusion;
  outputs: Record<string, string>;
  steps: StepRunResult[];
  environment?: string;
  /** The job summary: its steps' GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  /** For a job that calls a reusable workflow. */
  called?: WorkflowRunResult;
  /** The combination of a matrix job. */
  matrix?: MatrixCombination;
  /** Its own workspace (removed when the run ends). */
  workspace?: string;
  /** When it ended (epoch ms): a matrix's outputs come from the last run to set them. */
  endedAt?: number;
  durationMs: number;
  message?: string;
}

export interface WorkflowRunResult {
  file: string;
  name: string;
  conclusion: 'success' | 'failure' | 'cancelled';
  jobs: JobRunResult[];
  /** workflow_call outputs (for a called workflow). */
  outputs: Record<string, string>;
  /** What the run's actions/attest steps attested (the stand-in records them; nothing is signed). */
  attestations: AttestationRecord[];
  /** What the runner did differently from GitHub, once each. */
  notices: string[];
  durationMs: number;
  /** The run's page, when `runPage` asked for one. */
  page?: string;
}

/** Thrown for a workflow the runner refuses before running anything. */
export class WorkflowRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowRunError';
  }
}

interface RunState {
  options: RunWorkflowOptions;
  /** The job's workspace (the run's repository before a job starts). */
  workspace: string;
  /** The run's repository, which checkout clones and reusable workflows are read from. */
  source: string;
  base: string;
  artifacts: ArtifactStore;
  cache: CacheStore;
  slots: JobSlots;
  /**
   * Aborted when what runs under this state is cancelled: the run (options.signal), then for a job
   * that signal narrowed to the job (a job whose `if` still holds is not cancelled), and for a
   * matrix combination also fail-fast.
   */
  signal: AbortSignal;
  root: string;
  github: GitHubContext;
  masks: string[];
  notices: string[];
  attestations: AttestationRecord[];
  runnerTemp: string;
  log: (line: string) => void;
}

interface WorkflowFrame {
  workflow: LoadedWorkflow;
  inputs: Record<string, ContextValue>;
  secrets: Record<string, string>;
  /** `caller / ` for a called workflow's jobs. */
  prefix: string;
  /** Jobs of it may run side by side: each job's lines then start with `[job name] `. */
  sideBySide?: boolean;
}

export async function runWorkflow(file: string, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult> {
  const workflow = await loadWorkflow(file);
  const workspace = path.resolve(options.workspace ?? process.cwd());
  const eventName = options.event ?? 'push';
  const secrets = { ...(options.secrets ?? {}) };
  const masks = Object.values(secrets).filter((s) => s.length > 0);
  const inputs = resolveTriggerInputs(workflow, eventName, options.inputs ?? {});
  const refused = unsupportedFeatures(workflow);
  if (refused.length)
    throw new WorkflowRunError(`${workflow.file} uses what the local workflow runner cannot run as GitHub does:\n${refused.map((r) => `  - ${r}`).join('\n')}`);
  // Created only once the run is sure to start, and removed when it ends.
  const base = mkdtempSync(path.join(tmpdir(), 'ctp-workflow-'));
  const runnerTemp = path.join(base, 'temp');
  mkdirSync(runnerTemp, { recursive: true });
  const github = defaultGitHubContext({ workflow: workflow.name, eventName, ...(options.github ?? {}) });
  github.event = options.eventPayload ?? defaultEventPayload(github, eventName, inputs);
  const runCancel = new AbortController();
  const state: RunState = {
    options,
    workspace,
    source: workspace,
    base,
    artifacts: new ArtifactStore(options.artifactsDir ?? path.join(base, 'artifacts')),
    cache: new CacheStore(path.join(options.stateDir ?? path.join(tmpdir(), 'ctp-workflow-runner'), 'cache')),
    slots: new JobSlots(options.maxParallelJobs ?? 4),
    // The run's own cancel: "Cancel workflow" (options.signal), or another run's cancel-in-progress.
    signal: options.signal ? AbortSignal.any([options.signal, runCancel.signal]) : runCancel.signal,
    root: options.root ?? repoRoot,
    github,
    masks,
    notices: [],
    attestations: [],
    runnerTemp,
    log: (line) => options.onLog?.(maskText(line, masks)),
  };
  let entry: Entry | undefined;
  try {
    entry = await enterWorkflowGroup(state, workflow, inputs, runCancel);
    if (entry && !entry.entered) {
      state.log(`── ${entry.why}`);
      return {
        file: workflow.file,
        name: workflow.name,
        conclusion: 'cancelled',
        jobs: [],
        outputs: {},
        attestations: [],
        notices: [entry.why],
        durationMs: 0,
      };
    }
    const result = await runFrame(state, { workflow, inputs, secrets, prefix: '' });
    if (options.runPage) {
      const page = await writeRunPage(result, options.runPage.file, options.runPage.records?.());
      result.page = page.file;
    }
    return result;
  } finally {
    if (entry?.entered) entry.release();
    // As the runner empties RUNNER_TEMP after a job: nothing a step put there outlives the run.
    rmSync(base, { recursive: true, force: true });
  }
}

/** A run's label in the concurrency groups' events. */
function runLabel(state: RunState): string {
  return state.options.runLabel ?? `${state.github.workflow} run ${state.github.runId}`;
}

/** `concurrency:` (a group name, or `group` and `cancel-in-progress`) evaluated. */
function concurrencySpec(token: TemplateToken | undefined, scope: EvaluationScope): { group: string; cancelInProgress: boolean } | undefined {
  if (!token) return undefined;
  if (!isMapping(token)) return { group: evaluateToString(token, scope), cancelInProgress: false };
  return { group: evaluateToString(rawAt(token, 'group'), scope), cancelInProgress: evaluateToString(rawAt(token, 'cancel-in-progress'), scope) === 'true' };
}

/** The workflow-level group of the run (the top frame's: a called workflow's own is not enforced). */
async function enterWorkflowGroup(
  state: RunState,
  workflow: LoadedWorkflow,
  inputs: Record<string, ContextValue>,
  runCancel: AbortController,
): Promise<Entry | undefined> {
  const groups = state.options.concurrency;
  const spec =
    groups && concurrencySpec(rawAt(workflow.raw, 'concurrency'), { contexts: { github: githubContext(state, ''), inputs, vars: state.options.vars ?? {} } });
  if (!groups || !spec) return undefined;
  return groups.enter(spec.group, {
    label: runLabel(state),
    cancelInProgress: spec.cancelInProgress,
    cancel: (why) => {
      state.log(`── ${why}: the run is cancelled`);
      runCancel.abort();
    },
    signal: state.signal,
  });
}

/**
 * An environment's required reviewers: the job waits (holding its concurrency group) until they
 * approve; a rejection fails it, a cancel of the run while it waits cancels it.
 */
async function awaitReview(
  state: RunState,
  id: string,
  displayName: string,
  environment: string,
  review: (request: { environment: string; job: string }) => Promise<boolean>,
): Promise<{ result: 'failure' | 'cancelled'; message: string } | undefined> {
  state.log(`   Waiting for a review: environment '${environment}' has required reviewers`);
  state.options.onJob?.({ type: 'waiting', id, name: displayName, for: 'review', environment });
  const cancelled = new Promise<'cancelled'>((resolve) => {
    if (state.signal.aborted) resolve('cancelled');
    else state.signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
  const answer = await Promise.race([review({ environment, job: displayName }), cancelled]);
  if (answer === 'cancelled') return { result: 'cancelled', message: `cancelled while waiting for a review of environment '${environment}'` };
  if (!answer) return { result: 'failure', message: `a reviewer rejected the deployment to environment '${environment}'` };
  state.log(`   Approved: environment '${environment}'`);
  return undefined;
}

function maskText(text: string, masks: readonly string[]): string {
  return masks.reduce((t, m) => (m ? t.split(m).join('***') : t), text);
}

function notice(state: RunState, text: string): void {
  if (state.notices.includes(text)) return;
  state.notices.push(text);
  state.log(`Notice: ${text}`);
}

/** workflow_dispatch inputs: declared, typed, defaulted, required and choices checked. */
function resolveTriggerInputs(workflow: LoadedWorkflow, eventName: string, given: Record<string, InputValue>): Record<string, ContextValue> {
  const events = workflow.template.events;
  if (eventName === 'workflow_dispatch') {
    if (!events.workflow_dispatch) throw new WorkflowRunError(`${workflow.file} has no 'on: workflow_dispatch' trigger`);
    return typedInputs(workflow.file, inputDefinitions(workflow, 'workflow_dispatch'), given, 'workflow_dispatch');
  }
  if (eventName === 'workflow_call') {
    if (!events.workflow_call) throw new WorkflowRunError(`${workflow.file} has no 'on: workflow_call' trigger`);
    return typedInputs(workflow.file, inputDefinitions(workflow, 'workflow_call'), given, 'workflow_call');
  }
  if (!(eventName in events)) throw new WorkflowRunError(`${workflow.file} is not triggered by '${eventName}' (it has: ${Object.keys(events).join(', ')})`);
  if (Object.keys(given).length) throw new WorkflowRunError(`inputs were given but '${eventName}' has none (only workflow_dispatch and workflow_call do)`);
  return {};
}

function typedInputs(
  file: string,
  definitions: Record<string, InputDefinition>,
  given: Record<string, ContextValue>,
  trigger: string,
): Record<string, ContextValue> {
  const problems: string[] = [];
  const out: Record<string, ContextValue> = {};
  for (const name of Object.keys(given))
    if (!(name in definitions)) problems.push(`input '${name}' is not defined by ${trigger} (defined: ${Object.keys(definitions).join(', ') || 'none'})`);
  for (const [name, def] of Object.entries(definitions)) {
    const type = def.type;
    let value = given[name] ?? def.default;
    if (value === undefined || value === null || value === '') {
      if (def.required && given[name] === undefined) {
        problems.push(`input '${name}' is required`);
        continue;
      }
      value = type === 'boolean' ? false : type === 'number' ? 0 : '';
    }
    if (type === 'boolean') {
      if (typeof value === 'string' && /^(true|false)$/.test(value)) value = value === 'true';
      if (typeof value !== 'boolean') problems.push(`input '${name}' must be a boolean, got ${JSON.stringify(value)}`);
    } else if (type === 'number') {
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) value = Number(value);
      if (typeof value !== 'number') problems.push(`input '${name}' must be a number, got ${JSON.stringify(value)}`);
    } else {
      if (typeof value !== 'string') value = typeof value === 'object' ? JSON.stringify(value) : String(value);
      if (type === 'choice' && def.options && !def.options.includes(value))
        problems.push(`input '${name}' must be one of ${def.options.join(', ')}, got '${value}'`);
    }
    out[name] = value;
  }
  if (problems.length) throw new WorkflowRunError(`${file}: ${problems.join('; ')}`);
  return out;
}

function defaultEventPayload(github: GitHubContext, eventName: string, inputs: Record<string, ContextValue>): Record<string, unknown> {
  const [owner = '', name = ''] = github.repository.split('/');
  const repository = { full_name: github.repository, name, owner: { login: owner }, default_branch: github.defaultBranch };
  if (eventName === 'workflow_dispatch') {
    // The event's inputs are strings, defaults included; the inputs context keeps their types.
    return { ref: github.ref, repository, sender: { login: github.actor }, inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, String(v)])) };
  }
  if (eventName === 'push') return { ref: github.ref, after: github.sha, repository, sender: { login: github.actor }, head_commit: { id: github.sha } };
  return { repository, sender: { login: github.actor } };
}

function githubContext(state: RunState, job: string): Record<string, ContextValue> {
  const g = state.github;
  const refName = g.ref.replace(/^refs\/(heads|tags)\//, '');
  return {
    action: '',
    actor: g.actor,
    api_url: g.apiUrl,
    base_ref: g.baseRef,
    event: g.event as ContextValue,
    event_name: g.eventName,
    graphql_url: `${g.apiUrl}/graphql`,
    head_ref: g.headRef,
    job,
    ref: g.ref,
    ref_name: refName,
    ref_type: g.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository: g.repository,
    repository_owner: g.repository.split('/')[0] ?? '',
    run_attempt: g.runAttempt,
    run_id: g.runId,
    run_number: g.runNumber,
    server_url: g.serverUrl,
    sha: g.sha,
    token: state.options.secrets?.GITHUB_TOKEN ?? '',
    triggering_actor: g.actor,
    workflow: g.workflow,
    workspace: state.workspace,
  };
}

function ancestorsOf(workflow: LoadedWorkflow, job: WorkflowJob): Set<string> {
  const byId = new Map(workflow.template.jobs.map((j) => [j.id.value, j]));
  const ancestors = new Set<string>();
  const walk = (j: WorkflowJob) => {
    for (const n of j.needs ?? []) {
      if (ancestors.has(n.value)) continue;
      ancestors.add(n.value);
      const dep = byId.get(n.value);
      if (dep) walk(dep);
    }
  };
  walk(job);
  return ancestors;
}

/** Two jobs neither of which waits for the other: GitHub would run them at the same time. */
function hasIndependentJobs(workflow: LoadedWorkflow): boolean {
  const jobs = workflow.template.jobs;
  const ancestors = new Map(jobs.map((j) => [j.id.value, ancestorsOf(workflow, j)]));
  return jobs.some((a, i) => jobs.slice(i + 1).some((b) => !ancestors.get(a.id.value)!.has(b.id.value) && !ancestors.get(b.id.value)!.has(a.id.value)));
}

function jobsInOrder(workflow: LoadedWorkflow): WorkflowJob[] {
  const byId = new Map(workflow.template.jobs.map((j) => [j.id.value, j]));
  const done = new Set<string>();
  const ordered: WorkflowJob[] = [];
  const visit = (job: WorkflowJob) => {
    if (done.has(job.id.value)) return;
    done.add(job.id.value);
    for (const need of job.needs ?? []) {
      const dep = byId.get(need.value);
      if (dep) visit(dep);
    }
    ordered.push(job);
  };
  // Declaration order among independent jobs, as they would start together on GitHub.
  for (const job of workflow.template.jobs) visit(job);
  return ordered;
}

async function runFrame(state: RunState, frame: WorkflowFrame): Promise<WorkflowRunResult> {
  const started = Date.now();
  const { workflow } = frame;
  const refused = unsupportedFeatures(workflow);
  if (refused.length)
    throw new WorkflowRunError(`${workflow.file} uses what the local workflow runner cannot run as GitHub does:\n${refused.map((r) => `  - ${r}`).join('\n')}`);
  if (!state.options.concurrency && (rawAt(workflow.raw, 'concurrency') || workflow.template.jobs.some((j) => j.concurrency))) {
    notice(state, 'concurrency groups are not enforced between local runs (no shared `concurrency` option was given)');
  } else if (state.options.concurrency && frame.prefix && rawAt(workflow.raw, 'concurrency')) {
    notice(state, 'the workflow-level concurrency group of a called workflow is not enforced (its jobs’ groups are)');
  }
  for (const job of rawKeys(rawAt(workflow.raw, 'jobs'))) {
    if (rawAt(workflow.raw, 'jobs', job, 'timeout-minutes')) notice(state, 'job timeout-minutes is not enforced locally (step timeout-minutes is)');
  }
  const reads = expressionsIn(workflow.raw).flatMap(propertyChains);
  if (!state.options.secrets?.GITHUB_TOKEN && reads.some(([c, k]) => (c === 'github' && k === 'token') || (c === 'secrets' && k === 'GITHUB_TOKEN'))) {
    notice(state, 'no GITHUB_TOKEN was given: github.token and secrets.GITHUB_TOKEN are empty here (GitHub always provides one)');
  }
  for (const job of rawKeys(rawAt(workflow.raw, 'jobs'))) {
    const runsOn = rawAt(workflow.raw, 'jobs', job, 'runs-on');
    const label = runsOn && isString(runsOn) ? runsOn.value : '';
    if (/^(windows|macos)/i.test(label)) notice(state, `job '${job}' asks for ${label}; it runs on this Linux machine`);
  }
  const ordered = jobsInOrder(workflow);
  if (hasIndependentJobs(workflow) && (state.options.maxParallelJobs ?? 4) === 1)
    notice(state, 'independent jobs run one after another here (maxParallelJobs is 1; GitHub starts them in parallel)');
  frame.sideBySide =
    (state.options.maxParallelJobs ?? 4) > 1 && (hasIndependentJobs(workflow) || workflow.template.jobs.some((j) => j.type === 'job' && j.strategy));
  /** Every job run (one per matrix combination), and each job as `needs` sees it. */
  const runs = new Map<string, JobRunResult[]>();
  const results = new Map<string, JobRunResult>();
  const baseScope = (): EvaluationScope => ({
    contexts: { github: githubContext(state, ''), inputs: frame.inputs, vars: state.options.vars ?? {}, secrets: secretsContext(state, frame) },
  });
  let workflowEnv: Record<string, string>;
  try {
    workflowEnv = evaluateStringMap(rawAt(workflow.raw, 'env'), baseScope());
  } catch (e) {
    throw new WorkflowRunError(`${workflow.file}: workflow env: ${(e as Error).message}`);
  }

  // Every job whose needs are met starts at once, up to the runner's limit (state.slots).
  const pending = [...ordered];
  const running = new Map<string, Promise<void>>();
  while (pending.length || running.size) {
    for (const job of [...pending]) {
      if (!(job.needs ?? []).every((n) => results.has(n.value))) continue;
      pending.splice(pending.indexOf(job), 1);
      const id = job.id.value;
      const started = (async () => {
        const jobRuns = await runJob(state, frame, job, workflowEnv, results);
        runs.set(id, jobRuns);
        results.set(id, asNeeded(jobRuns));
      })();
      running.set(
        id,
        started.finally(() => running.delete(id)),
      );
    }
    if (running.size) await Promise.race(running.values());
    else if (pending.length) throw new WorkflowRunError(`${workflow.file}: jobs ${pending.map((j) => j.id.value).join(', ')} need jobs that never run`);
  }
  const jobs = ordered.flatMap((j) => runs.get(j.id.value) ?? []);
  // A cancelled run concludes cancelled, whatever its jobs did before.
  const conclusion = state.signal.aborted ? 'cancelled' : jobs.some((j) => j.result === 'failure') ? 'failure' : 'success';
  const outputs: Record<string, string> = {};
  const outputsToken = rawAt(workflow.raw, 'on', 'workflow_call', 'outputs');
  if (outputsToken && isMapping(outputsToken)) {
    const jobsContext = Object.fromEntries(jobs.map((j) => [j.id, { result: j.result, outputs: j.outputs }]));
    const scope: EvaluationScope = { contexts: { ...baseScope().contexts, jobs: jobsContext } };
    for (const name of rawKeys(outputsToken)) {
      try {
        outputs[name] = evaluateToString(rawAt(outputsToken, name, 'value'), scope);
      } catch (e) {
        state.log(`Error: workflow output '${name}': ${(e as Error).message}`);
      }
    }
  }
  return {
    file: workflow.file,
    name: workflow.name,
    conclusion,
    jobs,
    outputs,
    attestations: frame.prefix ? [] : state.attestations,
    notices: frame.prefix ? [] : state.notices,
    durationMs: Date.now() - started,
  };
}

/**
 * A job as the jobs that need it see it: one run as it is; a matrix's runs as GitHub folds them
 * (failure if any failed, else cancelled if any was, success if any succeeded; each output from
 * the last run that set it).
 */
function asNeeded(jobRuns: JobRunResult[]): JobRunResult {
  if (jobRuns.length === 1) return jobRuns[0]!;
  const results = jobRuns.map((r) => r.result);
  const result: Conclusion = results.includes('failure')
    ? 'failure'
    : results.includes('cancelled')
      ? 'cancelled'
      : results.includes('success')
        ? 'success'
        : 'skipped';
  const outputs: Record<string, string> = {};
  for (const r of [...jobRuns].sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0)))
    for (const [k, v] of Object.entries(r.outputs)) if (v !== '') outputs[k] = v;
  return { ...jobRuns[0]!, result, outputs, steps: [], summary: '' };
}

function secretsContext(state: RunState, frame: WorkflowFrame): Record<string, ContextValue> {
  const token = state.options.secrets?.GITHUB_TOKEN;
  return { ...frame.secrets, ...(token ? { GITHUB_TOKEN: token } : {}) };
}

/** success()/failure()/cancelled() for a job: over all the jobs it depends on, directly or not, and whether the run is cancelled. */
function jobStatus(workflow: LoadedWorkflow, job: WorkflowJob, results: Map<string, JobRunResult>, cancelled: boolean): StatusState {
  const conclusions = [...ancestorsOf(workflow, job)].map((id) => results.get(id)?.result ?? 'skipped');
  return { success: conclusions.every((c) => c === 'success'), failure: conclusions.some((c) => c === 'failure'), cancelled };
}

async function runJob(
  runState: RunState,
  frame: WorkflowFrame,
  job: WorkflowJob,
  workflowEnv: Record<string, string>,
  results: Map<string, JobRunResult>,
): Promise<JobRunResult[]> {
  const started = Date.now();
  const id = job.id.value;
  const needs: Record<string, ContextValue> = {};
  for (const n of job.needs ?? []) {
    const r = results.get(n.value);
    needs[n.value] = { result: r?.result ?? 'skipped', outputs: r?.outputs ?? {} };
  }
  const contexts: Record<string, ContextValue> = {
    github: githubContext(runState, id),
    inputs: frame.inputs,
    vars: runState.options.vars ?? {},
    needs,
    strategy: {},
    matrix: {},
  };
  const nameOf = (ctx: Record<string, ContextValue>): string => {
    try {
      if (job.name) return `${frame.prefix}${evaluateToString(job.name, { contexts: ctx })}`;
    } catch {
      // a name that cannot be evaluated yet keeps the job's id, as GitHub shows it
    }
    return `${frame.prefix}${id}`;
  };
  const reported = async (name: string, work: () => Promise<JobRunResult>): Promise<JobRunResult> => {
    runState.options.onJob?.({ type: 'start', id, name });
    const result = { ...(await work()), endedAt: Date.now() };
    runState.options.onJob?.({ type: 'end', id, name, result: result.result, durationMs: result.durationMs });
    return result;
  };
  const ended = (name: string, result: 'skipped' | 'failure', message: string): JobRunResult => {
    runState.log(`── job ${name}: ${result === 'skipped' ? `skipped (${message})` : `failed: ${message}`}`);
    return { id, name, result, outputs: {}, steps: [], summary: '', durationMs: Date.now() - started, message };
  };
  const displayName = nameOf(contexts);
  const holds = () => evaluateCondition(job.if.expression, { contexts, status: jobStatus(frame.workflow, job, results, runState.signal.aborted) });
  try {
    if (!holds()) return [await reported(displayName, async () => ended(displayName, 'skipped', `if: ${job.if.expression}`))];
  } catch (e) {
    return [await reported(displayName, async () => ended(displayName, 'failure', (e as Error).message))];
  }
  // When the run is cancelled, GitHub re-evaluates the `if` of every running job: one for which it
  // still holds (always(), cancelled()) is not cancelled and runs on; the others are. A job that
  // starts after the cancel (its `if` held) is not cancelled either.
  const jobCancel = new AbortController();
  const onRunCancelled = () => {
    let keep = false;
    try {
      keep = holds();
    } catch {
      // an `if` that cannot be evaluated does not keep the job running
    }
    if (keep) runState.log(`── job ${displayName}: the run is cancelled, but its if (${job.if.expression}) holds: it runs on`);
    else jobCancel.abort();
  };
  if (!runState.signal.aborted) runState.signal.addEventListener('abort', onRunCancelled, { once: true });
  const state: RunState = { ...runState, signal: jobCancel.signal };
  let entry: Entry | undefined;
  try {
    entry = await enterJobGroup(state, frame, job, contexts, displayName, jobCancel);
    if (entry && !entry.entered) {
      const why = entry.why;
      return [
        await reported(displayName, async () => {
          state.log(`── job ${displayName}: ${why}`);
          return { id, name: displayName, result: 'cancelled', outputs: {}, steps: [], summary: '', durationMs: Date.now() - started, message: why };
        }),
      ];
    }
    return await runJobBody(state, frame, job, workflowEnv, contexts, displayName, nameOf, reported, ended, started);
  } finally {
    if (entry?.entered) entry.release();
    runState.signal.removeEventListener('abort', onRunCancelled);
  }
}

/** A job's own `concurrency:` group, entered before it runs (and before its environment's reviewers). */
async function enterJobGroup(
  state: RunState,
  frame: WorkflowFrame,
  job: WorkflowJob,
  contexts: Record<string, ContextValue>,
  displayName: string,
  jobCancel: AbortController,
): Promise<Entry | undefined> {
  const groups = state.options.concurrency;
  const spec = groups && concurrencySpec(rawAt(frame.workflow.raw, 'jobs', job.id.value, 'concurrency'), { contexts });
  if (!groups || !spec) return undefined;
  return groups.enter(spec.group, {
    label: `${runLabel(state)} / ${displayName}`,
    cancelInProgress: spec.cancelInProgress,
    cancel: (why) => {
      state.log(`── job ${displayName}: ${why}: cancelled`);
      jobCancel.abort();
    },
    signal: state.signal,
  });
}

async function runJobBody(
  state: RunState,
  frame: WorkflowFrame,
  job: WorkflowJob,
  workflowEnv: Record<string, string>,
  contexts: Record<string, ContextValue>,
  displayName: string,
  nameOf: (ctx: Record<string, ContextValue>) => string,
  reported: (name: string, work: () => Promise<JobRunResult>) => Promise<JobRunResult>,
  ended: (name: string, result: 'skipped' | 'failure', message: string) => JobRunResult,
  started: number,
): Promise<JobRunResult[]> {
  const id = job.id.value;
  if (job.type === 'reusableWorkflowJob') return [await reported(displayName, () => runCalledWorkflow(state, frame, job, contexts, displayName, started))];
  const steps = (ctx: Record<string, ContextValue>, name: string, signal: AbortSignal) =>
    reported(name, () => state.slots.run(() => runStepsJob({ ...state, signal }, frame, job, ctx, workflowEnv, name, Date.now())));
  if (!job.strategy) return [await steps(contexts, displayName, state.signal)];

  // A matrix: one job per combination, max-parallel at a time, fail-fast cancelling the rest.
  let strategy: ReturnType<typeof expandStrategy>;
  try {
    strategy = expandStrategy(id, evaluateToValue(job.strategy, { contexts }));
  } catch (e) {
    return [await reported(displayName, async () => ended(displayName, 'failure', (e as Error).message))];
  }
  const total = strategy.combinations.length;
  const pool = new JobSlots(strategy.maxParallel || total);
  const nameUsesExpression = job.name !== undefined && isBasicExpression(job.name);
  // Fail-fast cancels the matrix's other combinations as a cancel of the run cancels a job: the
  // running ones through the same signal (their running step is signalled, their later steps run
  // only if their `if` holds with cancelled() true), the ones not started at once.
  const failFast = new AbortController();
  const combinationSignal = AbortSignal.any([state.signal, failFast.signal]);
  return Promise.all(
    strategy.combinations.map((combination, index) =>
      pool.run(async () => {
        const ctx: Record<string, ContextValue> = {
          ...contexts,
          matrix: combination,
          strategy: { 'fail-fast': strategy.failFast, 'job-index': index, 'job-total': total, 'max-parallel': strategy.maxParallel || total },
        };
        const name = matrixJobName(nameOf(ctx), combination, nameUsesExpression);
        if (combinationSignal.aborted) {
          const why = failFast.signal.aborted ? 'fail-fast: another job of the matrix failed' : 'the run was cancelled';
          state.log(`── job ${name}: cancelled (${why})`);
          return { id, name, result: 'cancelled' as const, outputs: {}, steps: [], summary: '', durationMs: 0, matrix: combination, message: why };
        }
        const r = await steps(ctx, name, combinationSignal);
        if (r.result === 'failure' && strategy.failFast && !failFast.signal.aborted) {
          state.log(`── job ${name} failed: fail-fast cancels the matrix's other jobs`);
          failFast.abort();
        }
        return { ...r, matrix: combination };
      }),
    ),
  );
}

async function runStepsJob(
  runState: RunState,
  frame: WorkflowFrame,
  job: Job,
  givenContexts: Record<string, ContextValue>,
  workflowEnv: Record<string, string>,
  displayName: string,
  started: number,
): Promise<JobRunResult> {
  const id = job.id.value;
  const rawJob = rawAt(frame.workflow.raw, 'jobs', id);
  // Its own empty workspace, named as the runner names it (work/<repo>/<repo>), and its own temp.
  mkdirSync(path.join(runState.base, 'work'), { recursive: true });
  const jobDir = mkdtempSync(path.join(runState.base, 'work', `${id}-`));
  const repoName = runState.github.repository.split('/')[1] || 'repository';
  const workspace = path.join(jobDir, repoName, repoName);
  const runnerTemp = path.join(jobDir, 'temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  const state: RunState = {
    ...runState,
    workspace,
    runnerTemp,
    // Jobs running side by side: each line says whose it is.
    log: frame.sideBySide ? (line) => runState.log(`[${displayName}] ${line}`) : runState.log,
  };
  let jobContexts: Record<string, ContextValue> = { ...givenContexts, github: githubContext(state, id) };
  let secrets = secretsContext(state, frame);
  const scope = (extra: Record<string, ContextValue> = {}, status?: StatusState): EvaluationScope => ({
    contexts: { ...jobContexts, secrets, runner: runnerContext(state), ...extra },
    ...(status ? { status } : {}),
  });
  state.log(`── job ${displayName}`);
  let environment: string | undefined;
  let jobEnv: Record<string, string>;
  try {
    const envToken = rawAt(rawJob, 'environment');
    if (envToken) {
      environment = isMapping(envToken) ? evaluateToString(rawAt(envToken, 'name'), scope()) : evaluateToString(envToken, scope());
      const given = state.options.environments?.[environment];
      notice(
        state,
        given?.review
          ? `environment '${environment}': its required reviewers are the review given for it; its other protection rules (wait timers, branch rules) are not enforced locally`
          : `environment '${environment}': its protection rules (required reviewers, wait timers, branch rules) are not enforced locally; the job runs at once${given ? ' with the variables and secrets given for it' : ', and it has no environment variables or secrets'}`,
      );
      const rejected = given?.review ? await awaitReview(state, id, displayName, environment, given.review) : undefined;
      if (rejected) {
        return {
          id,
          name: displayName,
          result: rejected.result,
          outputs: {},
          steps: [],
          summary: '',
          durationMs: Date.now() - started,
          message: rejected.message,
          workspace,
          environment,
        };
      }
      if (given) {
        // Environment-level values win over the repository's, as on GitHub.
        jobContexts = { ...jobContexts, vars: { ...(state.options.vars ?? {}), ...(given.vars ?? {}) } };
        secrets = { ...secrets, ...(given.secrets ?? {}) };
        for (const v of Object.values(given.secrets ?? {})) if (v && !state.masks.includes(v)) state.masks.push(v);
      }
    }
    jobEnv = { ...workflowEnv, ...evaluateStringMap(job.env, scope({ env: workflowEnv })) };
  } catch (e) {
    return {
      id,
      name: displayName,
      result: 'failure',
      outputs: {},
      steps: [],
      summary: '',
      durationMs: Date.now() - started,
      message: (e as Error).message,
      workspace,
      ...(environment ? { environment } : {}),
    };
  }
  const defaultsRun = rawAt(rawJob, 'defaults', 'run') ?? rawAt(frame.workflow.raw, 'defaults', 'run');
  const defaultShell = evaluateToString(rawAt(defaultsRun, 'shell'), scope());
  const defaultWorkingDirectory = evaluateToString(rawAt(defaultsRun, 'working-directory'), scope());

  const addedEnv: Record<string, string> = {};
  const addedPath: string[] = [];
  const stepsContext: Record<string, { outputs: Record<string, string>; outcome: Conclusion; conclusion: Conclusion }> = {};
  const stepResults: StepRunResult[] = [];
  /** Post steps of the actions that ran, run at the end of the job in reverse order. */
  const posts: { name: string; run: () => Promise<string[]>; onlyOnSuccess?: boolean }[] = [];
  let jobFailed = false;
  let jobCancelled = false;

  /** The job's status as the runner keeps it (job.status): once cancelled, only cancelled() is true. */
  const jobStatusNow = (): 'success' | 'failure' | 'cancelled' => (jobCancelled ? 'cancelled' : jobFailed ? 'failure' : 'success');
  const noticeCancel = () => {
    if (jobCancelled || !state.signal.aborted) return;
    jobCancelled = true;
    state.log('   Cancelled: the remaining steps run only if their if holds with cancelled() true (always(), cancelled())');
  };

  for (let index = 0; index < job.steps.length; index++) {
    const step = job.steps[index] as Step;
    const rawStep = rawAt(rawJob, 'steps', index);
    noticeCancel();
    const envContext = { ...jobEnv, ...addedEnv };
    const status = jobStatusNow();
    const stepStatus: StatusState = { success: status === 'success', failure: status === 'failure', cancelled: status === 'cancelled' };
    const stepScope = (env: Record<string, string>) => scope({ env, steps: stepsContext, job: { status } }, stepStatus);
    // A step that starts before the cancel is cancelled with the job; one that starts after it (its
    // `if` held) runs to its end, as on GitHub.
    const stepSignal = jobCancelled ? undefined : state.signal;
    const stepStarted = Date.now();
    const name = stepName(step, rawStep, stepScope(envContext));
    const kind = 'run' in step ? 'run' : 'action';
    const base = { id: step.id, name, kind: kind as StepRunResult['kind'], summary: '', annotations: [], log: '', outputs: {} };
    let result: StepRunResult;
    try {
      const condition = 'if' in step && step.if ? step.if.expression : 'success()';
      if (!evaluateCondition(condition, stepScope(envContext))) {
        state.log(`   ○ ${name} (skipped: if: ${condition})`);
        result = { ...base, outcome: 'skipped', conclusion: 'skipped', durationMs: 0 };
      } else {
        state.log(`   ▶ ${name}`);
        const stepEnv = { ...envContext, ...evaluateStringMap('env' in step ? step.env : undefined, stepScope(envContext)) };
        const sScope = stepScope(stepEnv);
        const timeoutMinutes = rawAt(rawStep, 'timeout-minutes');
        const timeoutMs = timeoutMinutes ? Number(evaluateToString(timeoutMinutes, sScope)) * 60_000 : undefined;
        const processEnv = buildProcessEnv(state, id, stepEnv, addedPath);
        if ('run' in step) {
          result = await runRunStep(state, step, rawStep, sScope, processEnv, base, { defaultShell, defaultWorkingDirectory, timeoutMs, signal: stepSignal });
        } else {
          result = await runUsesStep(state, step as ActionStep, rawStep, sScope, processEnv, base, id, timeoutMs, stepSignal);
        }
        const continueOnError = 'continue-on-error' in step ? continueOnErrorValue(step['continue-on-error'], sScope) : false;
        if (result.outcome === 'failure' && continueOnError) result.conclusion = 'success';
        const mark = result.outcome === 'success' ? '✓' : result.outcome === 'cancelled' ? '⊘' : '✗';
        state.log(
          `   ${mark} ${name} (${formatMs(result.durationMs || Date.now() - stepStarted)})${result.outcome === 'cancelled' ? ' — cancelled' : ''}${result.outcome === 'failure' && continueOnError ? ' — continue-on-error' : ''}`,
        );
      }
    } catch (e) {
      const message = e instanceof ExpressionFailure ? e.message : (e as Error).message;
      // A step that fails before or instead of running (an action's own error) honours continue-on-error too.
      let tolerated = false;
      try {
        tolerated = 'continue-on-error' in step ? continueOnErrorValue(step['continue-on-error'], stepScope(envContext)) : false;
      } catch {
        // an unevaluable continue-on-error does not tolerate anything
      }
      state.log(`   ✗ ${name}: ${message}${tolerated ? ' — continue-on-error' : ''}`);
      result = { ...base, outcome: 'failure', conclusion: tolerated ? 'success' : 'failure', durationMs: Date.now() - stepStarted, message };
    }
    if (result.conclusion === 'failure') jobFailed = true;
    if (result.outcome === 'cancelled') noticeCancel();
    if (result.outcome !== 'skipped') {
      Object.assign(addedEnv, (result as StepRunResult & { env?: Record<string, string> }).env ?? {});
      addedPath.push(...((result as StepRunResult & { path?: string[] }).path ?? []));
    }
    const { post, postIf } = result as { post?: () => Promise<string[]>; postIf?: 'success()' };
    if (post) posts.push({ name: `Post ${name}`, run: post, ...(postIf ? { onlyOnSuccess: true } : {}) });
    delete (result as { env?: unknown }).env;
    delete (result as { path?: unknown }).path;
    delete (result as { post?: unknown }).post;
    delete (result as { postIf?: unknown }).postIf;
    stepsContext[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
    stepResults.push(result);
  }

  for (const post of posts.reverse()) {
    // post-if: success() (actions/cache's save) is evaluated when the post step's turn comes.
    if (post.onlyOnSuccess && jobStatusNow() !== 'success') {
      state.log(`   ○ ${post.name} (skipped: post-if: success(), the job is ${jobStatusNow() === 'failure' ? 'failing' : 'cancelled'})`);
      continue;
    }
    state.log(`   ▶ ${post.name}`);
    try {
      for (const line of await post.run()) state.log(`     ${line}`);
      state.log(`   ✓ ${post.name}`);
    } catch (e) {
      state.log(`   ✗ ${post.name}: ${(e as Error).message}`);
      jobFailed = true;
    }
  }

  const outputs: Record<string, string> = {};
  if (job.outputs) {
    const outScope = scope({ env: { ...jobEnv, ...addedEnv }, steps: stepsContext, job: { status: jobStatusNow() } });
    for (const pair of job.outputs) {
      const key = isString(pair.key) ? pair.key.value : pair.key.toString();
      try {
        const value = evaluateToString(pair.value, outScope);
        // GitHub drops a job output that contains a secret rather than pass it on.
        if (state.masks.some((m) => m && value.includes(m))) state.log(`Warning: skip output '${key}' since it may contain secret.`);
        else outputs[key] = value;
      } catch (e) {
        state.log(`Error: job output '${key}': ${(e as Error).message}`);
        jobFailed = true;
      }
    }
  }
  return {
    id,
    name: displayName,
    result: jobStatusNow(),
    outputs,
    steps: stepResults,
    workspace,
    summary: stepResults
      .map((st) => st.summary)
      .filter(Boolean)
      .join('\n'),
    durationMs: Date.now() - started,
    ...(environment ? { environment } : {}),
  };
}

function continueOnErrorValue(value: boolean | TemplateToken | undefined, scope: EvaluationScope): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (isBoolean(value)) return value.value;
  return evaluateToString(value, scope) === 'true';
}

function stepName(step: Step, rawStep: TemplateToken | undefined, scope: EvaluationScope): string {
  const nameToken = rawAt(rawStep, 'name');
  if (nameToken) {
    try {
      return evaluateToString(nameToken, scope);
    } catch {
      return nameToken.toString();
    }
  }
  if ('uses' in step) return `Run ${step.uses.value}`;
  if ('run' in step) {
    const run = rawAt(rawStep, 'run');
    const text = run && isString(run) ? run.value : run && isBasicExpression(run) ? (run.source ?? run.expression) : '';
    return `Run ${text.split('\n')[0] ?? ''}`;
  }
  return step.id;
}

function runnerContext(state: RunState): Record<string, ContextValue> {
  return {
    os: 'Linux',
    arch: 'X64',
    name: 'local-runner',
    environment: 'self-hosted',
    temp: state.runnerTemp,
    tool_cache: path.join(state.runnerTemp, '..', 'tool-cache'),
  };
}

/** The environment a step's process gets: the machine's, the runner's context variables, then env. */
function buildProcessEnv(state: RunState, job: string, stepEnv: Record<string, string>, addedPath: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of HOST_ENV) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  Object.assign(env, state.options.env ?? {});
  const eventPath = path.join(state.runnerTemp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(state.github.event));
  Object.assign(env, contextEnv({ ...state.github, job }, state.workspace, state.runnerTemp, eventPath), stepEnv);
  if (addedPath.length) env.PATH = `${[...addedPath].reverse().join(':')}:${env.PATH ?? ''}`;
  return env;
}

interface RunDefaults {
  defaultShell: string;
  defaultWorkingDirectory: string;
  timeoutMs: number | undefined;
  /** The job's cancel, for a step that starts before it. */
  signal: AbortSignal | undefined;
}

async function runRunStep(
  state: RunState,
  step: RunStep,
  rawStep: TemplateToken | undefined,
  scope: EvaluationScope,
  env: Record<string, string>,
  base: Omit<StepRunResult, 'outcome' | 'conclusion' | 'durationMs'>,
  defaults: RunDefaults,
): Promise<StepRunResult> {
  const script = evaluateToString(step.run, scope);
  const shell = evaluateToString(rawAt(rawStep, 'shell'), scope) || defaults.defaultShell;
  const workingDirectory = evaluateToString(rawAt(rawStep, 'working-directory'), scope) || defaults.defaultWorkingDirectory;
  const r = await runStepScript({
    script,
    shell,
    cwd: path.resolve(state.workspace, workingDirectory || '.'),
    env,
    runnerTemp: state.runnerTemp,
    masks: state.masks,
    ...(defaults.timeoutMs ? { timeoutMs: defaults.timeoutMs } : {}),
    ...(defaults.signal ? { signal: defaults.signal } : {}),
    onLog: (line) => state.log(`     ${line}`),
  });
  state.masks.push(...r.masks);
  // A step the cancel reached is cancelled, however its process then ended (GitHub's outcome).
  const outcome: Conclusion = r.cancelled ? 'cancelled' : r.exitCode === 0 ? 'success' : 'failure';
  if (outcome === 'failure') state.log(`     Error: Process completed with exit code ${r.exitCode}.`);
  return Object.assign(
    {
      ...base,
      outcome,
      conclusion: outcome,
      outputs: r.outputs,
      exitCode: r.exitCode,
      summary: r.summary,
      annotations: r.annotations,
      log: r.log,
      durationMs: r.durationMs,
    },
    { env: r.env, path: r.path },
  );
}

async function runUsesStep(
  state: RunState,
  step: ActionStep,
  rawStep: TemplateToken | undefined,
  scope: EvaluationScope,
  env: Record<string, string>,
  base: Omit<StepRunResult, 'outcome' | 'conclusion' | 'durationMs'>,
  job: string,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<StepRunResult> {
  const uses = step.uses.value;
  const inputs = evaluateStringMap(rawAt(rawStep, 'with'), scope);
  const ref = parseActionRef(uses, { root: state.root, workspace: state.workspace });
  const started = Date.now();
  if (ref.kind === 'docker') throw new Error(`docker:// actions are not supported by the local workflow runner (${uses})`);
  if (ref.kind === 'local' && !ref.action)
    throw new Error(`local action ${uses} not found: the local runner runs ./actions/<name> with an action.yml in the workspace`);
  if (ref.kind === 'marketplace') {
    const sub = await substituteMarketplaceAction(ref.slug, inputs, {
      ...(state.options.localAws ? { aws: state.options.localAws } : {}),
      workspace: state.workspace,
      source: state.source,
      repository: state.github.repository,
      sha: state.github.sha,
      ref: state.github.ref,
      defaultBranch: state.github.defaultBranch,
      artifacts: state.artifacts,
      cache: state.cache,
      job,
      attestations: state.attestations,
    });
    if (!sub.ok) throw new Error(sub.error);
    notice(state, sub.notice);
    const annotations: Annotation[] = [];
    for (const line of sub.log) {
      const warning = /^::warning::(.*)$/.exec(line);
      if (warning) annotations.push({ level: 'warning', message: warning[1]! });
      state.log(`     ${warning ? `Warning: ${warning[1]}` : line}`);
    }
    return Object.assign(
      {
        ...base,
        kind: 'marketplace' as const,
        outcome: 'success' as const,
        conclusion: 'success' as const,
        outputs: sub.outputs,
        annotations,
        log: sub.log.join('\n'),
        durationMs: Date.now() - started,
        message: sub.notice,
      },
      { env: sub.env, path: [], ...(sub.post ? { post: sub.post } : {}), ...(sub.postIf ? { postIf: sub.postIf } : {}) },
    );
  }
  if (ref.kind === 'ours' && ref.ref)
    notice(state, `${uses.replace(/\/actions\/[^@]+@/, '/actions/*@')}: run from this checkout's bundles (dist/), not from ref '${ref.ref}'`);
  const { GITHUB_WORKSPACE: _w, RUNNER_TEMP: _t, ...stepEnv } = env;
  const r = await runBundle(ref.action, {
    inputs,
    env: stepEnv,
    github: { ...state.github, job },
    workspace: state.workspace,
    runnerTemp: state.runnerTemp,
    root: ref.root,
    masks: state.masks,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(signal ? { signal } : {}),
    onLog: (line) => state.log(`     ${line}`),
  });
  state.masks.push(...r.masks.filter((m) => !state.masks.includes(m)));
  if (r.post) notice(state, "an action's post step runs right after its main step here (GitHub runs post steps at the end of the job, in reverse order)");
  const failedPost = r.post && r.post.exitCode !== 0;
  const outcome: Conclusion = r.cancelled ? 'cancelled' : r.exitCode === 0 && !failedPost ? 'success' : 'failure';
  const log = maskText(r.post ? `${r.log}\n${r.post.log}` : r.log, state.masks);
  return Object.assign(
    {
      ...base,
      outcome,
      conclusion: outcome,
      outputs: r.outputs,
      exitCode: r.exitCode,
      summary: maskText(r.summary + (r.post?.summary ?? ''), state.masks),
      annotations: [...r.annotations, ...(r.post?.annotations ?? [])],
      log,
      durationMs: r.durationMs + (r.post?.durationMs ?? 0),
    },
    { env: r.env, path: r.path },
  );
}

async function runCalledWorkflow(
  state: RunState,
  frame: WorkflowFrame,
  job: ReusableWorkflowJob,
  contexts: Record<string, ContextValue>,
  displayName: string,
  started: number,
): Promise<JobRunResult> {
  const id = job.id.value;
  const uses = job.ref.value;
  const fail = (message: string): JobRunResult => {
    state.log(`── job ${displayName}: failed: ${message}`);
    return { id, name: displayName, result: 'failure', outputs: {}, steps: [], summary: '', durationMs: Date.now() - started, message };
  };
  if (!uses.startsWith('./')) return fail(`reusable workflow ${uses} is in another repository: the local runner only runs ./ workflows of the workspace`);
  let called: LoadedWorkflow;
  try {
    called = await loadWorkflow(calledWorkflowPath(state, uses));
  } catch (e) {
    return fail((e as Error).message);
  }
  const call = called.template.events.workflow_call;
  if (!call) return fail(`${uses} has no 'on: workflow_call' trigger`);
  state.log(`── job ${displayName}: calls ${uses}`);
  let inputs: Record<string, ContextValue>;
  let secrets: Record<string, string>;
  try {
    const scope: EvaluationScope = { contexts: { ...contexts, secrets: secretsContext(state, frame) } };
    const given: Record<string, ContextValue> = {};
    const withToken = job['input-values'];
    if (withToken) for (const pair of withToken) given[isString(pair.key) ? pair.key.value : pair.key.toString()] = evaluateToValue(pair.value, scope);
    inputs = typedInputs(uses, inputDefinitions(called, 'workflow_call'), given, `${uses} (workflow_call)`);
    const declaredSecrets = call.secrets ?? {};
    if (job['inherit-secrets']) secrets = { ...frame.secrets };
    else {
      secrets = {};
      const secretToken = job['secret-values'];
      if (secretToken) {
        for (const pair of secretToken) {
          const name = isString(pair.key) ? pair.key.value : pair.key.toString();
          if (!(name in declaredSecrets))
            throw new Error(`secret '${name}' is not defined by ${uses} (defined: ${Object.keys(declaredSecrets).join(', ') || 'none'})`);
          secrets[name] = evaluateToString(pair.value, scope);
        }
      }
      for (const [name, def] of Object.entries(declaredSecrets)) if (def.required && !secrets[name]) throw new Error(`secret '${name}' is required by ${uses}`);
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  const result = await runFrame(state, { workflow: called, inputs, secrets, prefix: `${displayName} / ` });
  return {
    id,
    name: displayName,
    result: result.conclusion,
    outputs: result.outputs,
    steps: [],
    summary: result.jobs
      .map((j) => j.summary)
      .filter(Boolean)
      .join('\n'),
    called: result,
    durationMs: Date.now() - started,
  };
}

function calledWorkflowPath(state: RunState, uses: string): string {
  const inWorkflows = /^\.\/\.github\/workflows\/([^/]+)$/.exec(uses);
  if (inWorkflows && state.options.workflowsDir) {
    notice(state, `reusable workflows ./.github/workflows/* are read from ${state.options.workflowsDir}`);
    return path.join(state.options.workflowsDir, inWorkflows[1]!);
  }
  return path.join(state.source, uses);
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
