/**
 * The service scheduler: keeps each service's tasks in line with its deployments, the way the
 * ECS rolling-update scheduler does.
 *
 * Every tick, per service:
 *  - tasks of older deployments are stopped (deregistered from the load balancer and drained
 *    first) as long as the healthy tasks stay at or above minimumHealthyPercent of desiredCount;
 *  - the PRIMARY deployment gets new tasks while the total (including tasks still draining) stays
 *    at or below maximumPercent;
 *  - a deployment whose failed tasks reach the circuit-breaker threshold FAILS and, with
 *    rollback, a new PRIMARY deployment of the last COMPLETED task definition takes over;
 *  - the PRIMARY deployment is COMPLETED when it alone runs desiredCount healthy tasks, or earlier
 *    when the service's early success criteria are met (early-success.ts).
 * A task is healthy when RUNNING, its container health check (if any) is HEALTHY and, with a
 * load balancer, its target is healthy.
 * While a BLUE_GREEN, CANARY or LINEAR deployment is in progress, native-strategies.ts drives the
 * service instead (green beside blue in the alternate target group); it uses this scheduler's
 * launches, drains and health.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { earlySuccessOf, earlySuccessReached } from './early-success.js';
import { containerArn, newDeploymentId, newTaskId, taskArn } from './ids.js';
import { defaultHealthCheck, LoadBalancer, type TargetGroupHealthCheck, type TargetHealth } from './load-balancer.js';
import type { ServedRequests } from './metrics.js';
import { ServiceListeners } from './listeners.js';
import type { NativeStrategies } from './native-strategies.js';
import type { TaskRunner } from './runners/types.js';
import type { ContainerDefinitionView, Deployment, HealthStatus, Service, Store, Task } from './state.js';
import { containerViews, type TaskDefinitions } from './task-definitions.js';

export interface SchedulerOptions {
  /** Emulated ms between scheduler passes. */
  tickMs: number;
  /** Target-group deregistration delay (emulated ms); ECS/ELB default is 300 s. */
  deregistrationDelayMs: number;
  /** Default target-group health check; per target group overrides via `targetGroups`. */
  healthCheck: TargetGroupHealthCheck;
  targetGroups: Map<string, Partial<TargetGroupHealthCheck>>;
  /** Whether load balancers are real HTTP proxies (docker mode). */
  proxy: boolean;
  /** Emulated ms to wait before launching again after a task of the deployment failed (ECS throttles too). */
  relaunchDelayMs: number;
  /** Told of every request a load balancer answered (CloudWatch's ELB metrics). */
  onLoadBalancerRequest?: (targetGroupArn: string, served: ServedRequests) => void;
  /** Asked before a deployment whose tasks are in place is COMPLETED: true while it still bakes. */
  holdCompletion?: (service: Service, deployment: Deployment) => boolean;
}

export type TaskChangeListener = (task: Task, service: Service | undefined) => void;

export interface TaskLogDriver {
  /** Why the task's log driver cannot start (the task then fails to start), or undefined. */
  prepare(task: Task): string | undefined;
  /** Whether a container's output goes anywhere: only then is it read (docker mode attaches a reader). */
  captures(task: Task, containerName: string): boolean;
  write(task: Task, containerName: string, line: string): void;
}

const MAX_EVENTS = 100;

/** ECS's circuit-breaker threshold: half the desired count, rounded up, clamped to 3..200. */

/** The breaker's members that ECS added later; stored verbatim, read here. */
interface BreakerSettings {
  resetOnHealthyTask?: boolean;
  thresholdConfiguration?: { type?: 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT' | 'COUNT'; value?: number };
}

/**
 * The breaker's threshold as ECS documents it (ThresholdConfiguration): COUNT uses `value` as
 * it is; the percentage types multiply `value` (default 50) by the desired count, BOUNDED_PERCENT
 * (the default) kept between 3 and 200.
 */
export function breakerThreshold(desiredCount: number, settings: BreakerSettings['thresholdConfiguration']): number {
  const type = settings?.type ?? 'BOUNDED_PERCENT';
  const value = settings?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, value);
  const fromPercent = Math.ceil((desiredCount * value) / 100);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, fromPercent) : Math.min(200, Math.max(3, fromPercent));
}

