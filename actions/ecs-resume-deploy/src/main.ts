import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { POLL_INTERVAL_ENV, pollIntervalOption } from '../../../shared/core/poll.js';
import { runContext } from '../../../shared/github/run-context.js';
import { readInputs } from './inputs.js';
import { outputs } from './outputs.js';

/**
 * Answer the paused hook of an earlier ecs-rolling-deploy step and follow the service deployment
 * to its end. Nothing is registered or updated; the outputs say how it ended. With a token, the
 * paused deploy's GitHub deployment is found before anything is sent and carried to the end.
 */
export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const { request, githubDeploymentId, token, environment, region } = readInputs(new Inputs());
  const [{ resumeServiceDeployment }, { ecsClient }, { nativeSummaryHtml }] = await Promise.all([
    import('../../../shared/ecs/resume-deployment.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/ecs/native-summary.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const github = token ? { token, apiUrl: run.apiUrl, repository: run.repository, environment, logUrl: run.runUrl } : undefined;
  if (!github) logger.info("No github-token: no GitHub deployment record is updated; the revision's outcome tag (commit-to-prod:outcome) is.");
  // The engine finds the paused deploy's record before anything is sent and ends it (shared/release/).
  const result = await resumeServiceDeployment(
    { ...request, ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]) },
    { ecs, logger, signal, record: { github, githubDeploymentId } },
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
  outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
  const { writeSummary } = await import('../../../shared/core/summary.js');
  await writeSummary(
    `ECS deploy resumed (${request.action}): ${request.cluster}/${request.service}`,
    nativeSummaryHtml(result.serviceDeployment, result.timeline, result.message) + recordLine,
  );
  // A rollback asked for and done is the step doing its job.
  const ok = result.status === 'succeeded' || (request.action === 'rollback' && result.status === 'rolled-back');
  if (!ok) throw new UserError(result.message);
  logger.info(result.message);
}
