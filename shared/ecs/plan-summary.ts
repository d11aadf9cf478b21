/**
 * The plan as a reviewer reads it (the job summary of `plan: true`, which the approval screen's run
 * page links to): what would change at a glance, one table per container of changed fields
 * (running → planned), the task-level fields, the service-level changes that UpdateService would
 * send, and the whole plan as JSON, collapsed. `planLines` is the same in plain lines, for the log.
 */
import { formatDuration } from '../core/duration.js';
import { codeBlock, details, escapeHtml, htmlTable, keyValueTable } from '../core/summary.js';
import type { FieldChange } from './plan-diff.js';
import type { ReleasePlan } from './release-plan.js';
import { revisionName } from './task-definition-source.js';

export function planSummaryHtml(plan: ReleasePlan): string {
  const { taskDefinition: td, serviceUpdate: update, fingerprint } = plan;
  const running = revisionName(fingerprint.taskDefinitionArn ?? undefined);
  const overview = keyValueTable([
    ['Plan', plan.changes ? '📋 changes below; nothing was changed yet' : '✅ nothing would change'],
    ['Service', `${plan.cluster}/${plan.service}`],
    ['Revision', revisionLine(plan)],
    ['Strategy', update.strategy],
    ['Desired count', countLine(plan)],
    [
      'Pre-deploy task',
      plan.preDeploy ? `runs first in ${plan.preDeploy.container}: ${plan.preDeploy.command?.join(' ') ?? "(the container's own command)"}` : 'none',
    ],
    ['Bake', update.rollingBakeSeconds ? formatDuration(update.rollingBakeSeconds * 1000) : undefined],
    ['Deadline', `${formatDuration(update.timeoutSeconds * 1000)} from the deploy's start${update.deadlineNote ? ` (${update.deadlineNote})` : ''}`],
    ['Images', plan.images.map((i) => `${i.container}: ${i.digest ? 'by digest' : 'NOT pinned by digest (the tag may move before the deploy)'}`).join('; ')],
    ['Planned at', `${plan.plannedAt} against deployment ${fingerprint.primaryDeploymentId ?? '—'}`],
    ['Document sha256', td.sha256],
  ]);
  const header = ['field', `running (${running})`, 'planned'];
  const task = plan.diff.taskDefinition.task.length > 0 ? `<p><b>Task definition</b></p>\n${htmlTable(header, rows(plan.diff.taskDefinition.task))}` : '';
  const containers = plan.diff.taskDefinition.containers
    .map((c) => `<p><b>Container ${escapeHtml(c.container)}</b>${c.kind === 'changed' ? '' : ` (${c.kind})`}</p>\n${htmlTable(header, rows(c.changes))}`)
    .join('');
  const service = serviceRows(plan);
  const serviceTable = service.length > 0 ? `<p><b>Service</b></p>\n${htmlTable(['setting', 'now', 'would send'], rows(service))}` : '';
  const none = !task && !containers ? '<p>The task definition would not change.</p>\n' : '';
  return [overview, task, containers, none, serviceTable, details('The plan (JSON: the `plan` output)', codeBlock(JSON.stringify(plan, null, 2)))].join('');
}

/** The plan in plain lines: one per changed field, then the service's. */
export function planLines(plan: ReleasePlan): string[] {
  if (!plan.changes) return [`nothing would change on ${plan.cluster}/${plan.service}`];
  const line = (prefix: string, c: FieldChange) => `${prefix}${c.field}: ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`;
  return [
    `revision: ${revisionLine(plan)}`,
    ...plan.diff.taskDefinition.task.map((c) => line('', c)),
    ...plan.diff.taskDefinition.containers.flatMap((c) => c.changes.map((f) => line(`${c.container}.`, f))),
    ...serviceRows(plan).map((c) => line('service ', c)),
    ...(plan.preDeploy ? [`pre-deploy task runs first in ${plan.preDeploy.container}`] : []),
  ];
}

function revisionLine(plan: ReleasePlan): string {
  const running = revisionName(plan.fingerprint.taskDefinitionArn ?? undefined);
  const td = plan.taskDefinition;
  if (td.registers) return `${running} → a new revision of ${String(td.document.family)} (registered by the deploy)`;
  const to = revisionName(td.existingArn ?? undefined);
  return to === running ? `${running} (unchanged)` : `${running} → ${to} (existing)`;
}

function countLine(plan: ReleasePlan): string {
  const { from, to } = plan.serviceUpdate.desiredCount;
  return to === null || to === from ? `${from ?? '—'} (kept)` : `${from ?? '—'} → ${to}`;
}

function serviceRows(plan: ReleasePlan): FieldChange[] {
  const update = plan.serviceUpdate;
  const out: FieldChange[] = plan.diff.deploymentConfiguration.map((c) => ({ ...c, field: `deploymentConfiguration.${c.field}` }));
  const { from, to } = update.desiredCount;
  if (to !== null && to !== from) out.unshift({ field: 'desiredCount', before: from === null ? undefined : String(from), after: String(to) });
  if (update.forceNewDeployment) out.push({ field: 'forceNewDeployment', before: undefined, after: 'true' });
  if (update.serviceSettings) out.push({ field: 'service settings', before: undefined, after: JSON.stringify(update.serviceSettings) });
  return out;
}

function rows(changes: readonly FieldChange[]): [string, string | undefined, string | undefined][] {
  return changes.map((c) => [c.field, c.before, c.after]);
}