/** ECS's default threshold: half the desired count, between 3 and 200. */
export const failureThreshold = (desiredCount: number) => breakerThreshold(desiredCount, undefined);

export class Scheduler {
  private readonly lbs = new Map<string, LoadBalancer>();
  private readonly listeners = new Set<TaskChangeListener>();
  private readonly relaunchAfter = new Map<string, number>();
  /** Exit codes a stop gives every container regardless of the runner (SIGTERM of a Spot interruption). */
  private readonly exitOverrides = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  private readonly pendingStops = new Set<Promise<void>>();
  private readonly buffers = new Map<string, { draining: Task[]; deregistered: Task[]; stopped: Task[] }>();
  /** Where containers' output goes (the awslogs driver into the emulated CloudWatch Logs). */
  logDriver?: TaskLogDriver;
  /** serviceUid → the load balancer of advancedConfiguration.alternateTargetGroupArn (native strategies). */
  private readonly alternates = new Map<string, LoadBalancer>();
  /** Drives BLUE_GREEN / CANARY / LINEAR deployments and records service deployments. */
  private native?: NativeStrategies;
  /** serviceUid → production and test listeners (docker mode, services with an alternate target group). */
  private readonly serviceListeners = new Map<string, ServiceListeners>();

  constructor(
    private readonly store: Store,
    private readonly taskDefs: TaskDefinitions,
    private readonly runner: TaskRunner,
    private readonly clock: Clock,
    private readonly opts: SchedulerOptions,
  ) {}

  start(): void {
    // Real-time interval, scaled: at least every 5 ms so sped-up rollouts still get fine steps.
    const realMs = Math.max(5, this.opts.tickMs / this.clock.timeScale);
    this.timer = setInterval(() => this.tick(), realMs);
    this.timer.unref();
  }

