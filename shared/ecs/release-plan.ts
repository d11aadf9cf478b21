/**
 * The release plan: what a deploy would do, as one JSON value a later job can hold it to. Made by
 * `deploy()` from its plan (deploy-plan.ts) and the rendered revision, before anything is written;
 * ecs-rolling-deploy's `plan: true` stops there and outputs it (`plan`), and `planned` hands it back
 * to the deploy that must do exactly this (plan-gate.ts).
 *
 * Its shape (`schema: commit-to-prod/ecs-deploy-plan@1`; a new version for any change that is not
 * an added member):
 *   cluster, service, plannedAt (ISO time), changes (whether anything would change)
 *   fingerprint     the service when planned: taskDefinitionArn, desiredCount, its raw
 *                   deploymentConfiguration, primaryDeploymentId (another deploy of the same
 *                   revision changes it). A deploy with `planned` refuses when any of it moved.
 *   taskDefinition  document (the registrable document that would be deployed: rendered, or the
 *                   existing revision's), sha256 (of its canonical JSON: keys sorted), registers
 *                   (a new revision would be registered), existingArn (else the revision deployed as is)
 *   images          per container: image, and digest when the image is pinned by one (else null)
 *   serviceUpdate   strategy, desiredCount {from, to (null: kept)}, deploymentConfiguration
 *                   (what UpdateService would send; null: none, the service's kept),
 *                   forceNewDeployment, serviceSettings (null: none sent), rollingBakeSeconds,
 *                   timeoutSeconds, deadlineNote
 *   preDeploy       the task run first (a migration): container and command (null: the
 *                   container's own); null when none
 *   diff            taskDefinition {task, containers} and deploymentConfiguration (plan-diff.ts)
 * A task definition holds no secret's value (secrets are ARNs), so neither does the plan.
 */
import { createHash } from 'node:crypto';
import type { PreDeployTask } from './deploy.js';
import type { DeployPlan } from './deploy-plan.js';
import { diffConfiguration, diffTaskDefinitions, hasDiff, type FieldChange, type TaskDefinitionDiff } from './plan-diff.js';
import type { ResolvedService } from './resolve-service.js';
import type { RenderedRevision } from './resolve-revision.js';

type Json = Record<string, unknown>;

export const PLAN_SCHEMA = 'commit-to-prod/ecs-deploy-plan@1';

export interface ServiceFingerprint {
  taskDefinitionArn: string | null;
  desiredCount: number | null;
  deploymentConfiguration: Json | null;
  primaryDeploymentId: string | null;
}

export interface PlannedServiceChanges {
  strategy: string;
  desiredCount: { from: number | null; to: number | null };
  deploymentConfiguration: Json | null;
  forceNewDeployment: boolean;
  serviceSettings: Json | null;
  rollingBakeSeconds: number | null;
  timeoutSeconds: number;
  deadlineNote: string | null;
}

export interface ReleasePlan {
  schema: typeof PLAN_SCHEMA;
  cluster: string;
  service: string;
  plannedAt: string;
  changes: boolean;
  fingerprint: ServiceFingerprint;
  taskDefinition: { registers: boolean; existingArn: string | null; sha256: string; document: Json };
  images: { container: string; image: string; digest: string | null }[];
  serviceUpdate: PlannedServiceChanges;
  preDeploy: { container: string; command: string[] | null } | null;
  diff: { taskDefinition: TaskDefinitionDiff; deploymentConfiguration: FieldChange[] };
}

export function buildReleasePlan(
  plan: DeployPlan,
  resolved: ResolvedService,
  revision: RenderedRevision,
  preDeploy: PreDeployTask | undefined,
  now: number,
): ReleasePlan {
  const fingerprint = serviceFingerprint(resolved);
  const taskDiff = diffTaskDefinitions(revision.running, revision.document);
  const configurationDiff = diffConfiguration(fingerprint.deploymentConfiguration ?? undefined, plan.deploymentConfiguration);
  const settings = plan.serviceSettings && Object.keys(plan.serviceSettings).length > 0 ? (plan.serviceSettings as Json) : null;
  const update: PlannedServiceChanges = {
    strategy: plan.strategy,
    desiredCount: { from: fingerprint.desiredCount, to: plan.desiredCount ?? null },
    deploymentConfiguration: plan.deploymentConfiguration ?? null,
    forceNewDeployment: plan.forceNewDeployment,
    serviceSettings: settings,
    rollingBakeSeconds: plan.rollingBakeMs === undefined ? null : plan.rollingBakeMs / 1000,
    timeoutSeconds: Math.round((plan.deadline - plan.startedAt) / 1000),
    deadlineNote: plan.deadlineNote ?? null,
  };
  const changes =
    revision.mustRegister ||
    revision.baseArn !== revision.previousTaskDefinitionArn ||
    hasDiff(taskDiff) ||
    configurationDiff.length > 0 ||
    (update.desiredCount.to !== null && update.desiredCount.to !== update.desiredCount.from) ||
    update.forceNewDeployment ||
    settings !== null;
  return {
    schema: PLAN_SCHEMA,
    cluster: plan.cluster,
    service: plan.service,
    plannedAt: new Date(now).toISOString(),
    changes,
    fingerprint,
    taskDefinition: {
      registers: revision.mustRegister,
      existingArn: revision.baseArn ?? null,
      sha256: documentHash(revision.document),
      document: revision.document,
    },
    images: revision.after.map(({ container, image }) => ({ container, image, digest: /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1] ?? null })),
    serviceUpdate: update,
    preDeploy:
      plan.task === 'pre-deploy' && preDeploy
        ? { container: preDeployContainer(preDeploy, revision.document), command: preDeploy.command ? [...preDeploy.command] : null }
        : null,
    diff: { taskDefinition: taskDiff, deploymentConfiguration: configurationDiff },
  };
}

/** The service as the gate compares it: what another deploy, a scaling or a configuration change moves. */
export function serviceFingerprint(resolved: ResolvedService): ServiceFingerprint {
  const raw = resolved.snapshot.raw;
  const deployments = Array.isArray(raw.deployments) ? (raw.deployments as Json[]) : [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  return {
    taskDefinitionArn: resolved.previous ?? null,
    desiredCount: typeof raw.desiredCount === 'number' ? raw.desiredCount : null,
    deploymentConfiguration: (raw.deploymentConfiguration as Json | undefined) ?? null,
    primaryDeploymentId: typeof primary?.id === 'string' ? primary.id : null,
  };
}

/** The sha256 of a document's canonical JSON (keys sorted, undefined members dropped). */
export function documentHash(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Json)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The container a pre-deploy task runs in: the one named, else the first essential one (as one-off-task.ts picks it). */
function preDeployContainer(task: PreDeployTask, document: Json): string {
  if (task.container) return task.container;
  const containers = Array.isArray(document.containerDefinitions) ? (document.containerDefinitions as Json[]) : [];
  const essential = containers.find((c) => c.essential !== false) ?? containers[0];
  return String(essential?.name ?? '');
}
