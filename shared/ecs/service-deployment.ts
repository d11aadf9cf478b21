/**
 * Following a deployment that ECS runs with a native strategy (BLUE_GREEN, CANARY, LINEAR): the
 * service deployment (DescribeServiceDeployments) is the record of truth. Success only when it is
 * SUCCESSFUL (after the bake); ROLLBACK_* means ECS rolled it back itself, at the lifecycle stage
 * it names. A live line per stage and traffic step, e.g.
 *   [1m05s] PRODUCTION_TRAFFIC_SHIFT: canary 10% of production on green, bake 3m left
 * A rollback the engine decides (deadline, cancellation, failed tasks) is ECS's own:
 * StopServiceDeployment with stopType ROLLBACK, never a second UpdateService.
 */
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  StopServiceDeploymentCommand,
  type Service,
  type ServiceDeployment,
  type ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import { pollUntil } from '../core/poll.js';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { RolloutVerdict } from './assess-rollout.js';
import type { EcsSender } from './raw-json.js';

export const NATIVE_STRATEGIES = ['BLUE_GREEN', 'CANARY', 'LINEAR'];

export function nativeStrategy(service: Service | undefined): string | undefined {
  const strategy = service?.deploymentConfiguration?.strategy;
  return strategy && NATIVE_STRATEGIES.includes(strategy) ? strategy : undefined;
}

/** Stages at which production traffic has not moved to the new revision yet. */
const BEFORE_PRODUCTION = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'];

export function productionNeverOnGreen(stage: string | undefined): boolean {
  return stage === undefined || BEFORE_PRODUCTION.includes(stage);
}

/** Whether the new revision serves production traffic now: SUCCESSFUL, or in progress past the test traffic shift (a weight above zero). */
export function servesProduction(sd: ServiceDeployment | undefined): boolean {
  if (sd?.status === 'SUCCESSFUL') return true;
  return sd?.status === 'IN_PROGRESS' && !productionNeverOnGreen(sd.lifecycleStage);
}

export async function readServiceDeployment(ecs: EcsSender, arn: string): Promise<ServiceDeployment | undefined> {
  const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments?.[0];
}

/** The task definition a service deployment rolls out (its target service revision's); undefined when ECS does not say. */
export async function targetTaskDefinition(ecs: EcsSender, sd: ServiceDeployment): Promise<string | undefined> {
  const revision = sd.targetServiceRevision?.arn;
  if (!revision) return undefined;
  const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision] }));
  return out.serviceRevisions?.find((r) => r.serviceRevisionArn === revision)?.taskDefinition;
}

/** ECS rolls the deployment back itself: traffic returns to the revision that served before. */
export async function stopServiceDeployment(ecs: EcsSender, arn: string): Promise<void> {
  await ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
}

/**
 * The verdict a service deployment gives: completed only when SUCCESSFUL; failed when ECS rolls
 * it back or stops it; undefined while it is in progress.
 */
export function serviceDeploymentVerdict(sd: ServiceDeployment | undefined, previousTaskDefinition: string | undefined): RolloutVerdict | undefined {
  const status = sd?.status;
  if (!sd || status === 'IN_PROGRESS' || status === 'PENDING') return undefined;
  if (status === 'SUCCESSFUL') return { state: 'completed' };
  const stage = sd.lifecycleStage;
  const at = stage ? ` at ${stage}` : '';
  if (status === 'ROLLBACK_REQUESTED' || status === 'ROLLBACK_IN_PROGRESS' || status === 'ROLLBACK_SUCCESSFUL') {
    const why = sd.rollback?.reason ?? sd.statusReason ?? 'ECS rolled the deployment back';
    const cause = /circuit breaker/i.test(why) ? 'circuit-breaker-rollback' : /alarm/i.test(why) ? 'alarm-rollback' : 'ecs-rollback';
    const production = productionNeverOnGreen(stage) ? '; production traffic never reached the new revision' : '';
    return {
      state: 'failed',
      cause,
      reason: `${why.replace(/\.$/, '')} (${status}${at}${production})`,
      replacedBy: { deploymentId: sd.serviceDeploymentArn ?? '?', taskDefinition: previousTaskDefinition ?? '?' },
    };
  }
  if (status === 'STOP_REQUESTED' || status === 'STOPPED') {
    const why = sd.statusReason ?? 'the service deployment was stopped';
    return { state: 'failed', cause: /superseded/i.test(why) ? 'superseded' : 'rollout-failed', reason: `${why.replace(/\.$/, '')} (${status}${at})` };
  }
  return { state: 'failed', cause: 'rollout-failed', reason: `${sd.statusReason ?? 'the rollback failed'} (${status}${at})` };
}

