/**
 * The revision's one-off task: before the update (pre-deploy: only exit code 0 lets the update
 * start; anything else throws, service untouched), or as all a run does (run-task: its result is
 * the task's). Run as the revision, placed like the service's tasks, tagged like the revision.
 */
import { UserError } from '../core/errors.js';
import type { DeployRequest, DeployResult } from './deploy.js';
import type { DeployPlan } from './deploy-plan.js';
import type { DeployRun } from './deploy-run.js';
import { describeOneOffTask, runOneOffTask, type OneOffTaskResult } from './one-off-task.js';
import { describeTaskDefinition } from './register-task-definition.js';
import type { ResolvedRevision } from './resolve-revision.js';
import { revisionName } from './task-definition-source.js';

/** run-task: the task is all there is; no update, no outcome tag. */
export async function runTaskOnly(
  request: DeployRequest,
  plan: DeployPlan,
  revision: ResolvedRevision,
  serviceRaw: Record<string, unknown>,
  run: DeployRun,
): Promise<DeployResult> {
  const task = await runRevisionTask(request, plan, revision, serviceRaw, run);
  const ok = task.ending === 'exited' && task.exitCode === 0;
  const lines = ok ? '' : lastLinesText(task);
  return {
    ...revision,
    status: ok ? 'succeeded' : task.ending === 'cancelled' ? 'cancelled' : 'failed',
    message: `${describeOneOffTask(task, 'task', task.timeoutMs)}${lines}`,
    deploymentId: undefined,
    rolledBack: false,
    stoppedTasks: [],
    timeline: run.timeline,
    stats: run.stats,
    durationMs: run.clock.now() - run.startedAt,
    preDeploy: task,
  };
}

/** pre-deploy: returns the task when it exited 0, else throws with the service untouched. */
export async function runPreDeploy(
  request: DeployRequest,
  plan: DeployPlan,
  revision: ResolvedRevision,
  serviceRaw: Record<string, unknown>,
  run: DeployRun,
): Promise<OneOffTaskResult> {
  const result = await runRevisionTask(request, plan, revision, serviceRaw, run);
  const what = describeOneOffTask(result, 'pre-deploy task', result.timeoutMs);
  run.logger.info(what);
  if (result.ending === 'exited' && result.exitCode === 0) return result;
  const untouched = `${plan.where} was not updated and still runs ${revisionName(plan.previousTaskDefinitionArn)}${revision.registered ? ` (${revisionName(revision.taskDefinitionArn)} was registered but not deployed)` : ''}.`;
  throw new UserError(`${what} ${untouched}${lastLinesText(result)}`);
}

function lastLinesText(task: OneOffTaskResult): string {
  return task.lastLines.length > 0 ? ` Its last lines:\n${task.lastLines.map((l) => `  | ${l}`).join('\n')}` : '';
}

/** The revision's one-off task (request.preDeploy), followed to its end; never throws for how it ended. */
async function runRevisionTask(
  request: DeployRequest,
  plan: DeployPlan,
  revision: ResolvedRevision,
  serviceRaw: Record<string, unknown>,
  run: DeployRun,
): Promise<OneOffTaskResult & { timeoutMs: number }> {
  const { clock, deps } = run;
  const only = plan.task === 'only';
  const pre = request.preDeploy ?? { timeoutMs: plan.deadline - clock.now(), containerInput: '' };
  const described = await describeTaskDefinition(run.ecs, revision.taskDefinitionArn);
  const timeoutMs = Math.max(0, Math.min(pre.timeoutMs, plan.deadline - clock.now()));
  run.logger.info(`── ${only ? 'One-off task' : 'Pre-deploy task'} (${revisionName(revision.taskDefinitionArn)}) ──`);
  const result = await runOneOffTask(
    {
      cluster: plan.cluster,
      taskDefinitionArn: revision.taskDefinitionArn,
      containerDefinitions: (described.document.containerDefinitions as Record<string, unknown>[]) ?? [],
      container: pre.container,
      containerInput: pre.containerInput,
      command: pre.command,
      placement: serviceRaw,
      ...(pre.placement ? { placementOverride: pre.placement } : {}),
      tags: request.revisionTags ?? [],
      timeoutMs,
      label: only ? 'task' : 'pre-deploy task',
      // The deploy's poll interval (when the request set one) paces the task's follow too.
      ...pollEvery(pre.pollIntervalMs ?? plan.pollIntervalMs),
    },
    { ecs: run.ecs, logs: deps.logs, logger: run.logger, clock, signal: run.signal },
  );
  await deps.hooks?.preDeployFinished?.(result);
  return { ...result, timeoutMs };
}

function pollEvery(ms: number | undefined): { pollIntervalMs?: number } {
  return ms === undefined ? {} : { pollIntervalMs: ms };
}
