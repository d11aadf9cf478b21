/**
 * Where a one-off task runs when the action is told (its network configuration, launch type or
 * capacity provider strategy; each replaces the service's): the values as the action read them,
 * checked here for what RunTask needs, each error naming the action's input.
 */
import { InputError } from '../core/errors.js';
import type { GivenInput } from '../core/inputs.js';
import { parseStructuredInput } from '../core/structured-input.js';
import type { TaskPlacement } from './one-off-task.js';

/** Each placement input as given, with its name (the action's). */
export interface TaskPlacementInputs {
  /** A NetworkConfiguration, JSON or YAML inline or a file. */
  networkConfiguration: GivenInput;
  launchType: GivenInput;
  /** A list of capacity provider strategy items, JSON or YAML inline or a file. */
  capacityProviderStrategy: GivenInput;
}

/** A JSON or YAML document as given: its input's name, the parsed value, and the text to show in an error. */
interface GivenDocument {
  name: string;
  value: unknown;
  shown: string;
}

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];

export async function parseTaskPlacement(given: TaskPlacementInputs, workspace: string): Promise<TaskPlacement | undefined> {
  const document = async (input: GivenInput): Promise<GivenDocument | undefined> => {
    const read = await parseStructuredInput(input, { workspace });
    return read && { name: input.name, value: read.value, shown: input.value };
  };
  const network = await document(given.networkConfiguration);
  const launchType = { name: given.launchType.name, value: given.launchType.value.trim() || undefined };
  if (launchType.value !== undefined && !LAUNCH_TYPES.includes(launchType.value)) {
    throw new InputError(launchType.name, launchType.value, `one of ${LAUNCH_TYPES.map((t) => `\`${t}\``).join(', ')}`);
  }
  const strategy = await document(given.capacityProviderStrategy);
  if (launchType.value !== undefined && strategy !== undefined) {
    throw new InputError(strategy.name, strategy.shown, `no strategy when ${launchType.name} is given (RunTask takes one or the other)`);
  }
  const placement: TaskPlacement = {};
  if (network !== undefined) {
    const v = network.value as Record<string, unknown> | undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.awsvpcConfiguration !== 'object') {
      throw new InputError(
        network.name,
        network.shown.slice(0, 80),
        'a NetworkConfiguration object, e.g. `{"awsvpcConfiguration": {"subnets": ["subnet-…"], "securityGroups": ["sg-…"]}}`',
      );
    }
    placement.networkConfiguration = v;
  }
  if (launchType.value !== undefined) placement.launchType = launchType.value;
  if (strategy !== undefined) {
    const v = strategy.value;
    if (
      !Array.isArray(v) ||
      v.length === 0 ||
      !v.every((i) => typeof i === 'object' && i !== null && typeof (i as Record<string, unknown>).capacityProvider === 'string')
    ) {
      throw new InputError(
        strategy.name,
        strategy.shown.slice(0, 80),
        'a list of `{capacityProvider, weight, base}` items, e.g. `[{"capacityProvider": "FARGATE_SPOT", "weight": 1}]`',
      );
    }
    placement.capacityProviderStrategy = v as Record<string, unknown>[];
  }
  return Object.keys(placement).length > 0 ? placement : undefined;
}
