import * as core from '@actions/core';
import { containsSecret } from './secrets.js';

/**
 * Main → post state with a fixed set of keys per action, so every key lives in one place.
 * Values are refused if they contain a registered secret: state is written to a file on the
 * runner and handed to the post step as environment, where it does not belong.
 */
export interface StateStore<K extends string> {
  save(key: K, value: string): void;
  get(key: K): string | undefined;
}

export function defineState<K extends string>(keys: readonly K[]): StateStore<K> {
  const allowed = new Set<string>(keys);
  const check = (key: string) => {
    if (!allowed.has(key)) throw new Error(`state key '${key}' is not declared (declared: ${keys.join(', ')})`);
  };
  return {
    save(key, value) {
      check(key);
      if (containsSecret(value)) throw new Error(`refusing to save a secret in state '${key}'`);
      core.saveState(key, value);
    },
    get(key) {
      check(key);
      const value = core.getState(key);
      return value === '' ? undefined : value;
    },
  };
}
