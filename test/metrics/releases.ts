/** Building MetricsRelease values for tests: a record with every field, times given as day and hour from a start. */
import type { MetricsRelease } from '../../shared/metrics/model.js';
import type { ReleaseCause, ReleaseFields, ReleaseKind, ReleaseOutcome, RolledBackBy, Served } from '../../shared/release/schema.js';

const HOUR_MS = 3_600_000;

/** `[day, hour, minute]` after `t0`, as ISO. */
export function at(t0: string, [day, hour, minute = 0]: readonly [number, number, number?]): string {
  return new Date(Date.parse(t0) + (day * 24 + hour + minute / 60) * HOUR_MS).toISOString();
}

export interface ReleaseSpec {
  id: string;
  environment: string;
  kind?: ReleaseKind;
  sha: string;
  revision: string;
  created: string;
  finished?: string | undefined;
  outcome: ReleaseOutcome | 'in-progress';
  served: Served;
  cause?: ReleaseCause;
  by?: RolledBackBy;
  rolledBackRelease?: string;
  serviceUpdatedAt?: string;
  source?: MetricsRelease['source'];
}

export function release(s: ReleaseSpec): MetricsRelease {
  const record: ReleaseFields = {
    schema: 1,
    kind: s.kind ?? 'deploy',
    environment: s.environment,
    cluster: 'shop',
    service: 'web',
    revision: s.revision,
    previousRevision: undefined,
    images: {},
    imageDigests: {},
    sha: s.sha,
    strategy: 'ROLLING',
    startedAt: s.created,
    finishedAt: s.finished,
    outcome: s.outcome,
    cause: s.cause,
    rolledBackBy: s.by,
    served: s.served,
    rolledBackRelease: s.rolledBackRelease,
  };
  return {
    id: s.id,
    source: s.source ?? 'github',
    record,
    createdAt: s.created,
    finishedAt: s.finished,
    logUrl: `https://github.com/acme/shop/actions/runs/${s.id}`,
    ...(s.serviceUpdatedAt ? { serviceUpdatedAt: s.serviceUpdatedAt } : {}),
  };
}
