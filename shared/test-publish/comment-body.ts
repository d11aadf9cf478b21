import type { TierReport } from '../test-tier/report.js';
import type { BaselineComparison } from '../test-tier/baseline.js';
import { describeComparison, isNewFailure } from './baseline.js';
import { countsTable, failureBullets, reasonsList, verdictHeading } from './markdown.js';
import { COMMENT_BYTES, fitToBytes } from './text-limit.js';

/**
 * The pull-request comment of one tier in one workflow: the hidden marker it is found again by,
 * the verdict, the counts, the failures linked to their lines at the head commit, and where the
 * rest is (the check run's annotations, the workflow run). At most 65,536 characters, as GitHub
 * allows, cut with a note and a link.
 */

const COMMENT_FAILURES = 30;

/** `<!-- commit-to-prod:run-test-tier tier=unit workflow=ci -->`: one comment per tier and workflow. */
export function commentMarker(tier: string, workflow: string): string {
  // `--` would end the HTML comment early.
  const safe = workflow.replace(/--+/g, '-').replace(/[<>\n\r]/g, ' ');
  return `<!-- commit-to-prod:run-test-tier tier=${tier} workflow=${safe} -->`;
}

export interface CommentInput {
  report: TierReport;
  /** Against the base branch's report, when there is one. */
  comparison?: BaselineComparison | undefined;
  marker: string;
  headSha: string;
  link: (file: string, line?: number) => string;
  checkRunUrl?: string | undefined;
  runUrl?: string | undefined;
}

export function commentBody(input: CommentInput): string {
  const { report } = input;
  const links = [
    input.checkRunUrl ? `[check run with every annotation](${input.checkRunUrl})` : undefined,
    input.runUrl ? `[workflow run](${input.runUrl})` : undefined,
  ].filter(Boolean);
  const body = [
    input.marker,
    `### ${verdictHeading(report)}`,
    '',
    reasonsList(report),
    countsTable(report),
    input.comparison ? `${describeComparison(input.comparison)}\n` : '',
    report.failures.length > 0 ? `**Failures (${report.counts.failed})**\n` : '',
    failureBullets(report, input.link, COMMENT_FAILURES, isNewFailure(input.comparison)),
    '',
    `<sub>Commit ${input.headSha.slice(0, 7)}${links.length ? ` · ${links.join(' · ')}` : ''} · updated on every run</sub>`,
    '',
  ].join('\n');
  return fitToBytes(
    body,
    COMMENT_BYTES,
    (bytes) => `✂️ Cut by ${bytes} bytes to fit GitHub's comment limit${input.runUrl ? `: see the [workflow run](${input.runUrl})` : ''}.`,
  );
}
