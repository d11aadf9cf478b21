/**
 * The task-definition registry: families with numbered revisions, kept verbatim as registered
 * (ECS echoes back every field it was given), resolvable by family, family:revision or ARN.
 */
import { errors, objList, paginate, requireStr, str, type AwsError } from './wire.js';
import { taskDefinitionArn } from './ids.js';
import type { ContainerDefinitionView, Store, Tag, TaskDefinition } from './state.js';
import { readTags } from './tags.js';

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

export class TaskDefinitions {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  register(input: Record<string, unknown>): { taskDefinition: TaskDefinition; tags: Tag[] } {
    const family = requireStr(input, 'family', 'client');
    if (!FAMILY.test(family)) {
      throw errors.client('Family contains invalid characters. Up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.');
    }
    const containers = objList(input, 'containerDefinitions');
    if (!containers || containers.length === 0) throw errors.client('Container list cannot be empty.');
    const names = new Set<string>();
    for (const c of containers) {
      if (typeof c.name !== 'string' || c.name === '') throw errors.client('Container.name should not be null or empty.');
      if (typeof c.image !== 'string' || c.image === '') throw errors.client('Container.image should not be null or empty.');
      if (names.has(c.name)) throw errors.client(`Duplicate container name found: ${c.name}`);
      names.add(c.name);
    }
    checkMountPoints(input, containers);
    const tags = readTags(input, 'tags') ?? [];
    const revisions = this.store.taskDefinitions.get(family) ?? [];
    const revision = revisions.length + 1;
    const { tags: _tags, ...raw } = input;
    const td: TaskDefinition = {
      arn: taskDefinitionArn(this.store.account, family, revision),
      family,
      revision,
      status: 'ACTIVE',
      registeredAt: this.now(),
      raw: structuredClone(raw),
    };
    revisions.push(td);
    this.store.taskDefinitions.set(family, revisions);
    if (tags.length > 0) this.store.tags.set(td.arn, tags);
    return { taskDefinition: td, tags };
  }

  /**
   * Resolves `family` (latest ACTIVE revision), `family:revision` or a full ARN. `notFound` lets
   * each operation answer with the error ECS gives for it.
   */
  resolve(identifier: string, notFound: () => AwsError = () => errors.client('Unable to describe task definition.')): TaskDefinition {
    let ref = identifier;
    if (ref.startsWith('arn:')) {
      const m = /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:task-definition\/(.+)$/.exec(ref);
      if (!m?.[1]) throw notFound();
      ref = m[1];
    }
    const m = /^([A-Za-z0-9_-]+)(?::(\d+))?$/.exec(ref);
    if (!m?.[1]) throw notFound();
    const revisions = this.store.taskDefinitions.get(m[1]);
    if (!revisions) throw notFound();
    if (m[2] !== undefined) {
      const td = revisions[Number(m[2]) - 1];
      if (!td) throw notFound();
      return td;
    }
    const latest = revisions.filter((r) => r.status === 'ACTIVE').at(-1);
    if (!latest) throw notFound();
    return latest;
  }

