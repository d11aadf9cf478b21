/**
 * The release record's schema, declared once: the GitHub deployment's payload fields, the fields
 * its closing status carries, and the ECS revision tag keys. Writers (record.ts) and readers
 * (read.ts, rollback's known-good pick, delivery metrics) use these names and nothing else; the
 * README documents each field.
 */

/** Bumped when a field changes meaning; readers accept records without it (schema 0, written before). */
export const RECORD_SCHEMA = 1;

/** The deployment payload (set once, when the record is opened). */
export const PAYLOAD = {
  schema: 'schema',
  kind: 'kind',
  cluster: 'cluster',
  service: 'service',
  revision: 'taskDefinitionArn',
  previousRevision: 'previousTaskDefinitionArn',
  registered: 'registered',
  images: 'images',
  previousImages: 'previousImages',
  imageDigests: 'imageDigests',
  sha: 'sha',
  strategy: 'strategy',
  startedAt: 'startedAt',
  runUrl: 'runUrl',
  // A rollback's own fields.
  from: 'from',
  to: 'to',
  reason: 'reason',
  requestedBy: 'requestedBy',
  source: 'source',
  chosenFrom: 'chosenFrom',
  rolledBackRelease: 'rolledBackRelease',
  // A release of several services (ecs/deploy-services.ts): one record per service, linked.
  release: 'release',
  releaseServices: 'releaseServices',
} as const;

/**
 * The fields of the closing status, as `key=value` words in brackets at the end of its
 * description (a GitHub deployment's payload cannot change once created; its finished time is
 * that status's `created_at`).
 */
export const STATUS_FIELD = {
  outcome: 'outcome',
  cause: 'cause',
  rolledBackBy: 'by',
  served: 'served',
  kind: 'kind',
} as const;

export const TAG_PREFIX = 'commit-to-prod:';

/** ECS tag keys on the task-definition revision (the record without a GitHub token). */
export const TAG = {
  // Provenance, written when the revision is registered (ecs/revision-tags.ts).
  sha: `${TAG_PREFIX}sha`,
  ref: `${TAG_PREFIX}ref`,
  run: `${TAG_PREFIX}run`,
  /** `image:<container>` → the digest (or the reference when it has none). */
  imagePrefix: `${TAG_PREFIX}image:`,
  // The release, written when it ends (and when a later release closes it).
  /** How the revision's last release ended: a ReleaseOutcome. */
  outcome: `${TAG_PREFIX}outcome`,
  kind: `${TAG_PREFIX}kind`,
  cluster: `${TAG_PREFIX}cluster`,
  service: `${TAG_PREFIX}service`,
  environment: `${TAG_PREFIX}environment`,
  previous: `${TAG_PREFIX}previous`,
  strategy: `${TAG_PREFIX}strategy`,
  startedAt: `${TAG_PREFIX}started-at`,
  finishedAt: `${TAG_PREFIX}finished-at`,
  cause: `${TAG_PREFIX}cause`,
  rolledBackBy: `${TAG_PREFIX}rolled-back-by`,
  served: `${TAG_PREFIX}served`,
  /** The ECS deployment (`ecs-svc/…`) that rolled the revision out. */
  deployment: `${TAG_PREFIX}deployment`,
  /** A native strategy's service deployment ARN. */
  serviceDeployment: `${TAG_PREFIX}service-deployment`,
  githubDeployment: `${TAG_PREFIX}github-deployment`,
  /** A rollback: the revision it rolled back from (on the target). */
  rolledBackRelease: `${TAG_PREFIX}rolled-back-release`,
  /** A release of several services: its id, shared by the record of each service. */
  release: `${TAG_PREFIX}release`,
  // A rollback's marks on the two revisions (kept from before the schema; read by rollback).
  rolledBackToAt: `${TAG_PREFIX}rolled-back-to-at`,
  rolledBackToFrom: `${TAG_PREFIX}rolled-back-to-from`,
  rolledBackToReason: `${TAG_PREFIX}rolled-back-to-reason`,
  rolledBackToBy: `${TAG_PREFIX}rolled-back-to-by`,
  rolledBackAt: `${TAG_PREFIX}rolled-back-at`,
  rolledBackTo: `${TAG_PREFIX}rolled-back-to`,
} as const;

