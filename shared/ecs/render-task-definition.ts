/**
 * Rendering a task definition: a described (or hand-written) task definition in, the exact body
 * to register out. Nothing is rebuilt from a whitelist: every field is carried over verbatim,
 * including fields newer than the AWS SDK's model, and only the read-only fields that
 * DescribeTaskDefinition adds are dropped (ECS refuses them on RegisterTaskDefinition).
 * Pure: no SDK, no I/O, so the tables in the tests cover it.
 */
import { UserError } from '../core/errors.js';
import { applyLogConfiguration } from './log-configuration.js';

/** What DescribeTaskDefinition returns but RegisterTaskDefinition does not accept. */
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

export type TaskDefinitionDocument = Record<string, unknown>;

/** Changes to apply, keyed by container name. An environment value of `null` removes the variable. */
export interface TaskDefinitionChanges {
  images: ReadonlyMap<string, string>;
  environment: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** `secrets` by container: name → valueFrom (a Secrets Manager or SSM parameter ARN); `null` removes it. */
  secrets?: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** `dockerLabels` by container: label → value; `null` removes the label. */
  dockerLabels?: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** `command` by container (exec form); `null` removes it, so the image's CMD runs. */
  command?: ReadonlyMap<string, readonly string[] | null>;
  /** `environmentFiles` by container: the S3 ARNs that replace the container's list; empty removes it. */
  environmentFiles?: ReadonlyMap<string, readonly string[]>;
  /** `logConfiguration.logDriver` by container; `null` removes the log configuration. */
  logDriver?: ReadonlyMap<string, string | null>;
  /** `logConfiguration.options` by container: option → value; `null` removes the option. */
  logOptions?: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
}

export interface ContainerImage {
  container: string;
  image: string;
}

export interface RenderedTaskDefinition {
  document: TaskDefinitionDocument;
  /** True when the document differs from the base (so registering it creates something new). */
  changed: boolean;
  before: ContainerImage[];
  after: ContainerImage[];
}

export function hasChanges(changes: TaskDefinitionChanges): boolean {
  return [
    changes.images,
    changes.environment,
    changes.secrets,
    changes.dockerLabels,
    changes.command,
    changes.environmentFiles,
    changes.logDriver,
    changes.logOptions,
  ].some((byContainer) => (byContainer?.size ?? 0) > 0);
}

/**
 * The registrable part of a task definition as DescribeTaskDefinition (or the AWS console's JSON
 * tab, or `aws ecs describe-task-definition > file.json`) gives it: the `{ taskDefinition: … }`
 * wrapper is unwrapped and the read-only fields are dropped. `tags` beside the wrapper are kept,
 * since RegisterTaskDefinition takes them.
 */
export function registrableTaskDefinition(described: unknown, source: string): TaskDefinitionDocument {
  if (!isObject(described)) throw new UserError(`The task definition from ${source} is not a JSON/YAML object.`);
  let document: Record<string, unknown> = described;
  if (isObject(described.taskDefinition) && described.containerDefinitions === undefined) {
    document = { ...described.taskDefinition, ...(Array.isArray(described.tags) && described.tags.length > 0 ? { tags: described.tags } : {}) };
  }
  const copy = structuredClone(document);
  for (const field of READ_ONLY_TASK_DEFINITION_FIELDS) delete copy[field];
  if (typeof copy.family !== 'string' || copy.family === '') {
    throw new UserError(`The task definition from ${source} has no \`family\`: ECS needs one to register a revision.`);
  }
  if (!Array.isArray(copy.containerDefinitions) || copy.containerDefinitions.length === 0 || !copy.containerDefinitions.every(isObject)) {
    throw new UserError(`The task definition from ${source} has no \`containerDefinitions\` list: ECS needs at least one container.`);
  }
  for (const [i, container] of (copy.containerDefinitions as Record<string, unknown>[]).entries()) {
    if (typeof container.name !== 'string' || container.name === '') {
      throw new UserError(`The task definition from ${source}: container ${i + 1} has no \`name\`.`);
    }
  }
  return copy;
}

export function containerNames(document: TaskDefinitionDocument): string[] {
  return containers(document).map((c) => String(c.name));
}

export function containerImages(document: TaskDefinitionDocument): ContainerImage[] {
  return containers(document).map((c) => ({ container: String(c.name), image: typeof c.image === 'string' ? c.image : '' }));
}

/**
 * Applies the changes (images, environment, secrets, labels, command, environment files, log
 * configuration) to a copy of `base`. Every container named in the
 * changes must exist; the error names the input, the container and the ones that do exist, and
 * is raised before anything could be registered.
 */
