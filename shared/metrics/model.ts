/**
 * What delivery metrics read and what they produce: the shape shared by the readers (GitHub's
 * deployments and statuses through GraphQL, or an ECS service's revision tags), the commit source
 * (the checked-out history, else the API) and the computation (compute.ts). Every release is a
 * release record (release/schema.ts ReleaseFields) with the times and links only the reader knows.
 */
import type { ReleaseFields } from '../release/schema.js';

/** One release as read back, with where it came from. */
export interface MetricsRelease {
  /** The GitHub deployment's id, or the revision's ARN when read from ECS tags. */
  id: string;
  /** Where it was read: the GitHub deployment, or the ECS revision's tags (fewer metrics). */
  source: 'github' | 'ecs-tags';
  record: ReleaseFields;
  /** ISO time the record was opened: the deployment's `created_at` (never `updated_at`), else the record's `startedAt`. */
  createdAt: string;
  /** ISO time it ended: the closing status's `created_at`, else the record's `finishedAt`; undefined while open. */
  finishedAt: string | undefined;
  /** The run that made it (the closing status's `log_url`), for the summary's links. */
  logUrl: string | undefined;
  /**
   * When the reader knows it: when the release began to reach production, its first `in_progress`
   * status (written when the service was updated). Without it, serving is taken to begin when the
   * record was opened (createdAt), just before the service was touched.
   */
  serviceUpdatedAt?: string;
}

/** A commit, as the lead time needs it. */
export interface CommitInfo {
  sha: string;
  /** ISO committer time (not author time: when it reached the branch). */
  committedAt: string;
  /** The whole message, for a rework marker (a trailer such as `Hotfix: true`, or a word such as `hotfix`). */
  message: string;
}

/** Where commits come from: the checked-out history (`fetch-depth: 0`) where it has them, else the API. */
export interface CommitSource {
  /**
   * The commits reachable from `head` and not from `base` (git's `base..head`), newest first;
   * undefined when neither the history nor the API knows one of them (the note says so).
   */
  between(base: string, head: string): Promise<CommitInfo[] | undefined>;
  /** One commit (a release's own, for its marker), undefined when unknown. */
  commit(sha: string): Promise<CommitInfo | undefined>;
}

/** The period the metrics cover: [start, end), and the window before it for the comparison. */
export interface MetricsWindow {
  /** As given, e.g. `30d`, `8w`. */
  text: string;
  days: number;
  start: string;
  end: string;
}

/** DORA's performance bands, best first. */
export type Band = 'elite' | 'high' | 'medium' | 'low';

/** The numbers of one window (the window asked for, or the one before it). */
export interface MetricsNumbers {
  /** Finished releases in the window (unfinished ones are counted in `unfinished` only). */
  releases: number;
  successful: number;
  /** Releases that served production traffic (the change fail rate's denominator). */
  served: number;
  changeFailures: number;
  /** Stopped before serving anything (a failed migration, a rejected gate, never healthy): the pipeline working, not a change failure. */
  stoppedBeforeServing: number;
  /** Failed with no word on whether they served (`served=unknown`): left out of the change fail rate. */
  servedUnknown: number;
  /** Open records (`in-progress`, `paused`, `started`): neither success nor failure. */
  unfinished: number;
  /** Unplanned releases (the rework rate's numerator). */
  rework: number;
  deploymentsPerDay: number;
  deploymentsPerWeek: number;
  /** Commits whose lead time is counted. */
  leadTimeCommits: number;
  leadTimeMedianHours: number | undefined;
  leadTimeP90Hours: number | undefined;
  /** 0–1; undefined when no release served. */
  changeFailureRate: number | undefined;
  /** Change failures whose recovery is known. */
  recoveries: number;
  recoveryMedianHours: number | undefined;
  recoveryWorstHours: number | undefined;
  /** 0–1; undefined when no release finished. */
  reworkRate: number | undefined;
}

/** The band of each metric; undefined where there is no number, or (rework rate) no published band. */
export interface MetricsBands {
  deploymentFrequency: Band | undefined;
  leadTime: Band | undefined;
  changeFailureRate: Band | undefined;
  recoveryTime: Band | undefined;
  reworkRate: Band | undefined;
}

/** One week of the window (the last may be shorter), for the trend charts. */
export interface WeekMetrics {
  /** ISO start of the week (the window's start, then every 7 days). */
  start: string;
  days: number;
  releases: number;
  successful: number;
  changeFailures: number;
  leadTimeMedianHours: number | undefined;
  changeFailureRate: number | undefined;
  recoveryMedianHours: number | undefined;
  reworkRate: number | undefined;
}

/** How a release that finished was counted: its status first (exactly one of these). */
export type ReleaseStatus =
  | 'success'
  /** Served production, then failed or was rolled back. */
  | 'failed-after-serving'
  | 'stopped-before-serving'
  /** Failed, and the record cannot tell whether it served. */
  | 'failed-served-unknown'
  /** Cancelled or ended `unknown`: no verdict on the change. */
  | 'no-verdict'
  | 'unfinished';

/** Why a release counts as a change failure. */
export type ChangeFailureKind = 'rolled-back-automatically' | 'failed-after-serving' | 'rollback-action' | 'fixed-forward';

/** Why a release counts as rework (unplanned). */
export type ReworkReason = 'rollback-action' | 'follows-change-failure' | 'marker';

export interface CountedCommit {
  sha: string;
  committedAt: string;
  leadTimeHours: number;
}

export interface CountedChangeFailure {
  kind: ChangeFailureKind;
  /** The release that remediated it (a rollback action, a fix-forward, the next good release); undefined for an automatic rollback. */
  remediatedBy: string | undefined;
  /** When it began serving (serviceUpdatedAt, else when its record was opened). */
  servingFrom: string;
  /** When the environment next ran a good release; undefined when it has not yet. */
  recoveredAt: string | undefined;
  recoveryHours: number | undefined;
}

/** One release and how each number counted it, for a person to check. */
export interface CountedRelease {
  id: string;
  source: MetricsRelease['source'];
  environment: string;
  /** `resume` reads as the deploy it resumed. */
  kind: 'deploy' | 'rollback';
  sha: string | undefined;
  revision: string | undefined;
  createdAt: string;
  finishedAt: string | undefined;
  logUrl: string | undefined;
  outcome: string | undefined;
  cause: string | undefined;
  served: string | undefined;
  status: ReleaseStatus;
  changeFailure: CountedChangeFailure | undefined;
  /** The change failure (release id) it remediated, if any. */
  remediates: string | undefined;
  rework: ReworkReason[];
  /** Commits it newly brought with their lead times; undefined when not counted (see commitsNote). */
  commits: CountedCommit[] | undefined;
  /** Why commits were not counted, or anything odd about them. */
  commitsNote: string | undefined;
}

/** The metrics of one environment, or of all asked for together (`overall`). */
export interface MetricsResult {
  /** The environment, or undefined for `overall`. */
  environment: string | undefined;
  current: MetricsNumbers;
  bands: MetricsBands;
  previous: MetricsNumbers;
  previousBands: MetricsBands;
  weeks: WeekMetrics[];
  /** Every release in the window (by createdAt), oldest first, with how it was counted. */
  audit: CountedRelease[];
}

export interface MetricsReport {
  window: MetricsWindow;
  previousWindow: MetricsWindow;
  environments: string[];
  /** Across the environments asked for: what the action's outputs come from. */
  overall: MetricsResult;
  byEnvironment: MetricsResult[];
  /** What a person should know to read the numbers (first release with no commits counted, ECS tags, unfinished records…). */
  notes: string[];
}
