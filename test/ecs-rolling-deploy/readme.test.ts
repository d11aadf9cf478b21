/** The README documents exactly what action.yml declares: same inputs, defaults and outputs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../local/runner/run-bundle.js';

const dir = path.join(repoRoot, 'actions/ecs-rolling-deploy');
const manifest = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
};
const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
const rows = (header: string) =>
  readme
    .split('\n')
    .slice(readme.split('\n').findIndex((l) => l.startsWith(header)) + 2)
    .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('|')))
    .map((l) => l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));

describe('ecs-rolling-deploy README', () => {
  it('lists every input with its required flag, default and description', () => {
    expect(rows('| input').map((r) => [r[0], r[1], r[2], r[3]?.replace(/\\\|/g, '|')])).toEqual(
      Object.entries(manifest.inputs).map(([name, spec]) => [`\`${name}\``, spec.required ? 'yes' : 'no', spec.default ? `\`${spec.default}\`` : '', spec.description]),
    );
  });
  it('lists every output with its description', () => {
    expect(rows('| output').map((r) => [r[0], r[1]])).toEqual(Object.entries(manifest.outputs).map(([name, spec]) => [`\`${name}\``, spec.description]));
  });
  it('uses only declared inputs in its example', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const step = (parse(example) as { steps: { id?: string; with?: Record<string, unknown> }[] }).steps.find((s) => s.id === 'deploy')!;
    for (const name of Object.keys(step.with ?? {})) expect(Object.keys(manifest.inputs)).toContain(name);
  });
});
