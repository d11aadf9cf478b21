/**
 * `rollback to: previous` while a native service deployment is in progress: StopServiceDeployment
 * ROLLBACK (ECS takes traffic back to the revision that served before), followed to
 * ROLLBACK_SUCCESSFUL with `wait`, and recorded as a rollback (release/record.ts) like one done by
 * a redeploy: opened before ECS is asked, ended once whatever happened.
 */
import { type Clock, systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { ReleaseContext } from '../release/record.js';
import { ReleaseRecord } from '../release/record.js';
import type { EcsSender } from '../ecs/raw-json.js';
import { rollBackServiceDeployment } from '../ecs/service-deployment.js';
import { revisionName } from '../ecs/task-definition-source.js';
import { Timeline } from '../ecs/timeline.js';
import type { RollbackTarget } from './pick-rollback-target.js';
import { rollbackRecordFields } from './record.js';

export interface StopInProgressResult {
  status: 'succeeded' | 'failed' | 'cancelled' | 'started';
  message: string;
  timeline: Timeline;
}

export async function stopInProgress(
  request: {
    cluster: string;
    service: string;
    serviceDeploymentArn: string;
    target: RollbackTarget;
    reason: string;
    requestedBy: string;
    wait: boolean;
    timeoutMs: number;
    /** How often to look at the service deployment (core/poll.ts `pollIntervalOption`); default 2 s. */
    pollIntervalMs?: number;
  },
  deps: { ecs: EcsSender; logger: Logger; clock?: Clock; signal: AbortSignal | undefined; record: ReleaseContext },
): Promise<StopInProgressResult> {
  const { target, wait } = request;
  const { ecs, logger, signal } = deps;
  const clock = deps.clock ?? systemClock;
  const where = `${request.cluster}/${request.service}`;
  const startedAt = clock.now();
  const timeline = new Timeline(() => clock.now(), startedAt);
  const rollback = rollbackRecordFields(target, request.reason, request.requestedBy);
  const record = await ReleaseRecord.open(
    {
      kind: 'rollback',
      cluster: request.cluster,
      service: request.service,
      strategy: undefined,
      revision: {
        taskDefinitionArn: target.target.arn,
        previousTaskDefinitionArn: target.current.arn,
        registered: false,
        before: target.current.images,
        after: target.target.images,
      },
      rollback,
    },
    deps.record,
    { ecs, logger, clock },
  );
  let result: StopInProgressResult | undefined;
  try {
    const native = await rollBackServiceDeployment(ecs, request.serviceDeploymentArn, {
      startedByEcs: false,
      follow: wait,
      cancelled: false,
      previous: revisionName(target.target.arn),
      clock,
      deadline: startedAt + request.timeoutMs,
      pollIntervalMs: request.pollIntervalMs ?? 2_000,
      signal,
      log: (line) => {
        logger.info(line);
        timeline.add(line);
      },
    });
    await record.started(request.serviceDeploymentArn.split('/').pop() ?? request.serviceDeploymentArn);
    await record.markRollback(rollback);
    const status = !wait ? 'started' : signal?.aborted ? 'cancelled' : native.rolledBack ? 'succeeded' : 'failed';
    result = { status, message: `Rollback of ${where} from ${revisionName(target.current.arn)}: ${native.where}`, timeline };
    return result;
  } finally {
    const outcome = result?.status ?? (signal?.aborted ? 'cancelled' : 'failed');
    await record.end({
      outcome,
      text: result?.message ?? `Rollback of ${where} stopped by an error`,
      cause: outcome === 'succeeded' || outcome === 'started' ? undefined : outcome === 'cancelled' ? 'cancelled' : 'ecs-rollback',
      served: outcome === 'succeeded' ? 'yes' : 'unknown',
      serviceDeploymentArn: request.serviceDeploymentArn,
    });
  }
}
