/**
 * The CloudWatch alarms a deploy watches: the `alarms` input's and the service's own deployment
 * alarms. A release that passes its health checks but answers 500s is caught only here.
 *
 *   await requireAlarms(cw, names)           // before anything changes: each name must exist
 *   const watch = await AlarmWatch.start(cw, names, deps)
 *   const firing = await watch.poll()         // each poll: states live, the metric on a change
 *
 * An alarm already in ALARM when the deploy starts is not held against the release (ECS ignores
 * such an alarm for its deployment too); it counts once it has been out of ALARM and goes back.
 */
import type { CloudWatchClient, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Service } from '@aws-sdk/client-ecs';
import { formatDuration } from '../core/duration.js';
import { InputError, UserError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { FailedVerdict } from './follow-rollout.js';
import type { Timeline } from './timeline.js';

/** Anything that sends CloudWatch commands: the real client, or a test double of it. */
export type CloudWatchSender = Pick<CloudWatchClient, 'send'>;

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmView {
  name: string;
  state: AlarmStateValue;
  /** "HTTPCode_Target_5XX_Count > 5 for 1 minute". */
  condition: string;
  /** The latest datapoint CloudWatch evaluated, with its statistic: "Sum 300". */
  latest?: string | undefined;
  reason: string;
}

/** What fails a release: the alarm and the metric behind it. */
export interface FiringAlarm extends AlarmView {
  /** "alarm api-5xx: HTTPCode_Target_5XX_Count > 5 for 1 minute". */
  cause: string;
}

const OPERATOR: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  LessThanLowerThreshold: '< the band',
  GreaterThanUpperThreshold: '> the band',
};

/** An alarm's condition in words: metric, operator, threshold and how long. */
export function alarmCondition(alarm: MetricAlarm): string {
  const metric = alarm.MetricName ?? (alarm.Metrics?.length ? 'a metric math expression' : 'its metric');
  const op = OPERATOR[alarm.ComparisonOperator ?? ''] ?? alarm.ComparisonOperator ?? '?';
  const threshold = alarm.Threshold !== undefined ? ` ${alarm.Threshold}` : '';
  const period = periodWords(alarm.Period ?? 60);
  const n = alarm.EvaluationPeriods ?? 1;
  const m = alarm.DatapointsToAlarm ?? n;
  const span = n === 1 ? `for ${period}` : m === n ? `for ${n} periods of ${period}` : `in ${m} of ${n} periods of ${period}`;
  return `${metric} ${op}${threshold} ${span}`;
}

function periodWords(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? '1 hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

function latestDatapoint(alarm: MetricAlarm): string | undefined {
  try {
    const data = JSON.parse(alarm.StateReasonData ?? '{}') as { recentDatapoints?: number[]; statistic?: string };
    const value = data.recentDatapoints?.[0];
    return value === undefined ? undefined : `${data.statistic ?? alarm.Statistic ?? 'value'} ${value}`;
  } catch {
    return undefined;
  }
}

export function alarmView(alarm: MetricAlarm): AlarmView {
  return {
    name: alarm.AlarmName ?? '?',
    state: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue,
    condition: alarmCondition(alarm),
    latest: latestDatapoint(alarm),
    reason: alarm.StateReason ?? '',
  };
}

/** The alarms by name (DescribeAlarms takes at most 100 names a call). */
export async function describeAlarms(cw: CloudWatchSender, names: readonly string[]): Promise<Map<string, MetricAlarm>> {
  // Loaded only by deploys that watch alarms: the rest never pay for the CloudWatch SDK.
  const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
  const found = new Map<string, MetricAlarm>();
  for (let i = 0; i < names.length; i += 100) {
    let token: string | undefined;
    do {
      const out = await cw.send(
        new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), AlarmTypes: ['MetricAlarm'], ...(token ? { NextToken: token } : {}) }),
      );
      for (const a of out.MetricAlarms ?? []) if (a.AlarmName) found.set(a.AlarmName, a);
      token = out.NextToken;
    } while (token);
  }
  return found;
}

