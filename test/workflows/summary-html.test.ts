import { describe, expect, it } from 'vitest';
import { renderSummary, STEP_SUMMARY_LIMIT_BYTES } from '../../local/workflow-runner/summary-html.js';

describe('a job summary rendered as GitHub renders it', () => {
  it('renders GitHub-flavoured Markdown: tables, task lists, strikethrough, autolinks', () => {
    const r = renderSummary('| a | b |\n| --- | ---: |\n| 1 | 2 |\n\n- [x] done\n- [ ] not yet\n\n~~gone~~ https://example.com\n');
    expect(r.problems).toEqual([]);
    expect(r.tables).toBe(1);
    expect(r.html).toContain('<th>a</th>');
    expect(r.html).toContain('<td align="right">2</td>');
    expect(r.html).toContain('<input checked disabled type="checkbox" />');
    expect(r.html).toContain('<del>gone</del>');
    expect(r.html).toContain('<a href="https://example.com">https://example.com</a>');
  });

  it('sanitises as GitHub does: no scripts, styles, event handlers, classes or javascript: links', () => {
    const r = renderSummary(
      '<script>alert(1)</script><style>body{}</style><b onclick="x()" class="c" style="color:red">bold</b> <a href="javascript:alert(1)">j</a> <img src="x" onerror="y()"><details open><summary>more</summary>inside</details>',
    );
    expect(r.html).not.toMatch(/script|style|onclick|onerror|class=|javascript:/);
    expect(r.html).toContain('<b>bold</b>');
    expect(r.html).toContain('<details open><summary>more</summary>inside</details>');
  });

  it('leaves ```mermaid fences for Mermaid to draw, as <pre lang="mermaid">', () => {
    const r = renderSummary('```mermaid\nflowchart LR\n  A --> B\n```\n');
    expect(r.mermaidBlocks).toBe(1);
    expect(r.html).toBe('<pre lang="mermaid"><code>flowchart LR\n  A --&gt; B</code></pre>\n');
  });

  it('finds a table row whose stray pipe GitHub would drop a cell of', () => {
    const r = renderSummary('| name | result |\n| --- | --- |\n| a | passed |\n| b | failed: x | y |\n| c \\| d | ok |\n');
    expect(r.problems).toEqual([
      'table row 2 has 3 cells where its header has 2 (a stray or missing "|"; GitHub drops the extra cells): | b | failed: x | y |',
    ]);
  });

  it('finds a summary over GitHub’s 1 MiB per step', () => {
    const r = renderSummary('x'.repeat(STEP_SUMMARY_LIMIT_BYTES + 1));
    expect(r.problems).toEqual([
      `the summary is ${STEP_SUMMARY_LIMIT_BYTES + 1} bytes; GitHub shows at most 1048576 bytes (1 MiB) per step and drops a larger one`,
    ]);
    expect(renderSummary('é'.repeat(STEP_SUMMARY_LIMIT_BYTES / 2)).problems).toEqual([]);
  });
});
