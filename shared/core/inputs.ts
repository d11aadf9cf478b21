import { InputError } from './errors.js';
import { parseDuration } from './duration.js';

/**
 * Typed readers for action inputs. The runner passes input `foo-bar` as env `INPUT_FOO-BAR`
 * (upper-cased, spaces to underscores, hyphens kept), already defaulted from action.yml.
 * Every error names the input, the value given and what is expected.
 */
export type InputSource = Readonly<Record<string, string | undefined>>;

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export class Inputs {
  constructor(private readonly source: InputSource = process.env) {}

  /** The raw value, untrimmed: `run` scripts reach the container byte for byte. */
  raw(name: string): string {
    return this.source[inputEnvName(name)] ?? '';
  }

  optionalString(name: string): string | undefined {
    const value = this.raw(name).trim();
    return value === '' ? undefined : value;
  }

  requiredString(name: string, expected = 'a non-empty value'): string {
    const value = this.optionalString(name);
    if (value === undefined) throw new InputError(name, undefined, expected);
    return value;
  }

  string(name: string, fallback: string): string {
    return this.optionalString(name) ?? fallback;
  }

  /** Accepts what YAML 1.2's core schema calls booleans, as @actions/core does. */
  boolean(name: string, fallback: boolean): boolean {
    const value = this.optionalString(name);
    if (value === undefined) return fallback;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    throw new InputError(name, value, '`true` or `false`');
  }

  optionalInteger(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    const { min, max } = range;
    const expected =
      min !== undefined && max !== undefined
        ? `a whole number from ${min} to ${max}`
        : min !== undefined
          ? `a whole number of at least ${min}`
          : max !== undefined
            ? `a whole number of at most ${max}`
            : 'a whole number';
    if (!/^[+-]?\d+$/.test(value)) throw new InputError(name, value, expected);
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || (min !== undefined && parsed < min) || (max !== undefined && parsed > max)) {
      throw new InputError(name, value, expected);
    }
    return parsed;
  }

  integer(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    return this.optionalInteger(name, range) ?? fallback;
  }

  /** A duration such as `90s`, `5m`, `1h30m`, `250ms` or a bare number of seconds, in ms. */
  optionalDuration(name: string): number | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) {
      throw new InputError(name, value, 'a duration such as `90s`, `5m`, `1h30m` or a number of seconds');
    }
    return ms;
  }

  duration(name: string, fallback: number): number {
    return this.optionalDuration(name) ?? fallback;
  }

  /** One of a fixed set of words. */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.optionalString(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InputError(name, value, `one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
    return value as T;
  }

  /** Items separated by newlines or commas; blank items and `#` comment lines are dropped. */
  list(name: string): string[] {
    return this.raw(name)
      .split(/\r?\n/)
      .filter((line) => !line.trim().startsWith('#'))
      .flatMap((line) => line.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** Items one per line (commas kept: build args and labels may contain them). */
  lines(name: string): string[] {
    return parseLines(this.raw(name));
  }

  /** The raw value with its name, for a parser in shared/ that names the input in its errors. */
  given(name: string): GivenInput {
    return { name, value: this.raw(name) };
  }

  /** Multi-line `KEY=VALUE` (parseKeyValues). */
  keyValues(name: string, options: KeyValueOptions = {}): Map<string, string> {
    return parseKeyValues(this.given(name), options);
  }
}

/**
 * An input's value as given, with its name: what the parsers in shared/ take, so they never read
 * an input themselves (the action's inputs.ts does) yet every error still names the input.
 */
export interface GivenInput {
  name: string;
  value: string;
}

/** Items one per line, trimmed; blank lines and `#` comment lines are dropped. */
export function parseLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export interface KeyValueOptions {
  keyPattern?: RegExp;
  keyDescription?: string;
  allowEmptyValue?: boolean;
}

/**
 * Multi-line `KEY=VALUE`. Only the first `=` splits, so values keep their own `=` (base64,
 * URLs with queries). Order is kept; a later duplicate replaces an earlier one.
 */
export function parseKeyValues(given: GivenInput, options: KeyValueOptions = {}): Map<string, string> {
  const { keyPattern = /^[^\s=]+$/, keyDescription = 'a key without spaces', allowEmptyValue = true } = options;
  const { name } = given;
  const result = new Map<string, string>();
  for (const line of parseLines(given.value)) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      throw new InputError(name, line, `one \`KEY=VALUE\` per line (a line without \`=\` or with nothing before it was found)`);
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1);
    if (!keyPattern.test(key)) throw new InputError(name, line, `\`KEY=VALUE\` lines where KEY is ${keyDescription}`);
    if (!allowEmptyValue && value === '') throw new InputError(name, line, '`KEY=VALUE` with a non-empty value');
    result.set(key, value);
  }
  return result;
}

/** Names of environment variables, as a shell or `docker run -e` accepts them. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