const weight = (r: ServiceRevisionSummary | undefined, key: 'requestedProductionTrafficWeight' | 'requestedTestTrafficWeight') => r?.[key];

/**
 * One line per lifecycle stage and traffic step (and per minute of a bake), nothing while they
 * stay the same. Bakes are timed from when the stage was first seen.
 */
/**
 * What is left of a bake, as the live line shows it: whole minutes while two or more are left
 * (bakes are set in minutes, and a line a minute is enough), then in 15-second steps, so the
 * last minutes of a bake still move in the log.
 */
export function bakeLeft(ms: number): string {
  const quarterMinutes = Math.ceil(ms / 15_000);
  if (quarterMinutes >= 8) return `${Math.ceil(ms / 60_000)}m`;
  return formatDuration(quarterMinutes * 15_000);
}

export class StageReporter {
  private last?: string;
  private stageSince = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly configuration: Record<string, unknown> | undefined,
  ) {}

  update(sd: ServiceDeployment | undefined, elapsedMs: number): string | undefined {
    const text = sd ? this.describe(sd) : undefined;
    if (!text || text === this.last) return undefined;
    this.last = text;
    return `[${formatDuration(elapsedMs)}] ${text}`;
  }

  /** The stage now, and what is left of its bake, for a deadline message. */
  where(sd: ServiceDeployment | undefined): string {
    return sd ? this.describe(sd) : 'the service deployment could not be read';
  }

  private describe(sd: ServiceDeployment): string {
    const stage = sd.lifecycleStage ?? sd.status ?? 'PENDING';
    const key = `${stage}/${weight(sd.targetServiceRevision, 'requestedProductionTrafficWeight') ?? ''}`;
    if (!this.stageSince.has(key)) this.stageSince.set(key, this.clock.now());
    const target = sd.targetServiceRevision;
    const production = weight(target, 'requestedProductionTrafficWeight');
    const test = weight(target, 'requestedTestTrafficWeight');
    const items = [`green ${target?.runningTaskCount ?? 0}/${target?.requestedTaskCount ?? 0} running`];
    if (production !== undefined) items.push(`${production}% of production and ${test ?? 0}% of test traffic on green`);
    // A bake counts down only while the deployment goes forward (not while ECS rolls it back).
    const bakeMs = sd.status === 'IN_PROGRESS' ? this.bakeMs(stage, production) : 0;
    if (bakeMs > 0) {
      const left = Math.max(0, bakeMs - (this.clock.now() - (this.stageSince.get(key) ?? this.clock.now())));
      items.push(`bake ${bakeLeft(left)} left`);
    }
    for (const hook of sd.lifecycleHookDetails ?? []) {
      if (hook.status === 'AWAITING_ACTION') items.push(`paused: hook ${hook.hookId} awaits ContinueServiceDeployment`);
      else if (hook.status === 'IN_PROGRESS') items.push(`hook ${hook.targetArn ?? hook.hookId} running`);
    }
    return `${stage}: ${items.join(', ')}`;
  }

  private bakeMs(stage: string, production: number | undefined): number {
    const cfg = this.configuration ?? {};
    const minutes = (v: unknown) => (typeof v === 'number' ? v * 60_000 : 0);
    if (stage === 'BAKE_TIME') return minutes(cfg.bakeTimeInMinutes);
    if (stage !== 'PRODUCTION_TRAFFIC_SHIFT' || production === undefined || production >= 100) return 0;
    if (cfg.strategy === 'CANARY') return minutes((cfg.canaryConfiguration as { canaryBakeTimeInMinutes?: number } | undefined)?.canaryBakeTimeInMinutes ?? 10);
    if (cfg.strategy === 'LINEAR') return minutes((cfg.linearConfiguration as { stepBakeTimeInMinutes?: number } | undefined)?.stepBakeTimeInMinutes ?? 6);
    return 0;
  }
}

