import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../local/runner/run-bundle.js';

/**
 * Every action's README is its documentation: its Inputs and Outputs tables say exactly what
 * action.yml declares (names in order, required, default, description), and its examples use
 * only declared inputs and outputs. One test for all five, so no action is left without one.
 */

interface Manifest {
  inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string }>;
}

const actions = readdirSync(path.join(repoRoot, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Rows of the first markdown table under `## heading`: cells split on `|` not escaped as `\|`. */
function tableRows(readme: string, heading: string): string[][] {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (section === undefined) return [];
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/\\\|/g, '|')),
    );
}

/** How a default is shown: empty for none, `value` in backticks, one per line for lists. */
function shownDefault(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  if (value.includes('\n'))
    return `${value
      .trim()
      .split('\n')
      .map((t) => `\`${t}\``)
      .join(' ')} (one per line)`;
  return `\`${value}\``;
}

function yamlBlocks(readme: string): unknown[] {
  return [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => {
    const lines = m[1]!.split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
    return parse(lines.map((l) => l.slice(indent)).join('\n')) as unknown;
  });
}

function stepsUsing(node: unknown, action: string, found: { id?: string; with?: Record<string, unknown> }[] = []) {
  if (Array.isArray(node)) for (const item of node) stepsUsing(item, action, found);
  else if (node && typeof node === 'object') {
    const step = node as { uses?: unknown; id?: string; with?: Record<string, unknown> };
    if (typeof step.uses === 'string' && step.uses.includes(`/actions/${action}@`)) found.push(step);
    for (const value of Object.values(node)) stepsUsing(value, action, found);
  }
  return found;
}

describe.each(actions)('actions/%s/README.md matches action.yml', (action) => {
  const dir = path.join(repoRoot, 'actions', action);
  const manifest = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as Manifest;
  const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
  const inputs = manifest.inputs ?? {};
  const outputs = manifest.outputs ?? {};

  it('lists every input with its required flag, default and description, in order', () => {
    expect(tableRows(readme, 'Inputs')).toEqual(
      Object.entries(inputs).map(([name, spec]) => [`\`${name}\``, spec.required ? 'yes' : 'no', shownDefault(spec.default), spec.description]),
    );
  });

  it('lists every output with its description, in order', () => {
    expect(tableRows(readme, 'Outputs')).toEqual(Object.entries(outputs).map(([name, spec]) => [`\`${name}\``, spec.description]));
  });

  it('has an example that uses the action with declared inputs and reads declared outputs only', () => {
    const steps = yamlBlocks(readme).flatMap((block) => stepsUsing(block, action));
    expect(steps.length, 'steps using the action in the README').toBeGreaterThan(0);
    for (const step of steps) for (const key of Object.keys(step.with ?? {})) expect(Object.keys(inputs), `with: ${key}`).toContain(key);
    const ids = new Set(steps.map((s) => s.id).filter(Boolean));
    for (const [, id, output] of readme.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (ids.has(id)) expect(Object.keys(outputs), `steps.${id}.outputs.${output}`).toContain(output);
    }
  });
});
