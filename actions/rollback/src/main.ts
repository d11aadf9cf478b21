import * as core from '@actions/core';
import type { ActionContext } from '../../../shared/run-action.js';
import { resolveRegion } from '../../../shared/aws-clients.js';
import { InputError, UserError } from '../../../shared/errors.js';
import { Inputs } from '../../../shared/inputs.js';
import { registerSecret } from '../../../shared/secrets.js';
import { classifyRollbackTarget, TO_EXPECTED } from '../../../shared/rollback/rollback-target-input.js';
import type { DeployResult } from '../../../shared/ecs/deploy.js';
import type { EcsSender } from '../../../shared/ecs/raw-json.js';
import type { DeploymentRecord, DeploymentState } from '../../../shared/github-deployments.js';

/** The rollback's own outcome; a rollback never rolls "forward", so there is no `rolled-back`. */
const STATUS: Record<DeployResult['status'], 'succeeded' | 'failed' | 'started' | 'cancelled'> = {
  succeeded: 'succeeded',
  started: 'started',
  'rolled-back': 'failed',
  failed: 'failed',
  cancelled: 'cancelled',
};
const RECORD_STATE: Record<DeployResult['status'], DeploymentState> = {
  succeeded: 'success',
  started: 'in_progress',
  'rolled-back': 'failure',
  failed: 'failure',
  cancelled: 'error',
};

