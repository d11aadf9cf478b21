/**
 * ReleaseRecord: the one writer of a release's record, in both places it is read from — a GitHub
 * deployment (payload when opened, statuses as it goes, a closing status with the outcome) and
 * tags on the ECS task-definition revision (written when it ends). Deploy, resume and rollback
 * all write through it; the schema is schema.ts and the README.
 *
 *   const record = await ReleaseRecord.open(opening, context, deps);   // before the service is touched
 *   await record.started(deploymentId);                                 // UpdateService accepted
 *   await record.end(ending);                                           // once, whatever happened
 *
 * Recording never blocks a release: GitHub or ECS failing to take the record is a warning (the
 * GitHub client retries 5xx and rate limits first), and without a token only the tags are written.
 */
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createDeploymentRecord, type DeploymentRecord, type DeploymentState, type DeploymentStatusOptions } from '../github/deployments.js';
import { TagResourceCommand } from '@aws-sdk/client-ecs';
import { type EcsTag, type EcsTagSender, imageDigest, revisionLabel, sanitizeTagKey, sanitizeTagValue, tagsOf } from './revision-tags.js';
import { rolledBackFromTags, rolledBackToTags } from './rollback-tags.js';
import {
  closingDescription,
  PAYLOAD,
  RECORD_SCHEMA,
  TAG,
  type ReleaseCause,
  type ReleaseKind,
  type ReleaseOutcome,
  type RolledBackBy,
  type Served,
} from './schema.js';

/** Where the GitHub deployment goes; absent without a token. */
export type ReleaseGitHub = Omit<DeploymentStatusOptions, 'environment'> & { environment?: string | undefined };

/** What the run knows that the engine does not: where to write, and which commit it releases. */
export interface ReleaseContext {
  github?: ReleaseGitHub | undefined;
  /** The commit released (GITHUB_SHA), the GitHub deployment's ref. */
  sha?: string | undefined;
  /** The workflow run. */
  runUrl?: string | undefined;
  /** One service of a release of several (ecs/deploy-services.ts): the release's id and all its services, in each service's record. */
  release?: { id: string; services: readonly string[] } | undefined;
}

export interface ContainerImage {
  container: string;
  image: string;
}

/** A rollback's own fields. */
export interface RollbackFields {
  from: string;
  to: string;
  reason: string;
  requestedBy: string;
  source: string;
  chosenFrom: string;
  /** The target's own commit, when known (the environment then shows what runs after the rollback). */
  sha?: string | undefined;
}

export interface ReleaseOpening {
  kind: 'deploy' | 'rollback';
  cluster: string;
  service: string;
  strategy: string | undefined;
  revision: {
    taskDefinitionArn: string;
    previousTaskDefinitionArn: string | undefined;
    registered: boolean;
    before: ContainerImage[];
    after: ContainerImage[];
  };
  rollback?: RollbackFields | undefined;
}

export interface ReleaseEnding {
  outcome: ReleaseOutcome;
  /** The status description's words (the fields are added to a closing one). */
  text: string;
  cause?: ReleaseCause | undefined;
  rolledBackBy?: RolledBackBy | undefined;
  served: Served;
  deploymentId?: string | undefined;
  serviceDeploymentArn?: string | undefined;
}

export interface ReleaseDeps {
  ecs: EcsTagSender;
  logger: Logger;
  clock: Clock;
}

/** The GitHub state of an outcome: `started` and `paused` leave the record open (in_progress). */
export function outcomeState(outcome: ReleaseOutcome): DeploymentState {
  switch (outcome) {
    case 'succeeded':
      return 'success';
    case 'rolled-back':
    case 'failed':
      return 'failure';
    case 'cancelled':
    case 'unknown':
      return 'error';
    case 'started':
    case 'paused':
      return 'in_progress';
  }
}

/** TagResource on a revision. */
export async function tagRevision(ecs: EcsTagSender, arn: string, tags: readonly EcsTag[]): Promise<void> {
  if (tags.length === 0) return;
  await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: tags.map((t) => ({ key: t.key, value: t.value })) }));
}

