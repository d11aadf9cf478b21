import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../local/runner/run-bundle.js';

// The README is the action's documentation: every input and output of action.yml, with the same
// description and default, and nothing more.
const dir = path.join(repoRoot, 'actions/build-push-image');
const manifest = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
};
const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
function rows(heading: string): Map<string, string[]> {
  const section = readme.split(`## ${heading}\n`)[1]!.split('\n## ')[0]!;
  return new Map(
    section
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.slice(1, -1).split('|').map((c) => c.trim()))
      .map((cells) => [cells[0]!.replace(/`/g, ''), cells.slice(1)]),
  );
}

describe('README matches action.yml', () => {
  it('inputs: names, required, defaults and descriptions', () => {
    const table = rows('Inputs');
    expect([...table.keys()]).toEqual(Object.keys(manifest.inputs));
    for (const [name, spec] of Object.entries(manifest.inputs)) {
      const [required, defaultCell, description] = table.get(name)!;
      expect(required, name).toBe(spec.required ? 'yes' : 'no');
      expect(description, name).toBe(spec.description);
      const shown = spec.default === undefined ? '' : spec.default.includes('\n') ? spec.default.trim().split('\n').map((t) => `\`${t}\``).join(' ') + ' (one per line)' : `\`${spec.default === '' ? "''" : spec.default}\``;
      expect(defaultCell, name).toBe(shown);
    }
  });
  it('outputs', () => {
    const table = rows('Outputs');
    expect([...table.keys()]).toEqual(Object.keys(manifest.outputs));
    for (const [name, spec] of Object.entries(manifest.outputs)) expect(table.get(name)![0], name).toBe(spec.description);
  });
});
