import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { POLL_INTERVAL_ENV, pollIntervalOption } from '../../../shared/core/poll.js';
import { revisionName } from '../../../shared/ecs/task-definition-source.js';
import { mergeTags, provenanceTags } from '../../../shared/ecs/revision-tags.js';
import type { DeployRequest, DeployResult } from '../../../shared/ecs/deploy.js';
import type { EcsSender } from '../../../shared/ecs/raw-json.js';
import type { Logger } from '../../../shared/core/logger.js';
import type { LogReader } from '../../../shared/ecs/one-off-task.js';
import type { KeepRevisionsRequest } from '../../../shared/rollback/keep-revisions.js';
import type { DeploymentRecord } from '../../../shared/github/deployments.js';
import type { ResumeRecord, ResumeRecordRequest } from '../../../shared/ecs/deployment-record.js';
import type { ResumeResult } from '../../../shared/ecs/resume-deployment.js';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { writeDeploySummary } from '../../../shared/ecs/deploy-summary.js';
import { runContext } from '../../../shared/github/run-context.js';
import { readInputs, type DeployInputs } from './inputs.js';
import { outputs } from './outputs.js';

const OUTCOME_STATE = {
  succeeded: 'success',
  started: 'in_progress',
  'rolled-back': 'failure',
  failed: 'failure',
  cancelled: 'error',
  unknown: 'error',
  paused: 'in_progress',
} as const;

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const { cluster, service, taskDefinition, changes, userTags, token, environment, region, ...settings } = await readInputs(new Inputs(), run.workspace);
  const { repository, runUrl } = run;
  if (settings.resume) {
    const github = token ? { token, apiUrl: run.apiUrl, repository, environment, logUrl: runUrl } : undefined;
    await resume(settings.resume, { cluster, service, region, timeoutMs: settings.timeoutMs, timeoutAuto: settings.timeoutAuto, github }, logger, signal);
    return;
  }
  const images = [...changes.images].map(([container, image]) => ({ container, image }));
  const { tags: revisionTags, dropped } = mergeTags(provenanceTags({ sha: run.sha, ref: run.ref, runUrl, images }), userTags);
  if (dropped.length > 0) logger.warning(`ECS allows 50 tags per revision; not tagging: ${dropped.join(', ')}`);
  if (!token) {
    logger.warning("No github-token: no GitHub deployment is recorded; the revision's ECS tags (commit-to-prod:*) are the record of this deploy.");
  }

  const request: DeployRequest = {
    cluster,
    service,
    taskDefinition,
    changes,
    revisionTags,
    desiredCount: settings.desiredCount,
    minimumHealthyPercent: settings.minimumHealthyPercent,
    maximumPercent: settings.maximumPercent,
    circuitBreaker: settings.circuitBreaker,
    strategy: settings.strategy,
    forceNewDeployment: settings.forceNewDeployment,
    serviceSettings: settings.serviceSettings,
    wait: settings.wait,
    timeoutMs: settings.timeoutMs,
    timeoutCoversBakes: settings.timeoutAuto,
    maxFailedTasks: settings.maxFailedTasks,
    onFailure: settings.rollbackOnFailure ? 'roll-back' : 'stop',
    waitForInProgress: settings.waitForInProgress,
    preDeploy: settings.preDeploy,
    runTaskOnly: settings.runTask,
    alarms: settings.alarms,
    bakeMs: settings.bakeMs,
    verifyAt: settings.verifyAt,
    ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
  };

  const [{ deploy }, { ecsClient }, { cloudwatchClient }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/core/cloudwatch-client.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const logs = request.preDeploy ? await cloudWatchLogReader(region) : undefined;
  let record: DeploymentRecord | undefined;
  let result: DeployResult;
  try {
    result = await deploy(request, {
      ecs,
      logs,
      logger,
      signal,
      cloudwatch: () => cloudwatchClient(region ? { region } : {}),
      hooks: {
        async preDeployFinished(task) {
          const { preDeploySummaryHtml } = await import('../../../shared/ecs/deploy-summary.js');
          const heading = settings.runTask ? `One-off task: ${cluster}` : `Pre-deploy task: ${cluster}/${service}`;
          await writeSummaryLazily(heading, preDeploySummaryHtml(task, settings.preDeploy?.command));
        },
        async planned(plan) {
          // A standalone task deploys nothing: no deployment record.
          if (!token || settings.runTask) return;
          const { createDeploymentRecord } = await import('../../../shared/github/deployments.js');
          record = await createDeploymentRecord(
            {
              token,
              apiUrl: run.apiUrl,
              repository,
              ref: run.sha ?? run.ref ?? 'HEAD',
              environment: environment ?? service,
              description: `${plan.registered ? 'Register and deploy' : 'Deploy'} ${revisionName(plan.taskDefinitionArn)} to ${cluster}/${service}`,
              payload: {
                cluster,
                service,
                taskDefinitionArn: plan.taskDefinitionArn,
                previousTaskDefinitionArn: plan.previousTaskDefinitionArn ?? null,
                registered: plan.registered,
                images: Object.fromEntries(plan.after.map((i) => [i.container, i.image])),
                previousImages: Object.fromEntries(plan.before.map((i) => [i.container, i.image])),
              },
              logUrl: runUrl,
            },
            logger,
          );
        },
        async serviceUpdated(plan) {
          await record?.setStatus('in_progress', `Rolling out ${revisionName(plan.taskDefinitionArn)} (${plan.deploymentId})`);
        },
      },
    });
  } catch (error) {
    await record?.setStatus(signal.aborted ? 'error' : 'failure', `${signal.aborted ? 'Cancelled' : 'Failed'}: ${(error as Error).message}`);
    throw error;
  }

  if (settings.runTask) {
    outputs.set('task-definition-arn', result.taskDefinitionArn);
    outputs.set('task-arn', result.preDeploy?.taskArn ?? '');
    outputs.set('exit-code', result.preDeploy?.exitCode === undefined ? '' : String(result.preDeploy.exitCode));
    outputs.set('status', result.status);
    outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
    if (result.status !== 'succeeded') throw new UserError(result.message);
    logger.info(result.message);
    return;
  }
  await record?.setStatus(OUTCOME_STATE[result.status], await recordDescription(result, settings.verifyAt?.timeoutInMinutes));
  outputs.set('task-definition-arn', result.taskDefinitionArn);
  outputs.set('previous-task-definition-arn', result.previousTaskDefinitionArn ?? '');
  outputs.set('deployment-id', result.deploymentId ?? '');
  outputs.set('status', result.status);
  outputs.set('rolled-back', String(result.rolledBack));
  outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
  outputs.set('task-arn', result.preDeploy?.taskArn ?? '');
  outputs.set('exit-code', result.preDeploy?.exitCode === undefined ? '' : String(result.preDeploy.exitCode));
  outputs.set('service-deployment-arn', result.serviceDeploymentArn ?? '');
  outputs.set('hook-id', result.hookId ?? '');
  outputs.set('github-deployment-id', record ? String(record.id) : '');
  await writeDeploySummary(`ECS rolling deploy: ${cluster}/${service}`, result, record);
  if (result.status === 'succeeded' && settings.keepRevisions !== undefined) {
    // After the record says success, so `rollback to: previous` is asked about the world as it now is.
    await pruneRevisions(settings.keepRevisions, result, {
      ecs,
      logger,
      cluster,
      service,
      github: token ? { token, apiUrl: run.apiUrl, repository, environment: environment ?? service } : undefined,
    });
  }

  // Paused is the plan only with verify-at; a pause the deploy did not ask for fails the step.
  if (result.status === 'succeeded' || result.status === 'started' || (result.status === 'paused' && settings.verifyAt !== undefined)) {
    logger.info(result.message);
    return;
  }
  throw new UserError(result.message);
}

