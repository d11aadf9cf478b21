import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { BaselineComparison, BaselineReport } from '../../../shared/test-tier/baseline.js';
import type { TierReport } from '../../../shared/test-tier/report.js';
import { errorMessage, InputError, UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import type { ActionContext } from '../../../shared/core/action.js';
import type { Logger } from '../../../shared/core/logger.js';
import { escapeHtml, writeSummary } from '../../../shared/core/summary.js';
import { maskSecrets } from '../../../shared/core/secrets.js';
import type { TestTierConfig } from '../../../shared/test-tier/tier.js';
import { readInputs, type TierInputs } from './inputs.js';
import { outputs } from './outputs.js';
import { publishResults } from './publish.js';
import { state } from './state.js';

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const config = readInputs(new Inputs(), process.env);
  const reportPath = path.join(process.env.RUNNER_TEMP || config.workspace, `test-tier-${config.tier}-${randomBytes(4).toString('hex')}.json`);
  // Heavy modules (the XML parser, globbing) load only once the inputs are known to be good.
  const outcome = config.mergeReports.length > 0 ? await mergeTier(config, reportPath, logger) : await runTier(config, reportPath, logger, signal);
  const { renderTierSummary } = await import('../../../shared/test-tier/summary.js');

  const { verdict, budget, report } = outcome;
  const c = report.counts;
  outputs.set('passed', c.passed);
  outputs.set('failed', c.failed);
  outputs.set('skipped', c.skipped);
  outputs.set('flaky', c.flaky);
  outputs.set('total', c.total);
  outputs.set('duration-seconds', report.durationSeconds);
  outputs.set('budget-exceeded', budget.exceeded);
  outputs.set('report', reportPath);

  const comparison = await compareWithBaselineReport(config.baselineReport, report, logger);
  const summary = renderTierSummary(report, budget, reportPath, comparison);
  // With a github-token: the check run and the pull-request comment, linked from the summary.
  // Called once the verdict is known; it never throws, so publishing never changes the verdict.
  const published = await publishResults(config, report, comparison, summary.html, { logger, signal });
  await writeSummary(summary.heading, summary.html, published);
  logger.info(verdict.headline);
  for (const warning of verdict.warnings) logger.warning(warning);
  if (outcome.cancelled) throw new Error(`the ${config.tier} tests were cancelled`);
  if (!verdict.passed) throw new UserError(verdict.failures.join(' '));
}

/** The base branch's report, checked by readInputs when it exists; absent, nothing is compared. */
async function compareWithBaselineReport(file: string | undefined, report: TierReport, logger: Logger): Promise<BaselineComparison | undefined> {
  if (!file) return undefined;
  if (!existsSync(file)) {
    logger.info(`No baseline report at ${file} (the base branch has no run yet?): nothing to compare with.`);
    return undefined;
  }
  const { compareWithBaseline } = await import('../../../shared/test-tier/baseline.js');
  return compareWithBaseline(report, JSON.parse(readFileSync(file, 'utf8')) as BaselineReport);
}

/** The merge step of a sharded tier: the shards' reports as one tier, no command run. */
async function mergeTier(config: TierInputs, reportPath: string, logger: Logger) {
  const { findReports } = await import('../../../shared/test-report/report-files.js');
  const { mergeShardReports, readShardReports } = await import('../../../shared/test-tier/merge.js');
  // Downloaded artifacts are older than this step: every match counts.
  const found = await findReports(config.mergeReports, config.workingDirectory, 0);
  if (found.files.length === 0)
    throw new InputError(
      'merge-reports',
      config.mergeReports.join(', '),
      `globs that match the shards' JSON reports (downloaded artifacts), relative to ${config.workingDirectory}`,
    );
  const shards = await readShardReports(found.files, config.tier, config.workspace);
  logger.info(`Merging ${shards.length} shard report(s) of the ${config.tier} tier: ${shards.map((s) => s.file).join(', ')}`);
  const merged = mergeShardReports({
    tier: config.tier,
    shards,
    ...(config.budgetMs !== undefined ? { budgetMs: config.budgetMs } : {}),
    onBudgetExceeded: config.onBudgetExceeded,
    failOnEmpty: config.failOnEmpty,
  });
  await writeFile(reportPath, `${JSON.stringify(merged.report, null, 2)}\n`);
  return { ...merged, cancelled: false };
}

