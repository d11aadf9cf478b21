import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readActionManifest, repoRoot } from '../../local/runner/run-bundle.js';
import { defaultBudgetMs, STANDARD_TIERS } from '../../shared/test-tier/verdict.js';
import { parseDuration } from '../../shared/core/duration.js';

// The example users copy must use the action as action.yml declares it, with values the action
// accepts, and chain the tiers in the talk's order.
type Step = { id?: string; uses?: string; with?: Record<string, string>; run?: string };
type Workflow = { on: unknown; jobs: Record<string, { needs?: string; 'runs-on': string; steps: Step[] }> };

const workflow = parseYaml(readFileSync(path.join(repoRoot, 'workflows-examples/test-tiers.yml'), 'utf8')) as Workflow;
const declared = readActionManifest('run-test-tier').inputs ?? {};
const tierSteps = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses?.includes('/actions/run-test-tier@')));

describe('workflows-examples/test-tiers.yml', () => {
  it('runs unit, integration and acceptance in that order, one job needing the last', () => {
    expect(tierSteps.map((s) => s.with?.tier)).toEqual(['unit', 'integration', 'acceptance']);
    expect(Object.entries(workflow.jobs).map(([name, job]) => [name, job.needs])).toEqual([
      ['commit-stage', undefined],
      ['integration', 'commit-stage'],
      ['acceptance', 'integration'],
    ]);
  });

  it.each(tierSteps.map((s) => [s.with?.tier, s] as const))('%s: only declared inputs, with values the action accepts', (_tier, step) => {
    const inputs = step.with ?? {};
    for (const name of Object.keys(inputs)) expect(Object.keys(declared)).toContain(name);
    for (const [name, spec] of Object.entries(declared)) if (spec?.required) expect(inputs[name], name).toBeTruthy();
    expect(STANDARD_TIERS).toContain(inputs.tier);
    if (inputs.budget) expect(parseDuration(inputs.budget)).toBeGreaterThan(0);
    if (inputs['on-budget-exceeded']) expect(['fail', 'warn']).toContain(inputs['on-budget-exceeded']);
    if (inputs['compose-services']) expect(inputs['compose-file']).toBeTruthy();
  });

  it("the commit stage relies on the unit tier's 5-minute default budget", () => {
    expect(tierSteps[0]!.with?.budget).toBeUndefined();
    expect(defaultBudgetMs('unit')).toBe(5 * 60_000);
  });
});
