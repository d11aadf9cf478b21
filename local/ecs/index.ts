/**
 * The local ECS emulator: an HTTP endpoint that the unmodified @aws-sdk/client-ecs,
 * @aws-sdk/client-ecr, -cloudwatch, -cloudwatch-logs and -elastic-load-balancing-v2 talk to
 * (select it with `endpoint` or AWS_ENDPOINT_URL_ECS/_ECR/…), a
 * rolling-update scheduler with circuit breaker and load balancers, and tasks that are either
 * simulated (scripted per image, on a sped-up clock) or real Docker containers.
 *
 *   const ecs = await startLocalEcs({ mode: 'simulated', timeScale: 20 });
 *   ecs.simulate('repo/app:bad', { exitCode: 1, exitAfterMs: 500 });
 *   const client = new ECSClient({ endpoint: ecs.endpoint, region: ecs.region, credentials: ecs.credentials });
 *   ...
 *   await ecs.stop();
 */
import { scaledClock, type Clock } from './clock.js';
import { CLOUDWATCH_PREFIX, CloudWatch } from './cloudwatch.js';
import { EcrApi, type RegistryConfig } from './ecr.js';
import { EcsApi } from './ecs-api.js';
import { ELBV2_VERSION, ElasticLoadBalancingV2 } from './elbv2.js';
import { FaultInjector, type FaultCounts, type FaultOptions } from './faults.js';
import { awslogsDriver, CloudWatchLogs, LOGS_PREFIX } from './logs.js';
import { RunTaskApi } from './run-task.js';
import { HookFunctions, type HookFunction } from './lifecycle-hooks.js';
import { NativeStrategies } from './native-strategies.js';
import { ServiceDeploymentApi } from './service-deployment-api.js';
import { ServiceDeployments } from './service-deployments.js';
import type { TargetGroupHealthCheck } from './load-balancer.js';
import { DeploymentAlarms } from './deployment-alarms.js';
import { defaultHealthCheck } from './load-balancer.js';
import { elbDimensions, MetricStore, publishElbRequests } from './metrics.js';
import { SimulatedRunner, type SimulatedBehaviour } from './runners/simulated.js';
import type { TaskRunner } from './runners/types.js';
import { Scheduler, schedulerDefaults, targetGroupOf, type TaskChangeListener } from './scheduler.js';
import { ECR_PREFIX, ECS_PREFIX, startServer } from './server.js';
import { SimulatedTraffic } from './simulated-traffic.js';
import { Store, type Service, type Task } from './state.js';
import { TaskDefinitions } from './task-definitions.js';

export type { SimulatedBehaviour } from './runners/simulated.js';
export type { TargetGroupHealthCheck } from './load-balancer.js';
export type { RegistryConfig } from './ecr.js';
export type { FaultOptions, FaultCounts } from './faults.js';
export type { HookFunction, HookInvocation, HookResponse } from './lifecycle-hooks.js';
export type { Task, Service } from './state.js';
export type { MetricAlarm, AlarmState } from './cloudwatch.js';
export { breakerThreshold, failureThreshold } from './scheduler.js';

export interface LocalEcsOptions {
  /** 'simulated' (default): scripted tasks, no containers. 'docker': real containers and load balancers. */
  mode?: 'simulated' | 'docker';
  /** Port of the API endpoint on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Emulated ms per real ms: 10 runs everything ten times faster. Default 1. */
  timeScale?: number;
  region?: string;
  accountId?: string;
  /** The registry ECR stands for (GetAuthorizationToken / DescribeImages, docker-mode pulls). */
  registry?: RegistryConfig;
  /** Target-group deregistration delay in emulated ms (ELB's default is 300 000). Default 5 000. */
  deregistrationDelayMs?: number;
  /** Default target-group health check (emulated ms); per target group see configureTargetGroup. */
  healthCheck?: Partial<TargetGroupHealthCheck>;
  /**
   * How long one minute of a native strategy's bakes lasts (canaryBakeTimeInMinutes,
   * stepBakeTimeInMinutes, bakeTimeInMinutes), in emulated ms. Default 60 000, as on ECS. The API
   * takes whole minutes; docker mode runs at real time because its containers do, so a test that
   * needs a bake to happen but not to last a minute shortens only this (the demo's e2e test).
   */
  bakeMinuteMs?: number;
  /** Emulated ms between scheduler passes. Default 200. */
  tickMs?: number;
  /** Simulated mode: the behaviour of images no simulate() rule matches. */
  defaultBehaviour?: SimulatedBehaviour;
  /** Inject API faults (throttling, 5xx, dropped connections, slow answers); see faults.ts. */
  faults?: FaultOptions;
  /** Called with one line per API call (for the CLI's log). */
  log?: (line: string) => void;
  /**
   * Simulated mode: requests per (emulated) second each load balancer gets, spread over its
   * healthy targets and answered as their behaviour's `errorRate` says. Default 20; 0: none.
   */
  simulatedRequestsPerSecond?: number;
}

