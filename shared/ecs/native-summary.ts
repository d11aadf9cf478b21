/**
 * The job summary's part for a native deployment (BLUE_GREEN, CANARY, LINEAR): the settings ECS
 * ran it with (strategy, bake time used, canary or linear steps, hooks), the stages and traffic
 * steps as the step saw them (timeline entries written by StageReporter, `STAGE: …`), and the
 * lifecycle hooks with how each was decided.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { formatDuration } from '../core/duration.js';
import { codeBlock, htmlTable, keyValueTable } from '../core/summary.js';
import type { TimelineEntry, Timeline } from './timeline.js';

type Json = Record<string, unknown>;

const STAGE_LINE = /^([A-Z][A-Z_]+): (.*)$/;

/** The timeline's stage and traffic-step lines, as rows: at, stage, what the step saw. */
export function stageRows(entries: readonly TimelineEntry[]): [string, string, string][] {
  const rows: [string, string, string][] = [];
  for (const e of entries) {
    const m = STAGE_LINE.exec(e.text);
    if (m) rows.push([formatDuration(e.atMs), m[1]!, m[2]!]);
    else if (/^(paused at|ContinueServiceDeployment|Stopped service deployment|service deployment )/.test(e.text))
      rows.push([formatDuration(e.atMs), '—', e.text]);
  }
  return rows;
}

function settingsRows(config: Json | undefined): [string, string | undefined][] {
  const c = config ?? {};
  const minutes = (v: unknown, fallback: number) => `${typeof v === 'number' ? v : fallback}m`;
  const canary = c.canaryConfiguration as Json | undefined;
  const linear = c.linearConfiguration as Json | undefined;
  const steps =
    c.strategy === 'CANARY'
      ? `canary ${(canary?.canaryPercent as number | undefined) ?? 5}% for ${minutes(canary?.canaryBakeTimeInMinutes, 10)}, then 100%`
      : c.strategy === 'LINEAR'
        ? `${(linear?.stepPercent as number | undefined) ?? 10}% more every ${minutes(linear?.stepBakeTimeInMinutes, 6)}`
        : c.strategy === 'BLUE_GREEN'
          ? '100% at once'
          : undefined;
  const hooks = ((c.lifecycleHooks as Json[] | undefined) ?? []).map((h) => {
    const timeout = h.timeoutConfiguration as Json | undefined;
    const target = h.targetType === 'PAUSE' ? 'PAUSE' : String(h.hookTargetArn ?? 'AWS_LAMBDA');
    return `${target} at ${((h.lifecycleStages as string[] | undefined) ?? []).join(', ')} (timeout ${minutes(timeout?.timeoutInMinutes, 1440)} → ${String(timeout?.action ?? 'ROLLBACK')})`;
  });
  return [
    ['Strategy', c.strategy as string | undefined],
    ['Production traffic steps', steps],
    ['Bake time used', c.strategy ? minutes(c.bakeTimeInMinutes, 0) : undefined],
    ['Lifecycle hooks', hooks.length > 0 ? hooks.join('; ') : 'none'],
  ];
}

export function nativeSummaryHtml(sd: ServiceDeployment | undefined, timeline: Timeline, message?: string): string {
  const head = keyValueTable([
    ['Service deployment', sd?.serviceDeploymentArn],
    ['Status', sd ? `${sd.status ?? '?'}${sd.lifecycleStage ? ` (${sd.lifecycleStage})` : ''}` : 'not read'],
    ...settingsRows(sd?.deploymentConfiguration as Json | undefined),
    ['Rollback', sd?.rollback ? `${sd.rollback.reason ?? ''}` : undefined],
  ]);
  const stages = stageRows(timeline.entries);
  const hooks = sd?.lifecycleHookDetails ?? [];
  return [
    head,
    stages.length > 0 ? `<p><b>Stages and traffic steps</b></p>\n${htmlTable(['at', 'stage', 'seen'], stages)}` : '',
    hooks.length > 0
      ? `<p><b>Lifecycle hook decisions</b></p>\n${htmlTable(
          ['hook', 'type', 'status', 'on timeout'],
          hooks.map((h) => [h.hookId, h.targetType === 'PAUSE' ? 'PAUSE' : (h.targetArn ?? 'AWS_LAMBDA'), h.status, h.timeoutAction]),
        )}`
      : '',
    message ? codeBlock(message) : '',
  ].join('');
}
