import { codeBlock, details, escapeHtml, htmlTable, keyValueTable } from '../core/summary.js';
import { formatDuration } from '../core/duration.js';
import type { MergeRecord, ShardRecord, TierReport } from './report.js';
import { describeBudget, type BudgetCheck } from './verdict.js';
import { type BaselineComparison, SLOWER_MIN_SECONDS, SLOWER_RATIO } from './baseline.js';

/**
 * The job summary of one tier, rendered from its JSON report so both always agree: the verdict
 * and why, counts, time against the budget, each failure collapsed with its message and trace,
 * flaky tests and the ten slowest. Long lists are cut (a step summary is limited to 1 MiB);
 * the JSON report keeps them.
 */

const SUMMARY_FAILURES = 50;
const SUMMARY_FLAKY = 50;
/** Tests or files named per kind of change; the JSON reports keep the rest. */
const SUMMARY_NAMED = 20;

/** The message, then the trace, unless the trace already opens with the message. */
function failureText(message: string, trace: string): string {
  const firstLine = trace.split('\n', 1)[0] ?? '';
  if (message && firstLine.includes(message)) return trace;
  return [message, trace].filter(Boolean).join('\n\n') || '(no message in the report)';
}

function seconds(value: number): string {
  return formatDuration(value * 1_000);
}

function describeShard(shard: ShardRecord, actualSeconds: number): string {
  const timed = shard.timedFiles < shard.suiteFiles ? ` (${shard.suiteFiles - shard.timedFiles} without an earlier timing)` : '';
  return `${shard.index}/${shard.total}: ${shard.files} of ${shard.suiteFiles} test files${timed}; expected ${seconds(shard.expectedSeconds)} (an even split: ${seconds(shard.idealSeconds)}), took ${seconds(actualSeconds)}`;
}

/** How even the split was: the wall time is the slowest shard's; an even split would take the mean. */
function describeSplit(merged: MergeRecord, wallSeconds: number): string {
  const total = merged.shards[0]?.total ?? merged.shards.length + merged.missing.length;
  const ran = `${merged.shards.length} of ${total} shards reported`;
  const missing = merged.missing.length > 0 ? ` (missing: ${merged.missing.map((i) => `${i}/${total}`).join(', ')})` : '';
  const slowest = merged.shards.reduce((a, b) => (b.durationSeconds > a.durationSeconds ? b : a), merged.shards[0] ?? { index: 0, durationSeconds: 0 });
  return `${ran}${missing}; the slowest, ${slowest.index}/${total}, took ${seconds(wallSeconds)} against ${seconds(merged.idealSeconds)} for an even split (${Math.round(merged.unevenness * 100)}% over)`;
}

/** Every kind of change since the base branch, one row each, with the tests or files it names. */
function comparisonTable(c: BaselineComparison): string {
  const names = (items: readonly string[]) =>
    items.slice(0, SUMMARY_NAMED).join(', ') + (items.length > SUMMARY_NAMED ? `, … (${items.length - SUMMARY_NAMED} more)` : '');
  const rows: (string | number)[][] = [
    ['🆕 new failures', c.newFailures.size, names([...c.newFailures])],
    ['failing on the base branch too (still failing this tier)', c.failingThereToo.size, names([...c.failingThereToo])],
  ];
  if (!c.partial) rows.push(['✅ no longer failing (fixed)', c.noLongerFailing.length, names(c.noLongerFailing)]);
  rows.push(['newly flaky', c.newlyFlaky.length, names(c.newlyFlaky)]);
  if (!c.partial)
    rows.push([
      'removed tests',
      c.removed.reduce((n, r) => n + r.before - r.now, 0),
      names(c.removed.map((r) => (r.now === 0 ? `${r.file} (gone, ${r.before} tests)` : `${r.file} (${r.before} → ${r.now})`))),
    ]);
  rows.push([
    `much slower test files (≥ ${SLOWER_RATIO}× and ≥ ${SLOWER_MIN_SECONDS}s more)`,
    c.slower.length,
    names(c.slower.map((s) => `${s.file} (${seconds(s.before)} → ${seconds(s.now)})`)),
  ]);
  if (c.budget) {
    const b = c.budget;
    const before = b.beforeSeconds !== undefined ? `; on the base branch ${seconds(b.beforeSeconds)} (${Math.round((b.beforeShare ?? 0) * 100)}%)` : '';
    rows.push([
      `${b.close ? '⚠️ ' : ''}time against the budget`,
      `${Math.round(b.share * 100)}%`,
      `${seconds(b.seconds)} of ${seconds(b.budgetSeconds)}${before}`,
    ]);
  }
  const note = c.partial ? '<p>This shard compared its own files; the merge step says which tests were fixed or removed.</p>\n' : '';
  return `<h4>Since the base branch</h4>\n${htmlTable(['change', 'count', 'tests'], rows)}${note}`;
}

