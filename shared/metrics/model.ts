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
