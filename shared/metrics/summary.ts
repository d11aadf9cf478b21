/** The job summary of a metrics report. Filled in by a later commit. */
import type { MetricsReport } from './model.js';

export function metricsSummaryMarkdown(report: MetricsReport): string {
  return `No summary yet for ${report.environments.join(', ')}.\n`;
}
