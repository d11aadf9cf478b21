import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { POLL_INTERVAL_ENV, pollIntervalOption } from '../../../shared/core/poll.js';
import type { LogReader } from '../../../shared/ecs/one-off-task.js';
import { mergeTags, provenanceTags } from '../../../shared/ecs/revision-tags.js';
import { runContext } from '../../../shared/github/run-context.js';
import { readInputs } from './inputs.js';
import { outputs } from './outputs.js';

/**
 * A one-off task of the revision through the deploy engine (rendered and registered as a deploy
 * would, placed like the service's tasks), followed with its log lines until it stops. Nothing is
 * deployed: no service update, no outcome tag, no GitHub deployment.
 */
export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const { request, userTags, region } = await readInputs(new Inputs(), run.workspace);
  const images = [...(request.changes?.images ?? [])].map(([container, image]) => ({ container, image }));
  const { tags: revisionTags, dropped } = mergeTags(provenanceTags({ sha: run.sha, ref: run.ref, runUrl: run.runUrl, images }), userTags);
  if (dropped.length > 0) logger.warning(`ECS allows 50 tags per revision; not tagging: ${dropped.join(', ')}`);
  request.revisionTags = revisionTags;
  Object.assign(request, pollIntervalOption(process.env[POLL_INTERVAL_ENV]));

  const [{ deploy }, { ecsClient }, { preflightClients }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/ecs/preflight.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const result = await deploy(request, {
    ecs,
    // The task's images and log groups are checked before it runs (preflight.ts).
    preflight: preflightClients(region),
    logs: await cloudWatchLogReader(region),
    logger,
    signal,
    hooks: {
      async preDeployFinished(task) {
        const [{ preDeploySummaryHtml }, { writeSummary }] = await Promise.all([
          import('../../../shared/ecs/deploy-summary.js'),
          import('../../../shared/core/summary.js'),
        ]);
        await writeSummary(`One-off task: ${request.cluster}`, preDeploySummaryHtml(task, request.preDeploy?.command));
      },
    },
  });
  outputs.set('task-definition-arn', result.taskDefinitionArn);
  outputs.set('task-arn', result.preDeploy?.taskArn ?? '');
  outputs.set('exit-code', result.preDeploy?.exitCode === undefined ? '' : String(result.preDeploy.exitCode));
  outputs.set('status', result.status);
  outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
  if (result.status !== 'succeeded') throw new UserError(result.message);
  logger.info(result.message);
}

/** GetLogEvents through the CloudWatch Logs client, to stream the task's awslogs lines. */
async function cloudWatchLogReader(region: string | undefined): Promise<LogReader> {
  const [{ logsClient }, { GetLogEventsCommand }] = await Promise.all([
    import('../../../shared/core/aws-clients.js'),
    import('@aws-sdk/client-cloudwatch-logs'),
  ]);
  const client = await logsClient(region ? { region } : {});
  return { getLogEvents: (input) => client.send(new GetLogEventsCommand(input)) };
}
