/**
 * Seeds release records in the GitHub stand-in as the suite's writer (shared/release/record.ts)
 * leaves them: the payload with the schema's names, an `in_progress` status when the service is
 * updated, then one closing status whose description carries the fields (closingDescription).
 * For the metrics readers' tests and bench: histories made in the past, at chosen times.
 */
import type { LocalGitHubApi, SeededDeployment } from '../../local/github-api/index.js';
import {
  closingDescription,
  PAYLOAD,
  RECORD_SCHEMA,
  type ReleaseCause,
  type ReleaseOutcome,
  type RolledBackBy,
  type Served,
} from '../../shared/release/schema.js';

const MINUTE = 60_000;

export interface SeedRelease {
  environment: string;
  sha: string;
  /** When the record was opened. */
  at: Date;
  kind?: 'deploy' | 'rollback';
  outcome?: ReleaseOutcome;
  cause?: ReleaseCause;
  by?: RolledBackBy;
  served?: Served;
  /** Minutes from opening to the closing status (default 5); the service is updated after 1. */
  minutes?: number;
  creator?: string;
  /** Statuses someone else adds after ours (a forgery, or GitHub's `inactive`). */
  extraStatuses?: NonNullable<SeededDeployment['statuses']>;
  service?: string;
  rolledBackRelease?: string;
}

const GITHUB_STATE: Record<string, string> = { succeeded: 'success', 'rolled-back': 'failure', failed: 'failure', cancelled: 'error', unknown: 'error' };

export function seedRelease(github: LocalGitHubApi, repository: string, r: SeedRelease): number {
  const outcome = r.outcome ?? 'succeeded';
  const opened = r.at.getTime();
  const closedAt = new Date(opened + (r.minutes ?? 5) * MINUTE).toISOString();
  const run = Math.floor(opened / 1000);
  const statuses: NonNullable<SeededDeployment['statuses']> = [
    {
      state: 'in_progress',
      description: 'Service updated',
      createdAt: new Date(opened + MINUTE).toISOString(),
      logUrl: `https://github.com/${repository}/actions/runs/${run}`,
    },
  ];
  if (GITHUB_STATE[outcome]) {
    statuses.push({
      state: GITHUB_STATE[outcome]!,
      description: closingDescription(outcome === 'succeeded' ? 'Released' : 'Did not release', {
        outcome,
        cause: r.cause,
        rolledBackBy: r.by,
        served: r.served ?? (outcome === 'succeeded' ? 'yes' : 'unknown'),
      }),
      createdAt: closedAt,
      logUrl: `https://github.com/${repository}/actions/runs/${run}`,
    });
  }
  statuses.push(...(r.extraStatuses ?? []));
  const service = r.service ?? 'payments-api';
  return github.seedDeployment(repository, {
    environment: r.environment,
    sha: r.sha,
    createdAt: r.at.toISOString(),
    ...(r.creator ? { creator: r.creator } : {}),
    payload: {
      [PAYLOAD.schema]: RECORD_SCHEMA,
      [PAYLOAD.kind]: r.kind ?? 'deploy',
      [PAYLOAD.cluster]: 'prod',
      [PAYLOAD.service]: service,
      [PAYLOAD.revision]: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${service}:${(run % 1000) + 1}`,
      [PAYLOAD.sha]: r.sha,
      [PAYLOAD.startedAt]: r.at.toISOString(),
      ...(r.rolledBackRelease ? { [PAYLOAD.rolledBackRelease]: r.rolledBackRelease } : {}),
    },
    statuses,
  });
}

/** A 40-hex SHA for a number (distinct per number and per prefix). */
export function shaOf(n: number, prefix = 'a'): string {
  return `${prefix}${n.toString(16)}`.padEnd(40, '0').slice(0, 40);
}
