/**
 * The plan of a rollback, shown before anything changes (and all a dry run does): the service,
 * what runs now, what it goes back to, the record that chose it, who asked and why.
 */
import { htmlTable, keyValueTable } from '../core/summary.js';
import { revisionName } from '../ecs/task-definition-source.js';
import type { RollbackTarget } from './pick-rollback-target.js';

export interface RollbackPlan {
  cluster: string;
  service: string;
  target: RollbackTarget;
  requestedBy: string;
  reason: string;
  dryRun: boolean;
}

/** `GitHub deployment #12 of 'production' (…) [source: github-deployments]`: the record, and the output's word for it. */
const chosenFromText = (t: RollbackTarget) => `${t.chosenFrom} [source: ${t.source}]`;

/** One row per container: what runs now → what the rollback runs. */
function imageRows(plan: RollbackPlan): [string, string, string][] {
  const { current, target } = plan.target;
  const containers = [...new Set([...current.images.map((i) => i.container), ...target.images.map((i) => i.container)])];
  return containers.map((c) => {
    const now = current.images.find((i) => i.container === c)?.image ?? '(none)';
    const then = target.images.find((i) => i.container === c)?.image ?? '(none)';
    return [c, now, now === then ? '(unchanged)' : then];
  });
}

export function planLines(plan: RollbackPlan): string[] {
  const { current, target, skipped } = plan.target;
  return [
    `Service:      ${plan.cluster}/${plan.service}`,
    `Now running:  ${revisionName(current.arn)}`,
    `Roll back to: ${revisionName(target.arn)}${target.registeredAt ? ` (registered ${target.registeredAt.toISOString()})` : ''}`,
    ...imageRows(plan).map(([c, now, then]) => `  ${c}: ${now} → ${then}`),
    `Chosen from:  ${chosenFromText(plan.target)}`,
    ...(skipped.length ? [`Passed over:  ${skipped.join('; ')}`] : []),
    `Requested by: ${plan.requestedBy}`,
    `Reason:       ${plan.reason}`,
    ...(plan.dryRun ? ['Dry run:      nothing will be changed.'] : []),
  ];
}

export function planSummaryHtml(plan: RollbackPlan): string {
  const { current, target, skipped } = plan.target;
  return [
    keyValueTable([
      ['Service', `${plan.cluster}/${plan.service}`],
      ['Now running', revisionName(current.arn)],
      ['Roll back to', revisionName(target.arn)],
      ['Chosen from', chosenFromText(plan.target)],
      ['Passed over', skipped.length ? skipped.join('; ') : undefined],
      ['Requested by', plan.requestedBy],
      ['Reason', plan.reason],
      ['Dry run', plan.dryRun ? 'yes: nothing was changed' : undefined],
    ]),
    htmlTable(['container', `now (${revisionName(current.arn)})`, `rollback (${revisionName(target.arn)})`], imageRows(plan)),
  ].join('');
}
