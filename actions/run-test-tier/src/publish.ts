import { existsSync, readFileSync } from 'node:fs';
import type { Logger } from '../../../shared/core/logger.js';
import { runContext } from '../../../shared/github/run-context.js';
import type { TierReport } from '../../../shared/test-tier/report.js';
import type { TierInputs } from './inputs.js';

/**
 * With a github-token, the tier's check run and pull-request comment; the HTML it returns (links
 * to them, or why nothing was published) goes into the job summary. Called once the verdict is
 * known, and never throws: publishing never changes the verdict. The GitHub client is loaded
 * only here, so a run without a token starts as fast as before.
 */
export async function publishResults(
  config: Pick<TierInputs, 'githubToken' | 'comment' | 'eventFile' | 'baselineReport'>,
  report: TierReport,
  summaryHtml: string,
  context: { logger: Logger; signal: AbortSignal },
): Promise<string> {
  if (!config.githubToken) return '';
  const { logger } = context;
  try {
    const { publishTierResults } = await import('../../../shared/test-publish/publish.js');
    const { pullRequestTarget } = await import('../../../shared/github/pull-request.js');
    const { readEventPayload } = await import('../../../shared/github/event-payload.js');
    const run = runContext(process.env);
    const { event, problem } = readEventPayload(process.env.GITHUB_EVENT_PATH);
    if (problem) logger.warning(`${problem}; the results go on GITHUB_SHA and no pull request is commented.`);
    const triggering = config.eventFile ? readEventPayload(config.eventFile) : undefined;
    if (triggering?.problem) logger.warning(`${triggering.problem}; no pull request is commented.`);
    const target = pullRequestTarget(run.eventName, event, run.sha ?? '', triggering?.event);
    const baseline = readBaseline(config.baselineReport, logger);
    const outcome = await publishTierResults({
      token: config.githubToken,
      ...(baseline ? { baseline } : {}),
      comment: config.comment,
      report,
      summaryHtml,
      repository: run.repository,
      serverUrl: run.serverUrl,
      apiUrl: run.apiUrl,
      target,
      runUrl: target.runUrl ?? run.runUrl,
      workflow: target.workflow ?? run.workflow ?? 'workflow',
      // The test command's start: the check run shows how long the tier took.
      startedAt: new Date(Date.now() - report.durationSeconds * 1_000).toISOString(),
      logger,
      signal: context.signal,
    });
    logger.debug(`GitHub publishing: ${outcome.requests} request(s).`);
    return outcome.summaryHtml;
  } catch (error) {
    logger.warning(`Could not publish the ${report.tier} results to GitHub: ${error instanceof Error ? error.message : String(error)}`);
    return '';
  }
}

/** The base branch's report, checked by readInputs when it exists; absent, nothing is compared. */
function readBaseline(file: string | undefined, logger: Logger): Pick<TierReport, 'failures'> | undefined {
  if (!file) return undefined;
  if (!existsSync(file)) {
    logger.info(`No baseline report at ${file} (the base branch has no run yet?): nothing to compare with.`);
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Pick<TierReport, 'failures'>;
}
