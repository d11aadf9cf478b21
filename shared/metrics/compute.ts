/**
 * The five DORA metrics of the environments asked for, from their release records: each release
 * classified once (success, change failure, stopped before serving, rework, its commits), then
 * counted in the window, the window before it and each week. README.md gives every rule.
 */
import type { CommitSource, MetricsReport, MetricsRelease, MetricsWindow } from './model.js';

export type { MetricsReport } from './model.js';

export interface MetricsOptions {
  window: MetricsWindow;
  /** Only these environments are counted (a release's environment is `record.environment`). */
  environments: string[];
  /** Where commits come from; undefined: no lead time and no rework marker (a note says so). */
  commits: CommitSource | undefined;
  /** A commit message matching it marks its release as rework (a hotfix); undefined: none. */
  reworkMarker: RegExp | undefined;
}

export async function computeMetrics(_releases: MetricsRelease[], _options: MetricsOptions): Promise<MetricsReport> {
  throw new Error('computeMetrics: not yet implemented');
}
