/** The README documents exactly the inputs and outputs action.yml declares, with the same words. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Manifest {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const manifest = parse(readFileSync('actions/rollback/action.yml', 'utf8')) as Manifest;
const readme = readFileSync('actions/rollback/README.md', 'utf8');

/** Rows of the markdown table under `## heading`, as cells (a `\|` inside a cell is kept). */
function tableRows(heading: string): string[][] {
  const section = readme.split(/^## /m).find((s) => s.startsWith(`${heading}\n`)) ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.slice(2, -2).split(/ \| /).map((c) => c.replace(/\\\|/g, '|')));
}

describe('actions/rollback/README.md', () => {
  it('lists every input of action.yml with its required flag, default and description', () => {
    const rows = tableRows('Inputs');
    expect(rows.map((r) => r[0])).toEqual(Object.keys(manifest.inputs).map((k) => `\`${k}\``));
    for (const [name, input] of Object.entries(manifest.inputs)) {
      const row = rows.find((r) => r[0] === `\`${name}\``)!;
      expect(row.slice(1).map((c) => c.trim()), name).toEqual([input.required ? 'yes' : 'no', input.default ? `\`${input.default}\`` : '', input.description]);
    }
  });

  it('lists every output of action.yml with its description', () => {
    const rows = tableRows('Outputs');
    expect(rows).toEqual(Object.entries(manifest.outputs).map(([name, o]) => [`\`${name}\``, o.description]));
  });

  it('uses only declared inputs and outputs in its example', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const steps = (parse(example) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }> }).jobs;
    const ours = Object.values(steps).flatMap((j) => j.steps).filter((s) => s.uses?.includes('/rollback@'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) for (const key of Object.keys(step.with ?? {})) expect(Object.keys(manifest.inputs)).toContain(key);
    for (const [, output] of example.matchAll(/steps\.\w+\.outputs\.([\w-]+)/g)) expect(Object.keys(manifest.outputs)).toContain(output);
  });
});
