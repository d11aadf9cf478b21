import type { Logger } from '../core/logger.js';
import { escapeHtml } from '../core/summary.js';
import { type PublishedCheckRun, publishCheckRun } from '../github/check-run.js';
import { type GitHubClientOptions, gitHubErrorMessage, isReadOnlyTokenError, openGitHubClient } from '../github/client.js';
import { ACTIONS_BOT_LOGIN, type PublishedComment, upsertComment } from '../github/pr-comment.js';
import type { PullRequestTarget } from '../github/pull-request.js';
import { splitRepository } from '../github/repository.js';
import type { TierReport } from '../test-tier/report.js';
import type { BaselineComparison } from '../test-tier/baseline.js';
import { checkRunAnnotations } from './check-run-annotations.js';
import { checkRunOutput } from './check-run-output.js';
import { commentBody, commentMarker } from './comment-body.js';
import { blobUrl } from './markdown.js';

/**
 * Puts a tier's results where reviewers look: a check run with every failure and flaky test
 * annotated, and one pull-request comment per tier and workflow kept current. Publishing
 * reports the verdict and never changes it: nothing here throws. A token that cannot write (a
 * fork's or Dependabot's pull request) gets one notice; GitHub failing (5xx after retries, a
 * rate limit too long to wait) gets one warning and no further requests.
 *
 * A fork's results (a pull request from another repository, or a `workflow_run` whose head is in
 * one) are the fork's own claim: they are published under a name of their own (`unit tests
 * (fork)`), and a pass is `neutral`, so they can never stand in for this repository's check of
 * the same name, nor show as its green tick.
 */

export type CommentMode = 'on-failure' | 'always' | 'off';

export interface PublishRequest {
  token: string;
  comment: CommentMode;
  report: TierReport;
  /** What changed since the base branch's report of the same tier, when there is one. */
  comparison?: BaselineComparison | undefined;
  /** The job summary's HTML, shown as the check run's text. */
  summaryHtml: string;
  /** `owner/repo`. */
  repository: string;
  serverUrl: string;
  apiUrl: string;
  target: PullRequestTarget;
  /** The workflow run whose results these are. */
  runUrl?: string | undefined;
  /** Its workflow's name, for the comment's marker. */
  workflow: string;
  startedAt?: string;
  /** The login the token writes as (default `github-actions[bot]`): only its comment is updated. */
  identity?: string | undefined;
  logger: Logger;
  signal?: AbortSignal;
  /** The client's waits (tests shorten them). */
  pacing?: GitHubClientOptions['pacing'];
}

/** The check run's name and conclusion: a fork's results can never pass for this repository's own check. */
export function checkRunIdentity(
  tier: string,
  verdict: TierReport['verdict'],
  fork: string | undefined,
): { name: string; conclusion: 'success' | 'failure' | 'neutral' } {
  if (fork !== undefined) return { name: `${tier} tests (fork)`, conclusion: verdict === 'passed' ? 'neutral' : 'failure' };
  return { name: `${tier} tests`, conclusion: verdict === 'passed' ? 'success' : 'failure' };
}

export interface PublishOutcome {
  checkRun?: PublishedCheckRun;
  comment?: PublishedComment;
  /** HTTP requests made, retries included. */
  requests: number;
  /** What the token was not allowed to write. */
  refused: string[];
  /** Why publishing stopped, when GitHub failed. */
  failed?: string;
  /** Lines for the job summary: links to what was published, or why nothing was. */
  summaryHtml: string;
}