/**
 * Every alarm named in `input` must exist before anything changes: a misspelt name would watch
 * nothing and let any release through.
 */
export async function requireAlarms(cw: CloudWatchSender, names: readonly string[], input: string): Promise<Map<string, MetricAlarm>> {
  let found: Map<string, MetricAlarm>;
  try {
    found = await describeAlarms(cw, names);
  } catch (error) {
    throw new UserError(`Could not read the CloudWatch alarms named in '${input}' (${errorMessage(error)}); nothing was changed.`, {
      cause: error,
      hint: 'The role needs cloudwatch:DescribeAlarms.',
    });
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) {
    throw new InputError(input, missing.join(', '), "names of existing CloudWatch metric alarms in the service's region; nothing was changed");
  }
  return found;
}

export interface AlarmWatchDeps {
  logger: Logger;
  timeline: Timeline;
}

export class AlarmWatch {
  private readonly last = new Map<string, AlarmStateValue>();
  private readonly views = new Map<string, AlarmView>();
  /** Alarms in ALARM when the deploy started: held against the release only after they leave it. */
  private readonly preexisting = new Set<string>();
  private errorsReported = false;
  firing: FiringAlarm | undefined;

  private constructor(
    private readonly cw: CloudWatchSender,
    readonly names: readonly string[],
    private readonly deps: AlarmWatchDeps,
  ) {}

  /** Reads and prints the alarms' states as the deploy starts. */
  static async start(cw: CloudWatchSender, names: readonly string[], deps: AlarmWatchDeps, known?: Map<string, MetricAlarm>): Promise<AlarmWatch> {
    const watch = new AlarmWatch(cw, names, deps);
    const alarms = known ?? (await describeAlarms(cw, names));
    for (const name of names) {
      const alarm = alarms.get(name);
      if (!alarm) {
        deps.logger.warning(`Deployment alarm ${name} does not exist in CloudWatch: it watches nothing.`);
        continue;
      }
      const view = alarmView(alarm);
      watch.last.set(name, view.state);
      watch.views.set(name, view);
      deps.logger.info(`  alarm ${name}: ${view.state} (${view.condition})`);
      if (view.state === 'ALARM') {
        watch.preexisting.add(name);
        deps.logger.warning(
          `Alarm ${name} is already in ALARM before the deploy (${view.reason}); it counts against this release only if it recovers and fires again.`,
        );
      }
    }
    return watch;
  }

  /** The states now, each change printed with the metric behind it; the alarms that fail the release. */
  async poll(): Promise<FiringAlarm[]> {
    let alarms: Map<string, MetricAlarm>;
    try {
      alarms = await describeAlarms(this.cw, this.names);
    } catch (error) {
      if (!this.errorsReported) {
        this.deps.logger.warning(`Could not read the deployment alarms (${errorMessage(error)}); trying again at the next poll.`);
        this.errorsReported = true;
      }
      return [];
    }
    const firing: FiringAlarm[] = [];
    for (const name of this.names) {
      const alarm = alarms.get(name);
      if (!alarm) continue;
      const view = alarmView(alarm);
      this.views.set(name, view);
      const before = this.last.get(name);
      if (before !== view.state) {
        const metric = view.latest ? `; ${alarm.MetricName ?? 'metric'} ${view.latest} per ${periodWords(alarm.Period ?? 60)}` : '';
        const line = `alarm ${name}: ${before ?? '?'} → ${view.state} (${view.condition}${metric})`;
        if (view.state === 'ALARM') this.deps.logger.warning(line);
        else this.deps.logger.info(`  ${line}`);
        this.deps.timeline.add(line);
        this.last.set(name, view.state);
        if (view.state !== 'ALARM') this.preexisting.delete(name);
      }
      if (view.state === 'ALARM' && !this.preexisting.has(name)) firing.push({ ...view, cause: `alarm ${name}: ${view.condition}` });
    }
    this.firing ??= firing[0];
    return firing;
  }