export async function main({ logger, signal }: ActionContext): Promise<void> {
  // Everything the user can get wrong is checked here, before the AWS SDK is even loaded.
  const inputs = new Inputs();
  const env = process.env;
  const cluster = inputs.requiredString('cluster', 'an ECS cluster name or ARN');
  const service = inputs.requiredString('service', 'an ECS service name or ARN');
  const toText = inputs.string('to', 'previous');
  const to = classifyRollbackTarget(toText);
  const manual = env.GITHUB_EVENT_NAME === 'workflow_dispatch';
  const reasonInput = inputs.optionalString('reason');
  if (!reasonInput && manual) {
    throw new InputError('reason', undefined, 'why the service is rolled back (it is recorded with the rollback; a rollback started by hand must say why)');
  }
  const reason = reasonInput ?? `automated rollback by workflow '${env.GITHUB_WORKFLOW ?? '?'}' (${env.GITHUB_EVENT_NAME ?? 'unknown event'})`;
  const dryRun = inputs.boolean('dry-run', false);
  const wait = inputs.boolean('wait', true);
  const waitForInProgress = inputs.boolean('wait-for-in-progress', false);
  const timeoutMs = inputs.duration('timeout', 30 * 60_000);
  if (timeoutMs < 1_000) throw new InputError('timeout', inputs.raw('timeout'), 'a duration of at least 1s, e.g. `30m`');
  const maxFailedTasks = inputs.integer('max-failed-tasks', 2, { min: 1 });
  const token = inputs.optionalString('github-token');
  if (token) registerSecret(token);
  // The same default as ecs-rolling-deploy, or its records would not be found.
  const environment = inputs.optionalString('github-environment') ?? service;
  const region = inputs.optionalString('aws-region');
  resolveRegion(region);

  const actor = env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || 'unknown';
  const requestedBy = `${actor}${env.GITHUB_EVENT_NAME ? ` (${env.GITHUB_EVENT_NAME}${env.GITHUB_RUN_ID ? `, run ${env.GITHUB_RUN_ID}` : ''})` : ''}`;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const apiUrl = env.GITHUB_API_URL ?? 'https://api.github.com';
  const runUrl = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`
    : undefined;
  if (!token) logger.warning(`No github-token: the release history is read from the ECS revision tags only, and the rollback is recorded there (commit-to-prod:*), not as a GitHub deployment.`);

  const [{ ecsClient }, { pickRollbackTarget }, { planLines, planSummaryHtml }] = await Promise.all([
    import('../../../shared/aws-clients.js'),
    import('../../../shared/rollback/pick-rollback-target.js'),
    import('../../../shared/rollback/rollback-plan.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const target = await logger.group(`Choosing the target (to: ${toText})`, () =>
    pickRollbackTarget(
      { cluster, service, to, toText, github: token ? { token, apiUrl, repository, environment } : undefined },
      { ecs, logger },
    ),
  ).catch(async (error: unknown) => {
    if (!(error instanceof UserError)) throw error;
    // A refusal also names what `to` accepts when the input itself was the problem.
    const refusal = /^Input 'to'/.test(error.message) && !error.message.includes('expected') ? new UserError(`${error.message} Expected ${TO_EXPECTED}.`) : error;
    // The run's summary page says why nothing happened, not only the annotation.
    const { writeSummary, codeBlock } = await import('../../../shared/summary.js');
    await writeSummary(`Rollback refused: ${cluster}/${service}`, `<p>Nothing was changed.</p>\n`, codeBlock(refusal.message));
    throw refusal;
  });
  const from = target.current.arn;
  const toArn = target.target.arn;
  core.setOutput('from', from);
  core.setOutput('to', toArn);
  core.setOutput('source', target.source);

  const plan = { cluster, service, target, requestedBy, reason, dryRun };
  await logger.group('Rollback plan', async () => {
    for (const line of planLines(plan)) logger.info(line);
  });
  const { writeSummary } = await import('../../../shared/summary.js');
  await writeSummary(`Rollback plan: ${cluster}/${service}`, planSummaryHtml(plan));
  if (dryRun) {
    core.setOutput('status', 'planned');
    logger.notice(`Dry run: would roll ${cluster}/${service} back from ${target.current.family}:${target.current.revision} to ${target.target.family}:${target.target.revision}. Nothing was changed.`);
    return;
  }

  const [{ deploy }, { writeDeploySummary }, { tagResource }, { rolledBackFromTags, rolledBackToTags }, { revisionName }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/ecs/deploy-summary.js'),
    import('../../../shared/ecs/register-task-definition.js'),
    import('../../../shared/rollback/rollback-tags.js'),
    import('../../../shared/ecs/task-definition-source.js'),
  ]);
  let record: DeploymentRecord | undefined;
  let result: DeployResult;
  try {
    result = await deploy(
      {
        cluster,
        service,
        taskDefinition: { kind: 'existing', ref: toArn },
        register: 'never',
        // A failing rollback stops where it is: neither the engine nor ECS's circuit breaker
        // (kept on, its rollback off) may take the service "forward" to the release it left.
        onFailure: 'stop',
        circuitBreaker: true,
        wait,
        timeoutMs,
        maxFailedTasks,
        waitForInProgress,
      },
      {
        ecs,
        logger,
        signal,
        hooks: {
          async planned(deployPlan) {
            if (deployPlan.previousTaskDefinitionArn !== from) {
              throw new UserError(
                `${cluster}/${service} changed since the plan: it now runs ${revisionName(deployPlan.previousTaskDefinitionArn)}, not ${revisionName(from)}. Nothing was changed; run the rollback again to plan from the new state.`,
              );
            }
            if (!token) return;
            const { createDeploymentRecord } = await import('../../../shared/github-deployments.js');
            const sha = target.target.tags.get('commit-to-prod:sha') ?? target.deployment?.sha;
            record = await createDeploymentRecord(
              {
                token,
                apiUrl,
                repository,
                // The environment shows the commit that runs after the rollback.
                ref: sha && /^[0-9a-f]{40}$/.test(sha) ? sha : (env.GITHUB_SHA ?? 'HEAD'),
                environment,
                description: `Rollback ${revisionName(from)} → ${revisionName(toArn)}: ${reason}`,
                payload: {
                  kind: 'rollback',
                  cluster,
                  service,
                  taskDefinitionArn: toArn,
                  previousTaskDefinitionArn: from,
                  registered: false,
                  images: Object.fromEntries(deployPlan.after.map((i) => [i.container, i.image])),
                  previousImages: Object.fromEntries(deployPlan.before.map((i) => [i.container, i.image])),
                  from,
                  to: toArn,
                  reason,
                  requestedBy,
                  source: target.source,
                  chosenFrom: target.chosenFrom,
                },
                logUrl: runUrl,
              },
              logger,
            );
          },
          async serviceUpdated(deployPlan) {
            await record?.setStatus('in_progress', `Rolling back to ${revisionName(toArn)} (${deployPlan.deploymentId})`);
            // The decision is recorded once the service is on its way back, whatever the outcome.
            const at = new Date();
            await Promise.all([
              tagResource(ecs, toArn, rolledBackToTags({ from, at, reason, requestedBy })),
              tagResource(ecs, from, rolledBackFromTags({ to: toArn, at })),
            ]).catch((error: unknown) => logger.warning(`Could not tag the revisions with the rollback: ${(error as Error).message}`));
          },
        },
      },
    );
  } catch (error) {
    await record?.setStatus(signal.aborted ? 'error' : 'failure', `${signal.aborted ? 'Cancelled' : 'Failed'}: ${(error as Error).message}`);
    throw error;
  }

  const status = STATUS[result.status];
  core.setOutput('status', status);
  let message = result.message;
  if (status === 'cancelled') {
    message = `Rollback of ${cluster}/${service} to ${revisionName(toArn)} was cancelled while ECS rolled it out (deployment ${result.deploymentId ?? '?'}). ECS carries on with that deployment; nothing was rolled forward to ${revisionName(from)}${await serviceState(ecs, cluster, service, revisionName)}.`;
  } else if (status === 'failed') {
    const what = result.message.replace(/ Not rolled back \(rollback-on-failure is off\); ECS keeps the service as it is\./, '');
    message = `Rollback of ${cluster}/${service} to ${revisionName(toArn)} FAILED. ${what} Not rolled forward to ${revisionName(from)}: ECS keeps the service as it is${await serviceState(ecs, cluster, service, revisionName)}. Look at the failed tasks above, then fix forward or roll back to another revision with 'to'.`;
  }
  // `started` already is the record's in_progress status, set when the service was updated.
  if (result.status !== 'started') await record?.setStatus(RECORD_STATE[result.status], message);
  await writeDeploySummary(`Rollback rollout: ${cluster}/${service}`, { ...result, message }, record);
  if (status === 'failed' || status === 'cancelled') throw new UserError(message);
  logger.info(status === 'succeeded' ? `Rolled back: ${cluster}/${service} runs ${revisionName(toArn)} again (was ${revisionName(from)}).` : message);
}

/** ` (now: app:1 0/2 running, FAILED; app:2 0 running)`: where a failed rollback left the service. */
async function serviceState(ecs: EcsSender, cluster: string, service: string, revisionName: (arn: string | undefined) => string): Promise<string> {
  try {
    const { describeService } = await import('../../../shared/ecs/follow-rollout.js');
    const now = await describeService(ecs, cluster, service);
    const deployments = (now?.deployments ?? []).map(
      (d) => `${revisionName(d.taskDefinition)} ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running${d.rolloutState && d.rolloutState !== 'COMPLETED' ? `, ${d.rolloutState}` : ''}`,
    );
    return deployments.length ? ` (now: ${deployments.join('; ')})` : '';
  } catch {
    return '';
  }
}
