import { formatDuration } from '../core/duration.js';
import type { TierReport } from '../test-tier/report.js';
import { neutraliseReferences } from './neutralise.js';

/**
 * The pieces a check run's summary and a pull-request comment share: the verdict's heading, the
 * counts as one Markdown table, and links to a failure's line at the commit that was tested.
 */

/**
 * Text safe inside a Markdown table cell or link label: no HTML, no table or link syntax, one
 * line, and no mention, issue reference or autolink (neutralise.ts).
 */
export function inlineText(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const short = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return neutraliseReferences(short.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`));
}

export function verdictHeading(report: TierReport): string {
  return report.verdict === 'passed' ? `✅ ${report.tier} tests passed` : `❌ ${report.tier} tests failed`;
}

export function countsTable(report: TierReport): string {
  const c = report.counts;
  const budget = report.budgetSeconds === null ? '' : ` of ${formatDuration(report.budgetSeconds * 1_000)}${report.budgetExceeded ? ' ⚠️' : ''}`;
  return [
    '| tests | passed | failed | skipped | flaky | duration |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${c.total} | ${c.passed} | ${c.failed} | ${c.skipped} | ${c.flaky} | ${formatDuration(report.durationSeconds * 1_000)}${budget} |`,
    '',
  ].join('\n');
}

export function reasonsList(report: TierReport): string {
  const lines = [...report.reasons.map((r) => `- ${inlineText(r, 500)}`), ...report.warnings.map((w) => `- ⚠️ ${inlineText(w, 500)}`)];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** `https://github.com/o/r/blob/<sha>/<path>#L<line>`: the line as it was in the commit tested. */
export function blobUrl(serverUrl: string, repository: string, sha: string, file: string, line?: number): string {
  const pathPart = file.split('/').map(encodeURIComponent).join('/');
  return `${serverUrl}/${repository}/blob/${sha}/${pathPart}${line !== undefined ? `#L${line}` : ''}`;
}

/**
 * One bullet per failure, linked to its line, at most `max`; the rest counted. With `isNew`
 * (a base branch to compare with), the failures new since then come first, marked.
 */
export function failureBullets(report: TierReport, link: (file: string, line?: number) => string, max: number, isNew?: (title: string) => boolean): string {
  if (report.failures.length === 0) return '';
  const ordered = isNew ? [...report.failures.filter((f) => isNew(f.title)), ...report.failures.filter((f) => !isNew(f.title))] : report.failures;
  const lines = ordered.slice(0, max).map((f) => {
    const where = f.location
      ? ` — [${inlineText(`${f.location.file}${f.location.line ? `:${f.location.line}` : ''}`)}](${link(f.location.file, f.location.line)})`
      : '';
    const message = f.message ? `: ${inlineText(f.message, 160)}` : '';
    return `- ❌ ${isNew?.(f.title) ? '🆕 ' : ''}**${inlineText(f.title)}**${where}${message}`;
  });
  const more = report.counts.failed - Math.min(max, report.failures.length);
  if (more > 0) lines.push(`- … and ${more} more`);
  return `${lines.join('\n')}\n`;
}
