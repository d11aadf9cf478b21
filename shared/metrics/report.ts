/** The JSON report (`report-file`). Filled in by a later commit. */
import type { MetricsReport } from './model.js';

export const REPORT_SCHEMA = 1;

export function metricsReportJson(report: MetricsReport): string {
  return `${JSON.stringify({ schema: REPORT_SCHEMA, ...report }, null, 2)}\n`;
}
