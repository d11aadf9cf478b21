/**
 * The revision to deploy, in two steps with the checks between them: `renderRevision` reads (the
 * running revision, the source) and renders the changes (images, environment, …) without
 * registering anything, deciding whether a new revision is needed (a document always is);
 * `registerRevision` then registers it only when so. Also the images before (what runs now) and
 * after, for the summary and the record, and the rendered document for the plan (release-plan.ts).
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

/** The revision rendered and not yet registered: everything a plan shows and a gate compares. */
export interface RenderedRevision {
  /** The document that is (or, when `mustRegister`, would be) the deployed revision. */
  document: TaskDefinitionDocument;
  /** The revision the service runs now, as a document (undefined: none, or unreadable). */
  running: TaskDefinitionDocument | undefined;
  /** The existing revision deployed as is (when nothing needs registering). */
  baseArn: string | undefined;
  mustRegister: boolean;
  previousTaskDefinitionArn: string | undefined;
  before: ContainerImage[];
  after: ContainerImage[];
  /** The images of the source before rendering (the log's "before" when nothing runs yet). */
  sourceImages: ContainerImage[];
}

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
  if (mustRegister && plan.revision.register === 'never') {
    throw new UserError(
      `Deploying ${revisionName(baseArn ?? String(base.family))} would need a new revision (the changes alter it), but this deploy may not register one.`,
    );
  }
  return {
    document: mustRegister ? rendered.document : base,
    running: running?.document,
    baseArn: mustRegister ? undefined : baseArn,
    mustRegister,
    previousTaskDefinitionArn: previous,
    before: beforeImages,
    after: rendered.after,
    sourceImages: rendered.before,
  };
}

/** Registers the rendered revision when it needs one; the first write of a deploy. */
export async function registerRevision(rendered: RenderedRevision, revisionTags: readonly EcsTag[], ecs: EcsSender, logger: Logger): Promise<ResolvedRevision> {
  const { previousTaskDefinitionArn, before, after } = rendered;
  if (!rendered.mustRegister) {
    logger.info(`Deploying ${revisionName(rendered.baseArn)} as is: no new revision registered.`);
    return { taskDefinitionArn: rendered.baseArn!, previousTaskDefinitionArn, registered: false, before, after };
  }
  for (const { container, image } of after) {
    // "Before" is what runs now, not what the file says.
    const was = (rendered.running ? before : rendered.sourceImages).find((b) => b.container === container)?.image;
    logger.info(`  ${container}: ${was && was !== image ? `${was} → ` : ''}${image}`);
  }
  const arn = await registerTaskDefinition(ecs, rendered.document, [...revisionTags]);
  logger.info(`Registered ${revisionName(arn)}.`);
  return { taskDefinitionArn: arn, previousTaskDefinitionArn, registered: true, before, after };
}
