/**
 * The job summary of a metrics report: the five numbers and their bands against the previous
 * window first, then the weekly trends as Mermaid charts GitHub draws (`xychart-beta`), the change
 * failures with links to their runs, and the slowest lead times. Lists are cut with a count, so a
 * year of releases stays far under GitHub's 1 MiB per step.
 */
import { escapeHtml, htmlTable } from '../core/summary.js';
import { DORA_2024_SOURCE, HIGHER_IS_BETTER } from './bands.js';
import type { Band, CountedRelease, MetricsBands, MetricsNumbers, MetricsReport, MetricsResult, WeekMetrics } from './model.js';

/** Rows of a list before it is cut ("… and 37 more"). */
export const LIST_LIMIT = 25;
/** Weeks a chart shows (the newest), so a long window keeps a readable axis. */
export const CHART_WEEKS = 26;
const NOTE_LIMIT = 20;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const hours = (h: number | undefined) => (h === undefined ? '—' : h < 48 ? `${round(h, 1)} h` : `${round(h / 24, 1)} days`);
const percent = (r: number | undefined) => (r === undefined ? '—' : `${round(r * 100, 1)}%`);
const band = (b: Band | undefined) => b ?? '—';

type Metric = keyof MetricsBands;

/** The value a comparison reads, per metric. */
function comparedValue(metric: Metric, n: MetricsNumbers): number | undefined {
  switch (metric) {
    case 'deploymentFrequency':
      return n.releases + n.unfinished === 0 ? undefined : n.deploymentsPerWeek;
    case 'leadTime':
      return n.leadTimeMedianHours;
    case 'changeFailureRate':
      return n.changeFailureRate;
    case 'recoveryTime':
      return n.recoveryMedianHours;
    case 'reworkRate':
      return n.reworkRate;
  }
}

/** ▲ better, ▼ worse, = the same, — nothing to compare. */
export function trend(metric: Metric, now: number | undefined, before: number | undefined): string {
  if (now === undefined || before === undefined) return '—';
  if (round(now, 4) === round(before, 4)) return '= same';
  const up = now > before;
  return up === HIGHER_IS_BETTER[metric] ? `${up ? '▲' : '▼'} better` : `${up ? '▲' : '▼'} worse`;
}

function figures(n: MetricsNumbers): Record<Metric, string> {
  return {
    deploymentFrequency: `${round(n.deploymentsPerWeek)} a week (${round(n.deploymentsPerDay)} a day; ${n.successful} successful of ${n.releases})`,
    leadTime:
      n.leadTimeMedianHours === undefined ? '—' : `median ${hours(n.leadTimeMedianHours)}, p90 ${hours(n.leadTimeP90Hours)} (${n.leadTimeCommits} commits)`,
    changeFailureRate: n.changeFailureRate === undefined ? '—' : `${percent(n.changeFailureRate)} (${n.changeFailures} of ${n.served} that served)`,
    recoveryTime: n.recoveryMedianHours === undefined ? '—' : `median ${hours(n.recoveryMedianHours)}, worst ${hours(n.recoveryWorstHours)}`,
    reworkRate: n.reworkRate === undefined ? '—' : `${percent(n.reworkRate)} (${n.rework} of ${n.releases})`,
  };
}

const NAMES: Record<Metric, string> = {
  deploymentFrequency: 'Deployment frequency',
  leadTime: 'Change lead time',
  changeFailureRate: 'Change fail rate',
  recoveryTime: 'Failed deployment recovery time',
  reworkRate: 'Deployment rework rate',
};

/** The five numbers of one result, with bands, against the previous window. */
export function headlineTable(r: MetricsResult): string {
  const now = figures(r.current);
  const before = figures(r.previous);
  const rows = (Object.keys(NAMES) as Metric[]).map((m) => [
    NAMES[m],
    now[m],
    m === 'reworkRate' ? 'no DORA band' : band(r.bands[m]),
    before[m],
    m === 'reworkRate' ? '' : band(r.previousBands[m]),
    trend(m, comparedValue(m, r.current), comparedValue(m, r.previous)),
  ]);
  return htmlTable(['metric', 'this window', 'band', 'previous window', 'band', 'change'], rows);
}

/** One `xychart-beta` block; missing weeks read as 0, which the title says. */
export function weeklyChart(
  title: string,
  axis: string,
  weeks: readonly WeekMetrics[],
  value: (w: WeekMetrics) => number | undefined,
  kind: 'bar' | 'line',
): string {
  const shown = weeks.slice(-CHART_WEEKS);
  const values = shown.map((w) => round(value(w) ?? 0));
  const top = Math.max(1, Math.ceil(Math.max(...values, 0) * 1.1));
  // A shorter last week says so: its count is not a whole week's.
  const labels = shown.map((w) => `"${w.start.slice(5, 10)}${w.days < 7 ? ` (${round(w.days, 1)} d)` : ''}"`).join(', ');
  const quoted = (s: string) => `"${s.replace(/"/g, "'")}"`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${quoted(title)}`,
    `  x-axis ${quoted('week from')} [${labels}]`,
    `  y-axis ${quoted(axis)} 0 --> ${top}`,
    `  ${kind} [${values.join(', ')}]`,
    '```',
    '',
  ].join('\n');
}