/**
 * Waits for ECS's rollback of a service deployment to end: ROLLBACK_SUCCESSFUL is done; any other
 * end is not. Returns the last state seen, or undefined at the deadline.
 */
export async function followNativeRollback(
  ecs: EcsSender,
  arn: string,
  opts: { clock: Clock; deadline: number; pollIntervalMs: number; signal?: AbortSignal | undefined; onPoll?: () => void },
): Promise<ServiceDeployment | undefined> {
  const ended = await pollUntil(
    async () => {
      opts.onPoll?.();
      const sd = await readServiceDeployment(ecs, arn).catch(() => undefined);
      return sd && ['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED', 'SUCCESSFUL'].includes(sd.status ?? '') ? sd : undefined;
    },
    { deadline: opts.deadline, intervalMs: opts.pollIntervalMs, clock: opts.clock, signal: opts.signal },
  );
  return ended.state === 'done' ? ended.value : undefined;
}

export interface NativeRollbackOutcome {
  /** What happened to the service, for the step's message. */
  where: string;
  status: 'rolled-back' | 'failed' | 'cancelled';
  rolledBack: boolean;
  /** The service deployment as last seen while following the rollback (its stages and hooks for the summary). */
  serviceDeployment?: ServiceDeployment | undefined;
}

/**
 * Rolls a native deployment back the way ECS does it (or follows ECS's own rollback): one
 * StopServiceDeployment ROLLBACK, then — with `follow` — until ROLLBACK_SUCCESSFUL.
 */
export async function rollBackServiceDeployment(
  ecs: EcsSender,
  arn: string,
  opts: {
    startedByEcs: boolean;
    follow: boolean;
    cancelled: boolean;
    previous: string;
    clock: Clock;
    deadline: number;
    pollIntervalMs: number;
    signal?: AbortSignal | undefined;
    log: (line: string) => void;
  },
): Promise<NativeRollbackOutcome> {
  if (!opts.startedByEcs) {
    try {
      await stopServiceDeployment(ecs, arn);
      opts.log(`Stopped service deployment ${arn} (ROLLBACK): ECS returns all traffic to ${opts.previous}.`);
    } catch (error) {
      // It may have ended (or started rolling back) between the last poll and the stop.
      opts.log(`StopServiceDeployment of ${arn} was refused (${(error as Error).message}); following what ECS does.`);
    }
  } else {
    opts.log(`ECS is rolling back service deployment ${arn} to ${opts.previous}; following it.`);
  }
  if (!opts.follow) {
    return {
      where: `Rollback to ${opts.previous} started (StopServiceDeployment ROLLBACK); ECS completes it.`,
      status: opts.cancelled ? 'cancelled' : 'failed',
      rolledBack: false,
    };
  }
  const sd = await followNativeRollback(ecs, arn, opts);
  if (sd?.status === 'STOPPED') {
    // ECS stopped it where it was (a failure detection mechanism without its rollback option): a
    // stopped service deployment cannot be rolled back, and nothing moves its traffic any more.
    const target = sd.targetServiceRevision;
    const production = target?.requestedProductionTrafficWeight;
    const split =
      production === undefined
        ? ''
        : ` ${production}% of production and ${target?.requestedTestTrafficWeight ?? 0}% of test traffic stay on the new revision${production > 0 ? `, the rest on ${opts.previous}` : ''}.`;
    return {
      where: `Not rolled back: ECS had already stopped service deployment ${arn} where it was (STOPPED${sd.statusReason ? `: ${sd.statusReason.replace(/\.$/, '')}` : ''}), and a stopped service deployment cannot be rolled back.${split} Deploy ${opts.previous} again to return to it; with alarm-rollback: true (or the circuit breaker's rollback) ECS rolls such a failure back itself.`,
      status: 'failed',
      rolledBack: false,
      serviceDeployment: sd,
    };
  }
  if (sd?.status === 'ROLLBACK_SUCCESSFUL') {
    return {
      where: `Rolled back by ECS: ${opts.previous} serves all traffic again (ROLLBACK_SUCCESSFUL).`,
      status: 'rolled-back',
      rolledBack: true,
      serviceDeployment: sd,
    };
  }
  return {
    where: `ECS's rollback of service deployment ${arn} did not succeed: ${sd?.status ?? 'no end seen before the deadline'}.`,
    status: 'failed',
    rolledBack: false,
    serviceDeployment: sd,
  };
}
