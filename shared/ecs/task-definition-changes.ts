/**
 * The `container-images`, `environment`, `secrets` and `docker-labels` inputs as changes to a task definition. Kept apart
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

  // An empty value removes the entry: ECS has no way to tell "empty" from "unset" in a
  // rendered file anyway, and removal is what people reach for this syntax to do.
  const environment = readPerContainer(inputs, 'environment', 'the variable name');
  const secrets = readPerContainer(inputs, 'secrets', 'the secret name (its value a Secrets Manager or SSM parameter ARN)');
  for (const [container, entries] of secrets) {
    for (const [name, arn] of entries) {
      if (arn !== null && !/^arn:aws[a-z-]*:(secretsmanager|ssm):[^\s]+$/.test(arn)) {
        throw new InputError(
          'secrets',
          `${container}.${name}=(value not shown: it may be a secret)`,
          '`container.NAME=arn` with a Secrets Manager or SSM parameter ARN, or an empty value to remove it',
        );
      }
    }
  }
  const dockerLabels = readPerContainer(inputs, 'docker-labels', 'the label');
  return { images, environment, secrets, dockerLabels };
}

/** `container.NAME=value` lines (split at the first `.` and the first `=`); an empty value is `null` (remove). */
function readPerContainer(inputs: Inputs, input: string, what: string): Map<string, Map<string, string | null>> {
  const byContainer = new Map<string, Map<string, string | null>>();
  for (const [key, value] of inputs.keyValues(input, {
    keyPattern: /^[A-Za-z0-9_-]{1,255}\.[^\s=]+$/,
    keyDescription: `\`container.NAME\` (a container name, a dot, then ${what})`,
  })) {
    const dot = key.indexOf('.');
    const container = key.slice(0, dot);
    const name = key.slice(dot + 1);
    let entries = byContainer.get(container);
    if (!entries) {
      entries = new Map();
      byContainer.set(container, entries);
    }
    entries.set(name, value === '' ? null : value);
  }
  return byContainer;
}
