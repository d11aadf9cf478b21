/**
 * The revision to deploy: the source rendered with the changes (images, environment)
 * (`renderRevision`), then registered only when that changed something (a document is always
 * registered; `registerRevision`). Two steps, so that preflight checks the rendered document
 * before anything is registered. Also the images before (what runs now) and after, for the
 * summary and the record.
 */
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DeployPlan } from './deploy-plan.js';
import type { EcsSender } from './raw-json.js';
import { describeTaskDefinition, registerTaskDefinition } from './register-task-definition.js';
import {
  containerImages,
  hasChanges,
  registrableTaskDefinition,
  renderTaskDefinition,
  type ContainerImage,
  type TaskDefinitionChanges,
  type TaskDefinitionDocument,
} from './render-task-definition.js';
import type { EcsTag } from './revision-tags.js';
import { revisionName } from './task-definition-source.js';

export interface ResolvedRevision {
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string | undefined;
  registered: boolean;
  before: ContainerImage[];
  after: ContainerImage[];
}

/** The revision rendered, not yet registered: what preflight checks and a plan shows. */
export interface RenderedRevision {
  /** The document that would be registered, or that the existing revision holds. */
  document: TaskDefinitionDocument;
  /** The existing revision deployed as is; undefined: `document` is registered first. */
  existingArn: string | undefined;
  previousTaskDefinitionArn: string | undefined;
  before: ContainerImage[];
  after: ContainerImage[];
}

/**
 * The revision rendered, before anything is registered (refusing here what `register: never`
 * forbids): render, then check (preflight.ts), then `registerRevision`.
 */
export async function renderRevision(plan: DeployPlan, changes: TaskDefinitionChanges, ecs: EcsSender, logger: Logger): Promise<RenderedRevision> {
  const previous = plan.previousTaskDefinitionArn;
  let base: TaskDefinitionDocument;
  let baseArn: string | undefined;
  const source = plan.revision.source;
  const ref = source.kind === 'existing' ? source.ref : source.kind === 'service' ? previous : undefined;
  // The running revision, for the before/after images (and as the base when deploying from it).
  const running = previous ? await describeTaskDefinition(ecs, previous).catch(() => undefined) : undefined;
  const beforeImages: ContainerImage[] = running ? containerImages(running.document) : [];
  if (source.kind === 'document') {
    base = registrableTaskDefinition(source.document, source.source);
  } else {
    if (!ref) throw new UserError(`The service has no task definition to start from; give one in 'task-definition'.`);
    const described = running && ref === previous ? running : await describeTaskDefinition(ecs, ref);
    base = described.document;
    baseArn = described.arn;
    if (described.status !== 'ACTIVE') logger.warning(`${revisionName(described.arn)} is ${described.status}; ECS may refuse to deploy it.`);
  }
  const rendered = renderTaskDefinition(base, changes);
  const mustRegister = source.kind === 'document' || (hasChanges(changes) && rendered.changed) || !baseArn;
  const revision = { document: rendered.document, previousTaskDefinitionArn: previous, before: beforeImages, after: rendered.after };
  if (!mustRegister) return { ...revision, existingArn: baseArn };
  if (plan.revision.register === 'never') {
    throw new UserError(
      `Deploying ${revisionName(baseArn ?? String(base.family))} would need a new revision (the changes alter it), but this deploy may not register one.`,
    );
  }
  for (const { container, image } of rendered.after) {
    // "Before" is what runs now, not what the file says.
    const was = (running ? beforeImages : rendered.before).find((b) => b.container === container)?.image;
    logger.info(`  ${container}: ${was && was !== image ? `${was} → ` : ''}${image}`);
  }
  return { ...revision, existingArn: undefined };
}

/** The rendered revision registered (with `revisionTags`), or the existing one taken as is. */
export async function registerRevision(rendered: RenderedRevision, revisionTags: readonly EcsTag[], ecs: EcsSender, logger: Logger): Promise<ResolvedRevision> {
  const { previousTaskDefinitionArn, before, after } = rendered;
  if (rendered.existingArn) {
    logger.info(`Deploying ${revisionName(rendered.existingArn)} as is: no new revision registered.`);
    return { taskDefinitionArn: rendered.existingArn, previousTaskDefinitionArn, registered: false, before, after };
  }
  const arn = await registerTaskDefinition(ecs, rendered.document, [...revisionTags]);
  logger.info(`Registered ${revisionName(arn)}.`);
  return { taskDefinitionArn: arn, previousTaskDefinitionArn, registered: true, before, after };
}
