/**
 * The render inputs (`container-images`, `environment`, `secrets`, `docker-labels`, `command`,
 * `env-files`, `log-driver`, `log-options`) as changes to a task definition. Kept apart
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
    keyDescription: CONTAINER_DESCRIPTION,
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
  const command = readCommands(inputs);
  const environmentFiles = readEnvironmentFiles(inputs);
  const logDriver = new Map<string, string | null>();
  for (const [container, driver] of inputs.keyValues('log-driver', { keyPattern: CONTAINER_NAME, keyDescription: CONTAINER_DESCRIPTION })) {
    const value = driver.trim();
    if (value !== '' && !LOG_DRIVERS.includes(value)) {
      throw new InputError(
        'log-driver',
        `${container}=${driver}`,
        `\`container=driver\` with one of ECS's log drivers (${LOG_DRIVERS.join(', ')}), or an empty value to remove the log configuration`,
      );
    }
    logDriver.set(container, value === '' ? null : value);
  }
  const logOptions = readPerContainer(inputs, 'log-options', 'the option name (e.g. `awslogs-group`)');
  return { images, environment, secrets, dockerLabels, command, environmentFiles, logDriver, logOptions };
}

const CONTAINER_DESCRIPTION = 'a container name (letters, digits, `-` and `_`)';

/** The values of ECS's LogDriver enum (RegisterTaskDefinition refuses any other). */
const LOG_DRIVERS = ['awslogs', 'awsfirelens', 'fluentd', 'gelf', 'journald', 'json-file', 'splunk', 'syslog'];

/**
 * `container=["bin/migrate","up"]` (a JSON array: arguments with spaces survive) or
 * `container=bin/migrate up` (split at whitespace, as the render action splits its `command`);
 * `container=` removes the command, so the image's CMD runs.
 */
function readCommands(inputs: Inputs): Map<string, string[] | null> {
  const commands = new Map<string, string[] | null>();
  for (const [container, text] of inputs.keyValues('command', { keyPattern: CONTAINER_NAME, keyDescription: CONTAINER_DESCRIPTION })) {
    commands.set(container, parseCommand(text, 'command', container));
  }
  return commands;
}

/** A command as the inputs take it: a JSON array of strings, or words split at whitespace; empty is null. */
export function parseCommand(text: string, input: string, container?: string): string[] | null {
  const trimmed = text.trim();
  const given = container === undefined ? text : `${container}=${text}`;
  if (trimmed === '') return null;
  if (!trimmed.startsWith('[')) return trimmed.split(/\s+/);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
    throw new InputError(input, given, 'a JSON array of strings such as `["bin/migrate","up"]`, or words separated by spaces');
  }
  return parsed;
}

/**
 * `container=arn:aws:s3:::bucket/app.env`, one file a line, in the order ECS reads them; the lines
 * of a container replace its list (as the render action's `env-files` does), `container=` empties it.
 */
function readEnvironmentFiles(inputs: Inputs): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const expected = '`container=arn` with the S3 object ARN of a `.env` file (e.g. `arn:aws:s3:::bucket/app.env`), or `container=` to remove them';
  for (const line of inputs.lines('env-files')) {
    const eq = line.indexOf('=');
    const container = line.slice(0, Math.max(eq, 0)).trim();
    const arn = line.slice(eq + 1).trim();
    if (eq <= 0 || !CONTAINER_NAME.test(container)) throw new InputError('env-files', line, expected);
    const list = files.get(container) ?? [];
    files.set(container, list);
    if (arn === '') continue;
    // ECS: an S3 object ARN, the file named `.env`, at most ten files.
    if (!/^arn:aws[a-z-]*:s3:::[^\s/]+\/\S*\.env$/.test(arn)) throw new InputError('env-files', line, expected);
    list.push(arn);
    if (list.length > 10) throw new InputError('env-files', line, `at most 10 environment files for container '${container}' (ECS's limit)`);
  }
  return files;
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