const OPEN_OUTCOMES: readonly ReleaseOutcome[] = ['started', 'paused'];
const iso = (ms: number) => new Date(ms).toISOString();
const byContainer = (images: readonly ContainerImage[], value: (image: string) => string | undefined) =>
  Object.fromEntries(images.flatMap(({ container, image }) => (value(image) ? [[container, value(image)!]] : [])));

export interface ReleaseIdentity {
  kind: ReleaseKind;
  cluster: string;
  service: string;
  environment: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn?: string | undefined;
  strategy?: string | undefined;
  startedAt?: number | undefined;
  images?: ContainerImage[] | undefined;
  /** A rollback: the revision it rolled back from. */
  rolledBackFrom?: string | undefined;
  /** A release of several services: its id. */
  release?: string | undefined;
}

export class ReleaseRecord {
  private ended = false;
  /** The GitHub state and description the end wrote (for the summary). */
  endState: DeploymentState | undefined;
  endDescription: string | undefined;

  constructor(
    readonly identity: ReleaseIdentity,
    private readonly deployment: DeploymentRecord | undefined,
    private readonly deps: ReleaseDeps,
  ) {}

  /** The GitHub deployment, when there is one. */
  get github(): DeploymentRecord | undefined {
    return this.deployment;
  }

  /** Opens the record before the service is touched: the GitHub deployment (with a token); the tags come at the end. */
  static async open(opening: ReleaseOpening, context: ReleaseContext, deps: ReleaseDeps): Promise<ReleaseRecord> {
    const { cluster, service, revision, rollback, kind } = opening;
    const environment = context.github?.environment ?? service;
    const startedAt = deps.clock.now();
    const identity: ReleaseIdentity = {
      kind,
      cluster,
      service,
      environment,
      taskDefinitionArn: revision.taskDefinitionArn,
      previousTaskDefinitionArn: revision.previousTaskDefinitionArn,
      strategy: opening.strategy,
      startedAt,
      images: revision.after,
      rolledBackFrom: rollback?.from,
      release: context.release?.id,
    };
    if (!context.github) return new ReleaseRecord(identity, undefined, deps);
    const sha = rollback?.sha && /^[0-9a-f]{40}$/.test(rollback.sha) ? rollback.sha : context.sha;
    const payload: Record<string, unknown> = {
      [PAYLOAD.schema]: RECORD_SCHEMA,
      [PAYLOAD.kind]: kind,
      [PAYLOAD.cluster]: cluster,
      [PAYLOAD.service]: service,
      [PAYLOAD.revision]: revision.taskDefinitionArn,
      [PAYLOAD.previousRevision]: revision.previousTaskDefinitionArn ?? null,
      [PAYLOAD.registered]: revision.registered,
      [PAYLOAD.images]: byContainer(revision.after, (i) => i),
      [PAYLOAD.previousImages]: byContainer(revision.before, (i) => i),
      [PAYLOAD.imageDigests]: byContainer(revision.after, imageDigest),
      [PAYLOAD.sha]: sha ?? null,
      [PAYLOAD.strategy]: opening.strategy ?? null,
      [PAYLOAD.startedAt]: iso(startedAt),
      [PAYLOAD.runUrl]: context.runUrl ?? null,
      ...(rollback
        ? {
            [PAYLOAD.from]: rollback.from,
            [PAYLOAD.to]: rollback.to,
            [PAYLOAD.reason]: rollback.reason,
            [PAYLOAD.requestedBy]: rollback.requestedBy,
            [PAYLOAD.source]: rollback.source,
            [PAYLOAD.chosenFrom]: rollback.chosenFrom,
            [PAYLOAD.rolledBackRelease]: rollback.from,
          }
        : {}),
      ...(context.release ? { [PAYLOAD.release]: context.release.id, [PAYLOAD.releaseServices]: [...context.release.services] } : {}),
    };
    const rev = revisionLabel(revision.taskDefinitionArn);
    const description = rollback
      ? `Rollback ${revisionLabel(rollback.from)} → ${rev}: ${rollback.reason}`
      : `${revision.registered ? 'Register and deploy' : 'Deploy'} ${rev} to ${cluster}/${service}`;
    const deployment = await createDeploymentRecord(
      { ...context.github, environment, ref: sha ?? 'HEAD', description, payload, logUrl: context.github.logUrl ?? context.runUrl },
      deps.logger,
    );
    return new ReleaseRecord(identity, deployment, deps);
  }

