/**
 * Service deployments and service revisions, as ECS records them since October 2024: every
 * deployment of a service (ROLLING ones too) is a ServiceDeployment with a status, the revision
 * it deploys (a ServiceRevision: task definition, load balancers, images) and the revisions it
 * replaces. The scheduler's `ecs-svc/…` deployments stay what DescribeServices shows; this file
 * maps each of them onto its service deployment after every scheduler pass (`sync`), and the
 * native strategies (native-strategies.ts) drive the ones that are BLUE_GREEN, CANARY or LINEAR.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Clock } from './clock.js';
import { clusterArn } from './ids.js';
import type { HookRun } from './lifecycle-hooks.js';
import { breakerThreshold } from './scheduler.js';
import type { Deployment, DeploymentConfiguration, Service, ServiceLoadBalancer, Store, Task } from './state.js';
import { containerViews, type TaskDefinitions } from './task-definitions.js';
import { epochSeconds as s } from './wire.js';

export const SERVICE_DEPLOYMENT_STATUSES = [
  'PENDING',
  'IN_PROGRESS',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
] as const;
export type ServiceDeploymentStatus = (typeof SERVICE_DEPLOYMENT_STATUSES)[number];

/** ServiceDeploymentLifecycleStage as the SDK's enum has it (PRE_PRODUCTION_TRAFFIC_SHIFT is a hook stage only). */
export type LifecycleStage =
  | 'RECONCILE_SERVICE'
  | 'PRE_SCALE_UP'
  | 'SCALE_UP'
  | 'POST_SCALE_UP'
  | 'TEST_TRAFFIC_SHIFT'
  | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT'
  | 'POST_PRODUCTION_TRAFFIC_SHIFT'
  | 'BAKE_TIME'
  | 'CLEAN_UP';

export interface ServiceRevision {
  arn: string;
  serviceUid: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  launchType?: string;
  loadBalancers: ServiceLoadBalancer[];
  containerImages: { containerName: string; image: string }[];
  createdAt: number;
  /** The target group this revision's tasks serve from (resolvedConfiguration). */
  targetGroupArn?: string;
}

/** Where traffic goes while a native deployment runs: the green revision's share, 0..100. */
export interface TrafficWeights {
  productionGreen: number;
  testGreen: number;
}

export interface ServiceDeployment {
  arn: string;
  service: Service;
  /** The scheduler's deployment that carries the target revision. */
  deployment: Deployment;
  /** The scheduler's deployment a rolling rollback started (a native rollback needs none). */
  rollbackDeployment?: Deployment;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  sourceRevisionArns: string[];
  targetRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  /** The configuration it deploys with, as it was when it started. */
  deploymentConfiguration: DeploymentConfiguration;
  strategy: string;
  lifecycleStage?: LifecycleStage;
  /** The hooks of the current lifecycle stage. */
  hooks: HookRun[];
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** Set when the circuit breaker failed it. */
  breakerTriggered?: boolean;
  /** Native strategies only: the traffic split (blue is the rest). */
  traffic?: TrafficWeights;
}

const TERMINAL: ServiceDeploymentStatus[] = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];
export const isFinished = (sd: ServiceDeployment) => TERMINAL.includes(sd.status);

/** ECS's ids: 19 digits for a revision, 21 url-safe characters for a service deployment. */
const revisionId = () => {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return digits;
};
const deploymentKey = () => randomBytes(16).toString('base64url').slice(0, 21);

