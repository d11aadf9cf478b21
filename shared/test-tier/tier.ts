import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ComposeStack, composeProjectName, findCompose, portVariables, readiness, describeState, type ServiceState } from '../compose/stack.js';
import { formatDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { ExecError } from '../core/exec.js';
import { runStepEnvironment } from '../core/step-environment.js';
import { MalformedReportError, parseJUnitReport } from '../test-report/junit-parser.js';
import type { Logger } from '../core/logger.js';
import { findReports } from '../test-report/report-files.js';
import { runScript } from './run-script.js';
import { TIER_MARKER_VARIABLE, type TierProcessGroup } from './leftover-processes.js';
import { locateFailure, WorkspaceFiles, type SourceLocation } from '../test-report/source-location.js';
import { annotationLimits, emitAnnotations, planAnnotations } from '../test-report/annotations.js';
import { TestResults } from '../test-report/results.js';
import { RetryFolder } from '../test-report/retry-folding.js';
import { buildTierReport, type TierReport } from './report.js';
import { checkBudget, decideVerdict, type BudgetCheck, type Verdict } from './verdict.js';
import { FileTimings, TestFileIndex } from './file-timings.js';
import type { ShardSelection } from './shard-selection.js';

/**
 * One test tier from start to verdict: bring up the Compose stack and wait for it, run the test
 * command (on the runner, or in a container through the shared container runner), tear the
 * stack down whatever happened, then stream-parse the reports, weigh the time against the
 * budget, annotate failures and write the JSON report. Inputs are validated before this is
 * called; nothing here reads the environment of the action.
 */

export interface TestTierConfig {
  tier: string;
  script: string;
  shell: readonly string[];
  workspace: string;
  /** Absolute; where the command runs and `reports` globs start. */
  workingDirectory: string;
  env: ReadonlyMap<string, string>;
  reports: readonly string[];
  budgetMs?: number;
  /** The budget as the user wrote it (`5m`), for the message when the tier is stopped at it. */
  budgetText?: string;
  /** `fail` stops the command when the budget runs out; `warn` lets it run on. */
  onBudgetExceeded: 'fail' | 'warn';
  /** Fold repeated test cases of one `<testsuite>` element as retries (retry-folding.ts). */
  foldRetries: boolean;
  failOnEmpty: boolean;
  /** The most annotations per level, or `github` for GitHub's own limit less the step's own. */
  annotate: number | 'github';
  /** Where the JSON report is written. */
  reportPath: string;
  compose?: { files: readonly string[]; services: readonly string[]; timeoutMs: number; runId?: string };
  /** Runs the script in a container instead of on the runner. */
  runInContainer?: (run: ContainerTestRun) => Promise<TestCommandResult>;
  /** The environment the command inherits on the runner. */
  hostEnv: NodeJS.ProcessEnv;
  /** This runner's share of a sharded suite, and the variables that hand it to the command. */
  shard?: { selection: ShardSelection; env: Readonly<Record<string, string>> };
}

export interface ContainerTestRun {
  script: string;
  env: Record<string, string>;
  /** The stack's network, so services are reached by name. */
  network?: string;
  signal: AbortSignal;
  /** Stop the container after this long (the budget, with `on-budget-exceeded: fail`). */
  timeoutMs?: number;
}

export interface TestCommandResult {
  exitCode: number;
  durationMs: number;
  cancelled: boolean;
  /** Stopped because `timeoutMs` ran out. */
  timedOut: boolean;
}

export interface StackHooks {
  /** Called before the stack starts, so a post step can tear down what a killed process left. */
  starting(stack: { project: string; files: readonly string[]; command: readonly string[]; cwd: string }): void;
  /** Called once the stack is gone. */
  gone(): void;
  /** Called when the command starts on the runner, so a post step can stop what a killed process left. */
  commandStarted?(group: TierProcessGroup): void;
  /** Called once the command has ended. */
  commandEnded?(): void;
}

export interface TestTierOutcome {
  verdict: Verdict;
  budget: BudgetCheck;
  report: TierReport;
  /** The job was cancelled while the tests ran: the report holds what was written by then. */
  cancelled: boolean;
}

export async function runTestTier(config: TestTierConfig, context: { logger: Logger; signal: AbortSignal; hooks: StackHooks }): Promise<TestTierOutcome> {
  const { logger, signal } = context;
  // A shard without files runs nothing: an empty file list would make most runners run the
  // whole suite, on every such shard.
  const emptyShard = config.shard !== undefined && config.shard.selection.files.length === 0;
  let stack: ComposeStack | undefined;
  let stackStates: ServiceState[] = [];
  const services = config.compose?.services ?? [];

  if (config.compose && !emptyShard) {
    const command = await findCompose(logger);
    stack = new ComposeStack({
      command,
      project: composeProjectName(config.tier, config.compose.runId),
      files: config.compose.files,
      cwd: config.workingDirectory,
      logger,
    });
    // A broken file or an unknown service fails here, before anything has started.
    await stack.validate(services);
  }

  let command: TestCommandResult;
  let stackReadyMs: number | undefined;
  const testsStarted = Date.now();
  try {
    if (stack && config.compose) {
      context.hooks.starting({ project: stack.project, files: stack.files, command: stack.command, cwd: config.workingDirectory });
      await stack.up(services, signal);
      stackStates = await stack.waitUntilReady({ timeoutMs: config.compose.timeoutMs, signal });
      stackReadyMs = Date.now() - testsStarted;
    }
    command = emptyShard ? skipEmptyShard(config, logger) : await runCommand(config, stackStates, logger, signal, context.hooks);
    if (stack && !signal.aborted) stackStates = await checkStackAfterTests(stack, logger, command.exitCode !== 0);
  } finally {
    if (stack) {
      if (await stack.down()) context.hooks.gone();
    }
  }
  // Cancelled (or the step's timeout-minutes reached) while the tests ran: the reports written
  // until then are still read, so the summary shows what ran before the stop.
  const cancelled = command.cancelled || signal.aborted;
  const stoppedAtBudget = command.timedOut && !cancelled;
  // A log line, not an annotation: the verdict says it once, as the step's error.
  if (stoppedAtBudget) logger.info(`The ${config.tier} tests were stopped at the ${config.budgetText ?? 'given'} budget; reading the reports written so far.`);

  const budget = checkBudget(command.durationMs, config.budgetMs);
  const results = new TestResults();
  const fileTimings = new FileTimings(new TestFileIndex(config.shard?.selection.files ?? []), config.workspace, config.workingDirectory);
  const folder = config.foldRetries ? new RetryFolder((t) => results.add(t)) : undefined;
  // An empty shard ran nothing, so any report there is someone else's (written within the
  // second before, by an earlier step on the same runner).
  const found = emptyShard ? { files: [], stale: [] } : await findReports(config.reports, config.workingDirectory, testsStarted);
  const malformed: string[] = [];
  const notJUnit: string[] = [];
  // Report paths, test names and messages are whoever wrote the reports' (a fork's artifact, a
  // test dependency): every line is neutralised by the logger, and the whole reading runs with
  // workflow commands stopped, as GitHub recommends for untrusted output.
  await logger.group(`Reading ${found.files.length} JUnit report(s)`, () =>
    logger.withCommandsStopped(async () => {
      logStaleReports(found.stale, config.workspace, logger);
      for (const file of found.files) {
        const read = await readOneReport(file, config.workspace, { results, fileTimings, folder }, logger);
        if (read.notJUnit) notJUnit.push(read.notJUnit);
        if (read.malformed) malformed.push(read.malformed);
      }
    }),
  );

  const verdict = decideVerdict({
    tier: config.tier,
    exitCode: command.exitCode,
    cancelled,
    ...(stoppedAtBudget ? { stoppedAtBudget: config.budgetText ?? formatDuration(config.budgetMs ?? 0) } : {}),
    counts: results.counts,
    budget,
    onBudgetExceeded: config.onBudgetExceeded,
    reportsFound: results.reports.length - notJUnit.length,
    reportWarnings: notJUnit,
    failOnEmpty: config.failOnEmpty && !emptyShard,
    malformed,
  });
  // An empty shard read no report and ran no test: that it is empty is all there is to say.
  if (emptyShard && config.shard) verdict.warnings.splice(0, verdict.warnings.length, emptyShardMessage(config.shard.selection));

  const files = new WorkspaceFiles(config.workspace);
  const locations: (SourceLocation | undefined)[] = results.failures.map((f) => locateFailure(f, config.workspace, config.workingDirectory, files));
  if (config.annotate !== 0) {
    // The verdict adds one error when the tier fails, and one warning per warning.
    const limits = annotationLimits(config.annotate, verdict.passed ? 0 : 1, verdict.warnings.length);
    const plan = planAnnotations(
      results.failures.map((test, i) => ({ test, ...(locations[i] ? { location: locations[i] } : {}) })),
      // A flaky test's first failed attempt points at the line that wobbles.
      results.flaky.map((test) => {
        const location = locateFailure(test, config.workspace, config.workingDirectory, files);
        return { test, ...(location ? { location } : {}) };
      }),
      limits,
    );
    emitAnnotations(plan, logger, results.counts);
  }

  const report = buildTierReport({
    tier: config.tier,
    verdict,
    exitCode: command.exitCode,
    budget,
    results,
    locations,
    staleReports: found.stale,
    workspace: config.workspace,
    files: fileTimings.toRecord(),
    fileTests: fileTimings.testsRecord(),
    ...(config.shard ? { shard: config.shard.selection } : {}),
    ...(stack
      ? {
          stack: {
            project: stack.project,
            files: [...stack.files],
            readyMs: stackReadyMs ?? 0,
            services: stackStates.map((s) => ({ service: s.service, state: s.status, ...(s.health ? { health: s.health } : {}) })),
          },
        }
      : {}),
  });
  await writeFile(config.reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return { verdict, budget, report, cancelled };
}

async function runCommand(
  config: TestTierConfig,
  stackStates: readonly ServiceState[],
  logger: Logger,
  signal: AbortSignal,
  hooks: StackHooks,
): Promise<TestCommandResult> {
  const stackEnv = portVariables(stackStates, config.runInContainer ? 'network' : 'runner');
  if (Object.keys(stackEnv).length > 0)
    logger.info(
      `Stack ports for the tests: ${Object.entries(stackEnv)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  const tierEnv: Record<string, string> = { TEST_TIER: config.tier, ...stackEnv, ...config.shard?.env, ...Object.fromEntries(config.env) };
  logger.info(
    `Running the ${config.tier} tests${
      config.budgetMs !== undefined
        ? ` (budget ${formatDuration(config.budgetMs)}: ${config.onBudgetExceeded === 'fail' ? 'stopped when it runs out' : 'a warning when it is overrun'})`
        : ''
    }${config.runInContainer ? ' in a container' : ''}…`,
  );

  // With `fail`, the budget is a limit: the command is stopped when it runs out.
  const timeoutMs = config.onBudgetExceeded === 'fail' ? config.budgetMs : undefined;
  if (config.runInContainer) {
    const network = stackStates.flatMap((s) => s.networks)[0];
    return config.runInContainer({ script: config.script, env: tierEnv, ...(network ? { network } : {}), signal, ...(timeoutMs ? { timeoutMs } : {}) });
  }
  // What a `run:` step would get: never the action's runtime token, inputs or state file.
  const env = runStepEnvironment(config.hostEnv);
  Object.assign(env, tierEnv);
  // Inherited by every process the command starts: how the post step tells them from strangers.
  const marker = randomBytes(8).toString('hex');
  env[TIER_MARKER_VARIABLE] = marker;
  try {
    return await runScript({
      script: config.script,
      shell: config.shell,
      cwd: config.workingDirectory,
      env,
      signal,
      ...(timeoutMs ? { timeoutMs } : {}),
      onStart: (processGroup) => hooks.commandStarted?.({ processGroup, marker }),
    });
  } catch (error) {
    if (error instanceof ExecError && error.result.exitCode === 127) {
      throw new UserError(`Input 'shell': ${error.message}; install it or choose another shell.`);
    }
    throw error;
  } finally {
    hooks.commandEnded?.();
  }
}

function emptyShardMessage(selection: ShardSelection): string {
  const { spec, suiteFiles } = selection;
  return `Shard ${spec.index}/${spec.total} got no test files (${suiteFiles} file${suiteFiles === 1 ? '' : 's'} over ${spec.total} shards): the test command was not run. Fewer shards would do.`;
}

function skipEmptyShard(config: TestTierConfig, logger: Logger): TestCommandResult {
  if (config.shard) logger.info(emptyShardMessage(config.shard.selection));
  return { exitCode: 0, durationMs: 0, cancelled: false, timedOut: false };
}

/**
 * The stack's state once the tests are done. A service that went down during the tests is
 * named; when the tests failed, every service's logs are printed (collapsed) before the
 * teardown deletes them, since that is where an integration failure is usually explained.
 */
async function checkStackAfterTests(stack: ComposeStack, logger: Logger, testsFailed: boolean): Promise<ServiceState[]> {
  const states = await stack.states();
  const unwell = states.filter((s) => readiness(s) !== 'ready');
  if (unwell.length > 0) {
    logger.warning(`After the tests, the stack had ${unwell.map((s) => `${s.service} ${describeState(s)}`).join(', ')}; see their logs.`);
  }
  if (testsFailed) await stack.printLogs(states.map((s) => s.service));
  else if (unwell.length > 0) await stack.printLogs(unwell.map((s) => s.service));
  return states;
}

function logStaleReports(stale: readonly string[], workspace: string, logger: Logger): void {
  if (stale.length === 0) return;
  const names = stale.slice(0, 5).map((f) => path.relative(workspace, f));
  logger.info(
    `Ignored ${stale.length} report(s) written before this tier started (left from an earlier tier or run): ${names.join(', ')}${stale.length > 5 ? ', …' : ''}`,
  );
}

interface ReportSinks {
  results: TestResults;
  fileTimings: FileTimings;
  folder: RetryFolder | undefined;
}

/** Reads one report into the sinks; says why it did not count, when it did not. */
async function readOneReport(file: string, workspace: string, sinks: ReportSinks, logger: Logger): Promise<{ notJUnit?: string; malformed?: string }> {
  const { results, fileTimings, folder } = sinks;
  const display = path.relative(workspace, file) || file;
  let tests = 0;
  try {
    let parsed: Awaited<ReturnType<typeof parseJUnitReport>>;
    try {
      parsed = await parseJUnitReport(
        file,
        (t) => {
          tests++;
          fileTimings.add(t);
          if (folder) folder.add(t);
          else results.add(t);
        },
        { displayName: display, ...(folder ? { onSuiteEnd: (index: number) => folder.endSuite(index) } : {}) },
      );
    } finally {
      // What a broken report held before the break counts too.
      folder?.end();
    }
    if (!parsed.isJUnit) {
      results.addReport({ file, tests: 0, problem: `not a JUnit report (<${parsed.rootElement}>)` });
      // A warning of the verdict's, so it is in the summary and counted against GitHub's limit.
      return {
        notJUnit: `${display} is not a JUnit report (its root element is <${parsed.rootElement}>, not <testsuites> or <testsuite>); it was not counted.`,
      };
    }
    logger.info(`${display}: ${tests} test${tests === 1 ? '' : 's'}`);
    results.addReport({ file, tests });
    return {};
  } catch (error) {
    if (!(error instanceof MalformedReportError)) throw error;
    const message = tests > 0 ? `${error.message} (${tests} tests before that point were counted)` : error.message;
    // Logged here and named in the step's failure: one error annotation, not two.
    logger.info(message);
    results.addReport({ file, tests, problem: error.message });
    return { malformed: message };
  }
}
