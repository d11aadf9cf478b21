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
import type { RollbackTarget } from '../../../shared/rollback/pick-rollback-target.js';
import type { RollbackRecord as RollbackRecordType } from '../../../shared/rollback/record.js';

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

  const [{ deploy }, { writeDeploySummary }, { RollbackRecord }, { rollbackOutcome }, { describeServiceNow }, { revisionName }] = await Promise.all([
    import('../../../shared/ecs/deploy.js'),
    import('../../../shared/ecs/deploy-summary.js'),
    import('../../../shared/rollback/record.js'),
    import('../../../shared/rollback/outcome.js'),
    import('../../../shared/rollback/service-now.js'),
    import('../../../shared/ecs/task-definition-source.js'),
  ]);
  const recordOptions = {
    cluster,
    service,
    target,
    reason,
    requestedBy,
    github: token ? { token, apiUrl, repository, environment, fallbackRef: run.sha ?? 'HEAD', logUrl: runUrl } : undefined,
  };
  if (stoppable) {
    const record = new RollbackRecord(recordOptions, ecs, logger);
    await stopInProgress(stoppable.serviceDeploymentArn, target, record, { wait, timeoutMs, signal, logger, ecs, where: `${cluster}/${service}` });
    return;
  }
  const record = new RollbackRecord(recordOptions, ecs, logger);
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
        ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
      },
      {
        ecs,
        logger,
        signal,
        cloudwatch,
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
  const outcome = rollbackOutcome(result, {
    where: `${cluster}/${service}`,
    from,
    to: toArn,
    serviceNow: failed ? await describeServiceNow(ecs, cluster, service) : '',
  });
  outputs.set('status', outcome.status);
  // `started` already is the record's in_progress status, set when the service was updated.
  if (outcome.status !== 'started') await record.finish(outcome.recordState, outcome.message);
  await writeDeploySummary(`Rollback rollout: ${cluster}/${service}`, { ...result, message: outcome.message }, record.github, { automaticRollback: false });
  if (alarmNames.length > 0) {
    const alarmsAfter = await alarmStates.readAlarmStates(alarmNames, cloudwatch, logger, 'after the rollback');
    await writeSummary(`Deployment alarms: ${cluster}/${service}`, alarmStates.alarmStatesHtml(alarmsBefore, alarmsAfter));
  }
  if (outcome.status === 'failed' || outcome.status === 'cancelled') throw new UserError(outcome.message);
  logger.info(outcome.message);
}

/** StopServiceDeployment ROLLBACK of the native deployment in progress, followed to ROLLBACK_SUCCESSFUL with `wait`. */
async function stopInProgress(
  serviceDeploymentArn: string,
  target: RollbackTarget,
  record: RollbackRecordType,
  context: { wait: boolean; timeoutMs: number; signal: AbortSignal; logger: Logger; ecs: EcsSender; where: string },
): Promise<void> {
  const { wait, timeoutMs, signal, logger, ecs, where } = context;
  const [{ rollBackServiceDeployment, readServiceDeployment }, { systemClock }, { Timeline }, { nativeSummaryHtml }, { writeSummary }, { revisionName }] =
    await Promise.all([
      import('../../../shared/ecs/service-deployment.js'),
      import('../../../shared/core/clock.js'),
      import('../../../shared/ecs/timeline.js'),
      import('../../../shared/ecs/native-summary.js'),
      import('../../../shared/core/summary.js'),
      import('../../../shared/ecs/task-definition-source.js'),
    ]);
  const startedAt = systemClock.now();
  const timeline = new Timeline(() => systemClock.now(), startedAt);
  await record.open({
    taskDefinitionArn: target.target.arn,
    previousTaskDefinitionArn: target.current.arn,
    registered: false,
    before: target.current.images,
    after: target.target.images,
  });
  const native = await rollBackServiceDeployment(ecs, serviceDeploymentArn, {
    startedByEcs: false,
    follow: wait,
    cancelled: false,
    previous: revisionName(target.target.arn),
    clock: systemClock,
    deadline: startedAt + timeoutMs,
    pollIntervalMs: pollIntervalOption(process.env[POLL_INTERVAL_ENV]).pollIntervalMs ?? 2_000,
    signal,
    log: (line) => {
      logger.info(line);
      timeline.add(line);
    },
  });
  const status = !wait ? 'started' : signal.aborted ? 'cancelled' : native.rolledBack ? 'succeeded' : 'failed';
  const message = `Rollback of ${where} from ${revisionName(target.current.arn)}: ${native.where}`;
  outputs.set('status', status);
  if (status !== 'started') await record.finish(status === 'succeeded' ? 'success' : status === 'cancelled' ? 'error' : 'failure', message);
  const sd = await readServiceDeployment(ecs, serviceDeploymentArn).catch(() => undefined);
  await writeSummary(`Rollback: ${where}`, nativeSummaryHtml(sd, timeline, message));
  if (status === 'failed' || status === 'cancelled') throw new UserError(message);
  logger.info(message);
}