/** What opened the record: a deploy, a rollback, or (on the closing status and tags only) the resume that answered a deploy's gate. */
export type ReleaseKind = 'deploy' | 'rollback' | 'resume';

/**
 * How the release ended, in the engine's words: `succeeded`, `rolled-back`, `failed`,
 * `cancelled`, `unknown` (ECS could not be read), and two that leave the record open: `started`
 * (not followed) and `paused` (waits at its verification gate). `in-progress` only on a record
 * nobody has ended yet.
 */
export type ReleaseOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'cancelled' | 'started' | 'unknown' | 'paused';

/**
 * Why a release did not succeed: the follower's causes (ecs/assess-rollout.ts FailureCause) and
 * the record's own: a failed pre-deploy task (`failed-migration`), a rollback asked for at the
 * verification gate (`gate-rollback`), an error that ended the run (`error`), a record closed by a
 * later release from ECS's word (`ecs-stopped`, `ecs-rollback`), and another service of the same
 * release that failed (`release-failed`: a release of several services is all or nothing).
 */
export type ReleaseCause =
  | 'failed-tasks'
  | 'rollout-failed'
  | 'circuit-breaker-rollback'
  | 'alarm-rollback'
  | 'alarm'
  | 'ecs-rollback'
  | 'superseded'
  | 'timed-out'
  | 'cancelled'
  | 'unknown'
  | 'failed-migration'
  | 'gate-rollback'
  | 'error'
  | 'ecs-stopped'
  | 'release-failed';

/** Who took the service back: ECS (its breaker, an alarm, a hook), this action, or a person (resume: rollback, the rollback action). */
export type RolledBackBy = 'ecs' | 'action' | 'person';

/** Whether the new revision served production traffic: a task of it ran behind the service, or a traffic weight above zero. */
export type Served = 'yes' | 'no' | 'unknown';

/** One release, as read back from either place (read.ts). */
export interface ReleaseFields {
  schema: number;
  kind: ReleaseKind;
  environment: string | undefined;
  cluster: string | undefined;
  service: string | undefined;
  revision: string | undefined;
  previousRevision: string | undefined;
  /** By container: the image reference (GitHub) or its digest (ECS tags). */
  images: Record<string, string>;
  imageDigests: Record<string, string>;
  sha: string | undefined;
  strategy: string | undefined;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  outcome: ReleaseOutcome | 'in-progress' | undefined;
  cause: ReleaseCause | undefined;
  rolledBackBy: RolledBackBy | undefined;
  served: Served | undefined;
  /** A rollback: the revision it rolled back from. */
  rolledBackRelease: string | undefined;
  /** A release of several services: its id, the same in the record of each (absent: a release of one service). */
  release?: string | undefined;
}

/** A closing status description: the words for people, then the fields in brackets (GitHub keeps 140 characters: the fields always survive). */
export function closingDescription(
  text: string,
  fields: {
    outcome: ReleaseOutcome;
    cause?: ReleaseCause | undefined;
    rolledBackBy?: RolledBackBy | undefined;
    served: Served;
    kind?: ReleaseKind | undefined;
  },
): string {
  const words = [
    `${STATUS_FIELD.outcome}=${fields.outcome}`,
    fields.cause ? `${STATUS_FIELD.cause}=${fields.cause}` : '',
    fields.rolledBackBy ? `${STATUS_FIELD.rolledBackBy}=${fields.rolledBackBy}` : '',
    `${STATUS_FIELD.served}=${fields.served}`,
    fields.kind ? `${STATUS_FIELD.kind}=${fields.kind}` : '',
  ].filter(Boolean);
  const trailer = ` [${words.join(' ')}]`;
  const room = 140 - trailer.length;
  const head = text.length > room ? `${text.slice(0, room - 1)}…` : text;
  return `${head}${trailer}`;
}

/** The fields of a closing status description; {} for any other description. */
export function closingFields(description: string | null | undefined): Partial<Record<(typeof STATUS_FIELD)[keyof typeof STATUS_FIELD], string>> {
  const m = /\[((?:[a-z]+=[^\s\]]+ ?)+)\]$/.exec(description ?? '');
  if (!m) return {};
  return Object.fromEntries(m[1]!.split(' ').map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
}
