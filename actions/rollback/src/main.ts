import type { ActionContext } from '../../../shared/core/action.js';
import { UserError, userErrorText } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { POLL_INTERVAL_ENV, pollIntervalOption } from '../../../shared/core/poll.js';
import { runContext } from '../../../shared/github/run-context.js';
import type { DeployResult } from '../../../shared/ecs/deploy.js';
import { readInputs } from './inputs.js';
import { outputs } from './outputs.js';
import type { Logger } from '../../../shared/core/logger.js';
import type { EcsSender } from '../../../shared/ecs/raw-json.js';
import type { StopInProgressResult } from '../../../shared/rollback/stop-in-progress.js';

export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const { cluster, service, toText, to, reason, dryRun, wait, waitForInProgress, timeoutMs, maxFailedTasks, token, environment, identity, region } = readInputs(
    new Inputs(),
    run,
  );
  const requestedBy = `${run.actor}${run.eventName ? ` (${run.eventName}${run.runId ? `, run ${run.runId}` : ''})` : ''}`;
  const { repository, apiUrl, runUrl } = run;
  if (!token)
    logger.warning(
      `No github-token: the release history is read from the ECS revision tags only, and the rollback is recorded there (commit-to-prod:*), not as a GitHub deployment.`,
    );

  const [{ ecsClient }, { pickRollbackTarget }, { planLines, planSummaryHtml }] = await Promise.all([
    import('../../../shared/core/aws-clients.js'),
    import('../../../shared/rollback/pick-rollback-target.js'),
    import('../../../shared/rollback/plan.js'),
  ]);
  const ecs = await ecsClient(region ? { region } : {});
  // A native deployment in progress is left the way ECS leaves it: StopServiceDeployment ROLLBACK.
  const { inProgressNativeDeployment } = await import('../../../shared/rollback/in-progress-native.js');
  const stoppable = to.kind === 'previous' ? await inProgressNativeDeployment(ecs, cluster, service) : undefined;
  const target = await logger
    .group(`Choosing the target (to: ${toText})`, async () => {
      if (!stoppable)
        return pickRollbackTarget(
          { cluster, service, to, toText, github: token ? { token, apiUrl, repository, environment, identity } : undefined },
          { ecs, logger },
        );
      logger.info(`Service deployment ${stoppable.serviceDeploymentArn} is in progress: ${stoppable.target.chosenFrom}.`);
      return stoppable.target;
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof UserError)) throw error;
      // The run's summary page says why nothing happened, not only the annotation.
      const { writeSummary, codeBlock } = await import('../../../shared/core/summary.js');
      await writeSummary(`Rollback refused: ${cluster}/${service}`, `<p>Nothing was changed.</p>\n`, codeBlock(userErrorText(error)));
      throw error;
    });
  const from = target.current.arn;
  const toArn = target.target.arn;
  outputs.set('from', from);
  outputs.set('to', toArn);
  outputs.set('source', target.source);

  const plan = { cluster, service, target, requestedBy, reason, dryRun };
  await logger.group('Rollback plan', async () => {
    for (const line of planLines(plan)) logger.info(line);
  });
  // The service's deployment alarms before the rollback acts (often why it is rolled back).
  const [alarmStates, { cloudwatchClient }] = await Promise.all([
    import('../../../shared/rollback/alarm-states.js'),
    import('../../../shared/core/cloudwatch-client.js'),
  ]);
  const cloudwatch = () => cloudwatchClient(region ? { region } : {});
  const alarmNames = await alarmStates.serviceAlarmNames(ecs, cluster, service).catch(() => []);
  const alarmsBefore = await alarmStates.readAlarmStates(alarmNames, cloudwatch, logger, 'before the rollback');
  const { writeSummary } = await import('../../../shared/core/summary.js');
  await writeSummary(`Rollback plan: ${cluster}/${service}`, planSummaryHtml(plan), alarmStates.alarmStatesHtml(alarmsBefore, []));
  if (dryRun) {
    outputs.set('status', 'planned');
    logger.notice(
      `Dry run: would roll ${cluster}/${service} back from ${target.current.family}:${target.current.revision} to ${target.target.family}:${target.target.revision}. Nothing was changed.`,
    );
    return;
  }

  const [{ deploy }, { writeDeploySummary }, { rollbackRecordFields }, { rollbackOutcome }, { describeServiceNow }, { revisionName }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/ecs/deploy-summary.js'),
    import('../../../shared/rollback/record.js'),
    import('../../../shared/rollback/outcome.js'),
    import('../../../shared/rollback/service-now.js'),
    import('../../../shared/ecs/task-definition-source.js'),
  ]);
  // The engine writes the release record: kind rollback, with what it rolls back and why.
  const record = {
    github: token ? { token, apiUrl, repository, environment, logUrl: runUrl } : undefined,
    sha: run.sha,
    runUrl,
    rollback: rollbackRecordFields(target, reason, requestedBy),
  };
  if (stoppable) {
    const { stopInProgress } = await import('../../../shared/rollback/stop-in-progress.js');
    const stop = await stopInProgress(
      {
        cluster,
        service,
        serviceDeploymentArn: stoppable.serviceDeploymentArn,
        target,
        reason,
        requestedBy,
        wait,
        timeoutMs,
        ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
      },
      { ecs, logger, signal, record },
    );
    await stopped(stop, stoppable.serviceDeploymentArn, { ecs, logger, where: `${cluster}/${service}` });
    return;
  }
  const result: DeployResult = await deploy(
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
      ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
    },
    {
      ecs,
      logger,
      signal,
      cloudwatch,
      record,
      hooks: {
        planned(deployPlan) {
          if (deployPlan.previousTaskDefinitionArn !== from) {
            throw new UserError(
              `${cluster}/${service} changed since the plan: it now runs ${revisionName(deployPlan.previousTaskDefinitionArn)}, not ${revisionName(from)}. Nothing was changed; run the rollback again to plan from the new state.`,
            );
          }
        },
      },
    },
  );

  const failed = result.status !== 'succeeded' && result.status !== 'started';
  const outcome = rollbackOutcome(result, {
    where: `${cluster}/${service}`,
    from,
    to: toArn,
    serviceNow: failed ? await describeServiceNow(ecs, cluster, service) : '',
  });
  outputs.set('status', outcome.status);
  await writeDeploySummary(`Rollback rollout: ${cluster}/${service}`, { ...result, message: outcome.message }, result.githubDeployment, {
    automaticRollback: false,
  });
  if (alarmNames.length > 0) {
    const alarmsAfter = await alarmStates.readAlarmStates(alarmNames, cloudwatch, logger, 'after the rollback');
    await writeSummary(`Deployment alarms: ${cluster}/${service}`, alarmStates.alarmStatesHtml(alarmsBefore, alarmsAfter));
  }
  if (outcome.status === 'failed' || outcome.status === 'cancelled') throw new UserError(outcome.message);
  logger.info(outcome.message);
}

/** The outcome of StopServiceDeployment ROLLBACK of the native deployment in progress (stop-in-progress.ts): outputs and summary. */
async function stopped(result: StopInProgressResult, serviceDeploymentArn: string, context: { ecs: EcsSender; logger: Logger; where: string }): Promise<void> {
  const { ecs, logger, where } = context;
  const [{ readServiceDeployment }, { nativeSummaryHtml }, { writeSummary }] = await Promise.all([
    import('../../../shared/ecs/service-deployment.js'),
    import('../../../shared/ecs/native-summary.js'),
    import('../../../shared/core/summary.js'),
  ]);
  outputs.set('status', result.status);
  const sd = await readServiceDeployment(ecs, serviceDeploymentArn).catch(() => undefined);
  await writeSummary(`Rollback: ${where}`, nativeSummaryHtml(sd, result.timeline, result.message));
  if (result.status === 'failed' || result.status === 'cancelled') throw new UserError(result.message);
  logger.info(result.message);
}
