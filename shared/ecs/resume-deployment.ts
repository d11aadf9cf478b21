/**
 * Resuming a service deployment that waits at its verification gate (verification-gate.ts):
 * ContinueServiceDeployment with CONTINUE (then followed to SUCCESSFUL, or to ECS's own rollback)
 * or ROLLBACK (then followed to ROLLBACK_SUCCESSFUL). Nothing is registered or updated: the
 * service deployment and its hook are the whole state. A cancellation while following a continued
 * deployment rolls it back (StopServiceDeployment ROLLBACK), as a cancelled deploy does.
 *
 * The paused deploy's release record is carried to its end here (release/resume-record.ts finds
 * it, release/record.ts writes it): found once the deployment is known to be the service's and
 * before anything is sent, ended in one `finally` as the resume ended — the GitHub deployment
 * (with `deps.record.github`) and the revision's tags (`commit-to-prod:outcome`, `paused` since
 * the deploy step), so `rollback to: previous` without a token reads a continued release as good
 * and a rolled-back one as not.
 */
import { ContinueServiceDeploymentCommand, type ServiceDeployment } from '@aws-sdk/client-ecs';
import type { DeploymentState } from '../github/deployments.js';
import { type ReleaseEnding, type ReleaseGitHub, ReleaseRecord } from '../release/record.js';
import { endedBeforeResume, findResumeRecord, type ResumeAction, resumedEnding } from '../release/resume-record.js';
import { systemClock, type Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { DEFAULT_POLL_INTERVAL_MS } from './follow-rollout.js';
import type { EcsSender } from './raw-json.js';
import { resumeFollower } from './resume-follower.js';
import { productionNeverOnGreen, readServiceDeployment, rollBackServiceDeployment, servesProduction, targetTaskDefinition } from './service-deployment.js';
import { decideDeadline } from './deadline.js';
import { Timeline } from './timeline.js';

export type { ResumeAction };

export interface ResumeRequest {
  cluster: string;
  service: string;
  serviceDeploymentArn: string;
  hookId: string;
  action: ResumeAction;
  timeoutMs: number;
  /** timeout: auto: add the bakes and hook timeouts of the deployment's configuration. */
  timeoutCoversBakes?: boolean;
  pollIntervalMs?: number;
}

export interface ResumeResult {
  status: 'succeeded' | 'rolled-back' | 'failed' | 'cancelled';
  message: string;
  serviceDeployment: ServiceDeployment | undefined;
  /** The revision the deployment rolls out, when ECS said. */
  taskDefinitionArn: string | undefined;
  /** The lifecycle stage it waited at. */
  pausedAt: string | undefined;
  timeline: Timeline;
  durationMs: number;
  /** Clock time ContinueServiceDeployment was sent (for the benchmark). */
  resumedAt: number;
  /** The new revision served production traffic while followed (a traffic weight above zero). */
  servedProduction: boolean;
  /** The paused deploy's GitHub deployment, found and carried to its end. */
  record?: ResumeRecordLine | undefined;
}

export interface ResumeRecordLine {
  id: number;
  /** How it was found, for the log. */
  how: string;
  state?: DeploymentState | undefined;
  description?: string | undefined;
}

export interface ResumeDeps {
  ecs: EcsSender;
  logger: Logger;
  clock?: Clock;
  signal?: AbortSignal | undefined;
  /** The paused deploy's record: its GitHub deployment (by id, or looked up by the revision) when a token is given; the revision's tags always. */
  record?: { github?: ReleaseGitHub | undefined; githubDeploymentId?: number | undefined } | undefined;
}

/** Where the resume's record stands: found before anything is sent, ended once. */
interface ResumeRecording {
  record: ReleaseRecord | undefined;
  line: ResumeRecordLine | undefined;
  ending: ReleaseEnding | undefined;
}

export async function resumeServiceDeployment(request: ResumeRequest, deps: ResumeDeps): Promise<ResumeResult> {
  const recording: ResumeRecording = { record: undefined, line: undefined, ending: undefined };
  let result: ResumeResult | undefined;
  try {
    result = await resumeAndFollow(request, deps, recording);
    return result;
  } finally {
    // The record's one end: how the resume ended, or how ECS says the deployment ended before it.
    if (result?.taskDefinitionArn) {
      const neverOnGreen = request.action === 'rollback' && productionNeverOnGreen(result.pausedAt);
      recording.ending = resumedEnding(result, {
        action: request.action,
        pausedAt: result.pausedAt,
        taskDefinitionArn: result.taskDefinitionArn,
        neverOnGreen,
        served: result.servedProduction,
      });
    }
    if (recording.record && recording.ending) {
      await recording.record.end(recording.ending, result ? 'resume' : 'deploy');
      if (recording.line) Object.assign(recording.line, { state: recording.record.endState, description: recording.record.endDescription });
    }
    if (result) result.record = recording.line;
  }
}

/** Finds the paused deploy's record (a UserError for a github-deployment-id that does not fit, before anything is sent). */
async function openResumeRecord(request: ResumeRequest, deps: ResumeDeps, taskDefinitionArn: string | undefined, recording: ResumeRecording): Promise<void> {
  const { github, githubDeploymentId } = deps.record ?? {};
  const found = github
    ? await findResumeRecord(
        { cluster: request.cluster, service: request.service, serviceDeploymentArn: request.serviceDeploymentArn, id: githubDeploymentId, github },
        taskDefinitionArn,
        deps.logger,
      )
    : undefined;
  if (found) {
    deps.logger.info(`GitHub deployment record: ${found.how}.`);
    recording.line = { id: found.record.id, how: found.how };
  }
  if (!taskDefinitionArn) return;
  const environment = found?.environment ?? github?.environment ?? request.service.split('/').pop() ?? request.service;
  recording.record = new ReleaseRecord({ kind: 'resume', cluster: request.cluster, service: request.service, environment, taskDefinitionArn }, found?.record, {
    ecs: deps.ecs,
    logger: deps.logger,
    clock: deps.clock ?? systemClock,
  });
}

async function resumeAndFollow(request: ResumeRequest, deps: ResumeDeps, recording: ResumeRecording): Promise<ResumeResult> {
  const clock = deps.clock ?? systemClock;
  const { ecs, logger, signal } = deps;
  const startedAt = clock.now();
  let deadline = startedAt + request.timeoutMs;
  const timeline = new Timeline(() => clock.now(), startedAt);
  const arn = request.serviceDeploymentArn;
  const interval = request.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;

  // The deployment must be this service's and wait at this hook: refused before anything is sent.
  const sd = await readServiceDeployment(ecs, arn).catch((error: unknown) => {
    throw new UserError(`service-deployment-arn: ECS could not describe ${arn} (${(error as Error).message}); nothing was resumed.`, { cause: error });
  });
  if (!sd) throw new UserError(`service-deployment-arn: ECS knows no service deployment ${arn}; nothing was resumed.`);
  const serviceName = request.service.split('/').pop();
  if (sd.serviceArn && !sd.serviceArn.endsWith(`/${serviceName}`)) {
    throw new UserError(`service-deployment-arn: ${arn} belongs to ${sd.serviceArn}, not to service ${request.service}; nothing was resumed.`);
  }
  const taskDefinitionArn = await targetTaskDefinition(ecs, sd).catch(() => undefined);
  await openResumeRecord(request, deps, taskDefinitionArn, recording);
  const hook = (sd.lifecycleHookDetails ?? []).find((h) => h.hookId === request.hookId);
  if (sd.status !== 'IN_PROGRESS' || hook?.status !== 'AWAITING_ACTION') {
    // Ended without this step (ECS rolled it back at the gate's timeout, or another step answered): the record says so.
    if (taskDefinitionArn) recording.ending = endedBeforeResume(sd, taskDefinitionArn);
    const state = `the deployment is ${sd.status ?? 'in no known state'}${sd.lifecycleStage ? ` at ${sd.lifecycleStage}` : ''}${hook ? `, hook ${request.hookId} is ${hook.status}` : `, no hook ${request.hookId} waits`}`;
    throw new UserError(`Cannot ${request.action} ${arn}: ${state}. Nothing was resumed.`, {
      hint: 'A gate left unanswered past its verify-timeout is rolled back by ECS; give the hook-id the deploy step printed.',
    });
  }
  const pausedAt = sd.lifecycleStage;
  deadline = decideDeadline(startedAt, request.timeoutMs, request.timeoutCoversBakes, sd.deploymentConfiguration as Record<string, unknown> | undefined).at;
  const action = request.action === 'continue' ? 'CONTINUE' : 'ROLLBACK';
  const resumedAt = clock.now();
  await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: request.hookId, action }));
  const said = `ContinueServiceDeployment ${action} at ${pausedAt ?? '?'} (hook ${request.hookId})`;
  logger.info(`${said}: ${arn}.`);
  timeline.add(said);
  let served = false;
  const finish = (status: ResumeResult['status'], message: string, last: ServiceDeployment | undefined): ResumeResult => ({
    status,
    message,
    serviceDeployment: last,
    taskDefinitionArn,
    pausedAt,
    timeline,
    durationMs: clock.now() - startedAt,
    resumedAt,
    servedProduction: served || servesProduction(last),
  });

  const neverOnGreen = productionNeverOnGreen(pausedAt) ? '; production traffic never reached the new revision' : '';
  const followed = await resumeFollower({ ecs, logger, clock, timeline }).follow(
    { serviceDeploymentArn: arn, action: request.action, answered: sd, deadline, pollIntervalMs: interval },
    signal,
  );
  const { last, stages } = followed;
  served = followed.served === 'yes';
  if (followed.ended === 'cancelled') {
    // The job was cancelled: nothing is left half-shifted. A rollback already under way stands.
    const rolling = (last?.status ?? '').startsWith('ROLLBACK');
    const outcome = await rollBackServiceDeployment(ecs, arn, {
      startedByEcs: rolling || request.action === 'rollback',
      follow: false,
      cancelled: true,
      previous: 'the previous revision',
      clock,
      deadline,
      pollIntervalMs: interval,
      log: (line) => {
        logger.info(line);
        timeline.add(line);
      },
    });
    return finish('cancelled', `Cancelled while following ${arn} after ${said}. ${outcome.where}`, last);
  }
  if (followed.ended === 'timed-out') {
    return finish('failed', `${arn} did not end within the ${formatDuration(request.timeoutMs)} timeout after ${said} (${stages.where(last)}).`, last);
  }
  const status = last?.status;
  timeline.add(`service deployment ${status}`);
  if (status === 'SUCCESSFUL') return finish('succeeded', `Verified and continued: ${arn} is SUCCESSFUL.`, last);
  if (status === 'ROLLBACK_SUCCESSFUL') {
    const why =
      request.action === 'rollback'
        ? `rolled back as asked at ${pausedAt}`
        : `ECS rolled it back after it was continued (${last?.rollback?.reason ?? last?.statusReason ?? 'no reason given'})`;
    return finish(
      'rolled-back',
      `${arn}: ${why}; the previous revision serves all traffic again (ROLLBACK_SUCCESSFUL${request.action === 'rollback' ? neverOnGreen : ''}).`,
      last,
    );
  }
  return finish('failed', `${arn} ended ${status ?? 'in no known state'}${last?.statusReason ? `: ${last.statusReason}` : ''} after ${said}.`, last);
}
