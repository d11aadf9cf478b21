import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { revisionName } from '../../../shared/ecs/task-definition-source.js';
import { mergeTags, provenanceTags } from '../../../shared/ecs/revision-tags.js';
import type { DeployRequest, DeployResult } from '../../../shared/ecs/deploy.js';
import type { EcsSender } from '../../../shared/ecs/raw-json.js';
import type { Logger } from '../../../shared/core/logger.js';
import type { LogReader } from '../../../shared/ecs/one-off-task.js';
import type { KeepRevisionsRequest } from '../../../shared/rollback/keep-revisions.js';
import type { ReleaseGitHub } from '../../../shared/release/record.js';
import { writeDeploySummary } from '../../../shared/ecs/deploy-summary.js';
import { runContext } from '../../../shared/github/run-context.js';
import { readInputs, type DeployInputs } from './inputs.js';
import { outputs } from './outputs.js';

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
  };

  const [{ deploy }, { ecsClient }, { cloudwatchClient }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/core/cloudwatch-client.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const logs = request.preDeploy ? await cloudWatchLogReader(region) : undefined;
  // The engine writes the release record (a standalone task deploys nothing and records nothing).
  const github = token ? { token, apiUrl: run.apiUrl, repository, environment, logUrl: runUrl } : undefined;
  const result = await deploy(request, {
    ecs,
    logs,
    logger,
    signal,
    cloudwatch: () => cloudwatchClient(region ? { region } : {}),
    record: { github, sha: run.sha ?? run.ref, runUrl },
    hooks: {
      async preDeployFinished(task) {
        const { preDeploySummaryHtml } = await import('../../../shared/ecs/deploy-summary.js');
        const heading = settings.runTask ? `One-off task: ${cluster}` : `Pre-deploy task: ${cluster}/${service}`;
        await writeSummaryLazily(heading, preDeploySummaryHtml(task, settings.preDeploy?.command));
      },
    },
  });

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
  const record = result.githubDeployment;
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
    github: ReleaseGitHub | undefined;
  },
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const [{ resumeServiceDeployment }, { ecsClient }, { nativeSummaryHtml }] = await Promise.all([
    import('../../../shared/ecs/resume-deployment.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/ecs/native-summary.js'),
  ]);
  const ecs = await ecsClient(where.region ? { region: where.region } : {});
  const { github } = where;
  if (!github) logger.info("No github-token: no GitHub deployment record is updated; the revision's outcome tag (commit-to-prod:outcome) is.");
  const result = await resumeServiceDeployment(
    {
      cluster: where.cluster,
      service: where.service,
      serviceDeploymentArn: what.serviceDeploymentArn,
      hookId: what.hookId,
      action: what.action,
      timeoutMs: where.timeoutMs,
      timeoutCoversBakes: where.timeoutAuto,
    },
    { ecs, logger, signal, record: { github, githubDeploymentId: what.githubDeploymentId } },
  );
  const found = result.record;
  let recordLine = github ? '<p>GitHub deployment: none found to update (see the log).</p>' : '<p>GitHub deployment: not updated (no github-token).</p>';
  if (found) {
    const { escapeHtml } = await import('../../../shared/core/summary.js');
    recordLine = `<p>GitHub deployment #${found.id}: ${found.state ?? '?'} (${escapeHtml(found.description ?? '')})</p>`;
  }
  outputs.set('github-deployment-id', found ? String(found.id) : '');
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
