import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatReportTable } from '../../local/demo/report-table.js';
import { demoStages } from '../../local/demo/stages.js';
import { DEMO_WORKFLOWS } from '../../local/demo/workspace.js';
import { repoRoot } from '../../local/runner/run-bundle.js';

/** Every function (declared, arrow or method) in a file, with its length in lines. */
function functionLengths(file: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = (node.name && ts.isIdentifier(node.name) ? node.name.text : undefined) ?? `function at line ${start + 1}`;
      found.push({ name: `${path.basename(file)}: ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the demo as a table of stages', () => {
  it('has no function over 80 lines in local/demo/', () => {
    const dir = path.join(repoRoot, 'local/demo');
    const long = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => functionLengths(path.join(dir, f)))
      .filter((f) => f.lines > 80);
    expect(long).toEqual([]);
  });

  it('declares each stage with a workflow the demo copies into the sample app', () => {
    const stages = demoStages();
    expect(stages.length).toBeGreaterThanOrEqual(8);
    for (const stage of stages) {
      expect(DEMO_WORKFLOWS, stage.title).toContain(stage.workflow);
      expect(stage.title, 'each title starts with its number').toMatch(/^\d+(–\d+)?\. /);
    }
  });
});

describe('the demo’s text table fitted to the terminal', () => {
  const rows = [
    { stage: '0. first release 1.0.0 (pipeline)', ok: true, result: 'succeeded', durationMs: 61_000, versionServed: '1.0.0' },
    {
      stage: '7. deploy 5xx 1.3.0 to staging under load',
      ok: true,
      result: 'caught by alarm staging-5xx and rolled back: 212 requests answered 500 while it served; production skipped',
      durationMs: 95_000,
      versionServed: '1.1.0',
      requestsSent: 2400,
      requestsFailed: 212,
    },
  ];

  it('keeps within 80 and 100 columns by wrapping the result and stage columns', () => {
    for (const width of [80, 100]) {
      const lines = formatReportTable(rows, width)
        .split('\n')
        .filter((l) => /^[│┌├└]/.test(l));
      for (const line of lines) expect([...line].length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      // Nothing is cut: every word of the long result is still in the table.
      const text = lines.join(' ');
      for (const word of rows[1]!.result.split(' ')) expect(text).toContain(word);
    }
  });

  it('is one line a row when the terminal is wide enough', () => {
    expect(formatReportTable(rows, 400).split('\n')).toHaveLength(2 + 3 + 1);
  });
});