async function runTier(config: TierInputs, reportPath: string, logger: Logger, signal: AbortSignal) {
  const { runTestTier } = await import('../../../shared/test-tier/tier.js');
  let shard: TestTierConfig['shard'];
  if (config.shard) {
    const { selectShard, shardEnvironment } = await import('../../../shared/test-tier/shard-selection.js');
    const selection = await selectShard({ ...config.shard, workspace: config.workspace, workingDirectory: config.workingDirectory }, logger);
    const { env, listFile } = await shardEnvironment(selection, process.env.RUNNER_TEMP || config.workspace);
    shard = { selection, env };
    logger.info(
      `Shard ${selection.spec.index}/${selection.spec.total}: ${selection.files.length} of ${selection.suiteFiles} test files, expected ${selection.expectedSeconds}s (an even split: ${selection.idealSeconds}s; ${selection.timedFiles} files timed by ${selection.timingReports} earlier report(s)).`,
    );
    outputs.set('shard-files', listFile);
  }

  let inContainer: TestTierConfig['runInContainer'];
  if (config.containerImage) {
    const image = config.containerImage;
    const { newContainerName, resolveImage, runInContainer } = await import('../../../shared/container/runner.js');
    // Pulled (as `pull` says) before the stack starts: a missing image fails in seconds, not
    // after the stack has come up healthy.
    await resolveImage(image, config.pull, { logger, signal });
    const name = newContainerName(`ctp-test-${config.tier}`);
    // Saved before the container exists: a main killed outright leaves it to post.
    state.save('container', name);
    // The runner's own "time limit reached" error goes to the log only: the verdict reports the
    // stop at the budget, and a second error annotation would take one of GitHub's ten.
    const containerLogger: Logger = { ...logger, error: (message) => logger.info(message) };
    inContainer = async (run) => {
      const result = await runInContainer(
        {
          name,
          image,
          pull: 'missing',
          script: run.script,
          shell: config.shell,
          workspace: config.workspace,
          workingDirectory: config.workingDirectory,
          env: run.env,
          ...(run.network ? { network: run.network } : {}),
          // The shard's file list lives in RUNNER_TEMP, which the container does not see.
          ...(shard?.env.TEST_SHARD_FILES ? { mounts: [{ source: shard.env.TEST_SHARD_FILES, target: shard.env.TEST_SHARD_FILES, readOnly: true }] } : {}),
          labels: { 'commit-to-prod.tier': config.tier },
          groupTitle: `${config.tier} tests in ${image}`,
        },
        { logger: containerLogger, signal: run.signal, ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}) },
      );
      return { exitCode: result.exitCode, durationMs: result.durationMs, cancelled: result.cancelled, timedOut: result.timedOut };
    };
  }

  try {
    return await runTestTier(
      {
        tier: config.tier,
        script: config.script,
        shell: config.shell,
        workspace: config.workspace,
        workingDirectory: config.workingDirectory,
        env: config.extraEnv,
        reports: config.reports,
        ...(config.budgetMs !== undefined ? { budgetMs: config.budgetMs } : {}),
        ...(config.budgetText !== undefined ? { budgetText: config.budgetText } : {}),
        onBudgetExceeded: config.onBudgetExceeded,
        foldRetries: config.foldRetries,
        failOnEmpty: config.failOnEmpty,
        annotate: config.annotate,
        reportPath,
        ...(config.composeFiles.length > 0
          ? {
              compose: {
                files: config.composeFiles,
                services: config.composeServices,
                timeoutMs: config.composeTimeoutMs,
                ...(process.env.GITHUB_RUN_ID ? { runId: process.env.GITHUB_RUN_ID } : {}),
              },
            }
          : {}),
        hostEnv: process.env,
        ...(shard ? { shard } : {}),
        ...(inContainer ? { runInContainer: inContainer } : {}),
      },
      {
        logger,
        signal,
        hooks: {
          starting(stack) {
            state.save('compose-project', stack.project);
            state.save('compose-files', JSON.stringify(stack.files));
            state.save('compose-command', JSON.stringify(stack.command));
            state.save('compose-cwd', stack.cwd);
          },
          gone() {
            state.save('compose-project', '');
          },
          commandStarted(group) {
            state.save('process-group', JSON.stringify(group));
          },
          commandEnded() {
            state.save('process-group', '');
          },
        },
      },
    );
  } catch (error) {
    // The stack never became healthy, the image could not be pulled, the job was cancelled:
    // the summary still says what happened to this tier.
    await writeSummary(`❌ ${config.tier} tests did not complete`, `<p>${escapeHtml(maskSecrets(errorMessage(error)))}</p>\n`);
    throw error;
  }
}