export interface LocalEcs {
  /** http://127.0.0.1:PORT — the endpoint for both ECS and ECR clients. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly mode: 'simulated' | 'docker';
  /** Dummy credentials; the emulator does not check signatures. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly clock: Clock;
  /** Environment variables that point the SDK (and the actions' bundles) at this emulator. */
  env(): Record<string, string>;
  /**
   * Simulated mode: script tasks whose image matches (`*` wildcards or a RegExp). Later rules win.
   * With `command`, only tasks whose essential container runs exactly that command (e.g. a RunTask
   * override: a migration of the same image the service runs).
   */
  simulate(imagePattern: string | RegExp, behaviour: SimulatedBehaviour, command?: readonly string[]): void;
  /**
   * Makes a target group a service names not exist for ELBv2's DescribeTargetGroups from now on
   * (one deleted outside the deploy); the service keeps naming it. Target groups exist otherwise
   * once a service names them (elbv2.ts).
   */
  deleteTargetGroup(targetGroupArn: string): void;
  /** Health check settings of one target group (by the targetGroupArn the service uses). */
  configureTargetGroup(targetGroupArn: string, healthCheck: Partial<TargetGroupHealthCheck>): void;
  /** Docker mode: the URL of the service's load balancer (fixed for the service's life). */
  loadBalancerUrl(cluster: string, service: string): string;
  /** Listen to every task state change (e.g. to assert invariants during a rollout). */
  onTaskChange(listener: TaskChangeListener): () => void;
  /** The emulator's view of a service's tasks (for assertions; clients should use the API). */
  tasks(cluster: string, service: string): Task[];
  service(cluster: string, service: string): Service | undefined;
  /**
   * Stops one RUNNING task of the service the way AWS does, not through the task's fault: a Spot
   * interruption or Fargate maintenance (the newest running task of `deploymentId` when given).
   * Returns the stopped task's id.
   */
  interrupt(cluster: string, service: string, kind: 'spot' | 'maintenance', deploymentId?: string): string;
  /**
   * The CloudWatch dimensions under which the service's load balancer publishes its
   * AWS/ApplicationELB metrics: `TargetGroup` (targetgroup/name/id) and `LoadBalancer` (app/name/id).
   */
  elbDimensions(cluster: string, service: string): { TargetGroup: string; LoadBalancer: string };
  /** The emulator's CloudWatch (alarms, evaluation), for assertions; clients use the API. */
  readonly cloudwatch: CloudWatch;
  /**
   * Answers the AWS_LAMBDA lifecycle hooks whose hookTargetArn is `functionArn` (no Lambda runs
   * here): the function gets ECS's hook payload and returns { hookStatus: SUCCEEDED | FAILED |
   * IN_PROGRESS, callBackDelay?, hookDetails? }. A hook whose ARN has no function fails.
   */
  hook(functionArn: string, fn: HookFunction): void;
  /** Docker mode: the URL of the service's test listener (services with an alternate target group). */
  testListenerUrl(cluster: string, service: string): string;
  /** Where the service's traffic goes now: green's share of production and test traffic (0..100). */
  traffic(cluster: string, service: string): { productionGreen: number; testGreen: number; productionTargetGroup?: string; greenTargetGroup?: string };
  /** Changes the injected faults from now on (`{}` stops injecting). */
  setFaults(faults: FaultOptions): void;
  /** Calls seen and faults injected so far (all zero without `faults`). */
  faultCounts(): FaultCounts;
  /** Stops every task, container and load balancer, then the endpoint. */
  stop(): Promise<void>;
}

