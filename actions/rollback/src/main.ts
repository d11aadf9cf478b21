import type { ActionContext } from '../../../shared/core/action.js';
import { UserError, userErrorText } from '../../../shared/core/errors.js';
import { Inputs } from '../../../shared/core/inputs.js';
import { POLL_INTERVAL_ENV, pollIntervalOption } from '../../../shared/core/poll.js';
import { runContext, type RunContext } from '../../../shared/github/run-context.js';
import type { DeployResult } from '../../../shared/ecs/deploy.js';
import { readInputs, type RollbackInputs } from './inputs.js';
import { outputs } from './outputs.js';
import type { Logger } from '../../../shared/core/logger.js';
import type { EcsSender } from '../../../shared/ecs/raw-json.js';
import type { StopInProgressResult } from '../../../shared/rollback/stop-in-progress.js';
import type { RollbackTarget } from '../../../shared/rollback/pick-rollback-target.js';
import type { InProgressNative } from '../../../shared/rollback/in-progress-native.js';
import type { AlarmView, CloudWatchSender } from '../../../shared/ecs/deployment-alarms.js';

/** The rollback as its phases: choose the target → plan (and stop there on a dry run) → roll → report. */
export async function main({ logger, signal }: ActionContext): Promise<void> {
  const run = runContext();
  const inputs = readInputs(new Inputs(), run);
  const { cluster, service, region, token } = inputs;
  const requestedBy = `${run.actor}${run.eventName ? ` (${run.eventName}${run.runId ? `, run ${run.runId}` : ''})` : ''}`;
  if (!token)
    logger.warning(
      `No github-token: the release history is read from the ECS revision tags only, and the rollback is recorded there (commit-to-prod:*), not as a GitHub deployment.`,
    );

  const { ecsClient } = await import('../../../shared/core/aws-clients.js');
  const ecs = await ecsClient(region ? { region } : {});
  const { target, stoppable } = await chooseTarget(inputs, run, { ecs, logger });
  outputs.set('from', target.current.arn);
  outputs.set('to', target.target.arn);
  outputs.set('source', target.source);

  const { cloudwatchClient } = await import('../../../shared/core/cloudwatch-client.js');
  const cloudwatch = () => cloudwatchClient(region ? { region } : {});
  const alarms = await showPlan(inputs, target, requestedBy, { ecs, logger, cloudwatch });
  if (inputs.dryRun) {
    outputs.set('status', 'planned');
    logger.notice(
      `Dry run: would roll ${cluster}/${service} back from ${target.current.family}:${target.current.revision} to ${target.target.family}:${target.target.revision}. Nothing was changed.`,
    );
    return;
  }

  // The engine writes the release record: kind rollback, with what it rolls back and why.
  const { rollbackRecordFields } = await import('../../../shared/rollback/record.js');
  const record = {
    github: token ? { token, apiUrl: run.apiUrl, repository: run.repository, environment: inputs.environment, logUrl: run.runUrl } : undefined,
    sha: run.sha,
    runUrl: run.runUrl,
    rollback: rollbackRecordFields(target, inputs.reason, requestedBy),
  };
  if (stoppable) {
    const { stopInProgress } = await import('../../../shared/rollback/stop-in-progress.js');
    const stop = await stopInProgress(
      {
        cluster,
        service,
        serviceDeploymentArn: stoppable.serviceDeploymentArn,
        target,
        reason: inputs.reason,
        requestedBy,
        wait: inputs.wait,
        timeoutMs: inputs.timeoutMs,
        ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
      },
      { ecs, logger, signal, record },
    );
    await stopped(stop, stoppable.serviceDeploymentArn, { ecs, logger, where: `${cluster}/${service}` });
    return;
  }
  const { preflightClients } = await import('../../../shared/ecs/preflight.js');
  const result = await rollTo(inputs, target, { ecs, logger, signal, cloudwatch, record, preflight: preflightClients(region) });
  await report(inputs, target, result, { ecs, logger, cloudwatch, alarmNames: alarms.names, alarmsBefore: alarms.before });
}

/**
 * The release to go back to: with `to: previous` and a native deployment in progress, that
 * deployment is stopped the way ECS rolls it back (StopServiceDeployment ROLLBACK); otherwise the
 * release history picks it. A refusal says so on the run's summary page too, not only in the annotation.
 */
async function chooseTarget(
  inputs: RollbackInputs,
  run: RunContext,
  context: { ecs: EcsSender; logger: Logger },
): Promise<{ target: RollbackTarget; stoppable: InProgressNative | undefined }> {
  const { cluster, service, to, toText, token, environment, identity } = inputs;
  const { ecs, logger } = context;
  const [{ pickRollbackTarget }, { inProgressNativeDeployment }] = await Promise.all([
    import('../../../shared/rollback/pick-rollback-target.js'),
    import('../../../shared/rollback/in-progress-native.js'),
  ]);
  const stoppable = to.kind === 'previous' ? await inProgressNativeDeployment(ecs, cluster, service) : undefined;
  const target = await logger
    .group(`Choosing the target (to: ${toText})`, async () => {
      if (!stoppable)
        return pickRollbackTarget(
          { cluster, service, to, toText, github: token ? { token, apiUrl: run.apiUrl, repository: run.repository, environment, identity } : undefined },
          { ecs, logger },
        );
      logger.info(`Service deployment ${stoppable.serviceDeploymentArn} is in progress: ${stoppable.target.chosenFrom}.`);
      return stoppable.target;
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof UserError)) throw error;
      const { writeSummary, codeBlock } = await import('../../../shared/core/summary.js');
      await writeSummary(`Rollback refused: ${cluster}/${service}`, `<p>Nothing was changed.</p>\n`, codeBlock(userErrorText(error)));
      throw error;
    });
  return { target, stoppable };
}