/** The record's description: a paused deploy names its stage and hook and how to resume (GitHub keeps 140 characters). */
async function recordDescription(result: DeployResult, verifyTimeoutMinutes: number | undefined): Promise<string> {
  if (result.status === 'cancelled') return `Cancelled: ${result.message}`;
  if (result.status !== 'paused' || !result.hookId) return result.message;
  const { pausedDescription } = await import('../../../shared/ecs/deployment-record.js');
  const stage = result.serviceDeployment?.lifecycleStage ?? 'a PAUSE hook';
  return pausedDescription(result.taskDefinitionArn, stage, result.hookId, verifyTimeoutMinutes);
}

/**
 * `resume`: answer the paused hook of an earlier deploy step and follow the service deployment to
 * its end. Nothing is registered or updated; the outputs say how it ended. With a token, the
 * paused deploy's GitHub deployment is found before anything is sent and carried to the end.
 */
async function resume(
  what: NonNullable<DeployInputs['resume']>,
  where: {
    cluster: string;
    service: string;
    region: string | undefined;
    timeoutMs: number;
    timeoutAuto: boolean;
    github: ResumeRecordRequest['github'] | undefined;
  },
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const [{ resumeServiceDeployment }, { ecsClient }, { nativeSummaryHtml }, records] = await Promise.all([
    import('../../../shared/ecs/resume-deployment.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/ecs/native-summary.js'),
    import('../../../shared/ecs/deployment-record.js'),
  ]);
  const ecs = await ecsClient(where.region ? { region: where.region } : {});
  const { github } = where;
  if (!github) logger.info("No github-token: no GitHub deployment record is updated; the revision's outcome tag (commit-to-prod:outcome) is.");
  let found: ResumeRecord | undefined;
  let described: ServiceDeployment | undefined;
  let result: ResumeResult;
  try {
    result = await resumeServiceDeployment(
      {
        cluster: where.cluster,
        service: where.service,
        serviceDeploymentArn: what.serviceDeploymentArn,
        hookId: what.hookId,
        action: what.action,
        timeoutMs: where.timeoutMs,
        timeoutCoversBakes: where.timeoutAuto,
        ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
      },
      {
        ecs,
        logger,
        signal,
        hooks: {
          async found(sd, taskDefinitionArn) {
            described = sd;
            if (!github) return;
            const request = {
              cluster: where.cluster,
              service: where.service,
              serviceDeploymentArn: what.serviceDeploymentArn,
              id: what.githubDeploymentId,
              github,
            };
            found = await records.findResumeRecord(request, taskDefinitionArn, logger);
            if (found) logger.info(`GitHub deployment record: ${found.how}.`);
          },
        },
      },
    );
  } catch (error) {
    // Refused because the deployment had already ended (the gate timed out): the record says how.
    const ended = found && described ? records.endedBeforeResume(described, found.taskDefinitionArn) : undefined;
    if (found && ended) await found.record.setStatus(ended.state, ended.description);
    throw error;
  }
  let recordLine = github ? '<p>GitHub deployment: none found to update (see the log).</p>' : '<p>GitHub deployment: not updated (no github-token).</p>';
  if (found) {
    const status = records.resumedStatus(result, { action: what.action, pausedAt: result.pausedAt, taskDefinitionArn: found.taskDefinitionArn });
    await found.record.setStatus(status.state, status.description);
    const { escapeHtml } = await import('../../../shared/core/summary.js');
    recordLine = `<p>GitHub deployment #${found.record.id}: ${status.state} (${escapeHtml(status.description)})</p>`;
  }
  outputs.set('github-deployment-id', found ? String(found.record.id) : '');
  outputs.set('task-definition-arn', result.taskDefinitionArn ?? '');
  outputs.set('status', result.status);
  outputs.set('rolled-back', String(result.status === 'rolled-back'));
  outputs.set('service-deployment-arn', what.serviceDeploymentArn);
  outputs.set('hook-id', what.hookId);
  outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
  await writeSummaryLazily(
    `ECS deploy resumed (${what.action}): ${where.cluster}/${where.service}`,
    nativeSummaryHtml(result.serviceDeployment, result.timeline, result.message) + recordLine,
  );
  // A rollback asked for and done is the step doing its job.
  const ok = result.status === 'succeeded' || (what.action === 'rollback' && result.status === 'rolled-back');
  if (!ok) throw new UserError(result.message);
  logger.info(result.message);
}

