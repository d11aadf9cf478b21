import * as core from '@actions/core';
import type { ActionContext } from '../../../shared/core/action.js';
import { resolveRegion } from '../../../shared/core/aws-clients.js';
import { InputError, UserError, userErrorText } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { classifyRollbackTarget } from '../../../shared/rollback/target-input.js';
import type { DeployResult } from '../../../shared/ecs/deploy.js';

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
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/rollback/pick-rollback-target.js'),
    import('../../../shared/rollback/plan.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  const target = await logger.group(`Choosing the target (to: ${toText})`, () =>
    pickRollbackTarget(
      { cluster, service, to, toText, github: token ? { token, apiUrl, repository, environment } : undefined },
      { ecs, logger },
    ),
  ).catch(async (error: unknown) => {
    if (!(error instanceof UserError)) throw error;
    // The run's summary page says why nothing happened, not only the annotation.
    const { writeSummary, codeBlock } = await import('../../../shared/core/summary.js');
    await writeSummary(`Rollback refused: ${cluster}/${service}`, `<p>Nothing was changed.</p>\n`, codeBlock(userErrorText(error)));
    throw error;
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
  const { writeSummary } = await import('../../../shared/core/summary.js');
  await writeSummary(`Rollback plan: ${cluster}/${service}`, planSummaryHtml(plan));
  if (dryRun) {
    core.setOutput('status', 'planned');
    logger.notice(`Dry run: would roll ${cluster}/${service} back from ${target.current.family}:${target.current.revision} to ${target.target.family}:${target.target.revision}. Nothing was changed.`);
    return;
  }

  const [{ deploy }, { writeDeploySummary }, { RollbackRecord }, { rollbackOutcome }, { describeServiceNow }, { revisionName }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/ecs/deploy-summary.js'),
    import('../../../shared/rollback/record.js'),
    import('../../../shared/rollback/outcome.js'),
    import('../../../shared/rollback/service-now.js'),
    import('../../../shared/ecs/task-definition-source.js'),
  ]);
  const record = new RollbackRecord(
    {
      cluster,
      service,
      target,
      reason,
      requestedBy,
      github: token ? { token, apiUrl, repository, environment, fallbackRef: env.GITHUB_SHA ?? 'HEAD', logUrl: runUrl } : undefined,
    },
    ecs,
    logger,
  );
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
            await record.open(deployPlan);
          },
          serviceUpdated: (deployPlan) => record.started(deployPlan.deploymentId),
        },
      },
    );
  } catch (error) {
    await record.finish(signal.aborted ? 'error' : 'failure', `${signal.aborted ? 'Cancelled' : 'Failed'}: ${(error as Error).message}`);
    throw error;
  }

  const failed = result.status !== 'succeeded' && result.status !== 'started';
  const outcome = rollbackOutcome(result, { where: `${cluster}/${service}`, from, to: toArn, serviceNow: failed ? await describeServiceNow(ecs, cluster, service) : '' });
  core.setOutput('status', outcome.status);
  // `started` already is the record's in_progress status, set when the service was updated.
  if (outcome.status !== 'started') await record.finish(outcome.recordState, outcome.message);
  await writeDeploySummary(`Rollback rollout: ${cluster}/${service}`, { ...result, message: outcome.message }, record.github, { automaticRollback: false });
  if (outcome.status === 'failed' || outcome.status === 'cancelled') throw new UserError(outcome.message);
  logger.info(outcome.message);
}