  onTaskChange(listener: TaskChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  loadBalancer(service: Service): LoadBalancer | undefined {
    return this.lbs.get(service.uid);
  }

  /** The load balancer of one of the service's target groups (its first or its alternate). */
  targetGroup(service: Service, targetGroupArn: string | undefined): LoadBalancer | undefined {
    const alternate = this.alternates.get(service.uid);
    return targetGroupArn !== undefined && alternate?.targetGroupArn === targetGroupArn ? alternate : this.lbs.get(service.uid);
  }

  /** Docker mode: the test listener's URL of a service with an alternate target group. */
  testListenerUrl(service: Service): string | undefined {
    return this.serviceListeners.get(service.uid)?.testUrl;
  }

  private lbOf(service: Service, task: Task): LoadBalancer | undefined {
    return this.targetGroup(service, task.targetGroupArn);
  }

  useNativeStrategies(native: NativeStrategies): void {
    this.native = native;
    native.ops = {
      launch: (service, deployment, count) => this.launch(service, deployment, count),
      retire: (task, service, reason) => void this.stopGracefully(task, service, reason, 'ServiceSchedulerInitiated', false),
      isHealthy: (service, task) => this.isHealthy(service, task),
      mayLaunch: (d) => d.rolloutState !== 'FAILED' && this.clock.now() >= (this.relaunchAfter.get(d.id) ?? 0),
      event: (service, message) => this.event(service, message),
    };
  }

  /** Stops the scheduler, every task and every load balancer. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const live = [...this.store.tasks.values()].filter((t) => t.lastStatus !== 'STOPPED');
    await Promise.allSettled(live.map((t) => this.runner.stop(t)));
    for (const t of live) this.markStopped(t, {}, t.stoppedReason ?? 'Local ECS emulator stopped', t.stopCode ?? 'ServiceSchedulerInitiated');
    for (const lb of [...this.lbs.values(), ...this.alternates.values()]) lb.endDrains();
    await Promise.allSettled([...this.pendingStops]);
    await Promise.allSettled([...this.lbs.values(), ...this.alternates.values()].map((lb) => lb.close()));
    this.lbs.clear();
    this.alternates.clear();
    await Promise.allSettled([...this.serviceListeners.values()].map((l) => l.close()));
    this.serviceListeners.clear();
  }

  // ---- service lifecycle (called by the API) ---------------------------------------------------

  async addService(service: Service): Promise<void> {
    const lbConfig = service.loadBalancers[0];
    for (const arn of lbConfig ? [targetGroupOf(service), lbConfig.advancedConfiguration?.alternateTargetGroupArn] : []) {
      if (!arn) continue;
      const lb = new LoadBalancer({
        clock: this.clock,
        targetGroupArn: arn,
        healthCheck: { ...this.opts.healthCheck, ...(this.opts.targetGroups.get(arn) ?? {}) },
        deregistrationDelayMs: this.opts.deregistrationDelayMs,
        probe: (taskId, host, port, path, timeoutMs) => {
          const task = this.store.tasks.get(taskId);
          return task ? this.runner.probe(task, host, port, path, timeoutMs) : Promise.resolve(false);
        },
        onHealth: (taskId, state) => this.targetHealthChanged(taskId, state),
        onRequest: (served) => this.opts.onLoadBalancerRequest?.(arn, served),
        // The alternate target group is reached through the first one's listener.
        proxy: this.opts.proxy && !this.lbs.has(service.uid),
      });
      await lb.listen();
      if (this.lbs.has(service.uid)) this.alternates.set(service.uid, lb);
      else this.lbs.set(service.uid, lb);
    }
    const main = this.lbs.get(service.uid);
    if (this.opts.proxy && main && this.alternates.has(service.uid)) {
      const listeners = new ServiceListeners(main, () => {
        const traffic = this.native?.traffic(service);
        const production = this.targetGroup(service, traffic?.productionTargetGroup) ?? main;
        const green = traffic?.greenTargetGroup ? this.targetGroup(service, traffic.greenTargetGroup) : undefined;
        return {
          production,
          ...(green && green !== production ? { green } : {}),
          productionGreen: traffic?.productionGreen ?? 0,
          testGreen: traffic?.testGreen ?? 0,
        };
      });
      await listeners.listen();
      this.serviceListeners.set(service.uid, listeners);
    }
    this.tick();
  }

  newDeployment(service: Service, taskDefinition: string, rollbackOf?: string): Deployment {
    const now = this.clock.now();
    for (const d of service.deployments) {
      d.status = 'ACTIVE';
      d.updatedAt = now;
    }
    const id = newDeploymentId();
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinition,
      desiredCount: service.desiredCount,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      ...(rollbackOf ? { rollbackOf } : {}),
    };
    service.deployments.unshift(deployment);
    service.taskDefinition = taskDefinition;
    service.steady = false;
    return deployment;
  }

  /** A user's StopTask: the task stops; a service task is replaced (not counted as a failure). */
  stopTaskByUser(task: Task, reason: string): void {
    if (task.desiredStatus === 'STOPPED') return;
    const service = this.serviceOf(task);
    this.stopGracefully(task, service, reason, 'UserInitiated', false);
  }

  /**
   * A stop that is not the task's fault, as AWS makes them: a Fargate Spot interruption (stop code
   * SpotInterruption; the containers get SIGTERM, so exit 143) or Fargate maintenance (the
   * scheduler stops the task with ECS's maintenance reason). The service replaces the task; the
   * deployment's failedTasks does not count it.
   */
  interruptTask(task: Task, kind: 'spot' | 'maintenance'): void {
    if (task.desiredStatus === 'STOPPED') return;
    const service = this.serviceOf(task);
    if (kind === 'spot') {
      this.exitOverrides.set(task.id, 143);
      this.stopGracefully(task, service, 'Your Spot Task was interrupted.', 'SpotInterruption', false);
    } else {
      this.stopGracefully(
        task,
        service,
        'ECS is performing maintenance on the underlying infrastructure hosting the task.',
        'ServiceSchedulerInitiated',
        false,
      );
    }
  }

  // ---- the scheduler pass ------------------------------------------------------------------------

  tick(): void {
    if (this.stopped || this.running) return;
    this.running = true;
    try {
      for (const service of this.store.services.values()) {
        this.flushEvents(service);
        this.native?.sync(service);
        if (service.status !== 'INACTIVE') this.reconcile(service);
        this.native?.sync(service);
        this.flushEvents(service);
      }
    } finally {
      this.running = false;
    }
  }

  private reconcile(service: Service): void {
    const all = this.store.tasksOf(service);
    const alive = all.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');
    const leaving = all.filter((t) => t.desiredStatus === 'STOPPED' && t.lastStatus !== 'STOPPED');

    if (service.status === 'DRAINING') {
      for (const t of alive) this.stopGracefully(t, service, 'Service deleted', 'ServiceSchedulerInitiated', false);
      if (alive.length === 0 && leaving.length === 0) {
        service.status = 'INACTIVE';
        for (const d of service.deployments) d.status = 'INACTIVE';
        const lb = this.lbs.get(service.uid);
        this.lbs.delete(service.uid);
        void lb?.close();
        void this.alternates.get(service.uid)?.close();
        this.alternates.delete(service.uid);
      }
      return;
    }

    this.registerTargets(service, alive);
    if (this.native?.reconcile(service)) return;

    const primary = service.deployments[0];
    if (!primary) return;
    const desired = service.desiredCount;
    primary.desiredCount = desired;
    const cfg = service.deploymentConfiguration;
    // ECS rounds the minimum up and the maximum down.
    const minHealthy = Math.ceil((desired * cfg.minimumHealthyPercent) / 100);
    const maxTotal = Math.floor((desired * cfg.maximumPercent) / 100);
    const healthy = (t: Task) => this.isHealthy(service, t);
    let healthyCount = alive.filter(healthy).length;

    // 1. Tasks to retire: older deployments' tasks, and the primary's surplus after a scale-in.
    const primaryAlive = alive.filter((t) => t.deploymentId === primary.id);
    const surplus = primaryAlive.length - desired;
    const candidates = [
      ...alive.filter((t) => t.deploymentId !== primary.id),
      ...(surplus > 0 ? [...primaryAlive].sort(byHealth(healthy)).slice(0, surplus) : []),
    ].sort(byHealth(healthy));
    // Early success with DEFERRED cleanup: while the deployment is IN_PROGRESS, healthy tasks of
    // older revisions go only to make room for the new ones; the rest after COMPLETED.
    const early = earlySuccessOf(cfg);
    let olderMayGo =
      early?.cleanup === 'DEFERRED' && primary.rolloutState === 'IN_PROGRESS'
        ? desired - primaryAlive.length - Math.max(0, maxTotal - alive.length - leaving.length) - leaving.length
        : Number.POSITIVE_INFINITY;
    const retire: Task[] = [];
    for (const t of candidates) {
      const older = t.deploymentId !== primary.id;
      if (!healthy(t)) retire.push(t);
      else if (healthyCount - 1 >= minHealthy && (!older || olderMayGo > 0)) {
        retire.push(t);
        healthyCount--;
        if (older) olderMayGo--;
      }
    }
    for (const t of retire) {
      this.stopGracefully(t, service, `Scaling activity initiated by (deployment ${primary.id})`, 'ServiceSchedulerInitiated', false);
    }

    // 2. Launch for the primary, within maximumPercent (tasks still draining count).
    const primaryCount = primaryAlive.filter((t) => !retire.includes(t)).length;
    const total = alive.length + leaving.length;
    const room = Math.max(0, maxTotal - total);
    const wanted = Math.max(0, desired - primaryCount);
    const throttledUntil = this.relaunchAfter.get(primary.id) ?? 0;
    // A deployment the circuit breaker FAILED "stops launching new tasks" (ECS API reference).
    const launch = primary.rolloutState !== 'FAILED' && this.clock.now() >= throttledUntil ? Math.min(wanted, room) : 0;
    if (launch > 0) this.launch(service, primary, launch);

    // 3. Completion and steady state: only the primary has tasks left, all of them healthy.
    const live = this.store.tasksOf(service).filter((t) => t.lastStatus !== 'STOPPED');
    const primaryLive = live.filter((t) => t.deploymentId === primary.id);
    const steady = live.length === desired && primaryLive.length === desired && primaryLive.every((t) => t.desiredStatus === 'RUNNING' && healthy(t));
    // Early success criteria: COMPLETED at healthyPercent (BLOCKING: once older tasks are gone);
    // the scaling and the older tasks' removal above go on after it, as before.
    const earlyDone =
      early !== undefined &&
      earlySuccessReached(early, desired, primaryLive.filter((t) => t.desiredStatus === 'RUNNING' && healthy(t)).length, live.length - primaryLive.length);
    if ((steady || earlyDone) && primary.rolloutState === 'IN_PROGRESS' && !this.opts.holdCompletion?.(service, primary)) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = this.clock.now();
      service.lastCompleted = { id: primary.id, taskDefinition: primary.taskDefinition };
      this.event(service, `(service ${service.name}) (deployment ${primary.id}) deployment completed.`);
    }

    // 4. Old deployments with nothing left are gone; a FAILED one stays visible while the
    //    rollback that replaced it is in progress, so a watching client can see why.
    const keep = service.deployments.filter(
      (d, i) => i === 0 || live.some((t) => t.deploymentId === d.id) || (d.rolloutState === 'FAILED' && primary.rolloutState === 'IN_PROGRESS'),
    );
    if (keep.length !== service.deployments.length) {
      for (const d of service.deployments) if (!keep.includes(d)) d.status = 'INACTIVE';
      service.deployments = keep;
    }
    if (steady && !service.steady) this.event(service, `(service ${service.name}) has reached a steady state.`);
    service.steady = steady;
  }

