import { existsSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { ActionContext } from '../../../shared/core/action.js';
import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError, UserError } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { readStructuredInput } from '../../../shared/core/structured-input.js';
import { readTaskDefinitionChanges } from '../../../shared/ecs/task-definition-changes.js';
import { classifyTaskDefinitionInput, revisionName, type TaskDefinitionSource } from '../../../shared/ecs/task-definition-source.js';
import { mergeTags, provenanceTags, type EcsTag } from '../../../shared/ecs/revision-tags.js';
import type { DeployRequest, DeployResult } from '../../../shared/ecs/deploy.js';
import type { DeploymentRecord } from '../../../shared/github/deployments.js';
import { writeDeploySummary } from '../../../shared/ecs/deploy-summary.js';

const OUTCOME_STATE = { succeeded: 'success', started: 'in_progress', 'rolled-back': 'failure', failed: 'failure', cancelled: 'error' } as const;

export async function main({ logger, signal }: ActionContext): Promise<void> {
  // Everything the user can get wrong is checked here, before the AWS SDK is even loaded.
  const inputs = new Inputs();
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const taskDefinitionText = inputs.optionalString('task-definition');
  const kind = classifyTaskDefinitionInput(taskDefinitionText, (name) => existsSync(path.resolve(workspace, name)));
  const changes = readTaskDefinitionChanges(inputs);
  const desiredCount = inputs.optionalInteger('desired-count', { min: 0 });
  const minimumHealthyPercent = inputs.optionalInteger('minimum-healthy-percent', { min: 0, max: 100 });
  const maximumPercent = inputs.optionalInteger('maximum-percent', { min: 100, max: 200 });
  if (minimumHealthyPercent !== undefined && maximumPercent !== undefined && minimumHealthyPercent >= maximumPercent) {
    throw new InputError('minimum-healthy-percent', String(minimumHealthyPercent), `a percentage below maximum-percent (${maximumPercent})`);
  }
  const circuitBreaker = inputs.boolean('circuit-breaker', true);
  const wait = inputs.boolean('wait', true);
  const waitForInProgress = inputs.boolean('wait-for-in-progress', false);
  const timeoutMs = inputs.duration('timeout', 30 * 60_000);
  if (timeoutMs < 1_000) throw new InputError('timeout', inputs.raw('timeout'), 'a duration of at least 1s, e.g. `30m`');
  const maxFailedTasks = inputs.integer('max-failed-tasks', 2, { min: 1 });
  const rollbackOnFailure = inputs.boolean('rollback-on-failure', true);
  const forceNewDeployment = inputs.boolean('force-new-deployment', false);
  const userTags: EcsTag[] = [...inputs.keyValues('tags', { keyPattern: /^[^\s=][^=]{0,127}$/, keyDescription: 'a tag key of at most 128 characters' })].map(
    ([key, value]) => ({ key, value }),
  );
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  const environment = inputs.optionalString('github-environment');
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);

  let taskDefinition: TaskDefinitionSource;
  if (kind === 'service') taskDefinition = { kind: 'service' };
  else if (kind === 'existing') taskDefinition = { kind: 'existing', ref: taskDefinitionText! };
  else {
    const read = await readStructuredInput(inputs, 'task-definition', { workspace });
    taskDefinition = { kind: 'document', document: read?.value, source: read?.source === 'inline' ? 'the task-definition input' : (read?.source ?? '') };
  }

  const env = process.env;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runUrl = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
    : undefined;
  const images = [...changes.images].map(([container, image]) => ({ container, image }));
  const { tags: revisionTags, dropped } = mergeTags(provenanceTags({ sha: env.GITHUB_SHA, ref: env.GITHUB_REF, runUrl, images }), userTags);
  if (dropped.length > 0) logger.warning(`ECS allows 50 tags per revision; not tagging: ${dropped.join(', ')}`);
  if (!token) {
    logger.warning('No github-token: no GitHub deployment is recorded; the revision\'s ECS tags (commit-to-prod:*) are the record of this deploy.');
  }

  const request: DeployRequest = {
    cluster,
    service,
    taskDefinition,
    changes,
    revisionTags,
    desiredCount,
    minimumHealthyPercent,
    maximumPercent,
    circuitBreaker,
    forceNewDeployment,
    wait,
    timeoutMs,
    maxFailedTasks,
    onFailure: rollbackOnFailure ? 'roll-back' : 'stop',
    waitForInProgress,
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
              apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
              repository,
              ref: env.GITHUB_SHA ?? env.GITHUB_REF ?? 'HEAD',
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
  core.setOutput('task-definition-arn', result.taskDefinitionArn);
  core.setOutput('previous-task-definition-arn', result.previousTaskDefinitionArn ?? '');
  core.setOutput('deployment-id', result.deploymentId ?? '');
  core.setOutput('status', result.status);
  core.setOutput('rolled-back', String(result.rolledBack));
  core.setOutput('duration-seconds', (result.durationMs / 1000).toFixed(1));
  await writeDeploySummary(`ECS rolling deploy: ${cluster}/${service}`, result, record);

  if (result.status === 'succeeded' || result.status === 'started') {
    logger.info(result.message);
    return;
  }
  throw new UserError(result.message);
}
