/**
 * ECS's deployment alarms (`deploymentConfiguration.alarms`: alarmNames, enable, rollback) on a
 * rolling update, as the developer guide describes them ("How CloudWatch alarms detect Amazon
 * ECS deployment failures"):
 *  - ECS watches the alarms while the deployment is IN_PROGRESS, and when its tasks are in place
 *    keeps it IN_PROGRESS for a bake time it computes from the alarms' configuration (the user
 *    cannot set it); only after the bake is the deployment COMPLETED;
 *  - an alarm entering ALARM in that time FAILS the deployment, and with `rollback` a new
 *    deployment of the last COMPLETED one takes over (as the circuit breaker's rollback does);
 *  - an alarm already in ALARM when the deployment starts is not watched for that deployment
 *    (ECS ignores it rather than failing every deployment at once).
 * The bake time here is the longest evaluation range of the watched alarms (Period ×
 * EvaluationPeriods): long enough for each alarm to judge a whole range of the new release.
 *
 * A BLUE_GREEN, CANARY or LINEAR deployment is watched the same way from its start through its
 * bake (bakeTimeInMinutes: ECS documents its alarms "during the bake time period" of the native
 * workflow, and its own bake replaces the computed one); an alarm in ALARM rolls it back the native
 * way (all traffic to blue, ROLLBACK_SUCCESSFUL) with `rollback`, or stops it (STOPPED) without,
 * as native-strategies.ts does for the circuit breaker. Once blue is being scaled down (CLEAN_UP)
 * there is nothing left to go back to, and the alarms are no longer watched for it.
 */
import type { Clock, ClockTimer } from './clock.js';
import type { CloudWatch } from './cloudwatch.js';
import type { Scheduler } from './scheduler.js';
import type { Deployment, Service, Store } from './state.js';

/** What the native strategies answer for a deployment they drive (native-strategies.ts). */
export interface NativeAlarmTarget {
  /** undefined: not a native deployment (rolling rules apply); false: past its bake, not watched. */
  watchesAlarms(deployment: Deployment): boolean | undefined;
  /** The deployment failed on an alarm: roll it back natively or stop it; false when not native. */
  failed(service: Service, deployment: Deployment, rollback: boolean): boolean;
}

interface AlarmSettings {
  alarmNames: string[];
  enable: boolean;
  rollback: boolean;
}

interface Watch {
  /** Alarms in ALARM when the deployment started: not watched for it. */
  ignored: Set<string>;
  /** When its tasks were first all in place (the bake starts). */
  inPlaceAt?: number;
}

export function deploymentAlarmsOf(service: Service): AlarmSettings | undefined {
  const alarms = service.deploymentConfiguration.alarms as Partial<AlarmSettings> | undefined;
  if (!alarms?.enable || !Array.isArray(alarms.alarmNames) || alarms.alarmNames.length === 0) return undefined;
  return { alarmNames: alarms.alarmNames, enable: true, rollback: alarms.rollback === true };
}

export class DeploymentAlarms {
  private readonly watches = new Map<string, Watch>();
  private timer?: ClockTimer;
  private closed = false;
  private unsubscribe?: () => void;
  /** Set once the native strategies exist (index.ts). */
  native?: NativeAlarmTarget;

  constructor(
    private readonly store: Store,
    private readonly scheduler: Scheduler,
    private readonly cloudwatch: CloudWatch,
    private readonly clock: Clock,
    private readonly everyMs: number,
  ) {}

  start(): void {
    // React the moment an alarm changes, and look for new deployments every scheduler tick.
    this.unsubscribe = this.cloudwatch.onStateChange(() => this.check());
    const next = () => {
      if (this.closed) return;
      this.check();
      this.timer = this.clock.setTimeout(next, this.everyMs);
    };
    this.timer = this.clock.setTimeout(next, this.everyMs);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  /**
   * Brings the alarms up to now (index.ts: the alarm evaluations whose time has come, each on the
   * data up to now, simulated traffic included). Timers run late when the process stalls: after a
   * stall longer than a bake, the scheduler's tick could end the bake before the traffic of the
   * stalled time was counted and the alarms over it evaluated, and a release serving 500s was
   * COMPLETED (seen under load). ECS decides on the bake's data; so does the emulator.
   */
  catchUp?: () => void;
  /** True while a bake's verdict catches up (inside the scheduler's tick): a check an alarm's change asks for then runs once the tick is over. */
  private deciding = false;

  /** The scheduler's question before it marks a deployment COMPLETED: is it still baking? */
  holdCompletion(service: Service, deployment: Deployment): boolean {
    const settings = deploymentAlarmsOf(service);
    if (!settings) return false;
    const watch = this.watch(deployment, settings);
    watch.inPlaceAt ??= this.clock.now();
    if (this.clock.now() < watch.inPlaceAt + this.bakeMs(settings)) return true;
    // The bake is over: its verdict on data that covers it. An alarm the catch-up puts in ALARM
    // holds the completion; the check after this tick fails the deployment (never from inside
    // the scheduler's tick).
    this.deciding = true;
    try {
      this.catchUp?.();
    } finally {
      this.deciding = false;
    }
    return this.firing(settings, watch).length > 0;
  }

  /** The bake time ECS would compute for these alarms (emulated ms). */
  bakeMs(settings: AlarmSettings): number {
    let longest = 0;
    for (const name of settings.alarmNames) {
      const alarm = this.cloudwatch.alarm(name);
      if (alarm) longest = Math.max(longest, alarm.Period * alarm.EvaluationPeriods * 1000);
    }
    return longest;
  }

  private watch(deployment: Deployment, settings: AlarmSettings): Watch {
    let watch = this.watches.get(deployment.id);
    if (!watch) {
      const ignored = new Set(settings.alarmNames.filter((n) => this.cloudwatch.alarm(n)?.StateValue === 'ALARM'));
      watch = { ignored };
      this.watches.set(deployment.id, watch);
    }
    return watch;
  }

  private check(): void {
    if (this.deciding) {
      queueMicrotask(() => this.check());
      return;
    }
    for (const service of this.store.services.values()) {
      const primary = service.deployments[0];
      const settings = deploymentAlarmsOf(service);
      if (!primary || !settings || service.status !== 'ACTIVE' || primary.rolloutState !== 'IN_PROGRESS') continue;
      if (this.native?.watchesAlarms(primary) === false) continue;
      const firing = this.firing(settings, this.watch(primary, settings));
      if (firing.length > 0) this.fail(service, primary, firing, settings.rollback);
    }
  }

  /** The watched alarms in ALARM (those already in ALARM when the deployment started are not watched). */
  private firing(settings: AlarmSettings, watch: Watch): string[] {
    return settings.alarmNames.filter((n) => !watch.ignored.has(n) && this.cloudwatch.alarm(n)?.StateValue === 'ALARM');
  }

  private fail(service: Service, deployment: Deployment, alarms: string[], rollback: boolean): void {
    deployment.rolloutState = 'FAILED';
    deployment.rolloutStateReason = `ECS deployment failed: alarm(s) detected: ${alarms.join(', ')}.`;
    deployment.updatedAt = this.clock.now();
    deployment.triggeredAlarms = alarms;
    this.scheduler.event(service, `(service ${service.name}) (deployment ${deployment.id}) deployment failed: alarm detected.`);
    if (this.native?.failed(service, deployment, rollback)) return;
    const target = service.lastCompleted;
    if (!rollback || !target) return;
    this.scheduler.event(service, `(service ${service.name}) rolling back to deployment ${target.id}.`);
    this.scheduler.newDeployment(service, target.taskDefinition, deployment.id);
    this.scheduler.tick();
  }
}
