import type { ActionContext } from '../../../shared/core/action.js';
import { UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { revisionName } from '../../../shared/ecs/task-definition-source.js';
import { mergeTags, provenanceTags } from '../../../shared/ecs/revision-tags.js';
import type { DeployRequest, DeployResult } from '../../../shared/ecs/deploy.js';
import type { DeploymentRecord } from '../../../shared/github/deployments.js';
import { writeDeploySummary } from '../../../shared/ecs/deploy-summary.js';
import { runContext } from '../../../shared/github/run-context.js';
import { readInputs } from './inputs.js';
import { outputs } from './outputs.js';

const OUTCOME_STATE = {
  succeeded: 'success',
  started: 'in_progress',
  'rolled-back': 'failure',
  failed: 'failure',
  cancelled: 'error',
  unknown: 'error',
} as const;

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const { cluster, service, taskDefinition, changes, userTags, token, environment, region, ...settings } = await readInputs(new Inputs(), run.workspace);
  const { repository, runUrl } = run;
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
    wait: settings.wait,
    timeoutMs: settings.timeoutMs,
    timeoutCoversBakes: settings.timeoutAuto,
    maxFailedTasks: settings.maxFailedTasks,
    onFailure: settings.rollbackOnFailure ? 'roll-back' : 'stop',
    waitForInProgress: settings.waitForInProgress,
  };

  const [{ deploy }, { ecsClient }] = await Promise.all([import('../../../shared/ecs/deploy.js'), import('../../../shared/core/aws-clients.js')]);
  const ecs = await ecsClient(region ? { region } : {});
  let record: DeploymentRecord | undefined;
  let result: DeployResult;
  try {
    result = await deploy(request, {
      ecs,
      logger,
      signal,
      hooks: {
        async planned(plan) {
          if (!token) return;
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

  await record?.setStatus(OUTCOME_STATE[result.status], result.status === 'cancelled' ? `Cancelled: ${result.message}` : result.message);
  outputs.set('task-definition-arn', result.taskDefinitionArn);
  outputs.set('previous-task-definition-arn', result.previousTaskDefinitionArn ?? '');
  outputs.set('deployment-id', result.deploymentId ?? '');
  outputs.set('status', result.status);
  outputs.set('rolled-back', String(result.rolledBack));
  outputs.set('duration-seconds', (result.durationMs / 1000).toFixed(1));
  await writeDeploySummary(`ECS rolling deploy: ${cluster}/${service}`, result, record);

  if (result.status === 'succeeded' || result.status === 'started') {
    logger.info(result.message);
    return;
  }
  throw new UserError(result.message);
}
