/**
 * What a deploy would change, field by field: the task definition it would register against the
 * one the service runs (every task-level field, every field of every container, containers paired
 * by name), and the deployment configuration it would send against the service's own. Generic over
 * fields: nothing is listed by name, so a field ECS adds later (or one the SDK does not know, such
 * as `earlySuccessCriteria`) shows up with no code here. Pure, for the plan (release-plan.ts), its
 * summary (plan-summary.ts) and the gate (plan-gate.ts).
 *
 * What a change shows: `environment` and `secrets` are diffed by variable name (`environment.MODE`,
 * `secrets.DB_PASSWORD`); a secret's side is its `valueFrom` ARN (a task definition never holds a
 * secret's value); environment values are shown, as ECS shows them to whoever may read the task
 * definition. Everything else is the field's JSON, compact.
 */
import { deepEqual, type TaskDefinitionDocument } from './render-task-definition.js';

type Json = Record<string, unknown>;

/** One changed field: its path and its two sides as text (undefined: absent on that side). */
export interface FieldChange {
  field: string;
  before: string | undefined;
  after: string | undefined;
}

export interface ContainerDiff {
  container: string;
  /** `added` / `removed`: the container exists on one side only (its fields are listed as changes). */
  kind: 'changed' | 'added' | 'removed';
  changes: FieldChange[];
}

export interface TaskDefinitionDiff {
  /** Task-level fields (cpu, memory, roles, network mode, volumes, …), `containerDefinitions` excepted. */
  task: FieldChange[];
  containers: ContainerDiff[];
}

/** Lists of `{ name, … }` compared entry by entry, named by the entry's `name`. */
const NAMED_LISTS: Record<string, string> = { environment: 'value', secrets: 'valueFrom' };

export function diffTaskDefinitions(before: TaskDefinitionDocument | undefined, after: TaskDefinitionDocument): TaskDefinitionDiff {
  const task: FieldChange[] = [];
  const old = before ?? {};
  for (const key of unionKeys(old, after)) {
    if (key === 'containerDefinitions') continue;
    if (!deepEqual(old[key], after[key])) task.push(change(key, old[key], after[key]));
  }
  const oldContainers = byName(old.containerDefinitions);
  const newContainers = byName(after.containerDefinitions);
  const containers: ContainerDiff[] = [];
  for (const name of [...new Set([...newContainers.keys(), ...oldContainers.keys()])]) {
    const a = oldContainers.get(name);
    const b = newContainers.get(name);
    const changes = diffContainer(a ?? {}, b ?? {});
    if (changes.length > 0) containers.push({ container: name, kind: !a ? 'added' : !b ? 'removed' : 'changed', changes });
  }
  return { task, containers };
}

function diffContainer(before: Json, after: Json): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of unionKeys(before, after)) {
    if (deepEqual(before[key], after[key])) continue;
    const valueField = NAMED_LISTS[key];
    if (valueField && isNamedList(before[key]) && isNamedList(after[key])) changes.push(...diffNamedList(key, before[key], after[key], valueField));
    else changes.push(change(key, before[key], after[key]));
  }
  return changes;
}

/** `environment` / `secrets` by name: one change per variable added, removed or changed. */
function diffNamedList(key: string, before: unknown, after: unknown, valueField: string): FieldChange[] {
  const a = byName(before);
  const b = byName(after);
  const changes: FieldChange[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])]) {
    const x = a.get(name);
    const y = b.get(name);
    if (deepEqual(x, y)) continue;
    // The variable's value (environment) or ARN (secrets); any other member changed shows whole.
    const onlyValue = x && y && deepEqual({ ...x, [valueField]: undefined }, { ...y, [valueField]: undefined });
    changes.push(onlyValue || !x || !y ? change(`${key}.${name}`, x?.[valueField], y?.[valueField]) : change(`${key}.${name}`, x, y));
  }
  return changes;
}

/**
 * The deployment configuration that would be sent against the service's own, leaf by leaf
 * (`deploymentCircuitBreaker.enable`, `alarms.alarmNames`, `earlySuccessCriteria.healthyPercent`):
 * empty when nothing is sent (`sent` undefined keeps the service's).
 */
export function diffConfiguration(current: Json | undefined, sent: Json | undefined): FieldChange[] {
  if (sent === undefined) return [];
  const changes: FieldChange[] = [];
  walk(current ?? {}, sent, '', changes);
  return changes;
}

function walk(before: Json, after: Json, prefix: string, out: FieldChange[]): void {
  for (const key of unionKeys(before, after)) {
    const a = before[key];
    const b = after[key];
    if (deepEqual(a, b)) continue;
    if (isObject(a) && isObject(b)) walk(a, b, `${prefix}${key}.`, out);
    else out.push(change(`${prefix}${key}`, a, b));
  }
}

export function hasDiff(diff: TaskDefinitionDiff): boolean {
  return diff.task.length > 0 || diff.containers.length > 0;
}

/** Compact text of one side of a change: strings as they are, everything else as JSON. */
export function showValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function change(field: string, before: unknown, after: unknown): FieldChange {
  return { field, before: showValue(before), after: showValue(after) };
}

function unionKeys(a: Json, b: Json): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== undefined || b[k] !== undefined);
}

function byName(list: unknown): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const entry of Array.isArray(list) ? list : []) if (isObject(entry) && typeof entry.name === 'string') map.set(entry.name, entry);
  return map;
}

function isNamedList(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.every((e) => isObject(e) && typeof e.name === 'string'));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