export class ServiceDeployments {
  readonly revisions = new Map<string, ServiceRevision>();
  readonly records = new Map<string, ServiceDeployment>();
  private readonly byDeploymentId = new Map<string, ServiceDeployment>();
  /** scheduler deployment id → the revision it runs. */
  private readonly revisionOf = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly taskDefs: TaskDefinitions,
    private readonly clock: Clock,
  ) {}

  of(deployment: Deployment): ServiceDeployment | undefined {
    return this.byDeploymentId.get(deployment.id);
  }

  revisionArnOf(deploymentId: string): string | undefined {
    return this.revisionOf.get(deploymentId);
  }

  forService(service: Service): ServiceDeployment[] {
    return [...this.records.values()].filter((sd) => sd.service.uid === service.uid).sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Records what the scheduler did in its last pass: a new deployment starts a service deployment
   * (and stops one still in progress, which it supersedes); a rollback deployment belongs to the
   * service deployment it rolls back; rolling outcomes become statuses.
   */
  sync(service: Service): void {
    for (const d of [...service.deployments].reverse()) {
      if (this.revisionOf.has(d.id)) continue;
      const rolledBack = d.rollbackOf ? [...this.byDeploymentId.values()].find((sd) => sd.deployment.id === d.rollbackOf) : undefined;
      if (rolledBack) this.attachRollback(rolledBack, d, rolledBack.deployment.rolloutStateReason);
      else this.begin(service, d);
    }
    for (const sd of this.forService(service)) if (!sd.traffic) this.followRolling(sd);
  }

  private begin(service: Service, d: Deployment): ServiceDeployment {
    const now = this.clock.now();
    const revision = this.newRevision(service, d);
    this.revisionOf.set(d.id, revision.arn);
    const sources = service.deployments
      .filter((other) => other !== d && other.status !== 'INACTIVE')
      .map((other) => this.revisionOf.get(other.id))
      .filter((arn): arn is string => arn !== undefined);
    const [, , , region, account] = service.arn.split(':');
    const sd: ServiceDeployment = {
      arn: `arn:aws:ecs:${region}:${account}:service-deployment/${service.cluster}/${service.name}/${deploymentKey()}`,
      service,
      deployment: d,
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      sourceRevisionArns: [...new Set(sources)],
      targetRevisionArn: revision.arn,
      status: 'IN_PROGRESS',
      deploymentConfiguration: structuredClone(service.deploymentConfiguration),
      strategy: String(service.deploymentConfiguration.strategy ?? 'ROLLING'),
      hooks: [],
    };
    for (const older of this.forService(service)) {
      if (older.status === 'IN_PROGRESS' || older.status === 'PENDING') {
        this.finish(older, 'STOPPED', `Service deployment stopped: superseded by ${sd.arn}.`);
        older.stoppedAt = now;
      }
    }
    this.records.set(sd.arn, sd);
    this.byDeploymentId.set(d.id, sd);
    return sd;
  }

  private newRevision(service: Service, d: Deployment): ServiceRevision {
    const [, , , region, account] = service.arn.split(':');
    let images: ServiceRevision['containerImages'] = [];
    try {
      images = containerViews(this.taskDefs.resolve(d.taskDefinition)).map((v) => ({ containerName: v.name, image: v.image }));
    } catch {
      // A deregistered-and-gone task definition still makes a revision, without images.
    }
    const revision: ServiceRevision = {
      arn: `arn:aws:ecs:${region}:${account}:service-revision/${service.cluster}/${service.name}/${revisionId()}`,
      serviceUid: service.uid,
      serviceArn: service.arn,
      clusterArn: clusterArn(this.store.account, service.cluster),
      taskDefinition: d.taskDefinition,
      loadBalancers: structuredClone(service.loadBalancers),
      containerImages: images,
      createdAt: this.clock.now(),
      ...(service.launchType ? { launchType: service.launchType } : {}),
    };
    const targetGroupArn = d.targetGroupArn ?? service.loadBalancers[0]?.targetGroupArn;
    if (targetGroupArn) revision.targetGroupArn = targetGroupArn;
    this.revisions.set(revision.arn, revision);
    return revision;
  }

  /** A rolling rollback: the scheduler's new deployment of the source revision belongs to `sd`. */
  attachRollback(sd: ServiceDeployment, rollback: Deployment, reason: string): void {
    const source = sd.sourceRevisionArns[0] ?? sd.targetRevisionArn;
    this.revisionOf.set(rollback.id, source);
    this.byDeploymentId.set(rollback.id, sd);
    sd.rollbackDeployment = rollback;
    this.startRollback(sd, reason);
  }

  startRollback(sd: ServiceDeployment, reason: string): void {
    const now = this.clock.now();
    sd.status = 'ROLLBACK_IN_PROGRESS';
    sd.statusReason = reason;
    sd.rollback = { reason, startedAt: now, serviceRevisionArn: sd.sourceRevisionArns[0] ?? sd.targetRevisionArn };
    sd.updatedAt = now;
  }

  finish(sd: ServiceDeployment, status: ServiceDeploymentStatus, reason?: string): void {
    const now = this.clock.now();
    sd.status = status;
    if (reason !== undefined) sd.statusReason = reason;
    if (status === 'STOPPED') sd.stoppedAt = now;
    else sd.finishedAt = now;
    sd.updatedAt = now;
  }

  private followRolling(sd: ServiceDeployment): void {
    const d = sd.deployment;
    if (d.rolloutState === 'FAILED' && d.rolloutStateReason.includes('circuit breaker')) sd.breakerTriggered = true;
    if (sd.status === 'IN_PROGRESS') {
      if (d.rolloutState === 'COMPLETED') this.finish(sd, 'SUCCESSFUL', 'Service deployment completed.');
      // "The rollback option is not in use for the failure detection mechanism and the service fails."
      else if (d.rolloutState === 'FAILED' && !sd.rollbackDeployment) this.finish(sd, 'STOPPED', d.rolloutStateReason);
    } else if (sd.status === 'ROLLBACK_IN_PROGRESS' && sd.rollbackDeployment) {
      if (sd.rollbackDeployment.rolloutState === 'COMPLETED') this.finish(sd, 'ROLLBACK_SUCCESSFUL');
      else if (sd.rollbackDeployment.rolloutState === 'FAILED') this.finish(sd, 'ROLLBACK_FAILED', sd.rollbackDeployment.rolloutStateReason);
    } else if (sd.status === 'STOP_REQUESTED') {
      this.finish(sd, 'STOPPED');
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  private summary(sd: ServiceDeployment, revisionArn: string, target: boolean) {
    const tasks = this.store.tasksOf(sd.service).filter((t) => t.deploymentId && this.revisionOf.get(t.deploymentId) === revisionArn);
    const live = (t: Task) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED';
    const running = tasks.filter((t) => live(t) && t.lastStatus === 'RUNNING').length;
    const pending = tasks.filter((t) => live(t) && t.lastStatus !== 'RUNNING').length;
    const rolledBack = sd.status.startsWith('ROLLBACK');
    const requested = isFinished(sd) ? running : target ? (rolledBack ? 0 : sd.service.desiredCount) : running + pending;
    const weights = sd.traffic
      ? {
          requestedTestTrafficWeight: target ? sd.traffic.testGreen : 100 - sd.traffic.testGreen,
          requestedProductionTrafficWeight: target ? sd.traffic.productionGreen : 100 - sd.traffic.productionGreen,
        }
      : {};
    return { arn: revisionArn, requestedTaskCount: requested, runningTaskCount: running, pendingTaskCount: pending, ...weights };
  }

  render(sd: ServiceDeployment) {
    const cfg = sd.deploymentConfiguration;
    const breaker = cfg.deploymentCircuitBreaker as DeploymentConfiguration['deploymentCircuitBreaker'] & {
      thresholdConfiguration?: Parameters<typeof breakerThreshold>[1];
    };
    const alarms = cfg.alarms as { alarmNames?: string[]; enable?: boolean } | undefined;
    const monitor = (enabled: boolean, triggered: boolean) =>
      !enabled ? 'DISABLED' : triggered ? 'TRIGGERED' : isFinished(sd) ? 'MONITORING_COMPLETE' : 'MONITORING';
    const triggeredAlarms = sd.deployment.triggeredAlarms ?? [];
    const opt = (key: string, ms: number | undefined) => (ms === undefined ? {} : { [key]: s(ms) });
    return {
      serviceDeploymentArn: sd.arn,
      serviceArn: sd.service.arn,
      clusterArn: clusterArn(this.store.account, sd.service.cluster),
      createdAt: s(sd.createdAt),
      ...opt('startedAt', sd.startedAt),
      ...opt('finishedAt', sd.finishedAt),
      ...opt('stoppedAt', sd.stoppedAt),
      updatedAt: s(sd.updatedAt),
      sourceServiceRevisions: sd.sourceRevisionArns.map((arn) => this.summary(sd, arn, false)),
      targetServiceRevision: this.summary(sd, sd.targetRevisionArn, true),
      status: sd.status,
      ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
      ...(sd.lifecycleStage ? { lifecycleStage: sd.lifecycleStage } : {}),
      ...(sd.hooks.length > 0
        ? {
            lifecycleHookDetails: sd.hooks.map((h) => ({
              hookId: h.hookId,
              targetType: h.targetType,
              ...(h.targetArn ? { targetArn: h.targetArn } : {}),
              status: h.status,
              expiresAt: s(h.expiresAt),
              timeoutAction: h.timeoutAction,
            })),
          }
        : {}),
      deploymentConfiguration: cfg,
      ...(sd.rollback
        ? { rollback: { reason: sd.rollback.reason, startedAt: s(sd.rollback.startedAt), serviceRevisionArn: sd.rollback.serviceRevisionArn } }
        : {}),
      deploymentCircuitBreaker: {
        status: monitor(breaker.enable, sd.breakerTriggered === true),
        failureCount: sd.deployment.failedTasks,
        threshold: breakerThreshold(sd.service.desiredCount, breaker.thresholdConfiguration),
      },
      ...(alarms
        ? {
            alarms: {
              status: monitor(alarms.enable === true, triggeredAlarms.length > 0),
              alarmNames: alarms.alarmNames ?? [],
              triggeredAlarmNames: triggeredAlarms,
            },
          }
        : {}),
    };
  }

  brief(sd: ServiceDeployment) {
    return {
      serviceDeploymentArn: sd.arn,
      serviceArn: sd.service.arn,
      clusterArn: clusterArn(this.store.account, sd.service.cluster),
      createdAt: s(sd.createdAt),
      ...(sd.startedAt !== undefined ? { startedAt: s(sd.startedAt) } : {}),
      ...(sd.finishedAt !== undefined ? { finishedAt: s(sd.finishedAt) } : {}),
      targetServiceRevisionArn: sd.targetRevisionArn,
      status: sd.status,
      ...(sd.statusReason ? { statusReason: sd.statusReason } : {}),
    };
  }

  renderRevision(r: ServiceRevision) {
    return {
      serviceRevisionArn: r.arn,
      serviceArn: r.serviceArn,
      clusterArn: r.clusterArn,
      taskDefinition: r.taskDefinition,
      ...(r.launchType ? { launchType: r.launchType } : {}),
      loadBalancers: r.loadBalancers,
      serviceRegistries: [],
      containerImages: r.containerImages,
      guardDutyEnabled: false,
      createdAt: s(r.createdAt),
      ...(r.targetGroupArn
        ? {
            resolvedConfiguration: {
              loadBalancers: [
                {
                  targetGroupArn: r.targetGroupArn,
                  ...(r.loadBalancers[0]?.advancedConfiguration?.productionListenerRule
                    ? { productionListenerRule: r.loadBalancers[0].advancedConfiguration.productionListenerRule }
                    : {}),
                },
              ],
            },
          }
        : {}),
    };
  }

  /** DescribeServices' `currentServiceDeployment` and `currentServiceRevisions`. */
  serviceFields(service: Service) {
    const current = this.forService(service)[0];
    if (!current) return {};
    const live = this.store.tasksOf(service).filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED');
    const revisions = new Map<string, Task[]>();
    for (const d of service.deployments) {
      const arn = this.revisionOf.get(d.id);
      if (arn && !revisions.has(arn)) revisions.set(arn, []);
    }
    for (const t of live) {
      const arn = t.deploymentId ? this.revisionOf.get(t.deploymentId) : undefined;
      if (arn) revisions.set(arn, [...(revisions.get(arn) ?? []), t]);
    }
    return {
      currentServiceDeployment: current.arn,
      currentServiceRevisions: [...revisions].map(([arn, tasks]) => ({
        arn,
        requestedTaskCount: arn === this.revisionOf.get(service.deployments[0]?.id ?? '') ? service.desiredCount : tasks.length,
        runningTaskCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
        pendingTaskCount: tasks.filter((t) => t.lastStatus !== 'RUNNING').length,
      })),
    };
  }
}
