import type { TierReport } from '../test-tier/report.js';
import type { BaselineComparison } from '../test-tier/baseline.js';
import { describeComparison, isNewFailure } from './baseline.js';
import { neutraliseHtmlText } from './neutralise.js';
import { countsTable, failureBullets, reasonsList, verdictHeading } from './markdown.js';
import { CHECK_RUN_TEXT_BYTES, fitToBytes } from './text-limit.js';

/**
 * What a tier's check run says: the title is the verdict's headline, the summary the reasons,
 * the counts and the first failures with links to their lines; the text is the job summary's
 * own tables (GitHub renders its HTML in a check run as it does in a job summary). Each is cut
 * to GitHub's 65,535 bytes with a link to the run, where the job summary and the JSON report
 * hold everything.
 */

const SUMMARY_FAILURES = 50;

export interface CheckRunOutputInput {
  report: TierReport;
  /** Against the base branch's report, when there is one. */
  comparison?: BaselineComparison | undefined;
  /** The job summary's HTML (test-tier/summary.ts). */
  summaryHtml: string;
  runUrl?: string | undefined;
  link: (file: string, line?: number) => string;
}

export function checkRunOutput(input: CheckRunOutputInput): { title: string; summary: string; text: string } {
  const { report } = input;
  const c = report.counts;
  const title = `${c.failed > 0 ? `${c.failed} failed, ` : ''}${c.passed} passed${c.flaky ? ` (${c.flaky} flaky)` : ''}, ${c.skipped} skipped`;
  const cutNote = (what: string) => (bytes: number) =>
    `✂️ ${what} cut by ${bytes} bytes to fit GitHub's limit of ${CHECK_RUN_TEXT_BYTES}${input.runUrl ? `: the [workflow run](${input.runUrl})'s job summary and JSON report hold everything` : ''}.`;
  const summary = [
    `### ${verdictHeading(report)}`,
    '',
    reasonsList(report),
    countsTable(report),
    input.comparison ? `${describeComparison(input.comparison)}\n` : '',
    report.failures.length > 0 ? `**Failures (${c.failed})** — every one is annotated on its line below.\n` : '',
    failureBullets(report, input.link, SUMMARY_FAILURES, isNewFailure(input.comparison)),
    input.runUrl ? `\n[Workflow run](${input.runUrl})\n` : '',
  ].join('\n');
  return {
    title: `${report.tier}: ${title}`,
    summary: fitToBytes(summary, CHECK_RUN_TEXT_BYTES, cutNote('This summary was')),
    // The job summary's HTML holds test names and messages as text: neutralised there too.
    text: fitToBytes(neutraliseHtmlText(input.summaryHtml), CHECK_RUN_TEXT_BYTES, cutNote('This report was')),
  };
}
