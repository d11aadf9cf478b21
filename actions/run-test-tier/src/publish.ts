import type { Logger } from '../../../shared/core/logger.js';
import { runContext } from '../../../shared/github/run-context.js';
import type { BaselineComparison } from '../../../shared/test-tier/baseline.js';
import type { TierReport } from '../../../shared/test-tier/report.js';
import type { TierInputs } from './inputs.js';

/**
 * With a github-token, the tier's check run and pull-request comment; the HTML it returns (links
 * to them, or why nothing was published) goes into the job summary. Called once the verdict is
 * known, and never throws: publishing never changes the verdict. The GitHub client is loaded
 * only here, so a run without a token starts as fast as before.
 */
export async function publishResults(
  config: Pick<TierInputs, 'githubToken' | 'comment' | 'eventFile' | 'githubIdentity'>,
  report: TierReport,
  comparison: BaselineComparison | undefined,
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
    const target = pullRequestTarget(run.eventName, event, run.sha ?? '', triggering?.event, run.repository);
    const outcome = await publishTierResults({
      token: config.githubToken,
      ...(comparison ? { comparison } : {}),
      comment: config.comment,
      identity: config.githubIdentity,
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