/** The plan in the log and the summary, with the service's deployment alarms before the rollback acts (often why it is rolled back). */
async function showPlan(
  inputs: RollbackInputs,
  target: RollbackTarget,
  requestedBy: string,
  context: { ecs: EcsSender; logger: Logger; cloudwatch: () => Promise<CloudWatchSender> },
): Promise<{ names: string[]; before: AlarmView[] }> {
  const { cluster, service, reason, dryRun } = inputs;
  const { ecs, logger, cloudwatch } = context;
  const [{ planLines, planSummaryHtml }, alarmStates, { writeSummary }] = await Promise.all([
    import('../../../shared/rollback/plan.js'),
    import('../../../shared/rollback/alarm-states.js'),
    import('../../../shared/core/summary.js'),
  ]);
  const plan = { cluster, service, target, requestedBy, reason, dryRun };
  await logger.group('Rollback plan', async () => {
    for (const line of planLines(plan)) logger.info(line);
  });
  const names = await alarmStates.serviceAlarmNames(ecs, cluster, service).catch(() => []);
  const before = await alarmStates.readAlarmStates(names, cloudwatch, logger, 'before the rollback');
  await writeSummary(`Rollback plan: ${cluster}/${service}`, planSummaryHtml(plan), alarmStates.alarmStatesHtml(before, []));
  return { names, before };
}

/** The rollback itself: a deploy of the target revision, refused if the service changed since the plan. */
async function rollTo(
  inputs: RollbackInputs,
  target: RollbackTarget,
  context: Pick<Parameters<typeof import('../../../shared/ecs/deploy.js').deploy>[1], 'ecs' | 'logger' | 'signal' | 'cloudwatch' | 'record' | 'preflight'>,
): Promise<DeployResult> {
  const { cluster, service, wait, timeoutMs, maxFailedTasks, waitForInProgress } = inputs;
  const [{ deploy }, { revisionName }] = await Promise.all([import('../../../shared/ecs/deploy.js'), import('../../../shared/ecs/task-definition-source.js')]);
  const from = target.current.arn;
  return deploy(
    {
      cluster,
      service,
      taskDefinition: { kind: 'existing', ref: target.target.arn },
      register: 'never',
      // A failing rollback stops where it is: neither the engine nor ECS's circuit breaker
      // (kept on, its rollback off) may take the service "forward" to the release it left.
      onFailure: 'stop',
      circuitBreaker: true,
      wait,
      timeoutMs,
      maxFailedTasks,
      waitForInProgress,
      // Preflight warns and the rollback goes on: the way back in an emergency is not refused on
      // a check (README, "Preflight"); a failing rollback stops where it is (onFailure: stop).
      preflight: 'warn',
      ...pollIntervalOption(process.env[POLL_INTERVAL_ENV]),
    },
    {
      ...context,
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
}

/** The rollout's outcome: the `status` output, the summary (with the alarms after), and a failed step when it failed. */
async function report(
  inputs: RollbackInputs,
  target: RollbackTarget,
  result: DeployResult,
  context: { ecs: EcsSender; logger: Logger; cloudwatch: () => Promise<CloudWatchSender>; alarmNames: string[]; alarmsBefore: AlarmView[] },
): Promise<void> {
  const { ecs, logger, cloudwatch, alarmNames, alarmsBefore } = context;
  const where = `${inputs.cluster}/${inputs.service}`;
  const [{ writeDeploySummary }, { rollbackOutcome }, { describeServiceNow }, alarmStates, { writeSummary }] = await Promise.all([
    import('../../../shared/ecs/deploy-summary.js'),
    import('../../../shared/rollback/outcome.js'),
    import('../../../shared/rollback/service-now.js'),
    import('../../../shared/rollback/alarm-states.js'),
    import('../../../shared/core/summary.js'),
  ]);
  const failed = result.status !== 'succeeded' && result.status !== 'started';
  const outcome = rollbackOutcome(result, {
    where,
    from: target.current.arn,
    to: target.target.arn,
    serviceNow: failed ? await describeServiceNow(ecs, inputs.cluster, inputs.service) : '',
  });
  outputs.set('status', outcome.status);
  await writeDeploySummary(`Rollback rollout: ${where}`, { ...result, message: outcome.message }, result.githubDeployment, {
    automaticRollback: false,
  });
  if (alarmNames.length > 0) {
    const alarmsAfter = await alarmStates.readAlarmStates(alarmNames, cloudwatch, logger, 'after the rollback');
    await writeSummary(`Deployment alarms: ${where}`, alarmStates.alarmStatesHtml(alarmsBefore, alarmsAfter));
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
