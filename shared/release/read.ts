/**
 * Reading a release record back, from either place, into one shape (schema.ts ReleaseFields):
 * the GitHub deployment (payload, and its newest status that carries closing fields) or the ECS
 * revision's tags. What delivery metrics and tests read; rollback reads the same constants.
 * Records written before the schema (no `schema` field) read with what they have.
 */
import type { DeploymentHistoryEntry } from '../github/deployment-history.js';
import { revisionLabel } from './revision-tags.js';
import {
  closingFields,
  PAYLOAD,
  TAG,
  type ReleaseCause,
  type ReleaseFields,
  type ReleaseKind,
  type ReleaseOutcome,
  type RolledBackBy,
  type Served,
} from './schema.js';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
const orNone = (v: string | undefined) => (v === undefined || v === 'none' ? undefined : v);

/** The GitHub side: `entry` as deployment-history.ts yields it (statuses newest first). */
export function readGitHubRecord(entry: Pick<DeploymentHistoryEntry, 'environment' | 'sha' | 'payload' | 'statuses'>): ReleaseFields {
  const p = entry.payload;
  const closing = entry.statuses.find((s) => Object.keys(closingFields(s.description)).length > 0);
  const fields = closingFields(closing?.description);
  const kind = (fields.kind ?? str(p[PAYLOAD.kind]) ?? 'deploy') as ReleaseKind;
  return {
    schema: typeof p[PAYLOAD.schema] === 'number' ? (p[PAYLOAD.schema] as number) : 0,
    kind,
    environment: entry.environment,
    cluster: str(p[PAYLOAD.cluster]),
    service: str(p[PAYLOAD.service]),
    revision: str(p[PAYLOAD.revision]),
    previousRevision: str(p[PAYLOAD.previousRevision]),
    images: strings(p[PAYLOAD.images]),
    imageDigests: strings(p[PAYLOAD.imageDigests]),
    sha: str(p[PAYLOAD.sha]) ?? entry.sha,
    strategy: str(p[PAYLOAD.strategy]),
    startedAt: str(p[PAYLOAD.startedAt]),
    finishedAt: closing?.createdAt,
    outcome: (fields.outcome as ReleaseOutcome | undefined) ?? (entry.statuses.length > 0 ? 'in-progress' : undefined),
    cause: fields.cause as ReleaseCause | undefined,
    rolledBackBy: fields.by as RolledBackBy | undefined,
    served: fields.served as Served | undefined,
    rolledBackRelease: str(p[PAYLOAD.rolledBackRelease]) ?? (p[PAYLOAD.kind] === 'rollback' ? str(p[PAYLOAD.from]) : undefined),
    ...(str(p[PAYLOAD.release]) ? { release: str(p[PAYLOAD.release]) } : {}),
  };
}

/** The ECS side: a revision's tags (ListTagsForResource) by key. Revision names stand for ARNs here (tags keep them short). */
export function readTagRecord(taskDefinitionArn: string, tags: ReadonlyMap<string, string>): ReleaseFields {
  const images: Record<string, string> = {};
  for (const [key, value] of tags) if (key.startsWith(TAG.imagePrefix)) images[key.slice(TAG.imagePrefix.length)] = value;
  return {
    schema: tags.has(TAG.kind) ? 1 : 0,
    kind: (tags.get(TAG.kind) ?? 'deploy') as ReleaseKind,
    environment: tags.get(TAG.environment),
    cluster: tags.get(TAG.cluster),
    service: tags.get(TAG.service),
    revision: revisionLabel(taskDefinitionArn),
    previousRevision: tags.get(TAG.previous),
    images,
    imageDigests: Object.fromEntries(Object.entries(images).filter(([, v]) => v.startsWith('sha256:'))),
    sha: tags.get(TAG.sha),
    strategy: tags.get(TAG.strategy),
    startedAt: tags.get(TAG.startedAt),
    finishedAt: orNone(tags.get(TAG.finishedAt)),
    outcome: tags.get(TAG.outcome) as ReleaseOutcome | undefined,
    cause: orNone(tags.get(TAG.cause)) as ReleaseCause | undefined,
    rolledBackBy: orNone(tags.get(TAG.rolledBackBy)) as RolledBackBy | undefined,
    served: tags.get(TAG.served) as Served | undefined,
    rolledBackRelease: tags.get(TAG.rolledBackRelease),
    ...(tags.has(TAG.release) ? { release: tags.get(TAG.release) } : {}),
  };
}