  private registerTargets(service: Service, alive: Task[]): void {
    const cfg = service.loadBalancers[0];
    if (!this.lbs.has(service.uid) || !cfg) return;
    const ready = alive.filter((t) => t.lastStatus === 'RUNNING' && t.target === 'none');
    const registered = new Map<LoadBalancer, Task[]>();
    for (const t of ready) {
      const lb = this.lbOf(service, t);
      if (!lb) continue;
      const binding = t.containers.find((c) => c.name === cfg.containerName)?.networkBindings.find((b) => b.containerPort === cfg.containerPort);
      if (!binding) {
        // ECS refuses such a service at creation; keep the task out of the target group.
        continue;
      }
      t.target = 'initial';
      lb.register(t.id, '127.0.0.1', binding.hostPort);
      registered.set(lb, [...(registered.get(lb) ?? []), t]);
    }
    for (const [lb, tasks] of registered) {
      this.event(service, `(service ${service.name}) registered ${tasks.length} targets in (target-group ${lb.targetGroupArn})`);
    }
  }

  private launch(service: Service, deployment: Deployment, count: number): void {
    let td: ReturnType<TaskDefinitions['resolve']>;
    try {
      td = this.taskDefs.resolve(deployment.taskDefinition);
    } catch {
      return;
    }
    const views = containerViews(td);
    const started: Task[] = [];
    for (let i = 0; i < count; i++) {
      const id = newTaskId();
      const now = this.clock.now();
      const task: Task = {
        id,
        arn: taskArn(this.store.account, service.cluster, id),
        cluster: service.cluster,
        taskDefinitionArn: td.arn,
        startedBy: deployment.id,
        group: `service:${service.name}`,
        serviceName: service.name,
        serviceUid: service.uid,
        deploymentId: deployment.id,
        ...(deployment.targetGroupArn ? { targetGroupArn: deployment.targetGroupArn } : {}),
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        healthStatus: 'UNKNOWN',
        createdAt: now,
        containers: views.map((v) => ({
          name: v.name,
          image: v.image,
          containerArn: containerArn(this.store.account, service.cluster, id),
          lastStatus: 'PENDING',
          healthStatus: 'UNKNOWN',
          networkBindings: [],
        })),
        hasContainerHealthCheck: views.some((v) => v.essential && v.healthCheck),
        essentialContainers: views.filter((v) => v.essential).map((v) => v.name),
        target: 'none',
        ...(service.launchType ? { launchType: service.launchType } : {}),
      };
      this.store.tasks.set(id, task);
      started.push(task);
      this.startTask(task, views);
    }
    this.event(service, `(service ${service.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`);
  }

