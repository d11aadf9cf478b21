/**
 * The JSON report (`report-file`): the window, the numbers of every environment and of all of
 * them together (with the previous window's and the weekly series), every release in the window
 * with how it was counted, and the notes. A stable shape (README.md, "The report file"): every key
 * is always present, a number that cannot be computed is `null`, and `schema` changes when a field
 * changes meaning.
 */
import type { CountedRelease, MetricsBands, MetricsNumbers, MetricsReport, MetricsResult, MetricsWindow, WeekMetrics } from './model.js';

export const REPORT_SCHEMA = 1;

export interface ReportResult {
  environment: string | null;
  numbers: MetricsNumbers;
  bands: MetricsBands;
  previous: MetricsNumbers;
  previousBands: MetricsBands;
  weeks: WeekMetrics[];
}

export interface MetricsReportFile {
  schema: typeof REPORT_SCHEMA;
  window: MetricsWindow;
  previousWindow: MetricsWindow;
  environments: string[];
  overall: ReportResult;
  byEnvironment: ReportResult[];
  /** Every release of the environments in the window, oldest first (per environment: filter on `environment`). */
  releases: CountedRelease[];
  notes: string[];
}

function result(r: MetricsResult): ReportResult {
  return { environment: r.environment ?? null, numbers: r.current, bands: r.bands, previous: r.previous, previousBands: r.previousBands, weeks: r.weeks };
}

export function metricsReportFile(report: MetricsReport): MetricsReportFile {
  return {
    schema: REPORT_SCHEMA,
    window: report.window,
    previousWindow: report.previousWindow,
    environments: report.environments,
    overall: result(report.overall),
    byEnvironment: report.byEnvironment.map(result),
    releases: report.overall.audit,
    notes: report.notes,
  };
}

/** The report as written to `report-file`: undefined written as null, so every key is there. */
export function metricsReportJson(report: MetricsReport): string {
  return `${JSON.stringify(metricsReportFile(report), (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
}
