/**
 * The `container-images` and `environment` inputs as changes to a task definition. Kept apart
 * from rendering so the rollback action, which changes nothing, does not carry input parsing.
 */
import { InputError } from '../core/errors.js';
import type { Inputs } from '../core/inputs.js';
import type { TaskDefinitionChanges } from './render-task-definition.js';

/** ECS container names: letters, digits, hyphens and underscores (no dots, so the first `.` splits). */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function readTaskDefinitionChanges(inputs: Inputs): TaskDefinitionChanges {
  const images = new Map<string, string>();
  for (const [container, image] of inputs.keyValues('container-images', {
    keyPattern: CONTAINER_NAME,
    keyDescription: 'a container name (letters, digits, `-` and `_`)',
    allowEmptyValue: false,
  })) {
    const trimmed = image.trim();
    if (/\s/.test(trimmed)) throw new InputError('container-images', `${container}=${image}`, '`container=image` with an image reference without spaces');
    images.set(container, trimmed);
  }

  const environment = new Map<string, Map<string, string | null>>();
  for (const [key, value] of inputs.keyValues('environment', {
    keyPattern: /^[A-Za-z0-9_-]{1,255}\.[^\s=]+$/,
    keyDescription: '`container.NAME` (a container name, a dot, then the variable name)',
  })) {
    const dot = key.indexOf('.');
    const container = key.slice(0, dot);
    const name = key.slice(dot + 1);
    let vars = environment.get(container);
    if (!vars) {
      vars = new Map();
      environment.set(container, vars);
    }
    // An empty value removes the variable: ECS has no way to tell "empty" from "unset" in a
    // rendered file anyway, and removal is what people reach for this syntax to do.
    vars.set(name, value === '' ? null : value);
  }
  return { images, environment };
}