  /** A task no service owns (RunTask): kept in the store and run with the same life as a service's. */
  runStandalone(task: Task, views: ContainerDefinitionView[]): void {
    this.store.tasks.set(task.id, task);
    this.startTask(task, views);
  }

  private startTask(task: Task, views: ContainerDefinitionView[]): void {
    task.lastStatus = 'PENDING';
    task.pullStartedAt = this.clock.now();
    this.changed(task);
    // The log driver is set up before the containers start; ECS fails the task when it cannot be.
    const logFailure = this.logDriver?.prepare(task);
    if (logFailure) {
      this.clock.setTimeout(() => this.failedToStart(task, logFailure), 0);
      return;
    }
    this.runner.start(task, views, {
      running: (bindings) => this.taskRunning(task, bindings),
      containerHealth: (name, status) => this.containerHealth(task, name, status),
      exited: (name, code, reason) => this.containerExited(task, name, code, reason),
      failedToStart: (reason) => this.failedToStart(task, reason),
      capturesLogs: (name) => this.logDriver?.captures(task, name) ?? false,
      log: (name, line) => this.logDriver?.write(task, name, line),
    });
  }

  // ---- task life -------------------------------------------------------------------------------

  private taskRunning(task: Task, bindings: Record<string, Task['containers'][number]['networkBindings']>): void {
    if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') return;
    const now = this.clock.now();
    task.pullStoppedAt = now;
    task.startedAt = now;
    task.lastStatus = 'RUNNING';
    for (const c of task.containers) {
      c.lastStatus = 'RUNNING';
      c.networkBindings = bindings[c.name] ?? [];
    }
    this.changed(task);
  }

