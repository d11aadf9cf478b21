import * as core from '@actions/core';

/**
 * An action's outputs, declared once with the names action.yml gives them: main sets them by
 * those names only (a misspelt one does not compile), and test/actions/contract.test.ts checks
 * the list against action.yml.
 */
export type OutputValue = string | number | boolean;

export interface OutputStore<K extends string> {
  readonly names: readonly K[];
  set(name: K, value: OutputValue): void;
}

export function defineOutputs<K extends string>(names: readonly K[]): OutputStore<K> {
  return {
    names,
    set(name, value) {
      core.setOutput(name, typeof value === 'string' ? value : String(value));
    },
  };
}