  deregister(identifier: string): TaskDefinition {
    // ECS requires a revision here: deregistering "the latest" by family alone is refused.
    const hasRevision = identifier.startsWith('arn:') ? /:\d+$/.test(identifier) : /:\d+$/.test(identifier);
    if (!hasRevision) {
      throw errors.client('The specified task definition identifier is invalid. Specify a valid name or ARN and try again.');
    }
    const td = this.resolve(identifier, () =>
      errors.client('The specified task definition does not exist. Specify a valid account, family, revision and try again.'),
    );
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = this.now();
    }
    return td;
  }

  list(input: Record<string, unknown>): { taskDefinitionArns: string[]; nextToken?: string } {
    const familyPrefix = str(input, 'familyPrefix');
    const status = str(input, 'status') ?? 'ACTIVE';
    if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status)) {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [DELETE_IN_PROGRESS, ACTIVE, INACTIVE]`,
      );
    }
    const sort = str(input, 'sort') ?? 'ASC';
    if (sort !== 'ASC' && sort !== 'DESC') {
      throw errors.invalidParameter(
        `1 validation error detected: Value '${sort}' at 'sort' failed to satisfy constraint: Member must satisfy enum value set: [ASC, DESC]`,
      );
    }
    // ECS orders by family name, then revision; DESC reverses the whole ordering.
    const all = [...this.store.taskDefinitions.entries()]
      .filter(([family]) => familyPrefix === undefined || family.startsWith(familyPrefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([, revisions]) => revisions)
      .filter((td) => td.status === status)
      .map((td) => td.arn);
    if (sort === 'DESC') all.reverse();
    const { page, nextToken } = paginate(all, input);
    return nextToken ? { taskDefinitionArns: page, nextToken } : { taskDefinitionArns: page };
  }
}

/**
 * A container's mountPoints must name a volume of the task definition, and a host volume's
 * sourcePath and a mount's containerPath must be absolute paths (ECS refuses the registration
 * otherwise; the wording here is the emulator's own).
 */
function checkMountPoints(input: Record<string, unknown>, containers: Record<string, unknown>[]): void {
  const volumes = new Set<string>();
  for (const v of objList(input, 'volumes') ?? []) {
    if (typeof v.name !== 'string' || v.name === '') throw errors.client('Volume.name should not be null or empty.');
    const sourcePath = (v.host as Record<string, unknown> | undefined)?.sourcePath;
    if (sourcePath !== undefined && (typeof sourcePath !== 'string' || !sourcePath.startsWith('/'))) {
      throw errors.client(`Invalid host sourcePath '${String(sourcePath)}' of volume '${v.name}': expected an absolute path.`);
    }
    volumes.add(v.name);
  }
  for (const c of containers) {
    for (const m of objList(c, 'mountPoints') ?? []) {
      if (typeof m.sourceVolume !== 'string' || !volumes.has(m.sourceVolume)) {
        throw errors.client(
          `Invalid 'mountPoints' of container '${String(c.name)}': sourceVolume '${String(m.sourceVolume)}' is not a volume of the task definition.`,
        );
      }
      if (typeof m.containerPath !== 'string' || !m.containerPath.startsWith('/')) {
        throw errors.client(`Invalid 'mountPoints' of container '${String(c.name)}': containerPath '${String(m.containerPath)}' is not an absolute path.`);
      }
    }
  }
}

/** The task definition rendered as ECS answers it: the registered fields plus ECS's own. */
export function taskDefinitionToWire(td: TaskDefinition): Record<string, unknown> {
  const compat = Array.isArray(td.raw.requiresCompatibilities) ? td.raw.requiresCompatibilities : [];
  return {
    ...structuredClone(td.raw),
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    status: td.status,
    requiresAttributes: [],
    compatibilities: compat.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: td.registeredAt / 1000,
    ...(td.deregisteredAt !== undefined ? { deregisteredAt: td.deregisteredAt / 1000 } : {}),
    registeredBy: 'arn:aws:iam::000000000000:root',
    volumes: td.raw.volumes ?? [],
    placementConstraints: td.raw.placementConstraints ?? [],
  };
}

/** The container fields the task runners act on, with ECS's defaults filled in. */
export function containerViews(td: TaskDefinition): ContainerDefinitionView[] {
  const defs = (td.raw.containerDefinitions as Record<string, unknown>[] | undefined) ?? [];
  const hostPaths = new Map<string, string>();
  for (const v of (td.raw.volumes as Record<string, unknown>[] | undefined) ?? []) {
    const sourcePath = (v.host as Record<string, unknown> | undefined)?.sourcePath;
    if (typeof v.name === 'string' && typeof sourcePath === 'string' && sourcePath !== '') hostPaths.set(v.name, sourcePath);
  }
  return defs.map((c) => {
    const hostMounts = (Array.isArray(c.mountPoints) ? (c.mountPoints as Record<string, unknown>[]) : []).flatMap((m) => {
      const sourcePath = hostPaths.get(String(m.sourceVolume));
      return sourcePath && typeof m.containerPath === 'string' ? [{ sourcePath, containerPath: m.containerPath, readOnly: m.readOnly === true }] : [];
    });
    const hc = c.healthCheck as Record<string, unknown> | undefined;
    const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
    return {
      name: String(c.name),
      image: String(c.image),
      essential: c.essential !== false,
      environment: Array.isArray(c.environment)
        ? (c.environment as Record<string, unknown>[]).map((e) => ({ name: String(e.name), value: String(e.value ?? '') }))
        : [],
      portMappings: Array.isArray(c.portMappings)
        ? (c.portMappings as Record<string, unknown>[]).map((p) => ({
            containerPort: num(p.containerPort, 0),
            ...(typeof p.hostPort === 'number' ? { hostPort: p.hostPort } : {}),
            protocol: typeof p.protocol === 'string' ? p.protocol : 'tcp',
          }))
        : [],
      hostMounts,
      ...(Array.isArray(c.command) ? { command: c.command.map(String) } : {}),
      ...(Array.isArray(c.entryPoint) ? { entryPoint: c.entryPoint.map(String) } : {}),
      ...(hc && Array.isArray(hc.command)
        ? {
            // ECS's defaults: 30 s interval, 5 s timeout, 3 retries, no start period.
            healthCheck: {
              command: hc.command.map(String),
              interval: num(hc.interval, 30),
              timeout: num(hc.timeout, 5),
              retries: num(hc.retries, 3),
              startPeriod: num(hc.startPeriod, 0),
            },
          }
        : {}),
    };
  });
}
