/**
 * The emulator's state: clusters, task definitions, services with their deployments and events,
 * tasks, and tags. Plain data kept in memory for the life of the emulator; the scheduler and the
 * API handlers mutate it, the wire layer renders it (see render.ts).
 */
import type { Account } from './ids.js';

export type Tag = { key: string; value: string };

export interface Cluster {
  name: string;
  arn: string;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  settings: unknown[];
  configuration?: unknown;
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  registeredAt: number;
  deregisteredAt?: number;
  /** Everything the client sent, kept verbatim (including fields the SDK model may not know). */
  raw: Record<string, unknown>;
}

export interface ContainerDefinitionView {
  name: string;
  image: string;
  essential: boolean;
  environment: { name: string; value: string }[];
  portMappings: { containerPort: number; hostPort?: number; protocol?: string }[];
  command?: string[];
  entryPoint?: string[];
  healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  /** Its mountPoints of task-definition volumes with `host.sourcePath` (bind mounts of a host directory). */
  hostMounts: { sourcePath: string; containerPath: string; readOnly: boolean }[];
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** Set when this deployment was created by a circuit-breaker rollback. */
  rollbackOf?: string;
  /** The service-managed EBS volumes its tasks get (UpdateService's volumeConfigurations). */
  volumeConfigurations?: Record<string, unknown>[];
  /** The target group its tasks register in (native strategies put green in the other one). */
  targetGroupArn?: string;
  /** The deployment alarms that failed it (deployment-alarms.ts), for its service deployment's triggeredAlarmNames. */
  triggeredAlarms?: string[];
}

export interface ServiceLoadBalancer {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName: string;
  containerPort: number;
  /** Blue/green settings (alternate target group, listener rules), kept as given. */
  advancedConfiguration?: { alternateTargetGroupArn?: string; productionListenerRule?: string; testListenerRule?: string; roleArn?: string };
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface DeploymentConfiguration {
  maximumPercent: number;
  minimumHealthyPercent: number;
  deploymentCircuitBreaker: { enable: boolean; rollback: boolean };
  [extra: string]: unknown;
}

export interface Service {
  /** Distinguishes a re-created service from the INACTIVE one of the same name. */
  uid: string;
  name: string;
  arn: string;
  cluster: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  deploymentConfiguration: DeploymentConfiguration;
  deploymentController: { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' };
  deployments: Deployment[];
  loadBalancers: ServiceLoadBalancer[];
  events: ServiceEvent[];
  createdAt: number;
  launchType?: string;
  healthCheckGracePeriodSeconds?: number;
  enableECSManagedTags?: boolean;
  propagateTags?: 'NONE' | 'SERVICE' | 'TASK_DEFINITION';
  /** Fields of CreateService the emulator does not act on, echoed back as given. */
  extra: Record<string, unknown>;
  /** The last deployment that COMPLETED: what a circuit-breaker rollback returns to, even once
   *  that deployment has drained out of the `deployments` list. */
  lastCompleted?: { id: string; taskDefinition: string };
  /** Whether the last reconcile found the service steady (to log "reached a steady state" once). */
  steady: boolean;
}

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';
export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

export interface Container {
  name: string;
  image: string;
  containerArn: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  healthStatus: HealthStatus;
  exitCode?: number;
  reason?: string;
  networkBindings: { bindIP: string; containerPort: number; hostPort: number; protocol: string }[];
}

/** Where a task stands with its service's load balancer. */
export type TargetState = 'none' | 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'deregistered';

export interface Task {
  id: string;
  arn: string;
  cluster: string;
  taskDefinitionArn: string;
  startedBy?: string;
  group: string;
  /** The service and deployment this task belongs to, when a service started it. */
  serviceName?: string;
  serviceUid?: string;
  deploymentId?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: HealthStatus;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  containers: Container[];
  /** Whether the task definition declares a container health check (else health is UNKNOWN). */
  hasContainerHealthCheck: boolean;
  essentialContainers: string[];
  target: TargetState;
  launchType?: string;
  /** Set when the task's stop counts as a failure of its deployment. */
  failed?: boolean;
  /** RunTask's `overrides`, echoed by DescribeTasks. */
  overrides?: Record<string, unknown>;
  /** The target group it is (or will be) registered in, when not the service's first one. */
  targetGroupArn?: string;
}

export class Store {
  readonly clusters = new Map<string, Cluster>();
  /** family → revisions in order (index = revision - 1). */
  readonly taskDefinitions = new Map<string, TaskDefinition[]>();
  /** `${cluster}/${service}` → the latest service of that name (INACTIVE ones are replaced on re-create). */
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  /** ARN → tags. */
  readonly tags = new Map<string, Tag[]>();

  constructor(readonly account: Account) {}

  service(cluster: string, name: string): Service | undefined {
    return this.services.get(`${cluster}/${name}`);
  }

  tasksOf(service: Service): Task[] {
    return [...this.tasks.values()].filter((t) => t.serviceUid === service.uid);
  }
}