  private containerHealth(task: Task, name: string, status: HealthStatus): void {
    if (task.lastStatus === 'STOPPED') return;
    const container = task.containers.find((c) => c.name === name);
    if (!container || container.healthStatus === status) return;
    container.healthStatus = status;
    // The task's health is its essential containers' health: UNHEALTHY if any is, HEALTHY when all are.
    const statuses = task.containers.map((c) => c.healthStatus);
    task.healthStatus = statuses.includes('UNHEALTHY')
      ? 'UNHEALTHY'
      : statuses.every((s) => s === 'HEALTHY' || s === 'UNKNOWN') && statuses.includes('HEALTHY')
        ? 'HEALTHY'
        : 'UNKNOWN';
    this.changed(task);
    if (task.healthStatus === 'HEALTHY') this.healthyTaskSeen(task);
    if (task.healthStatus === 'UNHEALTHY' && task.desiredStatus === 'RUNNING') {
      const service = this.serviceOf(task);
      if (service) this.event(service, `(service ${service.name}) (task ${task.id}) failed container health checks.`);
      this.stopGracefully(task, service, 'Task failed container health checks', 'ServiceSchedulerInitiated', true);
    }
  }

  private targetHealthChanged(taskId: string, state: TargetHealth): void {
    const task = this.store.tasks.get(taskId);
    if (!task || task.lastStatus === 'STOPPED' || task.target === 'draining' || task.target === 'deregistered') return;
    task.target = state === 'draining' ? 'draining' : state;
    this.changed(task);
    if (state === 'healthy') this.healthyTaskSeen(task);
    const service = this.serviceOf(task);
    if (state === 'unhealthy' && task.desiredStatus === 'RUNNING' && service) {
      const grace = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
      if (task.startedAt !== undefined && this.clock.now() - task.startedAt < grace) return;
      const lb = this.lbOf(service, task);
      const port = task.containers.flatMap((c) => c.networkBindings).find((b) => b.containerPort === service.loadBalancers[0]?.containerPort)?.hostPort;
      this.event(
        service,
        `(service ${service.name}) (port ${port ?? 0}) is unhealthy in (target-group ${lb?.targetGroupArn}) due to (reason Health checks failed).`,
      );
      this.stopGracefully(task, service, `Task failed ELB health checks in (target-group ${lb?.targetGroupArn})`, 'ServiceSchedulerInitiated', true);
    }
  }

  private containerExited(task: Task, name: string, exitCode: number, reason?: string): void {
    if (task.lastStatus === 'STOPPED') return;
    const container = task.containers.find((c) => c.name === name);
    if (container) {
      container.lastStatus = 'STOPPED';
      container.exitCode = exitCode;
      if (reason) container.reason = reason;
    }
    if (task.desiredStatus === 'STOPPED') return; // we are stopping it anyway
    // An essential container exiting stops the task; ECS counts it as a failed task of its deployment.
    if (!task.essentialContainers.includes(name)) return;
    task.desiredStatus = 'STOPPED';
    task.failed = true;
    task.stoppingAt = this.clock.now();
    const service = this.serviceOf(task);
    void this.finishStop(task, service, 'Essential container in task exited', 'EssentialContainerExited', false);
    this.countFailure(task, service);
  }

