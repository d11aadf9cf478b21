import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { renderRunSection } from '../../local/workflow-runner/run-page.js';
import type { JobRunResult, WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';

const fixtures = path.join(repoRoot, 'test/fixtures/workflows');
const job = (id: string, name: string, extra: Partial<JobRunResult> = {}): JobRunResult => ({
  id,
  name,
  result: 'success',
  outputs: {},
  steps: [],
  summary: '',
  durationMs: 1500,
  ...extra,
});
const run = (file: string, jobs: JobRunResult[]): WorkflowRunResult => ({
  file: path.join(fixtures, file),
  name: file,
  conclusion: 'success',
  jobs,
  attestations: [],
  outputs: {},
  notices: [],
  durationMs: 3000,
});

describe('the run page’s jobs graph', () => {
  it('draws needs as edges and a called workflow as a box of its jobs, each by its own name', async () => {
    const called = run('called.yml', [job('speak', 'call / speak', { result: 'failure' })]);
    const caller = run('caller.yml', [
      job('prepare', 'prepare'),
      job('call', 'call', { called, result: 'failure' }),
      job('after', 'after', { result: 'skipped' }),
    ]);
    const { html } = await renderRunSection(caller);
    const graph = html
      .slice(html.indexOf('flowchart LR'), html.indexOf('  classDef'))
      .replace(/&quot;/g, '"')
      .replace(/&gt;/g, '>');
    expect(graph.split('\n').map((l) => l.trimEnd())).toEqual([
      'flowchart LR',
      '  j0["✓ prepare · 1.5 s"]:::success',
      '  subgraph j1 ["✗ call · 1.5 s"]',
      '    direction LR',
      '    j2["✗ speak · 1.5 s"]:::failure',
      '  end',
      '  class j1 failure',
      '  j3["○ after · 1.5 s"]:::skipped',
      '  j0 --> j1',
      '  j1 --> j3',
      '',
    ]);
    // The job list names a called job as GitHub does: `caller / job`, once.
    expect([...html.matchAll(/<summary><span class="icon">[^<]*<\/span> ([^<]*) </g)].map((m) => m[1])).toEqual(['prepare', 'call / speak', 'after']);
  });
});
