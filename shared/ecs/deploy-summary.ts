/**
 * The job summary of a deploy (or a rollback): the outcome at a glance, the revisions and images
 * before and after, the stopped tasks that explain a failure, the watched alarms' last states,
 * and the timeline of the rollout.
 */
import { formatDuration } from '../core/duration.js';
import type { DeploymentRecord } from '../github/deployments.js';
import { codeBlock, details, htmlTable, keyValueTable, writeSummary } from '../core/summary.js';
import type { DeployResult } from './deploy.js';
import { describeEarlySuccess } from './early-success-cleanup.js';
import type { OneOffTaskResult } from './one-off-task.js';
import { nativeSummaryHtml } from './native-summary.js';
import { revisionName } from './task-definition-source.js';

export const OUTCOME: Record<DeployResult['status'], string> = {
  succeeded: '✅ succeeded',
  started: '🚀 started (not followed)',
  'rolled-back': '↩️ failed and rolled back',
  failed: '❌ failed',
  cancelled: '⏹️ cancelled',
  unknown: '❔ unknown (ECS could not be read; service left as it is)',
  planned: '📋 planned (nothing changed)',
  paused: '⏸️ paused at the verification gate (production still on the previous revision)',
};

export interface DeploySummaryOptions {
  /** Whether the deploy rolls back on failure (a rollback itself never rolls forward). */
  automaticRollback?: boolean;
}

export function deploySummaryHtml(result: DeployResult, record?: DeploymentRecord, options: DeploySummaryOptions = {}): string {
  const rolledBack = result.rolledBack
    ? `yes (${result.rollbackDeploymentId ?? ''}), back on ${revisionName(result.previousTaskDefinitionArn)}`
    : options.automaticRollback === false
      ? 'off: a failure is reported, never rolled forward'
      : 'no';
  const outcome = keyValueTable([
    ['Outcome', OUTCOME[result.status]],
    [
      'Revision',
      `${revisionName(result.previousTaskDefinitionArn)} → ${revisionName(result.taskDefinitionArn)}${result.registered ? ' (registered now)' : ' (existing)'}`,
    ],
    ['Deployment', result.deploymentId],
    ['Rolled back', rolledBack],
    ['Why', result.failure ? result.failure.reason : undefined],
    ['Early success', result.earlySuccess ? describeEarlySuccess(result.earlySuccess, revisionName(result.taskDefinitionArn)) : undefined],
    ['Duration', formatDuration(result.durationMs)],
    ['GitHub deployment', record ? `#${record.id}` : "not recorded (no github-token): see the revision's commit-to-prod:* tags"],
  ]);
  const containers = [...new Set([...result.before.map((i) => i.container), ...result.after.map((i) => i.container)])];
  const images = htmlTable(
    ['container', `before (${revisionName(result.previousTaskDefinitionArn)})`, `after (${revisionName(result.taskDefinitionArn)})`],
    containers.map((c) => {
      const before = result.before.find((i) => i.container === c)?.image;
      const after = result.after.find((i) => i.container === c)?.image;
      return [c, before, before === after ? '(unchanged)' : after];
    }),
  );
  const failed = result.stoppedTasks.filter((t) => t.failed);
  const stopped =
    failed.length > 0
      ? htmlTable(
          ['task', 'stopped reason', 'stop code', 'exit codes'],
          failed.map((t) => [t.taskId, t.stoppedReason, t.stopCode, t.containers.map((c) => `${c.name}=${c.exitCode ?? '?'}`).join(', ')]),
        )
      : '';
  const alarms = result.alarms?.length
    ? `<p><b>Alarms</b></p>\n${htmlTable(
        ['alarm', 'state', 'condition', 'latest datapoint'],
        result.alarms.map((a) => [a.name, a.state, a.condition, a.latest]),
      )}`
    : '';
  const timeline = htmlTable(['at', 'what happened'], timelineRows(result.timeline.entries));
  return [
    outcome,
    images,
    stopped ? `<p><b>Failed tasks of ${revisionName(result.taskDefinitionArn)}</b></p>\n${stopped}` : '',
    alarms,
    result.serviceDeploymentArn ? nativeSummaryHtml(result.serviceDeployment, result.timeline) : '',
    details(`Timeline (${result.timeline.entries.length} steps, ${result.stats.describeServicesCalls} DescribeServices calls)`, timeline),
    result.status === 'succeeded' ? '' : codeBlock(result.message),
  ].join('');
}

const TIMELINE_HEAD = 30;
const TIMELINE_TAIL = 70;

/** A long rollout of a large service keeps its start and its end; the middle is counted. */
export function timelineRows(entries: readonly { atMs: number; text: string }[]): [string, string][] {
  const row = (e: { atMs: number; text: string }): [string, string] => [formatDuration(e.atMs), e.text];
  if (entries.length <= TIMELINE_HEAD + TIMELINE_TAIL) return entries.map(row);
  const skipped = entries.length - TIMELINE_HEAD - TIMELINE_TAIL;
  return [...entries.slice(0, TIMELINE_HEAD).map(row), ['…', `${skipped} more steps (see the job log)`], ...entries.slice(-TIMELINE_TAIL).map(row)];
}

export async function writeDeploySummary(heading: string, result: DeployResult, record?: DeploymentRecord, options: DeploySummaryOptions = {}): Promise<void> {
  await writeSummary(heading, deploySummaryHtml(result, record, options));
}

/** The pre-deploy task at a glance: which task, its command, how it ended, and its last lines. */
export function preDeploySummaryHtml(task: OneOffTaskResult, command: readonly string[] | undefined): string {
  const table = keyValueTable([
    ['Task', task.taskArn.split('/').at(-1)],
    ['Container', task.container],
    ['Command', command ? command.join(' ') : "(the container's own)"],
    ['Exit code', task.exitCode ?? '—'],
    ['Ended', task.ending === 'exited' ? 'exited' : task.ending === 'timed-out' ? 'timed out: stopped (StopTask)' : 'cancelled: stopped (StopTask)'],
    ['Stop reason', task.stopCode ? `${task.stoppedReason ?? ''} (${task.stopCode})` : task.stoppedReason],
    ['Duration', formatDuration(task.durationMs)],
    ['Log lines', task.linesShown],
  ]);
  return `${table}${task.lastLines.length > 0 ? details(`Last ${task.lastLines.length} log lines`, codeBlock(task.lastLines.join('\n'))) : ''}`;
}