async function pruneRevisions(
  keep: number,
  result: DeployResult,
  context: { ecs: EcsSender; logger: Logger; cluster: string; service: string; github: KeepRevisionsRequest['github'] },
): Promise<void> {
  const { ecs, logger, cluster, service, github } = context;
  const [{ keepRevisions, keepRevisionsSummaryHtml }, { writeSummary }] = await Promise.all([
    import('../../../shared/rollback/keep-revisions.js'),
    import('../../../shared/core/summary.js'),
  ]);
  try {
    const pruned = await logger.group(`Old revisions (keep-revisions: ${keep})`, () =>
      keepRevisions({ cluster, service, keep, runningArn: result.taskDefinitionArn, previousArn: result.previousTaskDefinitionArn, github }, { ecs, logger }),
    );
    if (pruned.deregistered.length > 0)
      logger.info(`Deregistered ${pruned.deregistered.length} old revision(s): ${pruned.deregistered.map(revisionName).join(', ')}.`);
    await writeSummary(`Old revisions (keep-revisions: ${keep})`, keepRevisionsSummaryHtml(pruned));
  } catch (error) {
    // The deploy succeeded; pruning is housekeeping and must not turn it into a failure.
    logger.warning(`keep-revisions: could not prune old revisions: ${(error as Error).message}`);
  }
}

/** GetLogEvents through the CloudWatch Logs client, loaded only for a pre-deploy task. */
async function cloudWatchLogReader(region: string | undefined): Promise<LogReader> {
  const [{ logsClient }, { GetLogEventsCommand }] = await Promise.all([
    import('../../../shared/core/aws-clients.js'),
    import('@aws-sdk/client-cloudwatch-logs'),
  ]);
  const client = await logsClient(region ? { region } : {});
  return { getLogEvents: (input) => client.send(new GetLogEventsCommand(input)) };
}

async function writeSummaryLazily(heading: string, html: string): Promise<void> {
  const { writeSummary } = await import('../../../shared/core/summary.js');
  await writeSummary(heading, html);
}