function charts(r: MetricsResult): string {
  if (r.weeks.length === 0) return '';
  const cut = r.weeks.length > CHART_WEEKS ? `The newest ${CHART_WEEKS} of ${r.weeks.length} weeks. ` : '';
  return [
    `#### Weekly trends\n\n${cut}A week with nothing to count shows 0.\n`,
    weeklyChart('Successful releases a week', 'releases', r.weeks, (w) => w.successful, 'bar'),
    weeklyChart('Median change lead time (hours)', 'hours', r.weeks, (w) => w.leadTimeMedianHours, 'line'),
    weeklyChart('Change fail rate (%)', '%', r.weeks, (w) => (w.changeFailureRate === undefined ? undefined : w.changeFailureRate * 100), 'bar'),
    weeklyChart('Median recovery time (hours)', 'hours', r.weeks, (w) => w.recoveryMedianHours, 'line'),
    weeklyChart('Deployment rework rate (%)', '%', r.weeks, (w) => (w.reworkRate === undefined ? undefined : w.reworkRate * 100), 'bar'),
  ].join('\n');
}

/** A release as a link to its run (or its id when there is no run). */
function link(c: CountedRelease): string {
  const text = escapeHtml(c.id);
  return c.logUrl && /^https?:\/\//.test(c.logUrl) ? `<a href="${escapeHtml(c.logUrl)}">${text}</a>` : text;
}

/** An HTML table whose cells are already HTML, cut at LIST_LIMIT rows with a count. */
function cutTable(headers: readonly string[], rows: readonly string[][]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .slice(0, LIST_LIMIT)
    .map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('');
  const more = rows.length > LIST_LIMIT ? `\n… and ${rows.length - LIST_LIMIT} more (every one is in the report file).\n` : '';
  return `<table>${head}${body}</table>\n${more}`;
}

function changeFailures(audit: readonly CountedRelease[]): string {
  const failed = audit.filter((c) => c.changeFailure);
  if (failed.length === 0) return '#### Change failures\n\nNone in this window.\n';
  const rows = failed.map((c) => [
    link(c),
    escapeHtml(c.environment),
    escapeHtml(c.createdAt.replace('T', ' ').slice(0, 16)),
    escapeHtml(c.changeFailure!.kind.replace(/-/g, ' ')),
    escapeHtml(c.changeFailure!.remediatedBy ?? '—'),
    escapeHtml(c.changeFailure!.recoveryHours === undefined ? 'not yet' : hours(c.changeFailure!.recoveryHours)),
  ]);
  return `#### Change failures (${failed.length})\n\n${cutTable(['release', 'environment', 'opened (UTC)', 'how', 'remediated by', 'recovery'], rows)}`;
}

function slowestLeadTimes(audit: readonly CountedRelease[]): string {
  const all = audit.flatMap((c) => (c.status === 'success' ? (c.commits ?? []).map((k) => ({ c, k })) : []));
  if (all.length === 0) return '';
  const rows = all
    .sort((a, b) => b.k.leadTimeHours - a.k.leadTimeHours)
    .map(({ c, k }) => [`<code>${escapeHtml(k.sha.slice(0, 7))}</code>`, link(c), escapeHtml(c.environment), escapeHtml(hours(k.leadTimeHours))]);
  return `#### Slowest lead times\n\n${cutTable(['commit', 'release', 'environment', 'lead time'], rows)}`;
}

function notes(report: MetricsReport): string {
  if (report.notes.length === 0) return '';
  const shown = report.notes.slice(0, NOTE_LIMIT).map((n) => `- ${escapeHtml(n)}`);
  const more = report.notes.length > NOTE_LIMIT ? [`- … and ${report.notes.length - NOTE_LIMIT} more (in the report file)`] : [];
  return `#### Notes\n\n${[...shown, ...more].join('\n')}\n`;
}

export function metricsSummaryMarkdown(report: MetricsReport): string {
  const { window: w, overall } = report;
  const empty = overall.current.releases + overall.current.unfinished === 0;
  const parts = [
    `Delivery metrics of ${escapeHtml(report.environments.join(', '))}: ${escapeHtml(w.text)} from ${w.start.slice(0, 10)} to ${w.end.slice(0, 10)}, against the ${w.days} days before.\n`,
  ];
  if (empty) parts.push(`**No releases in this window** in ${escapeHtml(report.environments.join(', '))}.\n`);
  parts.push(headlineTable(overall));
  if (report.byEnvironment.length > 1)
    parts.push(
      `#### By environment\n\n${htmlTable(
        ['environment', ...Object.values(NAMES)],
        report.byEnvironment.map((r) => {
          const f = figures(r.current);
          return [r.environment ?? '', ...(Object.keys(NAMES) as Metric[]).map((m) => `${f[m]}${r.bands[m] ? ` · ${r.bands[m]}` : ''}`)];
        }),
      )}`,
    );
  const n = overall.current;
  if (n.stoppedBeforeServing + n.unfinished > 0)
    parts.push(
      `Stopped before serving (the pipeline working, not change failures): ${n.stoppedBeforeServing}. Unfinished, counted neither way: ${n.unfinished}.\n`,
    );
  if (!empty) parts.push(charts(overall), changeFailures(overall.audit), slowestLeadTimes(overall.audit));
  parts.push(notes(report), `Bands: ${escapeHtml(DORA_2024_SOURCE)}; rework rate has no published band.\n`);
  return parts.filter(Boolean).join('\n');
}
