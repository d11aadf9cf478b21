/**
 * The environment a program our action starts for the user (a test command, a build script) gets:
 * what a `run:` step in the same job would get, never more. The runner gives a JavaScript
 * action's own process more than a `run:` step: the Actions runtime's credentials
 * (ACTIONS_RUNTIME_TOKEN and the URLs it opens: cache, results, artifacts —
 * actions/runner's NodeScriptActionHandler), the action's inputs (INPUT_*), the state main saved
 * for post (STATE_*) and the file the post step's state is read from (GITHUB_STATE), and the
 * action's own location (GITHUB_ACTION_PATH, _REPOSITORY, _REF). With those a test dependency
 * could poison the default branch's cache, replace artifacts or rewrite what our post step runs.
 *
 * The rule, shared by the runner path and the container path: in the runner's own namespaces
 * (CI, GITHUB_*, RUNNER_*, ACTIONS_*) only what a `run:` step also gets passes; INPUT_* and
 * STATE_* never pass; every other name (the machine's environment, the job's and step's `env:`)
 * passes, as it does into a `run:` step.
 */

/** The runner's namespaces: names set by the runner, not by the machine or the workflow. */
const RUNNER_NAMESPACE = /^(CI$|GITHUB_|RUNNER_|ACTIONS_)/;
/** Ours alone: the action's inputs and its state. */
const ACTION_ONLY_PREFIX = /^(INPUT_|STATE_)/;
/** In GITHUB_*, what the runner sets for an action's step only. */
const ACTION_ONLY_GITHUB = new Set(['GITHUB_STATE', 'GITHUB_ACTION_PATH', 'GITHUB_ACTION_REPOSITORY', 'GITHUB_ACTION_REF']);
/** In ACTIONS_*, what a `run:` step gets too: the OIDC token request (with `id-token: write`). */
const RUN_STEP_ACTIONS = new Set(['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']);

/** Whether the runner set `name` (rather than the machine or the workflow's `env:`). */
export function isRunnerVariable(name: string): boolean {
  return RUNNER_NAMESPACE.test(name);
}

/** Whether a `run:` step in the same job would get `name` from our step's environment. */
export function isRunStepVariable(name: string): boolean {
  if (ACTION_ONLY_PREFIX.test(name)) return false;
  if (name.startsWith('ACTIONS_')) return RUN_STEP_ACTIONS.has(name);
  if (name.startsWith('GITHUB_')) return !ACTION_ONLY_GITHUB.has(name);
  return true;
}

/** Our step's environment as a `run:` step would have it, for a program started on the runner. */
export function runStepEnvironment(hostEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(hostEnv)) if (value !== undefined && isRunStepVariable(name)) env[name] = value;
  return env;
}
