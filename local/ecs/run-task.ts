/**
 * RunTask: one-off tasks no service owns (a migration before a rollout), run by the same runner
 * and with the same life as a service's tasks (PROVISIONING → PENDING → RUNNING → STOPPED; an
 * essential container's exit stops the task with EssentialContainerExited and its exit code).
 * Validated as the API reference describes RunTaskRequest: count 1–10, a launch type or a
 * capacity provider strategy (not both), a network configuration for `awsvpc` task definitions,
 * container overrides that name containers of the task definition. StopTask and DescribeTasks
 * are the ECS API's own (ecs-api.ts).
 */
import type { Clock } from './clock.js';
import { containerArn, nameFromArnOrName, newTaskId, taskArn } from './ids.js';
import type { Scheduler } from './scheduler.js';
import type { ContainerDefinitionView, Store, Task } from './state.js';
import { readTags, tagResource } from './tags.js';
import { containerViews, type TaskDefinitions } from './task-definitions.js';
import { bool, errors, int, obj, objList, str, strList, type Handler } from './wire.js';

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];

export class RunTaskApi {
  constructor(
    private readonly store: Store,
    private readonly taskDefs: TaskDefinitions,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
  ) {}

  handlers(render: (task: Task) => unknown): Record<string, Handler> {
    return { RunTask: (i) => ({ tasks: this.runTask(i).map(render), failures: [] }) };
  }

  runTask(input: Record<string, unknown>): Task[] {
    const clusterName = nameFromArnOrName(str(input, 'cluster') ?? 'default');
    const cluster = this.store.clusters.get(clusterName);
    if (cluster?.status !== 'ACTIVE') throw errors.clusterNotFound();
    const tdRef = str(input, 'taskDefinition');
    if (!tdRef) throw errors.invalidParameter('Task Definition can not be blank.');
    const td = this.taskDefs.resolve(tdRef, () => errors.client('TaskDefinition not found.'));
    if (td.status !== 'ACTIVE') throw errors.client('TaskDefinition is inactive');
    const count = int(input, 'count') ?? 1;
    if (count < 1 || count > 10) throw errors.invalidParameter('Count must be between 1 and 10.');
    const launchType = str(input, 'launchType');
    if (launchType !== undefined && !LAUNCH_TYPES.includes(launchType)) {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${launchType}' at 'launchType' failed to satisfy constraint: Member must satisfy enum value set: [${LAUNCH_TYPES.join(', ')}]`,
      );
    }
    const strategy = objList(input, 'capacityProviderStrategy');
    if (launchType !== undefined && strategy && strategy.length > 0) {
      throw errors.invalidParameter('Specifying both a launch type and capacity provider strategy is not supported.');
    }
    for (const item of strategy ?? []) if (!str(item, 'capacityProvider')) throw errors.invalidParameter('capacityProvider can not be blank.');
    const network = obj(input, 'networkConfiguration');
    const awsvpc = network ? obj(network, 'awsvpcConfiguration') : undefined;
    if (td.raw.networkMode === 'awsvpc' && !awsvpc) {
      throw errors.invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    if (awsvpc && (strList(awsvpc, 'subnets') ?? []).length === 0) throw errors.invalidParameter('subnets can not be empty.');
    const startedBy = str(input, 'startedBy');
    if (startedBy !== undefined && startedBy.length > 128) throw errors.invalidParameter('startedBy can be at most 128 characters.');
    const group = str(input, 'group') ?? `family:${td.family}`;
    const propagateTags = str(input, 'propagateTags');
    if (propagateTags !== undefined && !['TASK_DEFINITION', 'SERVICE', 'NONE'].includes(propagateTags)) {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${propagateTags}' at 'propagateTags' failed to satisfy constraint: Member must satisfy enum value set: [TASK_DEFINITION, SERVICE, NONE]`,
      );
    }
    if (propagateTags === 'SERVICE') throw errors.invalidParameter('The propagateTags value SERVICE is not valid for a task that is not part of a service.');
    bool(input, 'enableECSManagedTags');
    const tags = readTags(input, 'tags') ?? [];
    const overrides = obj(input, 'overrides');
    const views = applyOverrides(containerViews(td), overrides);

    const tasks: Task[] = [];
    for (let i = 0; i < count; i++) {
      const id = newTaskId();
      const task: Task = {
        id,
        arn: taskArn(this.store.account, cluster.name, id),
        cluster: cluster.name,
        taskDefinitionArn: td.arn,
        ...(startedBy !== undefined ? { startedBy } : {}),
        group,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        healthStatus: 'UNKNOWN',
        createdAt: this.clock.now(),
        containers: views.map((v) => ({
          name: v.name,
          image: v.image,
          containerArn: containerArn(this.store.account, cluster.name, id),
          lastStatus: 'PENDING',
          healthStatus: 'UNKNOWN',
          networkBindings: [],
        })),
        hasContainerHealthCheck: views.some((v) => v.essential && v.healthCheck),
        essentialContainers: views.filter((v) => v.essential).map((v) => v.name),
        target: 'none',
        ...(launchType ? { launchType } : {}),
        overrides: structuredClone(overrides ?? { containerOverrides: [] }),
      };
      const taskTags = [...(propagateTags === 'TASK_DEFINITION' ? (this.store.tags.get(td.arn) ?? []) : []), ...tags];
      if (taskTags.length > 0) tagResource(this.store, task.arn, taskTags);
      this.scheduler.runStandalone(task, views);
      tasks.push(task);
    }
    return tasks;
  }
}

/** containerOverrides: command and environment per container name (the ones a task runner acts on). */
function applyOverrides(views: ContainerDefinitionView[], overrides: Record<string, unknown> | undefined): ContainerDefinitionView[] {
  const list = overrides ? (objList(overrides, 'containerOverrides') ?? []) : [];
  const result = views.map((v) => ({ ...v, environment: [...v.environment] }));
  for (const o of list) {
    const name = str(o, 'name');
    const view = result.find((v) => v.name === name);
    if (!view) throw errors.invalidParameter(`Override for container named ${name ?? ''} is not a container in the TaskDefinition.`);
    const command = strList(o, 'command');
    if (command) view.command = command;
    for (const e of objList(o, 'environment') ?? []) {
      const envName = str(e, 'name') ?? '';
      const value = str(e, 'value') ?? '';
      const existing = view.environment.find((x) => x.name === envName);
      if (existing) existing.value = value;
      else view.environment.push({ name: envName, value });
    }
  }
  return result;
}
