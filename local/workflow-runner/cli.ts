// Runs a workflow file on this machine with the local workflow runner and prints the job log live,
// then a table of jobs and steps:
//   npx tsx local/workflow-runner/cli.ts workflows-examples/commit-stage.yml --event push
//   options: --event NAME, --input NAME=VALUE, --secret NAME=VALUE (or NAME to read $NAME), --var NAME=VALUE,
//            --env NAME=VALUE, --aws-env NAME=VALUE (what stands in for configure-aws-credentials, e.g. the
//            ECS emulator's AWS_ENDPOINT_URL_ECS), --workspace DIR, --workflows-dir DIR (where ./.github/workflows/
//            of reusable calls is read from, e.g. workflows-examples), --root DIR, --ref REF, --sha SHA, --repository OWNER/NAME,
//            --state-dir DIR (actions/cache entries), --max-parallel-jobs N, --env-var ENV:NAME=VALUE, --env-secret ENV:NAME=VALUE,
//            --page FILE (the run's page; default: ctp-workflow-runner/runs/<workflow>-<time>-<pid>.html in the temp directory)
// Ctrl-C (or SIGTERM) cancels the run as "Cancel workflow run" does; a second one stops at once.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killRunningBundles } from '../runner/run-bundle.js';
import { runWorkflow, type JobRunResult, type RunWorkflowOptions } from './run-workflow.js';
import { killRunningScripts } from './step-script.js';

const args = process.argv.slice(2);
const file = args.shift();
if (!file || file.startsWith('-')) {
  console.error(
    'usage: npx tsx local/workflow-runner/cli.ts <workflow.yml> [--event NAME] [--input NAME=VALUE]… [--secret NAME[=VALUE]]… [--var NAME=VALUE]… [--env NAME=VALUE]… [--aws-env NAME=VALUE]… [--workspace DIR] [--workflows-dir DIR] [--root DIR] [--ref REF] [--sha SHA] [--repository OWNER/NAME] [--state-dir DIR] [--max-parallel-jobs N] [--env-var ENV:NAME=VALUE]… [--env-secret ENV:NAME=VALUE]… [--page FILE]',
  );
  process.exit(2);
}
const options: RunWorkflowOptions = { inputs: {}, secrets: {}, vars: {}, env: {}, github: {}, onLog: (line) => console.log(line) };
// A bad option is a usage error (exit 2) with its message, not a stack trace.
try {
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const pair = (target: Record<string, string | number | boolean>, fromEnv = false) => {
      const v = value();
      const eq = v.indexOf('=');
      if (eq > 0) target[v.slice(0, eq)] = v.slice(eq + 1);
      else if (fromEnv && process.env[v] !== undefined) target[v] = process.env[v]!;
      else throw new Error(`${flag} expects NAME=VALUE${fromEnv ? ' or the name of a set environment variable' : ''}, got ${JSON.stringify(v)}`);
    };
    if (flag === '--event') options.event = value();
    else if (flag === '--input') pair(options.inputs!);
    else if (flag === '--secret') pair(options.secrets as Record<string, string>, true);
    else if (flag === '--var') pair(options.vars as Record<string, string>);
    else if (flag === '--env') pair(options.env as Record<string, string>);
    else if (flag === '--aws-env') {
      options.localAws ??= {};
      pair(options.localAws as Record<string, string>);
    } else if (flag === '--workspace') options.workspace = path.resolve(value());
    else if (flag === '--root') options.root = path.resolve(value());
    else if (flag === '--workflows-dir') options.workflowsDir = path.resolve(value());
    else if (flag === '--state-dir') options.stateDir = path.resolve(value());
    else if (flag === '--max-parallel-jobs') {
      const v = value();
      if (!/^[1-9]\d*$/.test(v)) throw new Error(`--max-parallel-jobs expects a whole number of at least 1, got ${JSON.stringify(v)}`);
      options.maxParallelJobs = Number(v);
    } else if (flag === '--env-var' || flag === '--env-secret') {
      const v = value();
      const colon = v.indexOf(':');
      const eq = v.indexOf('=');
      if (colon < 1 || eq < colon + 2) throw new Error(`${flag} expects ENVIRONMENT:NAME=VALUE, got ${JSON.stringify(v)}`);
      const environments = options.environments ?? {};
      options.environments = environments;
      const name = v.slice(0, colon);
      const environment = environments[name] ?? {};
      environments[name] = environment;
      const kind = flag === '--env-var' ? 'vars' : 'secrets';
      environment[kind] = { ...(environment[kind] ?? {}), [v.slice(colon + 1, eq)]: v.slice(eq + 1) };
    } else if (flag === '--ref') options.github!.ref = value();
    else if (flag === '--sha') options.github!.sha = value();
    else if (flag === '--repository') options.github!.repository = value();
    else if (flag === '--page') options.runPage = { file: path.resolve(value()) };
    else throw new Error(`unknown option ${flag}`);
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
// Without --sha the run is for what the workspace has checked out, as a push of it would be:
// actions/checkout can then find the commit (a placeholder SHA it could not).
if (!options.github!.sha) {
  const workspace = options.workspace ?? process.cwd();
  try {
    options.github!.sha = execFileSync('git', ['rev-parse', '--verify', 'HEAD^{commit}'], {
      cwd: workspace,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    console.log(`github.sha: ${options.github!.sha} (HEAD of ${workspace}; --sha to choose another commit)`);
  } catch {
    console.log(`github.sha: a placeholder (${workspace} is not a git repository with a commit; actions/checkout will say so if a job checks out)`);
  }
}
// The first Ctrl-C (or SIGTERM) cancels the run as GitHub's "Cancel workflow run" does, so steps
// with `if: always()` or `cancelled()` run; a second one stops outright.
const cancel = new AbortController();
options.signal = cancel.signal;
const onSignal = (signal: NodeJS.Signals) => {
  if (cancel.signal.aborted) {
    console.error(`\n${signal} again: stopping at once (the steps still running are killed)`);
    killRunningScripts();
    killRunningBundles();
    process.exit(130);
  }
  console.error(
    `\n${signal}: cancelling the run (steps with if: always() or cancelled() still run; ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again stops at once)`,
  );
  cancel.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// One folder for every run's page, so they share one copy of Mermaid (assets/).
const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
options.runPage ??= { file: path.join(tmpdir(), 'ctp-workflow-runner/runs', `${path.basename(file, path.extname(file))}-${stamp}.html`) };
try {
  const result = await runWorkflow(file, options);
  const rows: string[][] = [];
  const walk = (jobs: JobRunResult[]) => {
    for (const job of jobs) {
      rows.push([job.name, '', job.result, `${(job.durationMs / 1000).toFixed(1)} s`]);
      for (const step of job.steps) rows.push(['', step.name, step.conclusion, `${(step.durationMs / 1000).toFixed(1)} s`]);
      if (job.called) walk(job.called.jobs);
    }
  };
  walk(result.jobs);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), 4));
  console.log(`\n${result.name}: ${result.conclusion} in ${(result.durationMs / 1000).toFixed(1)} s`);
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  if (result.notices.length) console.log(`\nWhat ran differently from GitHub:\n${result.notices.map((n) => `  - ${n}`).join('\n')}`);
  if (result.page) console.log(`\nThe run's page: ${result.page}`);
  process.exit(result.conclusion === 'success' ? 0 : result.conclusion === 'cancelled' ? 130 : 1);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