/** Before and after a failure's title: new since the base branch, or failing there too. */
function failureMarks(title: string, c: BaselineComparison | undefined): [string, string] {
  if (!c) return ['', ''];
  return c.newFailures.has(title) ? ['🆕 ', ''] : ['', ' (fails on the base branch too)'];
}

export function renderTierSummary(
  report: TierReport,
  budget: BudgetCheck,
  reportPath: string,
  comparison?: BaselineComparison,
): { heading: string; html: string } {
  const passed = report.verdict === 'passed';
  const heading = `${passed ? '✅' : '❌'} ${report.tier} tests ${passed ? 'passed' : 'failed'}`;
  const c = report.counts;
  const parts: string[] = [];
  if (report.reasons.length > 0) parts.push(`<ul>${report.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>\n`);
  if (report.warnings.length > 0) parts.push(`<ul>${report.warnings.map((w) => `<li>⚠️ ${escapeHtml(w)}</li>`).join('')}</ul>\n`);
  parts.push(
    keyValueTable([
      ['Tier', report.tier],
      ['Verdict', passed ? '✅ passed' : '❌ failed'],
      ['Tests', `${c.total} total: ${c.passed} passed${c.flaky ? ` (${c.flaky} flaky)` : ''}, ${c.failed} failed, ${c.skipped} skipped`],
      ['Duration', `${describeBudget(budget)}${budget.exceeded ? ' ⚠️' : ''}`],
      ['Shard', report.shard ? describeShard(report.shard, report.durationSeconds) : undefined],
      ['Split', report.merged ? describeSplit(report.merged, report.durationSeconds) : undefined],
      ['Time in tests', seconds(report.testSeconds)],
      ['Test command', report.exitCode === 0 ? 'exit code 0' : `exit code ${report.exitCode}`],
      [
        'Reports',
        `${report.reports.length} file${report.reports.length === 1 ? '' : 's'}${report.staleReports.length ? ` (${report.staleReports.length} older than the tier ignored)` : ''}`,
      ],
      [
        'Stack',
        report.stack
          ? `${report.stack.services.map((s) => `${s.service}: ${s.health ?? s.state}`).join(', ')} (compose project ${report.stack.project}, ready in ${seconds(report.stack.readySeconds)})`
          : undefined,
      ],
      ['JSON report', reportPath],
    ]),
  );

  if (comparison) parts.push(comparisonTable(comparison));

  if (report.merged) {
    parts.push(`<h4>Shards</h4>\n`);
    parts.push(
      htmlTable(
        ['shard', 'verdict', 'files', 'tests', 'expected', 'took'],
        report.merged.shards.map((s) => [
          `${s.index}/${s.total}`,
          s.verdict === 'passed' ? '✅ passed' : '❌ failed',
          s.files,
          s.tests,
          s.expectedSeconds === null ? '' : seconds(s.expectedSeconds),
          seconds(s.durationSeconds),
        ]),
      ),
    );
  }

  if (report.failures.length > 0) {
    parts.push(`<h4>Failures (${c.failed})</h4>\n`);
    for (const f of report.failures.slice(0, SUMMARY_FAILURES)) {
      const where = f.location ? ` — ${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : '';
      const attempts = f.attempts > 1 ? ` (${f.attempts} attempts)` : '';
      const [before, after] = failureMarks(f.title, comparison);
      parts.push(details(`❌ ${before}${f.title}${after}${attempts}${where}`, codeBlock(failureText(f.message, f.details))));
    }
    const more = c.failed - Math.min(report.failures.length, SUMMARY_FAILURES);
    if (more > 0) parts.push(`<p>… and ${more} more failure${more === 1 ? '' : 's'}: see the JSON report.</p>\n`);
  }

  if (report.flaky.length > 0) {
    parts.push(`<h4>Flaky tests (${c.flaky}): failed, then passed on a rerun</h4>\n`);
    parts.push(
      htmlTable(
        ['test', 'failed attempts', 'first failure'],
        report.flaky.slice(0, SUMMARY_FLAKY).map((f) => [f.title, f.failedAttempts, f.message]),
      ),
    );
  }

  if (report.slowest.length > 0) {
    parts.push(`<h4>Slowest tests</h4>\n`);
    parts.push(
      htmlTable(
        ['test', 'time', 'outcome'],
        report.slowest.map((t) => [t.title, seconds(t.seconds), t.outcome]),
      ),
    );
  }
  return { heading, html: parts.join('') };
}
