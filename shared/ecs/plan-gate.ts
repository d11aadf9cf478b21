/**
 * The gate between a plan and the deploy that was approved on it: the deploy goes ahead only when
 * it would do exactly what was planned. Checked in `deploy()` after the plan is made again from
 * the service as it now is and before anything is written; each refusal names what moved, old → new:
 *   - the plan is another service's (cluster, service);
 *   - the service moved since the plan (fingerprint: its revision, desired count, deployment
 *     configuration, PRIMARY deployment — another deploy, a scaling, a configuration change);
 *   - the revision rendered now is not the planned document (canonical sha256; the fields named);
 *   - the service-level changes differ (configuration sent, desired count, force, settings,
 *     the pre-deploy task).
 * `parsePlannedInput` checks the value handed back (the `planned` input) is such a plan.
 */
import { InputError, UserError } from '../core/errors.js';
import { deepEqual } from './render-task-definition.js';
import { diffTaskDefinitions, showValue, type FieldChange } from './plan-diff.js';
import { PLAN_SCHEMA, type ReleasePlan } from './release-plan.js';
import { revisionName } from './task-definition-source.js';

/** The plan as given in `input`, checked for the members the gate reads. */
export function parsePlannedInput(value: unknown, input: string, given: string): ReleasePlan {
  const expected = `the \`plan\` output of an ecs-rolling-deploy step with \`plan: true\` (JSON with schema ${PLAN_SCHEMA}), inline or as a file`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(input, given, expected);
  const plan = value as Partial<ReleasePlan>;
  if (plan.schema !== PLAN_SCHEMA) {
    throw new InputError(input, given, `${expected}; its schema is ${JSON.stringify(plan.schema ?? null)}`);
  }
  const complete =
    typeof plan.cluster === 'string' &&
    typeof plan.service === 'string' &&
    typeof plan.plannedAt === 'string' &&
    isObject(plan.fingerprint) &&
    isObject(plan.serviceUpdate) &&
    isObject(plan.taskDefinition) &&
    typeof plan.taskDefinition.sha256 === 'string' &&
    isObject(plan.taskDefinition.document);
  if (!complete) throw new InputError(input, given, `${expected}; this one lacks members the deploy compares (it was edited or cut short)`);
  return value as ReleasePlan;
}

/** Throws, naming every difference, unless `now` (planned again from the service as it is) does what `planned` said. */
export function checkAgainstPlan(planned: ReleasePlan, now: ReleasePlan, input: string): void {
  const where = `${now.cluster}/${now.service}`;
  if (planned.cluster !== now.cluster || planned.service !== now.service) {
    throw new UserError(
      `Input '${input}' is the plan of ${planned.cluster}/${planned.service}, not of ${where}: deploy it to the service it was made for, or plan this one. Nothing was changed.`,
    );
  }
  const since = `since the plan (${planned.plannedAt})`;
  const moved = fingerprintChanges(planned, now);
  if (moved.length > 0) {
    throw new UserError(
      `${where} moved ${since}: ${lines(moved)}. The approved plan no longer describes what this deploy would do; nothing was changed. Plan again and approve the new plan.`,
    );
  }
  if (planned.taskDefinition.sha256 !== now.taskDefinition.sha256) {
    const fields = documentChanges(planned, now);
    throw new UserError(
      `The task definition rendered now is not the planned one (sha256 ${planned.taskDefinition.sha256.slice(0, 12)} planned, ${now.taskDefinition.sha256.slice(0, 12)} now): ${fields.length > 0 ? lines(fields) : 'the same fields in another form'}. Give this step the same task definition and render inputs as the plan's; nothing was changed.`,
    );
  }
  const service = serviceChanges(planned, now);
  if (service.length > 0) {
    throw new UserError(
      `This deploy would change ${where} otherwise than planned: ${lines(service)}. Give this step the same inputs as the plan's; nothing was changed.`,
    );
  }
}

function fingerprintChanges(planned: ReleasePlan, now: ReleasePlan): FieldChange[] {
  const a = planned.fingerprint;
  const b = now.fingerprint;
  const out: FieldChange[] = [];
  if (a.taskDefinitionArn !== b.taskDefinitionArn) {
    out.push({ field: 'task definition', before: revisionName(a.taskDefinitionArn ?? undefined), after: revisionName(b.taskDefinitionArn ?? undefined) });
  }
  if (a.primaryDeploymentId !== b.primaryDeploymentId) {
    out.push({ field: 'PRIMARY deployment (another deploy ran)', before: a.primaryDeploymentId ?? undefined, after: b.primaryDeploymentId ?? undefined });
  }
  if (a.desiredCount !== b.desiredCount) out.push({ field: 'desired count', before: showValue(a.desiredCount), after: showValue(b.desiredCount) });
  if (!deepEqual(a.deploymentConfiguration, b.deploymentConfiguration)) {
    out.push({ field: 'deployment configuration', before: showValue(a.deploymentConfiguration), after: showValue(b.deploymentConfiguration) });
  }
  return out;
}

function documentChanges(planned: ReleasePlan, now: ReleasePlan): FieldChange[] {
  const diff = diffTaskDefinitions(planned.taskDefinition.document, now.taskDefinition.document);
  return [...diff.task, ...diff.containers.flatMap((c) => c.changes.map((f) => ({ ...f, field: `${c.container}.${f.field}` })))];
}

function serviceChanges(planned: ReleasePlan, now: ReleasePlan): FieldChange[] {
  const a = planned.serviceUpdate;
  const b = now.serviceUpdate;
  const pairs: [string, unknown, unknown][] = [
    ['deployment configuration sent', a.deploymentConfiguration, b.deploymentConfiguration],
    ['desired count', a.desiredCount.to, b.desiredCount.to],
    ['force new deployment', a.forceNewDeployment, b.forceNewDeployment],
    ['service settings', a.serviceSettings, b.serviceSettings],
    ['pre-deploy task', planned.preDeploy, now.preDeploy],
  ];
  return pairs.filter(([, x, y]) => !deepEqual(x ?? null, y ?? null)).map(([field, x, y]) => ({ field, before: showValue(x), after: showValue(y) }));
}

function lines(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`).join('; ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
