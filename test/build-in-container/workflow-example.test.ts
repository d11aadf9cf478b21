import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readActionManifest, repoRoot } from '../../local/runner/run-action.js';

// The example users copy must use the action as action.yml declares it. (@actions/workflow-parser
// cannot be loaded here: it imports its JSON schema without an import attribute.)
describe('workflows-examples/build-in-container.yml', () => {
  const file = path.join(repoRoot, 'workflows-examples/build-in-container.yml');
  const content = readFileSync(file, 'utf8');

  it('builds in maven:3 with `mvn -B clean package` and the maven cache, using only declared inputs', () => {
    const workflow = parseYaml(content) as { on: unknown; jobs: Record<string, { 'runs-on': string; steps: { uses?: string; with?: Record<string, string> }[] }> };
    expect(workflow.on).toBeDefined();
    for (const job of Object.values(workflow.jobs)) expect(job['runs-on']).toBeTruthy();
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.includes('/actions/build-in-container@'));
    expect(steps).toHaveLength(1);
    const inputs = steps[0]!.with ?? {};
    expect(inputs.image).toBe('maven:3');
    expect(inputs.run).toContain('mvn -B clean package');
    expect(inputs.caches).toBe('maven');
    const declared = readActionManifest('build-in-container').inputs ?? {};
    for (const name of Object.keys(inputs)) expect(declared, name).toHaveProperty(name);
  });
});