  /**
   * The watched alarm that went into ALARM last, from CloudWatch's alarm history: ECS may roll
   * back on an alarm that is OK again by the time it is read (no 5xx once the old revision serves
   * again), so its state alone cannot name it. Undefined when the history names none (or cannot be read).
   */
  async lastFired(): Promise<FiringAlarm | undefined> {
    const { DescribeAlarmHistoryCommand } = await import('@aws-sdk/client-cloudwatch');
    let newest: { name: string; at: number } | undefined;
    for (const name of this.names) {
      const out = await this.cw
        .send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', ScanBy: 'TimestampDescending', MaxRecords: 10 }))
        .catch(() => undefined);
      const fired = (out?.AlarmHistoryItems ?? []).find((item) => {
        try {
          return (JSON.parse(item.HistoryData ?? '{}') as { newState?: { stateValue?: string } }).newState?.stateValue === 'ALARM';
        } catch {
          return false;
        }
      });
      const at = fired?.Timestamp?.getTime();
      if (at !== undefined && (!newest || at > newest.at)) newest = { name, at };
    }
    const view = newest ? this.views.get(newest.name) : undefined;
    return view ? { ...view, cause: `alarm ${view.name}: ${view.condition}` } : undefined;
  }

  /** Each watched alarm as last read (for the job summary). */
  states(): AlarmView[] {
    return this.names.flatMap((n) => this.views.get(n) ?? []);
  }

  /** One line of the states, for a progress line during the bake. */
  summary(): string {
    return this.names.map((n) => `${n} ${this.last.get(n) ?? '?'}`).join(', ');
  }
}

/** How long ECS gets to act on an alarm it rolls back on before the deploy acts itself. */
export const ECS_ALARM_GRACE_MS = 30_000;

/**
 * The follow's per-poll check: an alarm in ALARM fails the release, unless ECS itself rolls back
 * on that alarm while the deployment is IN_PROGRESS (then ECS's rollback is followed and
 * reported as ECS's, not done a second time; if ECS has not acted within a grace period, the
 * deploy acts). After COMPLETED (the bake) ECS no longer watches, so the deploy acts at once.
 */
export function alarmCheck(
  watch: AlarmWatch,
  options: { deploymentId: string; ecsRollsBackOn: ReadonlySet<string>; logger: Logger; now: () => number },
): (service: Service | undefined) => Promise<FailedVerdict | undefined> {
  const leftToEcs = new Map<string, number>();
  return async (service) => {
    const firing = await watch.poll();
    const ours = service?.deployments?.find((d) => d.id === options.deploymentId);
    const inProgress = ours?.rolloutState === 'IN_PROGRESS';
    for (const alarm of firing) {
      if (inProgress && options.ecsRollsBackOn.has(alarm.name)) {
        const since = leftToEcs.get(alarm.name);
        if (since === undefined) {
          leftToEcs.set(alarm.name, options.now());
          options.logger.info(`  alarm ${alarm.name} is in ALARM; ECS rolls back on it (deploymentConfiguration.alarms.rollback): following what ECS does.`);
          continue;
        }
        if (options.now() - since < ECS_ALARM_GRACE_MS) continue;
        options.logger.warning(`ECS has not acted on alarm ${alarm.name} within ${formatDuration(ECS_ALARM_GRACE_MS)}; rolling back here.`);
      }
      const phase = ours?.rolloutState === 'COMPLETED' ? 'the bake' : inPlace(service, ours) ? "ECS's bake" : 'the rollout';
      return { state: 'failed', cause: 'alarm', reason: `${alarm.cause} (in ALARM during ${phase}${alarm.latest ? `; latest ${alarm.latest}` : ''})` };
    }
    return undefined;
  };
}