  /** UpdateService was accepted: the record goes in_progress. */
  async started(deploymentId: string): Promise<void> {
    const { kind, taskDefinitionArn: to } = this.identity;
    const rev = revisionLabel(to);
    await this.deployment?.setStatus('in_progress', kind === 'rollback' ? `Rolling back to ${rev} (${deploymentId})` : `Rolling out ${rev} (${deploymentId})`);
  }

  /** A rollback is on its way back: both revisions are marked now, whatever the outcome (the target: when, from where, by whom, why). */
  async markRollback(fields: RollbackFields): Promise<void> {
    const at = new Date(this.deps.clock.now());
    await Promise.all([
      this.tag(fields.to, rolledBackToTags({ from: fields.from, at, reason: fields.reason, requestedBy: fields.requestedBy })),
      this.tag(fields.from, rolledBackFromTags({ to: fields.to, at })),
    ]);
  }

  /** Ends the record, once: the GitHub status (closing, with its fields, unless the outcome leaves it open) and the revision's tags. */
  async end(ending: ReleaseEnding, kind: ReleaseKind = this.identity.kind): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const open = OPEN_OUTCOMES.includes(ending.outcome);
    const description = open
      ? ending.text
      : // The payload says deploy or rollback; only a resume that ended it is said here.
        closingDescription(ending.text, {
          outcome: ending.outcome,
          cause: ending.cause,
          rolledBackBy: ending.rolledBackBy,
          served: ending.served,
          kind: kind === 'resume' ? kind : undefined,
        });
    this.endState = outcomeState(ending.outcome);
    this.endDescription = description;
    // `started`: the in_progress status written when the service was updated stands.
    if (ending.outcome !== 'started') await this.deployment?.setStatus(outcomeState(ending.outcome), description);
    await this.tag(this.identity.taskDefinitionArn, this.endTags(ending, kind, open));
  }

  private endTags(ending: ReleaseEnding, kind: ReleaseKind, open: boolean): EcsTag[] {
    const id = this.identity;
    const none = 'none';
    return [
      ...tagsOf({
        [TAG.outcome]: ending.outcome,
        [TAG.kind]: kind,
        [TAG.cluster]: id.cluster,
        [TAG.service]: id.service,
        [TAG.environment]: id.environment,
        [TAG.previous]: id.previousTaskDefinitionArn ? revisionLabel(id.previousTaskDefinitionArn) : undefined,
        [TAG.strategy]: id.strategy,
        [TAG.startedAt]: id.startedAt === undefined ? undefined : iso(id.startedAt),
        [TAG.finishedAt]: open ? none : iso(this.deps.clock.now()),
        [TAG.cause]: ending.cause ?? none,
        [TAG.rolledBackBy]: ending.rolledBackBy ?? none,
        [TAG.served]: ending.served,
        [TAG.deployment]: ending.deploymentId,
        [TAG.serviceDeployment]: ending.serviceDeploymentArn,
        [TAG.githubDeployment]: this.deployment ? String(this.deployment.id) : undefined,
        [TAG.rolledBackRelease]: id.rolledBackFrom ? revisionLabel(id.rolledBackFrom) : undefined,
        [TAG.release]: id.release,
      }),
      ...(id.images ?? []).map(({ container, image }) => ({
        key: sanitizeTagKey(`${TAG.imagePrefix}${container}`),
        value: sanitizeTagValue(imageDigest(image) ?? image),
      })),
    ];
  }

  private async tag(arn: string, tags: EcsTag[]): Promise<void> {
    try {
      await tagRevision(this.deps.ecs, arn, tags);
    } catch (error) {
      this.deps.logger.warning(`Could not tag ${revisionLabel(arn)} with its release record: ${errorMessage(error)}`);
    }
  }
}
