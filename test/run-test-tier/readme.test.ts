import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActionManifest, repoRoot } from '../../local/runner/run-bundle.js';

// The README is what users read: its tables must say exactly what action.yml declares.
describe('run-test-tier README', () => {
  const manifest = readActionManifest('run-test-tier') as unknown as {
    inputs: Record<string, { description: string; required?: boolean; default?: string }>;
    outputs: Record<string, { description: string }>;
  };
  const readme = readFileSync(path.join(repoRoot, 'actions/run-test-tier/README.md'), 'utf8');
  const rows = (heading: string) => {
    const section = readme.split(`## ${heading}\n`)[1]!.split('\n## ')[0]!;
    return section.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()));
  };

  it('lists every input with its required flag, default and description', () => {
    const expected = Object.entries(manifest.inputs).map(([name, spec]) => [`\`${name}\``, spec.required ? 'yes' : 'no', spec.default ? `\`${spec.default}\`` : '', spec.description]);
    expect(rows('Inputs')).toEqual(expected);
  });

  it('lists every output with its description', () => {
    expect(rows('Outputs')).toEqual(Object.entries(manifest.outputs).map(([name, spec]) => [`\`${name}\``, spec.description]));
  });
});