  private failedToStart(task: Task, reason: string): void {
    if (task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.failed = true;
    for (const c of task.containers) c.reason = reason;
    const service = this.serviceOf(task);
    void this.finishStop(task, service, reason, 'TaskFailedToStart', false);
    this.countFailure(task, service);
  }

  /**
   * Begins stopping a task: desiredStatus STOPPED now; if it is a load-balancer target it is
   * deregistered and drained first; then the runner stops it. Returns false if already stopping.
   */
  private stopGracefully(task: Task, service: Service | undefined, reason: string, stopCode: string, failure: boolean): boolean {
    if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return false;
    task.desiredStatus = 'STOPPED';
    task.stoppingAt = this.clock.now();
    if (failure) task.failed = true;
    this.changed(task);
    void this.finishStop(task, service, reason, stopCode, true);
    if (failure) this.countFailure(task, service);
    return true;
  }

  private finishStop(task: Task, service: Service | undefined, reason: string, stopCode: string, drain: boolean): Promise<void> {
    const p = (async () => {
      const lb = service ? this.lbOf(service, task) : undefined;
      const wasTarget = lb !== undefined && task.target !== 'none' && task.target !== 'deregistered';
      if (drain && lb && wasTarget && service) {
        const wasHealthy = task.target === 'healthy';
        task.target = 'draining';
        if (task.lastStatus === 'RUNNING') task.lastStatus = 'DEACTIVATING';
        this.changed(task);
        if (wasHealthy) this.buffer(service).draining.push(task);
        await lb.deregister(task.id);
        task.target = 'deregistered';
        this.buffer(service).deregistered.push(task);
      } else if (lb && wasTarget) {
        // The task died on its own (exit, failed start): out of the target group at once.
        await lb.deregister(task.id, { immediate: true });
        task.target = 'deregistered';
      }
      if (task.lastStatus !== 'STOPPED') {
        task.lastStatus = 'STOPPING';
        this.changed(task);
      }
      let codes: Record<string, number> = {};
      try {
        codes = await this.runner.stop(task);
      } catch {
        // The runner already lost the task (e.g. container gone): it is stopped all the same.
      }
      this.markStopped(task, codes, reason, stopCode);
      if (service && drain) this.buffer(service).stopped.push(task);
    })();
    this.pendingStops.add(p);
    void p.finally(() => this.pendingStops.delete(p));
    return p;
  }

  private markStopped(task: Task, codes: Record<string, number>, reason: string, stopCode: string): void {
    if (task.lastStatus === 'STOPPED') return;
    const now = this.clock.now();
    task.lastStatus = 'STOPPED';
    task.desiredStatus = 'STOPPED';
    task.stoppedAt = now;
    task.stoppingAt ??= now;
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    const override = this.exitOverrides.get(task.id);
    this.exitOverrides.delete(task.id);
    for (const c of task.containers) {
      if (c.lastStatus !== 'STOPPED') {
        c.lastStatus = 'STOPPED';
        const code = override ?? codes[c.name];
        if (code !== undefined && task.startedAt !== undefined) c.exitCode = code;
      }
    }
    this.changed(task);
  }

  private countFailure(task: Task, service: Service | undefined): void {
    if (!service) return;
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (!deployment) return;
    deployment.failedTasks++;
    deployment.updatedAt = this.clock.now();
    this.relaunchAfter.set(deployment.id, this.clock.now() + this.opts.relaunchDelayMs);
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (!breaker.enable || deployment.rolloutState !== 'IN_PROGRESS' || deployment !== service.deployments[0]) return;
    if (deployment.failedTasks < breakerThreshold(service.desiredCount, (breaker as BreakerSettings).thresholdConfiguration)) return;
    deployment.rolloutState = 'FAILED';
    deployment.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    this.event(service, `(service ${service.name}) (deployment ${deployment.id}) deployment failed: tasks failed to start.`);
    if (this.native?.breakerTripped(service, deployment, breaker.rollback)) return;
    if (!breaker.rollback) return;
    // No completed deployment yet (the service's first one failed): nothing to roll back to.
    const target = service.lastCompleted;
    if (!target) return;
    this.event(service, `(service ${service.name}) rolling back to deployment ${target.id}.`);
    this.newDeployment(service, target.taskDefinition, deployment.id);
  }

  /**
   * ECS counts failed tasks consecutively: a task of the deployment that reaches a healthy state
   * resets the deployment's count to 0, unless the breaker's `resetOnHealthyTask` is false.
   * "Healthy" is a health state a check reported (container health check HEALTHY, load-balancer
   * target healthy); a task with no health check never reports one, so it resets nothing and a
   * crash loop of such tasks still adds up (the strict reading: the documents do not say that
   * RUNNING alone counts as healthy).
   */
  private healthyTaskSeen(task: Task): void {
    const service = this.serviceOf(task);
    if (!service || !this.isHealthy(service, task)) return;
    if (!task.hasContainerHealthCheck && service.loadBalancers.length === 0) return;
    const deployment = service.deployments.find((d) => d.id === task.deploymentId);
    if (!deployment || deployment.failedTasks === 0) return;
    if ((service.deploymentConfiguration.deploymentCircuitBreaker as BreakerSettings).resetOnHealthyTask === false) return;
    deployment.failedTasks = 0;
    deployment.updatedAt = this.clock.now();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  isHealthy(service: Service, task: Task): boolean {
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return false;
    if (task.hasContainerHealthCheck && task.healthStatus !== 'HEALTHY') return false;
    if (service.loadBalancers.length > 0 && task.target !== 'healthy') return false;
    return true;
  }

  private serviceOf(task: Task): Service | undefined {
    if (!task.serviceUid) return undefined;
    return [...this.store.services.values()].find((s) => s.uid === task.serviceUid);
  }

  /**
   * Things that complete asynchronously (drains, stops) are reported the way ECS batches them:
   * one event per kind per scheduler pass, e.g. "has stopped 2 running tasks: (task a) (task b)."
   */
  private buffer(service: Service): { draining: Task[]; deregistered: Task[]; stopped: Task[] } {
    let b = this.buffers.get(service.uid);
    if (!b) {
      b = { draining: [], deregistered: [], stopped: [] };
      this.buffers.set(service.uid, b);
    }
    return b;
  }

  private flushEvents(service: Service): void {
    const b = this.buffers.get(service.uid);
    if (!b) return;
    this.buffers.delete(service.uid);
    const name = service.name;
    if (b.draining.length > 0) this.event(service, `(service ${name}) has begun draining connections on ${b.draining.length} tasks.`);
    // Each target group its own event: a native deployment's blue and green tasks are in two.
    const deregistered = new Map<string, number>();
    for (const t of b.deregistered) {
      const tg = this.lbOf(service, t)?.targetGroupArn ?? targetGroupOf(service);
      deregistered.set(tg, (deregistered.get(tg) ?? 0) + 1);
    }
    for (const [tg, n] of deregistered) this.event(service, `(service ${name}) deregistered ${n} targets in (target-group ${tg})`);
    if (b.stopped.length > 0) {
      this.event(service, `(service ${name}) has stopped ${b.stopped.length} running tasks: ${b.stopped.map((t) => `(task ${t.id})`).join(' ')}.`);
    }
  }

  event(service: Service, message: string): void {
    service.events.unshift({ id: randomUUID(), createdAt: this.clock.now(), message });
    if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
  }

  private changed(task: Task): void {
    const service = this.serviceOf(task);
    for (const l of this.listeners) {
      try {
        l(task, service);
      } catch {
        // A listener's bug must not break the scheduler.
      }
    }
  }
}

function byHealth(healthy: (t: Task) => boolean) {
  // Unhealthy (not yet useful) tasks are retired first, then the oldest.
  return (a: Task, b: Task) => Number(healthy(a)) - Number(healthy(b)) || a.createdAt - b.createdAt;
}

export function targetGroupOf(service: Service): string {
  const lb = service.loadBalancers[0];
  if (lb?.targetGroupArn) return lb.targetGroupArn;
  const [, , , region, account] = service.arn.split(':');
  return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${service.name}/${service.uid.slice(0, 16)}`;
}

export const schedulerDefaults = (proxy: boolean): SchedulerOptions => ({
  tickMs: 200,
  deregistrationDelayMs: 5_000,
  healthCheck: defaultHealthCheck,
  targetGroups: new Map(),
  proxy,
  relaunchDelayMs: 1_000,
});
