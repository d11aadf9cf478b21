import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import type { ResumeRecord } from '../../../shared/ecs/deployment-record.js';
import type { ResumeResult } from '../../../shared/ecs/resume-deployment.js';
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
  const [{ resumeServiceDeployment }, { ecsClient }, { nativeSummaryHtml }, records] = await Promise.all([
    import('../../../shared/ecs/resume-deployment.js'),
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/ecs/native-summary.js'),
    import('../../../shared/ecs/deployment-record.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const github = token ? { token, apiUrl: run.apiUrl, repository: run.repository, environment, logUrl: run.runUrl } : undefined;
  if (!github) logger.info("No github-token: no GitHub deployment record is updated; the revision's outcome tag (commit-to-prod:outcome) is.");
  let found: ResumeRecord | undefined;
  let described: ServiceDeployment | undefined;
  let result: ResumeResult;
  try {
    result = await resumeServiceDeployment(request, {
      ecs,
      logger,
      signal,
      hooks: {
        async found(sd, taskDefinitionArn) {
          described = sd;
          if (!github) return;
          const recordRequest = {
            cluster: request.cluster,
            service: request.service,
            serviceDeploymentArn: request.serviceDeploymentArn,
            id: githubDeploymentId,
            github,
          };
          found = await records.findResumeRecord(recordRequest, taskDefinitionArn, logger);
          if (found) logger.info(`GitHub deployment record: ${found.how}.`);
        },
      },
    });
  } catch (error) {
    // Refused because the deployment had already ended (the gate timed out): the record says how.
    const ended = found && described ? records.endedBeforeResume(described, found.taskDefinitionArn) : undefined;
    if (found && ended) await found.record.setStatus(ended.state, ended.description);
    throw error;
  }
  let recordLine = github ? '<p>GitHub deployment: none found to update (see the log).</p>' : '<p>GitHub deployment: not updated (no github-token).</p>';
  if (found) {
    const status = records.resumedStatus(result, { action: request.action, pausedAt: result.pausedAt, taskDefinitionArn: found.taskDefinitionArn });
    await found.record.setStatus(status.state, status.description);
    const { escapeHtml } = await import('../../../shared/core/summary.js');
    recordLine = `<p>GitHub deployment #${found.record.id}: ${status.state} (${escapeHtml(status.description)})</p>`;
  }
  outputs.set('github-deployment-id', found ? String(found.record.id) : '');
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
