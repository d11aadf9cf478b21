import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { POLL_INTERVAL_ENV, pollIntervalOption } from '../../../shared/core/poll.js';
import { revisionName } from '../../../shared/ecs/task-definition-source.js';
import { mergeTags, provenanceTags } from '../../../shared/ecs/revision-tags.js';
import type { DeployDeps, DeployRequest, DeployResult } from '../../../shared/ecs/deploy.js';
import type { EcsSender } from '../../../shared/ecs/raw-json.js';
import type { Logger } from '../../../shared/core/logger.js';
import type { LogReader } from '../../../shared/ecs/one-off-task.js';
import type { KeepRevisionsRequest } from '../../../shared/rollback/keep-revisions.js';
import { writeDeploySummary } from '../../../shared/ecs/deploy-summary.js';
import { runContext } from '../../../shared/github/run-context.js';
import { readInputs } from './inputs.js';
import { outputs } from './outputs.js';

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const { request, services, userTags, keepRevisions, token, environment, region } = await readInputs(new Inputs(), run.workspace);
  const { cluster, service } = request;
  const { repository, runUrl } = run;
  const images = [...(request.changes?.images ?? [])].map(([container, image]) => ({ container, image }));
  const { tags: revisionTags, dropped } = mergeTags(provenanceTags({ sha: run.sha, ref: run.ref, runUrl, images }), userTags);
  if (dropped.length > 0) logger.warning(`ECS allows 50 tags per revision; not tagging: ${dropped.join(', ')}`);
  request.revisionTags = revisionTags;
  // Local stacks and tests: poll at the emulator's pace (README, "Local stacks and tests").
  Object.assign(request, pollIntervalOption(process.env[POLL_INTERVAL_ENV]));
  if (!token && !request.planOnly) {
    logger.warning("No github-token: no GitHub deployment is recorded; the revision's ECS tags (commit-to-prod:*) are the record of this deploy.");
  }

  const [{ deploy }, { ecsClient }, { cloudwatchClient }, { preflightClients }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/core/cloudwatch-client.js'),
    import('../../../shared/ecs/preflight.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const logs = request.preDeploy ? await cloudWatchLogReader(region) : undefined;
  // The engine writes the release record (shared/release/): opened once planned, ended in its `finally`.
  const github = token ? { token, apiUrl: run.apiUrl, repository, environment, logUrl: runUrl } : undefined;
  const deps: DeployDeps = {
    ecs,
    logs,
    logger,
    signal,
    cloudwatch: () => cloudwatchClient(region ? { region } : {}),
    // ECR, CloudWatch Logs and ELBv2, each created only when a preflight check needs it.
    preflight: preflightClients(region),
    record: { github, sha: run.sha ?? run.ref, runUrl },
  };
  if (services.length > 1) return releaseServices(request, services, deps, logger);
  const result = await deploy(request, {
    ...deps,
    hooks: {
      async preDeployFinished(task) {
        const { preDeploySummaryHtml } = await import('../../../shared/ecs/deploy-summary.js');
        await writeSummaryLazily(`Pre-deploy task: ${cluster}/${service}`, preDeploySummaryHtml(task, request.preDeploy?.command));
      },
    },
  });
  if (result.plan) {
    outputs.set('plan', JSON.stringify(result.plan));
    outputs.set('changes', String(result.plan.changes));
  }
  if (result.status === 'planned') return reportPlan(result, logger);
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
  if (result.status === 'succeeded' && keepRevisions !== undefined) {
    // After the record says success, so `rollback to: previous` is asked about the world as it now is.
    await pruneRevisions(keepRevisions, result, {
      ecs,
      logger,
      cluster,
      service,
      github: token ? { token, apiUrl: run.apiUrl, repository, environment: environment ?? service } : undefined,
    });
  }

  // Paused is the plan only with verify-at; a pause the deploy did not ask for fails the step.
  if (result.status === 'succeeded' || result.status === 'started' || (result.status === 'paused' && request.verifyAt !== undefined)) {
    logger.info(result.message);
    return;
  }
  throw new UserError(result.message);
}

/**
 * Several services, one release (all or nothing): the outputs of one service are the first's
 * (`task-definition-arn` is every service's when they share a family), `status` and `rolled-back`
 * the release's, `services` each one's; the summary has a row per service.
 */
async function releaseServices(request: DeployRequest, services: string[], deps: DeployDeps, logger: Logger): Promise<void> {
  const [{ deployServices }, { releaseSummaryHtml }] = await Promise.all([
    import('../../../shared/ecs/deploy-services.js'),
    import('../../../shared/ecs/release-summary.js'),
  ]);
  const release = await deployServices(request, services, deps);
  const first = release.services[0]?.result;
  outputs.set('task-definition-arn', first?.taskDefinitionArn ?? '');
  outputs.set('previous-task-definition-arn', first?.previousTaskDefinitionArn ?? '');
  outputs.set('deployment-id', first?.deploymentId ?? '');
  outputs.set('status', release.status);
  outputs.set('rolled-back', String(release.services.some((s) => s.result?.rolledBack)));
  outputs.set('duration-seconds', (release.durationMs / 1000).toFixed(1));
  outputs.set('github-deployment-id', first?.githubDeployment ? String(first.githubDeployment.id) : '');
  outputs.set(
    'services',
    JSON.stringify(
      release.services.map(({ service, result }) => ({
        service,
        taskDefinitionArn: result?.taskDefinitionArn ?? null,
        previousTaskDefinitionArn: result?.previousTaskDefinitionArn ?? null,
        status: result?.status ?? 'failed',
        rolledBack: result?.rolledBack ?? false,
        deploymentId: result?.deploymentId ?? null,
      })),
    ),
  );
  await writeSummaryLazily(`ECS rolling deploy: ${request.cluster}/${services.join(', ')}`, releaseSummaryHtml(release));
  if (release.status !== 'succeeded') throw new UserError(release.message);
  logger.info(release.message);
}

/** plan: true: the plan in the log and the summary (what the reviewer reads); nothing was changed. */
async function reportPlan(result: DeployResult, logger: Logger): Promise<void> {
  const plan = result.plan!;
  const { planLines, planSummaryHtml } = await import('../../../shared/ecs/plan-summary.js');
  for (const line of planLines(plan)) logger.info(`  ${line}`);
  outputs.set('task-definition-arn', result.taskDefinitionArn);
  outputs.set('previous-task-definition-arn', result.previousTaskDefinitionArn ?? '');
  outputs.set('status', result.status);
  outputs.set('rolled-back', 'false');
  outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
  await writeSummaryLazily(`ECS deploy plan: ${plan.cluster}/${plan.service}`, planSummaryHtml(plan));
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