export async function startLocalEcs(options: LocalEcsOptions = {}): Promise<LocalEcs> {
  const mode = options.mode ?? 'simulated';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const clock = scaledClock(options.timeScale ?? 1);
  if (options.bakeMinuteMs !== undefined && !(options.bakeMinuteMs > 0 && Number.isFinite(options.bakeMinuteMs))) {
    throw new Error(`bakeMinuteMs must be a positive number of emulated ms, got ${options.bakeMinuteMs}`);
  }
  const store = new Store({ region, accountId });
  const taskDefs = new TaskDefinitions(store, () => clock.now());

  let runner: TaskRunner;
  let simulated: SimulatedRunner | undefined;
  if (mode === 'docker') {
    if (!options.registry) throw new Error('docker mode needs `registry` (host, username, password) to pull images');
    const { DockerRunner } = await import('./runners/docker.js');
    runner = await DockerRunner.create(options.registry, clock);
  } else {
    simulated = new SimulatedRunner(clock, options.defaultBehaviour);
    runner = simulated;
  }

  const schedulerOptions = schedulerDefaults(mode === 'docker');
  schedulerOptions.tickMs = options.tickMs ?? schedulerOptions.tickMs;
  schedulerOptions.deregistrationDelayMs = options.deregistrationDelayMs ?? schedulerOptions.deregistrationDelayMs;
  schedulerOptions.healthCheck = { ...defaultHealthCheck, ...(options.healthCheck ?? {}) };
  const metrics = new MetricStore();
  schedulerOptions.onLoadBalancerRequest = (arn, served) => publishElbRequests(metrics, arn, clock.now(), served);
  const cloudwatch = new CloudWatch(metrics, clock, region, accountId);
  const scheduler = new Scheduler(store, taskDefs, runner, clock, schedulerOptions);
  const deploymentAlarms = new DeploymentAlarms(store, scheduler, cloudwatch, clock, schedulerOptions.tickMs);
  schedulerOptions.holdCompletion = (service, deployment) => deploymentAlarms.holdCompletion(service, deployment);
  const logs = new CloudWatchLogs(() => clock.now());
  scheduler.logDriver = awslogsDriver(logs, taskDefs);
  const runTaskApi = new RunTaskApi(store, taskDefs, scheduler, clock);
  const serviceDeployments = new ServiceDeployments(store, taskDefs, clock);
  const hookFunctions = new HookFunctions(() => clock.now());
  const native = new NativeStrategies(store, serviceDeployments, hookFunctions, clock, options.bakeMinuteMs);
  scheduler.useNativeStrategies(native);
  deploymentAlarms.native = native;
  const ecsApi = new EcsApi(store, taskDefs, scheduler, clock, serviceDeployments);
  const deploymentApi = new ServiceDeploymentApi(store, serviceDeployments, native, scheduler);
  const ecrApi = new EcrApi(options.registry, accountId, () => clock.now());
  const elbv2 = new ElasticLoadBalancingV2(store, (arn) => ({ ...schedulerOptions.healthCheck, ...(schedulerOptions.targetGroups.get(arn) ?? {}) }));

  const faults = new FaultInjector(options.faults);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(
      {
        [ECS_PREFIX]: { ...ecsApi.handlers(), ...deploymentApi.handlers(), ...runTaskApi.handlers((task) => ecsApi.renderTask(task, false)) },
        [ECR_PREFIX]: ecrApi.handlers(),
        [LOGS_PREFIX]: logs.handlers(),
        [CLOUDWATCH_PREFIX]: cloudwatch.handlers(),
      },
      options.port ?? 0,
      options.log,
      faults,
      { [ELBV2_VERSION]: { iamPrefix: 'elasticloadbalancing', handlers: elbv2.handlers() } },
    );
  } catch (e) {
    await runner.close();
    throw e;
  }
  scheduler.start();
  cloudwatch.start();
  deploymentAlarms.start();
  const traffic = simulated
    ? new SimulatedTraffic({
        clock,
        metrics,
        requestsPerSecond: options.simulatedRequestsPerSecond ?? 20,
        loadBalancers: () => [...store.services.values()].flatMap((s) => scheduler.loadBalancer(s) ?? []),
        behaviourOfTask: (id) => simulated.behaviourOfTask(id),
      })
    : undefined;
  traffic?.start();
  if (traffic) cloudwatch.bringDataUpToNow = () => traffic.catchUp();
  deploymentAlarms.catchUp = () => cloudwatch.evaluateDue();

  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const findService = (cluster: string, name: string) => store.service(cluster, name);
  let stopping: Promise<void> | undefined;

  return {
    endpoint: server.endpoint,
    region,
    accountId,
    mode,
    credentials,
    clock,
    env: () => ({
      AWS_ENDPOINT_URL_ECS: server.endpoint,
      AWS_ENDPOINT_URL_ECR: server.endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: server.endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: server.endpoint,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: server.endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    }),
    simulate(pattern, behaviour, command) {
      if (!simulated) throw new Error('simulate() is for simulated mode; docker mode runs the real images');
      simulated.simulate(pattern, behaviour, command);
    },
    deleteTargetGroup: (arn) => elbv2.deleteTargetGroup(arn),
    configureTargetGroup(arn, healthCheck) {
      schedulerOptions.targetGroups.set(arn, { ...(schedulerOptions.targetGroups.get(arn) ?? {}), ...healthCheck });
    },
    loadBalancerUrl(cluster, name) {
      const service = findService(cluster, name);
      const url = service ? scheduler.loadBalancer(service)?.url : undefined;
      if (!url) throw new Error(`no load balancer for service ${cluster}/${name} (docker mode and a service with loadBalancers only)`);
      return url;
    },
    hook: (arn, fn) => hookFunctions.register(arn, fn),
    testListenerUrl(cluster, name) {
      const service = findService(cluster, name);
      const url = service ? scheduler.testListenerUrl(service) : undefined;
      if (!url) throw new Error(`no test listener for service ${cluster}/${name} (docker mode and a load balancer with advancedConfiguration only)`);
      return url;
    },
    traffic(cluster, name) {
      const service = findService(cluster, name);
      if (!service) throw new Error(`no service ${cluster}/${name}`);
      return native.traffic(service);
    },
    onTaskChange: (listener) => scheduler.onTaskChange(listener),
    tasks(cluster, name) {
      const service = findService(cluster, name);
      return service ? store.tasksOf(service) : [];
    },
    service: findService,
    cloudwatch,
    elbDimensions(cluster, name) {
      const service = findService(cluster, name);
      if (!service || service.loadBalancers.length === 0) throw new Error(`service ${cluster}/${name} has no load balancer`);
      return elbDimensions(targetGroupOf(service));
    },
    faultCounts: () => ({ ...faults.counts }),
    setFaults: (options) => faults.configure(options),
    interrupt(cluster, name, kind, deploymentId) {
      const service = findService(cluster, name);
      const task = (service ? store.tasksOf(service) : [])
        .filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING' && (!deploymentId || t.deploymentId === deploymentId))
        .sort((a, b) => b.createdAt - a.createdAt)[0];
      if (!task) throw new Error(`no RUNNING task of ${cluster}/${name}${deploymentId ? ` in ${deploymentId}` : ''} to interrupt`);
      scheduler.interruptTask(task, kind);
      return task.id;
    },
    stop() {
      stopping ??= (async () => {
        await server.close();
        traffic?.close();
        cloudwatch.close();
        deploymentAlarms.close();
        await scheduler.close();
        await runner.close();
      })();
      return stopping;
    },
  };
}