/** All of the deployment's tasks run and no other deployment is left: what remains is ECS's own bake. */
function inPlace(service: Service | undefined, ours: NonNullable<Service['deployments']>[number] | undefined): boolean {
  return Boolean(ours && ours.runningCount === ours.desiredCount && (service?.deployments?.length ?? 0) === 1);
}

/** The alarm names ECS watches for the service with this deployment configuration, and whether it rolls back. */
export function ecsDeploymentAlarms(config: Record<string, unknown> | undefined): { names: string[]; rollback: boolean } {
  const alarms = config?.alarms as { alarmNames?: unknown; enable?: unknown; rollback?: unknown } | undefined;
  if (alarms?.enable !== true || !Array.isArray(alarms.alarmNames)) return { names: [], rollback: false };
  return { names: alarms.alarmNames.filter((n): n is string => typeof n === 'string'), rollback: alarms.rollback === true };
}

/** The `alarms` / `alarm-rollback` inputs: names added to the service's own deployment alarms. */
export interface AlarmsRequest {
  names: readonly string[];
  /** undefined: the service's own setting (off when it has none). */
  rollback: boolean | undefined;
}

export interface PreparedAlarms {
  watch: AlarmWatch;
  /** The alarms ECS itself rolls back on for this deployment (their rollback is ECS's). */
  ecsRollsBackOn: Set<string>;
}

/** The alarms a deploy watches, decided by its plan (deploy-plan.ts). */
export interface AlarmPlan {
  /** Every alarm watched: the service's own enabled deployment alarms and the asked ones. */
  watch: string[];
  /** The asked ones, checked to exist before anything changes. */
  asked: string[];
  /** Whether ECS rolls back on them once the configuration is sent. */
  ecsRollsBack: boolean;
}

/** The alarms to watch with this service's configuration; undefined when there is none. */
export function planAlarms(asked: AlarmsRequest | undefined, currentConfig: Record<string, unknown> | undefined): AlarmPlan | undefined {
  const own = ecsDeploymentAlarms(currentConfig);
  const askedNames = [...(asked?.names ?? [])];
  const watch = [...new Set([...own.names, ...askedNames])];
  if (watch.length === 0) return undefined;
  const ownRollbackSetting = (currentConfig?.alarms as { rollback?: unknown } | undefined)?.rollback === true;
  return { watch, asked: askedNames, ecsRollsBack: asked ? (asked.rollback ?? ownRollbackSetting) : own.rollback };
}

/**
 * Before anything changes: the planned alarms' states read and printed (an asked name that does
 * not exist fails here) and the watch started. undefined when there is nothing to watch.
 */
export async function prepareAlarmWatch(
  plan: AlarmPlan | undefined,
  cloudwatch: (() => Promise<CloudWatchSender>) | undefined,
  deps: AlarmWatchDeps,
): Promise<PreparedAlarms | undefined> {
  if (!plan) return undefined;
  if (!cloudwatch) throw new Error('deploy: alarms to watch but no CloudWatch client given');
  const cw = await cloudwatch();
  const known = plan.asked.length > 0 ? await requireAlarms(cw, plan.asked, 'alarms') : undefined;
  const ownNames = plan.watch.filter((n) => !plan.asked.includes(n));
  const ownKnown = ownNames.length > 0 ? await describeAlarms(cw, ownNames).catch(() => new Map<string, MetricAlarm>()) : new Map<string, MetricAlarm>();
  const all = new Map([...ownKnown, ...(known ?? [])]);
  deps.logger.info(`Deployment alarms (${plan.ecsRollsBack ? 'ECS rolls back on them' : 'ECS only fails the deployment on them'}):`);
  const watch = await AlarmWatch.start(cw, plan.watch, deps, all);
  return { watch, ecsRollsBackOn: plan.ecsRollsBack ? new Set(plan.watch) : new Set() };
}
