/**
 * ECS's native BLUE_GREEN, CANARY and LINEAR deployments (deploymentConfiguration.strategy), as
 * the developer guide describes their workflow: the new (green) revision is scaled up beside the
 * running (blue) one in the other target group (loadBalancers[].advancedConfiguration
 * .alternateTargetGroupArn), test traffic moves to green, production traffic moves in one step
 * (BLUE_GREEN), a canary step then the rest (CANARY), or equal steps (LINEAR), both revisions run
 * through the bake time, and blue is scaled down (CLEAN_UP). The service deployment walks the
 * lifecycle stages in order; hooks run at the stages they list (lifecycle-hooks.ts). A failure
 * (circuit breaker, a hook, StopServiceDeployment, ContinueServiceDeployment ROLLBACK) moves
 * traffic back to blue at once and scales green down: ROLLBACK_SUCCESSFUL.
 *
 * While a native deployment is in progress it drives its service instead of the rolling
 * scheduler; after it (or after its rollback) the rolling scheduler keeps the service as usual.
 */
import type { Clock } from './clock.js';
import { type HookFunctions, type HookRun, hookRunsFor, type LifecycleHookConfig } from './lifecycle-hooks.js';
import type { LifecycleStage, ServiceDeployment, ServiceDeployments } from './service-deployments.js';
import type { Deployment, Service, Store, Task } from './state.js';

export const NATIVE_STRATEGIES = ['BLUE_GREEN', 'CANARY', 'LINEAR'];

/** What the native driver asks of the scheduler. */
export interface SchedulerOps {
  launch(service: Service, deployment: Deployment, count: number): void;
  /** Drains and stops a task that is not at fault. */
  retire(task: Task, service: Service, reason: string): void;
  isHealthy(service: Service, task: Task): boolean;
  mayLaunch(deployment: Deployment): boolean;
  event(service: Service, message: string): void;
}

interface Step {
  /** The lifecycleStage reported; absent: the previous one stays (PRE_PRODUCTION_TRAFFIC_SHIFT has none). */
  stage?: LifecycleStage;
  hookStage?: string;
  enter?: (run: NativeRun) => void;
  until?: (run: NativeRun) => boolean;
  bakeMs?: number;
}

interface NativeRun {
  sd: ServiceDeployment;
  service: Service;
  green: Deployment;
  greenTargetGroup?: string;
  steps: Step[];
  index: number;
  entered: boolean;
  hooksDoneAt?: number;
  rolledBack: boolean;
  /** Set when the deployment was aborted (StopServiceDeployment ABORT): nothing moves any more. */
  frozen: boolean;
}

const live = (t: Task) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED';
const MINUTE = 60_000;

/**
 * The production traffic steps of a strategy: [green's share, bake after it in ms]. `minuteMs`: how
 * long one of the configuration's bake minutes lasts (LocalEcsOptions.bakeMinuteMs).
 */