export async function publishTierResults(request: PublishRequest): Promise<PublishOutcome> {
  const { report, target, logger } = request;
  const outcome: PublishOutcome = { requests: 0, refused: [], summaryHtml: '' };
  const link = (file: string, line?: number) => blobUrl(request.serverUrl, request.repository, target.headSha, file, line);

  /** Runs one publication; false when GitHub failed and nothing more should be sent. */
  const attempt = async (what: string, fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (error) {
      if (isReadOnlyTokenError(error)) {
        outcome.refused.push(what);
        return true;
      }
      outcome.failed = `${what}: ${gitHubErrorMessage(error)}`;
      return false;
    }
  };

  if (!/^[^/]+\/[^/]+$/.test(request.repository) || !/^[0-9a-f]{40}$/i.test(target.headSha)) {
    logger.warning(
      `Not publishing the ${report.tier} results to GitHub: the repository (${request.repository || 'none'}) or commit (${target.headSha || 'none'}) is not known.`,
    );
    return outcome;
  }
  const client = await openGitHubClient({ token: request.token, apiUrl: request.apiUrl, logger, signal: request.signal, pacing: request.pacing });

  const comparison = request.comparison;
  const output = checkRunOutput({ report, comparison, summaryHtml: request.summaryHtml, runUrl: request.runUrl, link });
  const annotations = checkRunAnnotations(report);
  const { name, conclusion } = checkRunIdentity(report.tier, report.verdict, target.fork);
  if (target.fork !== undefined) {
    logger.info(
      `These results come from a fork (${target.fork}): published as '${name}', a pass as neutral, never as this repository's '${report.tier} tests'.`,
    );
  }
  let goOn = await attempt('the check run', async () => {
    outcome.checkRun = await publishCheckRun(client, {
      repository: request.repository,
      name,
      headSha: target.headSha,
      conclusion,
      ...output,
      ...(target.fork !== undefined ? { title: `Reported by a fork's run, not checked by this repository — ${output.title}` } : {}),
      ...(request.runUrl ? { detailsUrl: request.runUrl } : {}),
      ...(request.startedAt ? { startedAt: request.startedAt } : {}),
      annotations,
    });
    logger.info(`Check run '${name}' published with ${annotations.length} annotation${annotations.length === 1 ? '' : 's'}: ${outcome.checkRun.htmlUrl}`);
  });

  let issueNumber = request.comment !== 'off' ? target.number : undefined;
  if (goOn && issueNumber !== undefined && target.numberToVerify) {
    // A fork's run names its own pull request in an artifact it could have forged: comment only
    // on a pull request whose head really is the commit that ran.
    const number = issueNumber;
    goOn = await attempt('the pull-request lookup', async () => {
      const { data } = await client.octokit.rest.pulls.get({ ...splitRepository(request.repository), pull_number: number });
      if (data.head?.sha !== target.headSha) {
        logger.warning(`Not commenting on pull request #${number}: its head is ${data.head?.sha ?? 'unknown'}, not the commit tested (${target.headSha}).`);
        issueNumber = undefined;
      }
    });
  }
  if (goOn && issueNumber !== undefined) {
    const number = issueNumber;
    const marker = commentMarker(report.tier, request.workflow);
    await attempt('the pull-request comment', async () => {
      const published = await upsertComment(
        client,
        {
          repository: request.repository,
          issueNumber: number,
          marker,
          body: commentBody({ report, comparison, marker, headSha: target.headSha, link, checkRunUrl: outcome.checkRun?.htmlUrl, runUrl: request.runUrl }),
          author: request.identity ?? ACTIONS_BOT_LOGIN,
        },
        // on-failure: a passing run creates nothing, but brings an earlier failure's comment up to date.
        { create: request.comment === 'always' || report.verdict === 'failed' },
      );
      if (published) {
        outcome.comment = published;
        logger.info(`Pull request #${number}: comment ${published.action} (${published.htmlUrl}).`);
      }
    });
  }
  outcome.requests = client.requests.length;

  outcome.summaryHtml = tellOutcome(outcome, report.tier, issueNumber, logger);
  return outcome;
}

/** One notice for a read-only token, one warning when GitHub failed; the job summary's lines. */
function tellOutcome(outcome: PublishOutcome, tier: string, issueNumber: number | undefined, logger: Logger): string {
  const lines: string[] = [];
  if (outcome.checkRun)
    lines.push(
      `Check run: <a href="${escapeHtml(outcome.checkRun.htmlUrl)}">${escapeHtml(outcome.checkRun.name)}</a> (${outcome.checkRun.annotations} annotations)`,
    );
  if (outcome.comment) lines.push(`Pull request comment: <a href="${escapeHtml(outcome.comment.htmlUrl)}">#${issueNumber}</a> (${outcome.comment.action})`);
  if (outcome.refused.length > 0) {
    logger.notice(
      `The github-token may not write ${outcome.refused.join(' or ')} ("Resource not accessible by integration": a fork's or Dependabot's pull request gets a read-only token, or the workflow's permissions leave out checks: write / pull-requests: write). The results stay in this job summary and the step's annotations; to publish a fork's results, use the workflow_run pattern (workflows-examples/publish-test-results.yml).`,
    );
    lines.push(`Not published on GitHub: the token may not write ${escapeHtml(outcome.refused.join(' or '))} (read-only token).`);
  }
  if (outcome.failed) {
    logger.warning(`Could not publish the ${tier} results to GitHub (${outcome.failed}); the tier's verdict stands and the job summary holds the results.`);
    lines.push(`Not published on GitHub: ${escapeHtml(outcome.failed)}.`);
  }
  return lines.length > 0 ? `<p>${lines.join('<br>\n')}</p>\n` : '';
}
