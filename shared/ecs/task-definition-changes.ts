/**
 * The render inputs (`container-images`, `environment`, `secrets`, `docker-labels`, `command`,
 * `env-files`, `log-driver`, `log-options` in ecs-rolling-deploy and ecs-run-task) as changes to a
 * task definition. The action reads them (inputs.ts); this parses the values given, naming the
 * input in every error. Kept apart from rendering so the rollback action, which changes nothing,
 * does not carry input parsing.
 */
import { InputError } from '../core/errors.js';
import { parseKeyValues, parseLines, type GivenInput } from '../core/inputs.js';
import type { TaskDefinitionChanges } from './render-task-definition.js';

/** Each render input as given, with its name (the action's). */
export interface TaskDefinitionChangeInputs {
  containerImages: GivenInput;
  environment: GivenInput;
  secrets: GivenInput;
  dockerLabels: GivenInput;
  command: GivenInput;
  envFiles: GivenInput;
  logDriver: GivenInput;
  logOptions: GivenInput;
}

/** ECS container names: letters, digits, hyphens and underscores (no dots, so the first `.` splits). */
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function parseTaskDefinitionChanges(given: TaskDefinitionChangeInputs): TaskDefinitionChanges {
  const images = new Map<string, string>();
  for (const [container, image] of parseKeyValues(given.containerImages, {
    keyPattern: CONTAINER_NAME,
    keyDescription: CONTAINER_DESCRIPTION,
    allowEmptyValue: false,
  })) {
    const trimmed = image.trim();
    if (/\s/.test(trimmed))
      throw new InputError(given.containerImages.name, `${container}=${image}`, '`container=image` with an image reference without spaces');
    images.set(container, trimmed);
  }

  // An empty value removes the entry: ECS has no way to tell "empty" from "unset" in a
  // rendered file anyway, and removal is what people reach for this syntax to do.
  const environment = parsePerContainer(given.environment, 'the variable name');
  const secrets = parsePerContainer(given.secrets, 'the secret name (its value a Secrets Manager or SSM parameter ARN)');
  for (const [container, entries] of secrets) {
    for (const [name, arn] of entries) {
      if (arn !== null && !/^arn:aws[a-z-]*:(secretsmanager|ssm):[^\s]+$/.test(arn)) {
        throw new InputError(
          given.secrets.name,
          `${container}.${name}=(value not shown: it may be a secret)`,
          '`container.NAME=arn` with a Secrets Manager or SSM parameter ARN, or an empty value to remove it',
        );
      }
    }
  }
  const dockerLabels = parsePerContainer(given.dockerLabels, 'the label');
  const command = parseCommands(given.command);
  const environmentFiles = parseEnvironmentFiles(given.envFiles);
  const logDriver = new Map<string, string | null>();
  for (const [container, driver] of parseKeyValues(given.logDriver, { keyPattern: CONTAINER_NAME, keyDescription: CONTAINER_DESCRIPTION })) {
    const value = driver.trim();
    if (value !== '' && !LOG_DRIVERS.includes(value)) {
      throw new InputError(
        given.logDriver.name,
        `${container}=${driver}`,
        `\`container=driver\` with one of ECS's log drivers (${LOG_DRIVERS.join(', ')}), or an empty value to remove the log configuration`,
      );
    }
    logDriver.set(container, value === '' ? null : value);
  }
  const logOptions = parsePerContainer(given.logOptions, 'the option name (e.g. `awslogs-group`)');
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
function parseCommands(given: GivenInput): Map<string, string[] | null> {
  const commands = new Map<string, string[] | null>();
  for (const [container, text] of parseKeyValues(given, { keyPattern: CONTAINER_NAME, keyDescription: CONTAINER_DESCRIPTION })) {
    commands.set(container, parseCommand(text, given.name, container));
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
function parseEnvironmentFiles(given: GivenInput): Map<string, string[]> {
  const files = new Map<string, string[]>();
  const expected = '`container=arn` with the S3 object ARN of a `.env` file (e.g. `arn:aws:s3:::bucket/app.env`), or `container=` to remove them';
  const input = given.name;
  for (const line of parseLines(given.value)) {
    const eq = line.indexOf('=');
    const container = line.slice(0, Math.max(eq, 0)).trim();
    const arn = line.slice(eq + 1).trim();
    if (eq <= 0 || !CONTAINER_NAME.test(container)) throw new InputError(input, line, expected);
    const list = files.get(container) ?? [];
    files.set(container, list);
    if (arn === '') continue;
    // ECS: an S3 object ARN, the file named `.env`, at most ten files.
    if (!/^arn:aws[a-z-]*:s3:::[^\s/]+\/\S*\.env$/.test(arn)) throw new InputError(input, line, expected);
    list.push(arn);
    if (list.length > 10) throw new InputError(input, line, `at most 10 environment files for container '${container}' (ECS's limit)`);
  }
  return files;
}

/** `container.NAME=value` lines (split at the first `.` and the first `=`); an empty value is `null` (remove). */
function parsePerContainer(given: GivenInput, what: string): Map<string, Map<string, string | null>> {
  const byContainer = new Map<string, Map<string, string | null>>();
  for (const [key, value] of parseKeyValues(given, {
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