export function productionSteps(strategy: string, cfg: Record<string, unknown>, minuteMs = MINUTE): [number, number][] {
  if (strategy === 'CANARY') {
    const c = (cfg.canaryConfiguration ?? {}) as { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
    return [
      [c.canaryPercent ?? 5, (c.canaryBakeTimeInMinutes ?? 10) * minuteMs],
      [100, 0],
    ];
  }
  if (strategy === 'LINEAR') {
    const l = (cfg.linearConfiguration ?? {}) as { stepPercent?: number; stepBakeTimeInMinutes?: number };
    const step = l.stepPercent ?? 10;
    const steps: [number, number][] = [];
    for (let p = step; p < 100 - 1e-9; p += step) steps.push([Math.round(p * 10) / 10, (l.stepBakeTimeInMinutes ?? 6) * minuteMs]);
    // "This bake time is not applied after reaching 100 percent traffic."
    steps.push([100, 0]);
    return steps;
  }
  return [[100, 0]];
}

export class NativeStrategies {
  private readonly runs = new Map<string, NativeRun>();
  /** serviceUid → the target group production traffic goes to (blue's). */
  private readonly production = new Map<string, string>();
  ops?: SchedulerOps;

  constructor(
    private readonly store: Store,
    readonly deployments: ServiceDeployments,
    private readonly hooks: HookFunctions,
    private readonly clock: Clock,
    /** How long a bake minute lasts in emulated ms (LocalEcsOptions.bakeMinuteMs). */
    private readonly bakeMinuteMs = MINUTE,
  ) {}

  /** Where a service's traffic goes now: production's target group, green's, and green's shares. */
  traffic(service: Service): { productionTargetGroup?: string; greenTargetGroup?: string; productionGreen: number; testGreen: number } {
    const run = [...this.runs.values()].find((r) => r.service.uid === service.uid && !r.rolledBack);
    const productionTargetGroup = this.productionTargetGroup(service);
    return {
      ...(productionTargetGroup ? { productionTargetGroup } : {}),
      ...(run?.greenTargetGroup ? { greenTargetGroup: run.greenTargetGroup } : {}),
      productionGreen: run?.sd.traffic?.productionGreen ?? 0,
      testGreen: run?.sd.traffic?.testGreen ?? 0,
    };
  }

  productionTargetGroup(service: Service): string | undefined {
    return this.production.get(service.uid) ?? service.loadBalancers[0]?.targetGroupArn;
  }

  /** Before each scheduler pass: record new deployments, start native runs for the new ones. */
  sync(service: Service): void {
    const primary = service.deployments[0];
    if (primary && !this.deployments.of(primary)) {
      // A rolling deployment registers in production's target group, wherever that is now.
      const production = this.production.get(service.uid);
      if (!primary.targetGroupArn && production) primary.targetGroupArn = production;
      const blue = service.deployments
        .slice(1)
        .find((d) => d.status !== 'INACTIVE' && this.store.tasksOf(service).some((t) => t.deploymentId === d.id && live(t)));
      const strategy = String(service.deploymentConfiguration.strategy ?? 'ROLLING');
      if (NATIVE_STRATEGIES.includes(strategy) && blue) {
        const green = this.alternateOf(service, this.productionTargetGroup(service));
        if (green) primary.targetGroupArn = green;
        this.deployments.sync(service);
        const sd = this.deployments.of(primary);
        if (sd) this.begin(service, sd, primary, blue);
      }
    }
    this.deployments.sync(service);
    for (const run of this.runs.values()) if (run.service.uid === service.uid && run.rolledBack) this.finishRollback(run);
  }

  private alternateOf(service: Service, tg: string | undefined): string | undefined {
    const lb = service.loadBalancers[0];
    if (!lb) return undefined;
    const alt = lb.advancedConfiguration?.alternateTargetGroupArn;
    return tg === alt ? lb.targetGroupArn : alt;
  }

  private begin(service: Service, sd: ServiceDeployment, green: Deployment, blue: Deployment): void {
    // Older service deployments this one supersedes stop where they are; their runs end.
    for (const [arn, run] of this.runs) if (run.service.uid === service.uid) this.runs.delete(arn);
    sd.traffic = { productionGreen: 0, testGreen: 0 };
    const stale = (r: NativeRun) => this.store.tasksOf(r.service).filter((t) => live(t) && t.deploymentId !== blue.id && t.deploymentId !== green.id);
    const steps: Step[] = [];
    if (stale({ service } as NativeRun).length > 0) {
      // "Only happens when you start a new service deployment with more than 1 service revision in an ACTIVE state."
      steps.push({
        stage: 'RECONCILE_SERVICE',
        hookStage: 'RECONCILE_SERVICE',
        enter: (r) => {
          for (const t of stale(r)) this.ops?.retire(t, r.service, `Scaling activity initiated by (deployment ${green.id})`);
        },
        until: (r) => stale(r).length === 0,
      });
    }
    steps.push(
      { stage: 'PRE_SCALE_UP', hookStage: 'PRE_SCALE_UP' },
      { stage: 'SCALE_UP', until: (r) => this.greenReady(r) },
      { stage: 'POST_SCALE_UP', hookStage: 'POST_SCALE_UP' },
      { stage: 'TEST_TRAFFIC_SHIFT', hookStage: 'TEST_TRAFFIC_SHIFT', enter: (r) => this.shift(r, { testGreen: 100 }) },
      { stage: 'POST_TEST_TRAFFIC_SHIFT', hookStage: 'POST_TEST_TRAFFIC_SHIFT' },
    );
    for (const [percent, bakeMs] of productionSteps(sd.strategy, sd.deploymentConfiguration, this.bakeMinuteMs)) {
      steps.push(
        { hookStage: 'PRE_PRODUCTION_TRAFFIC_SHIFT' },
        { stage: 'PRODUCTION_TRAFFIC_SHIFT', hookStage: 'PRODUCTION_TRAFFIC_SHIFT', enter: (r) => this.shift(r, { productionGreen: percent }), bakeMs },
      );
    }
    const bake = typeof sd.deploymentConfiguration.bakeTimeInMinutes === 'number' ? sd.deploymentConfiguration.bakeTimeInMinutes : 0;
    steps.push(
      { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', hookStage: 'POST_PRODUCTION_TRAFFIC_SHIFT' },
      { stage: 'BAKE_TIME', bakeMs: bake * this.bakeMinuteMs },
      {
        stage: 'CLEAN_UP',
        enter: (r) => {
          for (const t of this.blueTasks(r)) this.ops?.retire(t, r.service, `Scaling activity initiated by (deployment ${green.id})`);
        },
        // "The blue service revision has completely scaled down to 0 running tasks": drained and stopped.
        until: (r) => this.store.tasksOf(r.service).every((t) => t.lastStatus === 'STOPPED' || t.deploymentId === green.id),
      },
    );
    const run: NativeRun = {
      sd,
      service,
      green,
      ...(green.targetGroupArn ? { greenTargetGroup: green.targetGroupArn } : {}),
      steps,
      index: 0,
      entered: false,
      rolledBack: false,
      frozen: false,
    };
    this.runs.set(sd.arn, run);
    this.ops?.event(service, `(service ${service.name}) (service-deployment ${sd.arn}) ${sd.strategy} deployment started.`);
  }

  private blueTasks(run: NativeRun): Task[] {
    return this.store.tasksOf(run.service).filter((t) => live(t) && t.deploymentId !== run.green.id);
  }

  private greenReady(run: NativeRun): boolean {
    const green = this.store.tasksOf(run.service).filter((t) => live(t) && t.deploymentId === run.green.id);
    return green.length >= run.service.desiredCount && green.every((t) => this.ops?.isHealthy(run.service, t));
  }

  private shift(run: NativeRun, weights: Partial<NonNullable<ServiceDeployment['traffic']>>): void {
    run.sd.traffic = { productionGreen: 0, testGreen: 0, ...run.sd.traffic, ...weights };
    run.sd.updatedAt = this.clock.now();
  }

  /**
   * One scheduler pass of a service with a native deployment in progress. Returns false when no
   * native deployment drives the service (the rolling scheduler takes the pass).
   */
  reconcile(service: Service): boolean {
    const run = [...this.runs.values()].find((r) => r.service.uid === service.uid);
    if (!run || run.rolledBack) return false;
    if (run.frozen) return true;
    const green = run.green;
    green.desiredCount = service.desiredCount;
    const greenAlive = this.store.tasksOf(service).filter((t) => live(t) && t.deploymentId === green.id).length;
    const wanted = service.desiredCount - greenAlive;
    if (wanted > 0 && this.ops?.mayLaunch(green)) this.ops.launch(service, green, wanted);
    for (let moves = 0; moves < 50 && this.runs.get(run.sd.arn) === run && !run.rolledBack; moves++) {
      if (!this.advance(run)) break;
    }
    return true;
  }

  /** Runs the current step; true when it completed and the next one may start. */
  private advance(run: NativeRun): boolean {
    const step = run.steps[run.index];
    const now = this.clock.now();
    if (!step) {
      this.complete(run);
      return false;
    }
    const sd = run.sd;
    if (!run.entered) {
      run.entered = true;
      if (step.stage) sd.lifecycleStage = step.stage;
      sd.hooks = step.hookStage ? hookRunsFor((sd.deploymentConfiguration.lifecycleHooks ?? []) as LifecycleHookConfig[], step.hookStage, now) : [];
      delete run.hooksDoneAt;
      sd.updatedAt = now;
      step.enter?.(run);
    }
    if (run.hooksDoneAt === undefined) {
      const outcome = this.hooks.advance(
        sd.hooks,
        now,
        (h) => this.invocation(run, h),
        () => {},
      );
      if (typeof outcome === 'object') {
        this.rollback(sd, outcome.rollback);
        return false;
      }
      if (outcome === 'waiting') return false;
      run.hooksDoneAt = now;
    }
    if (step.until && !step.until(run)) return false;
    if (step.bakeMs && now < run.hooksDoneAt + step.bakeMs) return false;
    run.index++;
    run.entered = false;
    return true;
  }

  private invocation(run: NativeRun, hook: HookRun) {
    const blueRevision = run.sd.sourceRevisionArns[0] ?? '';
    const traffic = run.sd.traffic ?? { productionGreen: 0, testGreen: 0 };
    return {
      executionId: hook.hookId,
      lifecycleStage: hook.stage,
      resourceArn: run.sd.arn,
      ...(hook.details !== undefined ? { hookDetails: hook.details } : {}),
      executionDetails: {
        serviceArn: run.service.arn,
        targetServiceRevisionArn: run.sd.targetRevisionArn,
        testTrafficWeights: { [blueRevision]: 100 - traffic.testGreen, [run.sd.targetRevisionArn]: traffic.testGreen },
        productionTrafficWeights: { [blueRevision]: 100 - traffic.productionGreen, [run.sd.targetRevisionArn]: traffic.productionGreen },
      },
    };
  }

  private complete(run: NativeRun): void {
    const { service, green, sd } = run;
    const now = this.clock.now();
    green.rolloutState = 'COMPLETED';
    green.rolloutStateReason = `ECS deployment ${green.id} completed.`;
    green.updatedAt = now;
    service.lastCompleted = { id: green.id, taskDefinition: green.taskDefinition };
    if (run.greenTargetGroup) this.production.set(service.uid, run.greenTargetGroup);
    for (const d of service.deployments) if (d !== green) d.status = 'INACTIVE';
    service.deployments = [green];
    sd.traffic = { productionGreen: 100, testGreen: 100 };
    sd.lifecycleStage = 'CLEAN_UP';
    sd.hooks = [];
    this.deployments.finish(sd, 'SUCCESSFUL', 'Service deployment completed.');
    this.runs.delete(sd.arn);
    this.ops?.event(service, `(service ${service.name}) (deployment ${green.id}) deployment completed.`);
  }

  /** Rolls a native deployment back: all traffic to blue now, green scaled down by the scheduler. */
  rollback(sd: ServiceDeployment, reason: string): boolean {
    const run = this.runs.get(sd.arn);
    if (!run || run.rolledBack) return false;
    const { service, green } = run;
    const blue = service.deployments.find((d) => d !== green && d.status !== 'INACTIVE');
    if (!blue) return false;
    const now = this.clock.now();
    run.rolledBack = true;
    run.frozen = false;
    sd.traffic = { productionGreen: 0, testGreen: 0 };
    for (const h of sd.hooks) if (h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS') h.status = 'FAILED';
    this.deployments.startRollback(sd, reason);
    green.status = 'ACTIVE';
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = reason;
    green.updatedAt = now;
    blue.status = 'PRIMARY';
    blue.updatedAt = now;
    service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
    service.taskDefinition = blue.taskDefinition;
    service.steady = false;
    this.ops?.event(service, `(service ${service.name}) rolling back to deployment ${blue.id}.`);
    return true;
  }

  private finishRollback(run: NativeRun): void {
    const greenLeft = this.store.tasksOf(run.service).some((t) => t.lastStatus !== 'STOPPED' && t.deploymentId === run.green.id);
    if (greenLeft) return;
    this.deployments.finish(run.sd, 'ROLLBACK_SUCCESSFUL');
    run.sd.hooks = [];
    this.runs.delete(run.sd.arn);
  }

  /** The circuit breaker failed a deployment: a native one rolls back (or stops, without rollback). */
  breakerTripped(service: Service, deployment: Deployment, rollback: boolean): boolean {
    const sd = this.deployments.of(deployment);
    if (!sd || !this.runs.has(sd.arn)) return false;
    sd.breakerTriggered = true;
    return this.failed(service, deployment, rollback);
  }

  /**
   * A failure detection mechanism (circuit breaker, deployment alarms) failed a native deployment:
   * with its rollback option ECS rolls it back (traffic to blue); without, the service deployment
   * is STOPPED where it is ("the rollback option is not in use for the failure detection mechanism
   * … and the service fails"). False when no native run drives the deployment.
   */
  failed(service: Service, deployment: Deployment, rollback: boolean): boolean {
    const sd = this.deployments.of(deployment);
    const run = sd ? this.runs.get(sd.arn) : undefined;
    if (!sd || !run || run.rolledBack) return false;
    if (rollback) this.rollback(sd, deployment.rolloutStateReason);
    else {
      run.frozen = true;
      for (const h of sd.hooks) if (h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS') h.status = 'FAILED';
      this.deployments.finish(sd, 'STOPPED', deployment.rolloutStateReason);
    }
    void service;
    return true;
  }

  /**
   * Whether ECS still watches the deployment alarms for a deployment: undefined when no native run
   * drives it (a rolling one); a native one from its start through its bake, not once blue is
   * being scaled down (CLEAN_UP), rolled back or stopped.
   */
  watchesAlarms(deployment: Deployment): boolean | undefined {
    const sd = this.deployments.of(deployment);
    const run = sd ? this.runs.get(sd.arn) : undefined;
    if (!sd || !run) return undefined;
    if (run.rolledBack || run.frozen) return false;
    return sd.lifecycleStage !== 'CLEAN_UP';
  }

  /** StopServiceDeployment ABORT: the deployment stops where it is. */
  abort(sd: ServiceDeployment): boolean {
    const run = this.runs.get(sd.arn);
    if (!run || run.rolledBack) return false;
    run.frozen = true;
    for (const h of sd.hooks) if (h.status === 'AWAITING_ACTION' || h.status === 'IN_PROGRESS') h.status = 'FAILED';
    this.deployments.finish(sd, 'STOPPED', 'Service deployment stopped by StopServiceDeployment (ABORT).');
    return true;
  }

  isNative(sd: ServiceDeployment): boolean {
    return this.runs.has(sd.arn);
  }
}
