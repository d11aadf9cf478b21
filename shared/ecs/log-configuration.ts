/**
 * A container's `logConfiguration` with the `log-driver` and `log-options` inputs applied. Options
 * belong to their driver (awslogs-group means nothing to fluentd), so a new driver starts from
 * the options given with it, not from the old driver's; the same driver keeps its options and
 * `secretOptions`, changed only where asked.
 */
import { InputError } from '../core/errors.js';

type Json = Record<string, unknown>;

export function applyLogConfiguration(
  current: unknown,
  driver: string | null | undefined,
  options: ReadonlyMap<string, string | null> | undefined,
  container: string,
): Json | undefined {
  if (driver === null) {
    if (options && [...options.values()].some((v) => v !== null)) {
      const [name, value] = [...options].find(([, v]) => v !== null)!;
      throw new InputError(
        'log-options',
        `${container}.${name}=${value}`,
        `no options for container '${container}', whose log configuration log-driver removes`,
      );
    }
    return undefined;
  }
  const existing = isObject(current) ? current : undefined;
  const keep = existing && (driver === undefined || existing.logDriver === driver);
  const config: Json = keep ? structuredClone(existing) : { ...(driver !== undefined ? { logDriver: driver } : {}) };
  if (typeof config.logDriver !== 'string') {
    const [name, value] = [...(options ?? [])][0] ?? ['', ''];
    throw new InputError(
      'log-options',
      `${container}.${name}=${value ?? ''}`,
      `options for a container with a log driver: container '${container}' has no logConfiguration; set its driver with log-driver (e.g. \`${container}=awslogs\`)`,
    );
  }
  if (options) {
    const merged: Record<string, string> = isObject(config.options) ? ({ ...config.options } as Record<string, string>) : {};
    for (const [name, value] of options) {
      if (value === null) delete merged[name];
      else merged[name] = value;
    }
    if (Object.keys(merged).length > 0) config.options = merged;
    else delete config.options;
  }
  return config;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
