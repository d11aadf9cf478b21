/**
 * The ECS operations: validate input as ECS does, act on the store / scheduler, render answers
 * in ECS's shapes (timestamps as epoch seconds, ARNs in ECS's format).
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from './clock.js';
import { clusterArn, nameFromArnOrName, serviceArn } from './ids.js';
import type { Scheduler } from './scheduler.js';
import type { ServiceDeployments } from './service-deployments.js';
import { validateNativeStrategy } from './strategy-validation.js';
import { readDeploymentConfiguration } from './deployment-configuration.js';
import { readServiceSettings, readVolumeConfigurations } from './service-settings.js';
import type { Cluster, Deployment, Service, ServiceLoadBalancer, Store, Task } from './state.js';
import { readTags, tagResource, untagResource } from './tags.js';
import { containerViews, taskDefinitionToWire, type TaskDefinitions } from './task-definitions.js';
import { AwsError, bool, epochSeconds, errors, int, obj, objList, paginate, requireStr, str, strList, type Handler } from './wire.js';

const s = epochSeconds;

export class EcsApi {
  constructor(
    private readonly store: Store,
    private readonly taskDefs: TaskDefinitions,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly serviceDeployments?: ServiceDeployments,
  ) {}

  /** Operation name → handler, as dispatched on `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<name>`. */
  handlers(): Record<string, Handler> {
    return {
      CreateCluster: (i) => this.createCluster(i),
      DescribeClusters: (i) => this.describeClusters(i),
      ListClusters: (i) => this.listClusters(i),
      RegisterTaskDefinition: (i) => this.registerTaskDefinition(i),
      DescribeTaskDefinition: (i) => this.describeTaskDefinition(i),
      ListTaskDefinitions: (i) => this.taskDefs.list(i),
      DeregisterTaskDefinition: (i) => ({ taskDefinition: taskDefinitionToWire(this.taskDefs.deregister(requireStr(i, 'taskDefinition', 'client'))) }),
      TagResource: (i) => this.tagResource(i),
      UntagResource: (i) => this.untagResource(i),
      ListTagsForResource: (i) => ({ tags: this.store.tags.get(this.resourceArn(i, 'list')) ?? [] }),
      CreateService: (i) => this.createService(i),
      UpdateService: (i) => this.updateService(i),
      DescribeServices: (i) => this.describeServices(i),
      ListServices: (i) => this.listServices(i),
      DeleteService: (i) => this.deleteService(i),
      ListTasks: (i) => this.listTasks(i),
      DescribeTasks: (i) => this.describeTasks(i),
      StopTask: (i) => this.stopTask(i),
    };
  }

  // ---- clusters ----------------------------------------------------------------------------------

  private cluster(input: Record<string, unknown>): Cluster {
    const ref = str(input, 'cluster') ?? 'default';
    const cluster = this.store.clusters.get(nameFromArnOrName(ref));
    if (cluster?.status !== 'ACTIVE') throw errors.clusterNotFound();
    return cluster;
  }

  private createCluster(input: Record<string, unknown>) {
    const name = str(input, 'clusterName') ?? 'default';
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw errors.invalidParameter('Cluster name must be between 1 and 255 characters and contain only letters, numbers, hyphens and underscores.');
    }
    let cluster = this.store.clusters.get(name);
    // CreateCluster is idempotent in ECS: an existing ACTIVE cluster is returned as it is.
    if (cluster?.status !== 'ACTIVE') {
      cluster = {
        name,
        arn: clusterArn(this.store.account, name),
        status: 'ACTIVE',
        createdAt: this.clock.now(),
        settings: objList(input, 'settings') ?? [{ name: 'containerInsights', value: 'disabled' }],
        ...(input.configuration !== undefined ? { configuration: input.configuration } : {}),
      };
      this.store.clusters.set(name, cluster);
    }
    const tags = readTags(input, 'tags');
    if (tags) tagResource(this.store, cluster.arn, tags);
    return { cluster: this.renderCluster(cluster, true) };
  }

  private describeClusters(input: Record<string, unknown>) {
    const refs = strList(input, 'clusters') ?? ['default'];
    const withTags = (strList(input, 'include') ?? []).includes('TAGS');
    const clusters = [];
    const failures = [];
    for (const ref of refs) {
      const cluster = this.store.clusters.get(nameFromArnOrName(ref));
      if (cluster) clusters.push(this.renderCluster(cluster, withTags));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : clusterArn(this.store.account, ref), reason: 'MISSING' });
    }
    return { clusters, failures };
  }

  private listClusters(input: Record<string, unknown>) {
    const arns = [...this.store.clusters.values()].filter((c) => c.status === 'ACTIVE').map((c) => c.arn);
    const { page, nextToken } = paginate(arns, input);
    return { clusterArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  private renderCluster(cluster: Cluster, withTags: boolean) {
    const tasks = [...this.store.tasks.values()].filter((t) => t.cluster === cluster.name);
    return {
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: cluster.status,
      registeredContainerInstancesCount: 0,
      runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter((t) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus)).length,
      activeServicesCount: [...this.store.services.values()].filter((sv) => sv.cluster === cluster.name && sv.status === 'ACTIVE').length,
      statistics: [],
      settings: cluster.settings,
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
      ...(cluster.configuration !== undefined ? { configuration: cluster.configuration } : {}),
      ...(withTags ? { tags: this.store.tags.get(cluster.arn) ?? [] } : {}),
    };
  }

  // ---- task definitions --------------------------------------------------------------------------

  private registerTaskDefinition(input: Record<string, unknown>) {
    const { taskDefinition, tags } = this.taskDefs.register(input);
    return { taskDefinition: taskDefinitionToWire(taskDefinition), tags };
  }

  private describeTaskDefinition(input: Record<string, unknown>) {
    const td = this.taskDefs.resolve(requireStr(input, 'taskDefinition', 'client'));
    const withTags = (strList(input, 'include') ?? []).includes('TAGS');
    return { taskDefinition: taskDefinitionToWire(td), ...(withTags ? { tags: this.store.tags.get(td.arn) ?? [] } : {}) };
  }

  // ---- tags --------------------------------------------------------------------------------------

  /**
   * The ARN of an existing resource; ECS refuses to tag what does not exist, each operation with
   * an error it declares: TagResource and UntagResource ResourceNotFoundException,
   * ListTagsForResource (which declares no such error) InvalidParameterException.
   */
  private resourceArn(input: Record<string, unknown>, operation: 'tag' | 'list' = 'tag'): string {
    const arn = requireStr(input, 'resourceArn');
    const m = /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:(cluster|service|task-definition|task|container-instance|capacity-provider)\/(.+)$/.exec(arn);
    if (!m?.[1] || !m[2]) throw errors.invalidParameter('The ARN provided is invalid.');
    const [kind, rest] = [m[1], m[2]];
    const exists =
      (kind === 'cluster' && this.store.clusters.has(rest)) ||
      (kind === 'service' && [...this.store.services.values()].some((sv) => sv.arn === arn && sv.status !== 'INACTIVE')) ||
      (kind === 'task' && [...this.store.tasks.values()].some((t) => t.arn === arn)) ||
      (kind === 'task-definition' &&
        (() => {
          try {
            return this.taskDefs.resolve(arn).arn === arn;
          } catch {
            return false;
          }
        })());
    if (!exists) {
      if (kind === 'cluster') throw errors.clusterNotFound();
      if (operation === 'tag') throw new AwsError('ResourceNotFoundException', "The specified resource wasn't found.");
      throw errors.invalidParameter('The specified resource could not be found.');
    }
    return arn;
  }

  private tagResource(input: Record<string, unknown>) {
    const arn = this.resourceArn(input);
    const tags = readTags(input, 'tags');
    if (!tags) throw errors.invalidParameter('tags can not be empty.');
    tagResource(this.store, arn, tags);
    return {};
  }

  private untagResource(input: Record<string, unknown>) {
    const arn = this.resourceArn(input);
    if (!strList(input, 'tagKeys')) throw errors.invalidParameter('tagKeys can not be empty.');
    untagResource(this.store, arn, input);
    return {};
  }

  // ---- services ----------------------------------------------------------------------------------

  private service(input: Record<string, unknown>, key = 'service'): { cluster: Cluster; service: Service } {
    const cluster = this.cluster(input);
    const ref = requireStr(input, key);
    const service = this.store.service(cluster.name, nameFromArnOrName(ref));
    if (!service) throw errors.serviceNotFound();
    return { cluster, service };
  }

  private deploymentController(input: Record<string, unknown>): { type: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL' } {
    const given = obj(input, 'deploymentController');
    const type = given ? str(given, 'type') : 'ECS';
    if (type !== 'ECS' && type !== 'CODE_DEPLOY' && type !== 'EXTERNAL') {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${String(type)}' at 'deploymentController.type' failed to satisfy constraint: Member must satisfy enum value set: [ECS, CODE_DEPLOY, EXTERNAL]`,
      );
    }
    return { type };
  }

  private desiredCount(input: Record<string, unknown>): number | undefined {
    const count = int(input, 'desiredCount');
    if (count !== undefined && count < 0) {
      throw errors.invalidParameter('Invalid value for desiredCount. desiredCount must be greater than or equal to 0.');
    }
    return count;
  }

  private loadBalancers(input: Record<string, unknown>, tdArn: string): ServiceLoadBalancer[] {
    const list = objList(input, 'loadBalancers') ?? [];
    const views = containerViews(this.taskDefs.resolve(tdArn));
    return list.map((lb) => {
      const containerName = requireStr(lb, 'containerName');
      const containerPort = int(lb, 'containerPort');
      if (containerPort === undefined) throw errors.invalidParameter('containerPort can not be blank.');
      const container = views.find((v) => v.name === containerName);
      if (!container) throw errors.invalidParameter(`The container ${containerName} does not exist in the task definition.`);
      if (!container.portMappings.some((p) => p.containerPort === containerPort)) {
        throw errors.invalidParameter(`The container ${containerName} did not have a container port ${containerPort} defined.`);
      }
      return { ...lb, containerName, containerPort } as ServiceLoadBalancer;
    });
  }

  private async createService(input: Record<string, unknown>) {
    const cluster = this.cluster(input);
    const name = requireStr(input, 'serviceName');
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw errors.invalidParameter('Service name contains invalid characters.');
    const tdRef = str(input, 'taskDefinition');
    // ECS's own wording for this one.
    if (!tdRef) throw errors.invalidParameter('Task Definition can not be blank.');
    const td = this.taskDefs.resolve(tdRef, () => errors.client('TaskDefinition not found.'));
    if (td.status !== 'ACTIVE') throw errors.client('TaskDefinition is inactive');
    const existing = this.store.service(cluster.name, name);
    if (existing && existing.status !== 'INACTIVE') throw errors.invalidParameter('Creation of service was not idempotent.');
    const desiredCount = this.desiredCount(input) ?? 0;
    const deploymentConfiguration = readDeploymentConfiguration(obj(input, 'deploymentConfiguration'));
    const deploymentController = this.deploymentController(input);
    const loadBalancers = this.loadBalancers(input, td.arn);
    const settings = readServiceSettings(input);
    const volumeConfigurations = readVolumeConfigurations(input, td);
    validateNativeStrategy(deploymentConfiguration, loadBalancers, deploymentController.type);
    const tags = readTags(input, 'tags');
    const known = new Set([
      'cluster',
      'serviceName',
      'taskDefinition',
      'desiredCount',
      'deploymentConfiguration',
      'loadBalancers',
      'tags',
      'launchType',
      'healthCheckGracePeriodSeconds',
      'clientToken',
      'deploymentController',
      'enableECSManagedTags',
      'propagateTags',
      'volumeConfigurations',
    ]);
    const extra = Object.fromEntries(Object.entries(input).filter(([k]) => !known.has(k)));
    const launchType = str(input, 'launchType');
    const gracePeriod = int(input, 'healthCheckGracePeriodSeconds');
    const service: Service = {
      uid: randomUUID(),
      name,
      arn: serviceArn(this.store.account, cluster.name, name),
      cluster: cluster.name,
      status: 'ACTIVE',
      desiredCount,
      taskDefinition: td.arn,
      deploymentConfiguration,
      deploymentController,
      deployments: [],
      loadBalancers,
      events: [],
      createdAt: this.clock.now(),
      extra,
      steady: false,
      ...(launchType ? { launchType } : {}),
      ...(gracePeriod !== undefined ? { healthCheckGracePeriodSeconds: gracePeriod } : {}),
      ...settings,
    };
    const first = this.scheduler.newDeployment(service, td.arn);
    if (volumeConfigurations) first.volumeConfigurations = volumeConfigurations;
    this.store.services.set(`${cluster.name}/${name}`, service);
    if (tags) tagResource(this.store, service.arn, tags);
    await this.scheduler.addService(service);
    return { service: this.renderService(service, false) };
  }

  private updateService(input: Record<string, unknown>) {
    const { service } = this.service(input);
    if (service.status !== 'ACTIVE') throw errors.serviceNotActive();
    const desiredCount = this.desiredCount(input);
    const tdRef = str(input, 'taskDefinition');
    const td = tdRef !== undefined ? this.taskDefs.resolve(tdRef, () => errors.client('TaskDefinition not found.')) : undefined;
    if (td && td.status !== 'ACTIVE') throw errors.client('TaskDefinition is inactive');
    const cfgInput = obj(input, 'deploymentConfiguration');
    // A given configuration replaces the stored one (see deployment-configuration.ts).
    const deploymentConfiguration = cfgInput ? readDeploymentConfiguration(cfgInput) : undefined;
    const grace = int(input, 'healthCheckGracePeriodSeconds');
    const force = bool(input, 'forceNewDeployment') ?? false;
    const settings = readServiceSettings(input);
    const volumeConfigurations = readVolumeConfigurations(input, td ?? this.taskDefs.resolve(service.taskDefinition));
    // ECS deploys a CODE_DEPLOY service through CodeDeploy and an EXTERNAL one through task sets;
    // UpdateService may only change what is not a deployment (its own answer for this case).
    const controller = service.deploymentController.type;
    if (controller !== 'ECS' && (td || cfgInput || force || volumeConfigurations)) {
      throw errors.invalidParameter(
        controller === 'CODE_DEPLOY'
          ? 'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.'
          : 'Unable to update task definition on services with a EXTERNAL deployment controller. Please use Task Set API to do it.',
      );
    }

    if (deploymentConfiguration) validateNativeStrategy(deploymentConfiguration, service.loadBalancers, controller);

    // Validated everything: now apply.
    if (deploymentConfiguration) service.deploymentConfiguration = deploymentConfiguration;
    if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
    // Neither setting starts a deployment: tasks launched from now on get them.
    Object.assign(service, settings);
    if (desiredCount !== undefined && desiredCount !== service.desiredCount) {
      service.desiredCount = desiredCount;
      service.steady = false;
    }
    const primary = service.deployments[0];
    // A volume configuration that differs from the running one starts a deployment; the same one does not.
    const volumesChanged = volumeConfigurations !== undefined && !isDeepStrictEqual(volumeConfigurations, primary?.volumeConfigurations ?? []);
    if ((td && td.arn !== primary?.taskDefinition) || force || volumesChanged) {
      const volumes = volumeConfigurations ?? primary?.volumeConfigurations;
      const deployment = this.scheduler.newDeployment(service, td?.arn ?? service.taskDefinition);
      if (volumes) deployment.volumeConfigurations = structuredClone(volumes);
    }
    this.scheduler.tick();
    return { service: this.renderService(service, false) };
  }

  private describeServices(input: Record<string, unknown>) {
    const cluster = this.cluster(input);
    const refs = strList(input, 'services');
    if (!refs || refs.length === 0) throw errors.invalidParameter('Services cannot be empty.');
    if (refs.length > 10) throw errors.invalidParameter('service names can have at most 10 items.');
    const withTags = (strList(input, 'include') ?? []).includes('TAGS');
    const services = [];
    const failures = [];
    for (const ref of refs) {
      const service = this.store.service(cluster.name, nameFromArnOrName(ref));
      if (service) services.push(this.renderService(service, withTags));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : serviceArn(this.store.account, cluster.name, ref), reason: 'MISSING' });
    }
    return { services, failures };
  }

  private listServices(input: Record<string, unknown>) {
    const cluster = this.cluster(input);
    const arns = [...this.store.services.values()].filter((sv) => sv.cluster === cluster.name && sv.status !== 'INACTIVE').map((sv) => sv.arn);
    const { page, nextToken } = paginate(arns, input, 10);
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  private deleteService(input: Record<string, unknown>) {
    const { service } = this.service(input);
    if (service.status === 'INACTIVE') throw errors.serviceNotActive();
    const force = bool(input, 'force') ?? false;
    if (service.desiredCount > 0 && !force && service.status === 'ACTIVE') {
      throw errors.invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.desiredCount = 0;
    service.status = 'DRAINING';
    this.scheduler.tick();
    return { service: this.renderService(service, false) };
  }

  renderService(service: Service, withTags: boolean) {
    const tasks = this.store.tasksOf(service);
    const running = (ts: Task[]) => ts.filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING').length;
    const pending = (ts: Task[]) => ts.filter((t) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(t.lastStatus) && t.desiredStatus === 'RUNNING').length;
    const classic = service.loadBalancers.some((lb) => lb.loadBalancerName !== undefined && lb.targetGroupArn === undefined);
    const renderDeployment = (d: Deployment, i: number) => {
      const own = tasks.filter((t) => t.deploymentId === d.id);
      const alive = own.filter((t) => t.desiredStatus === 'RUNNING' && t.lastStatus !== 'STOPPED').length;
      return {
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        // Older deployments want what they still run; ECS shrinks their desired count as they drain.
        desiredCount: i === 0 ? service.desiredCount : alive,
        pendingCount: pending(own),
        runningCount: running(own),
        failedTasks: d.failedTasks,
        createdAt: s(d.createdAt),
        updatedAt: s(d.updatedAt),
        ...(service.launchType ? { launchType: service.launchType } : {}),
        ...(d.volumeConfigurations ? { volumeConfigurations: d.volumeConfigurations } : {}),
        // ECS reports no rollout state for a service behind a Classic Load Balancer.
        ...(classic ? {} : { rolloutState: d.rolloutState, rolloutStateReason: d.rolloutStateReason }),
      };
    };
    return {
      ...structuredClone(service.extra),
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: clusterArn(this.store.account, service.cluster),
      loadBalancers: service.loadBalancers,
      serviceRegistries: [],
      status: service.status,
      desiredCount: service.desiredCount,
      runningCount: running(tasks),
      pendingCount: pending(tasks),
      ...(service.launchType ? { launchType: service.launchType } : {}),
      taskDefinition: service.taskDefinition,
      deploymentConfiguration: service.deploymentConfiguration,
      ...(this.serviceDeployments?.serviceFields(service) ?? {}),
      deployments: service.status === 'INACTIVE' ? [] : service.deployments.map(renderDeployment),
      events: service.events.map((e) => ({ id: e.id, createdAt: s(e.createdAt), message: e.message })),
      createdAt: s(service.createdAt),
      placementConstraints: [],
      placementStrategy: [],
      schedulingStrategy: 'REPLICA',
      deploymentController: service.deploymentController,
      createdBy: `arn:aws:iam::${this.store.account.accountId}:root`,
      enableECSManagedTags: service.enableECSManagedTags ?? false,
      propagateTags: service.propagateTags ?? 'NONE',
      enableExecuteCommand: false,
      ...(service.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds } : {}),
      ...(withTags ? { tags: this.store.tags.get(service.arn) ?? [] } : {}),
    };
  }

  // ---- tasks -------------------------------------------------------------------------------------

  private listTasks(input: Record<string, unknown>) {
    const cluster = this.cluster(input);
    const serviceName = str(input, 'serviceName');
    let service: Service | undefined;
    if (serviceName !== undefined) {
      service = this.store.service(cluster.name, nameFromArnOrName(serviceName));
      if (!service) throw errors.serviceNotFound();
    }
    const desiredStatus = str(input, 'desiredStatus') ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus)) {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${desiredStatus}' at 'desiredStatus' failed to satisfy constraint: Member must satisfy enum value set: [PENDING, STOPPED, RUNNING]`,
      );
    }
    const startedBy = str(input, 'startedBy');
    const family = str(input, 'family');
    const arns = [...this.store.tasks.values()]
      .filter((t) => t.cluster === cluster.name)
      .filter((t) => !service || t.serviceUid === service.uid)
      // PENDING as a filter means tasks ECS still wants RUNNING but that are not there yet.
      .filter((t) => (desiredStatus === 'PENDING' ? t.desiredStatus === 'RUNNING' && t.lastStatus !== 'RUNNING' : t.desiredStatus === desiredStatus))
      .filter((t) => startedBy === undefined || t.startedBy === startedBy)
      .filter((t) => family === undefined || t.taskDefinitionArn.split('/').at(-1)?.split(':')[0] === family)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((t) => t.arn);
    const { page, nextToken } = paginate(arns, input);
    return { taskArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  private findTask(cluster: Cluster, ref: string): Task | undefined {
    const id = nameFromArnOrName(ref);
    const task = this.store.tasks.get(id);
    return task && task.cluster === cluster.name ? task : undefined;
  }

  private describeTasks(input: Record<string, unknown>) {
    const cluster = this.cluster(input);
    const refs = strList(input, 'tasks');
    if (!refs || refs.length === 0) throw errors.invalidParameter('Tasks cannot be empty.');
    if (refs.length > 100) throw errors.invalidParameter('tasks can have at most 100 items.');
    const withTags = (strList(input, 'include') ?? []).includes('TAGS');
    const tasks = [];
    const failures = [];
    for (const ref of refs) {
      const task = this.findTask(cluster, ref);
      if (task) tasks.push(this.renderTask(task, withTags));
      else failures.push({ arn: ref, reason: 'MISSING' });
    }
    return { tasks, failures };
  }

  private stopTask(input: Record<string, unknown>) {
    const cluster = this.cluster(input);
    const task = this.findTask(cluster, requireStr(input, 'task'));
    if (!task) throw errors.invalidParameter('The referenced task was not found.');
    this.scheduler.stopTaskByUser(task, str(input, 'reason') ?? 'Task stopped by user');
    return { task: this.renderTask(task, false) };
  }

  renderTask(task: Task, withTags: boolean) {
    const td = (() => {
      try {
        return this.taskDefs.resolve(task.taskDefinitionArn);
      } catch {
        return undefined;
      }
    })();
    const opt = (key: string, ms: number | undefined) => (ms === undefined ? {} : { [key]: s(ms) });
    return {
      taskArn: task.arn,
      clusterArn: clusterArn(this.store.account, task.cluster),
      taskDefinitionArn: task.taskDefinitionArn,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      healthStatus: task.healthStatus,
      ...(task.startedBy ? { startedBy: task.startedBy } : {}),
      group: task.group,
      ...(task.launchType ? { launchType: task.launchType } : {}),
      ...(td?.raw.cpu !== undefined ? { cpu: String(td.raw.cpu) } : {}),
      ...(td?.raw.memory !== undefined ? { memory: String(td.raw.memory) } : {}),
      version: 1,
      createdAt: s(task.createdAt),
      ...opt('pullStartedAt', task.pullStartedAt),
      ...opt('pullStoppedAt', task.pullStoppedAt),
      ...opt('startedAt', task.startedAt),
      ...opt('stoppingAt', task.stoppingAt),
      ...opt('stoppedAt', task.stoppedAt),
      ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
      ...(task.stopCode ? { stopCode: task.stopCode } : {}),
      containers: task.containers.map((c) => ({
        containerArn: c.containerArn,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        lastStatus: c.lastStatus,
        ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
        healthStatus: c.healthStatus,
        networkBindings: c.networkBindings,
        networkInterfaces: [],
      })),
      overrides: task.overrides ?? { containerOverrides: task.containers.map((c) => ({ name: c.name })) },
      attachments: [],
      ...(withTags ? { tags: this.store.tags.get(task.arn) ?? [] } : {}),
    };
  }
}