export function renderTaskDefinition(base: TaskDefinitionDocument, changes: TaskDefinitionChanges): RenderedTaskDefinition {
  const document = structuredClone(base);
  const defs = containers(document);
  const names = defs.map((c) => String(c.name));
  const family = String(document.family);
  const unknown = (input: string, line: string, container: string) =>
    new UserError(
      `Input '${input}' has an invalid value ${JSON.stringify(line)}: task definition family '${family}' has no container '${container}' (its containers: ${names.join(', ')}).`,
    );
  const byName: [string, ReadonlyMap<string, unknown> | undefined][] = [
    ['container-images', changes.images],
    ['command', changes.command],
    ['env-files', changes.environmentFiles],
    ['log-driver', changes.logDriver],
  ];
  for (const [input, byContainer] of byName) {
    for (const [container, value] of byContainer ?? []) {
      if (!names.includes(container)) throw unknown(input, `${container}=${Array.isArray(value) ? value.join(' ') : (value ?? '')}`, container);
    }
  }
  const perContainer: [string, ReadonlyMap<string, ReadonlyMap<string, string | null>> | undefined][] = [
    ['environment', changes.environment],
    ['secrets', changes.secrets],
    ['docker-labels', changes.dockerLabels],
    ['log-options', changes.logOptions],
  ];
  for (const [input, byContainer] of perContainer) {
    for (const [container, vars] of byContainer ?? []) {
      const first = [...vars.entries()][0];
      if (!names.includes(container)) throw unknown(input, `${container}.${first?.[0] ?? ''}=${first?.[1] ?? ''}`, container);
    }
  }

  for (const def of defs) {
    const name = String(def.name);
    const image = changes.images.get(name);
    if (image !== undefined) def.image = image;
    const vars = changes.environment.get(name);
    if (vars) def.environment = applyEnvironment(def.environment, vars);
    const secrets = changes.secrets?.get(name);
    if (secrets) def.secrets = applyNamedList(def.secrets, secrets, 'valueFrom');
    const labels = changes.dockerLabels?.get(name);
    if (labels) def.dockerLabels = applyLabels(def.dockerLabels, labels);
    const command = changes.command?.get(name);
    if (command === null) delete def.command;
    else if (command !== undefined) def.command = [...command];
    const files = changes.environmentFiles?.get(name);
    if (files?.length === 0) delete def.environmentFiles;
    else if (files !== undefined) def.environmentFiles = files.map((value) => ({ value, type: 's3' }));
    const driver = changes.logDriver?.get(name);
    const options = changes.logOptions?.get(name);
    if (driver !== undefined || options !== undefined) {
      const logConfiguration = applyLogConfiguration(def.logConfiguration, driver, options, name);
      if (logConfiguration) def.logConfiguration = logConfiguration;
      else delete def.logConfiguration;
    }
  }
  return {
    document,
    changed: !deepEqual(document, base),
    before: containerImages(base),
    after: containerImages(document),
  };
}

/** Changes in place of existing variables keep their position; new ones are appended in order. */
export function applyEnvironment(current: unknown, changes: ReadonlyMap<string, string | null>): { name: string; value: string }[] {
  return applyNamedList(current, changes, 'value') as { name: string; value: string }[];
}

/**
 * A `{ name, <field> }` list (`environment`: value, `secrets`: valueFrom) with changes applied:
 * changed entries keep their position and any other fields, new ones are appended in order.
 */
export function applyNamedList(current: unknown, changes: ReadonlyMap<string, string | null>, field: 'value' | 'valueFrom'): Record<string, unknown>[] {
  const list = (Array.isArray(current) ? current : []).filter(isObject).map((e) => ({ ...e }));
  for (const [name, value] of changes) {
    const index = list.findIndex((e) => e.name === name);
    if (value === null) {
      if (index >= 0) list.splice(index, 1);
    } else if (index >= 0) {
      list[index]![field] = value;
    } else {
      list.push({ name, [field]: value });
    }
  }
  return list;
}

/** `dockerLabels` is a string map: labels set or removed, every other label kept. */
export function applyLabels(current: unknown, changes: ReadonlyMap<string, string | null>): Record<string, string> {
  const labels: Record<string, string> = isObject(current) ? ({ ...current } as Record<string, string>) : {};
  for (const [name, value] of changes) {
    if (value === null) delete labels[name];
    else labels[name] = value;
  }
  return labels;
}

function containers(document: TaskDefinitionDocument): Record<string, unknown>[] {
  return Array.isArray(document.containerDefinitions) ? (document.containerDefinitions as unknown[]).filter(isObject) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
