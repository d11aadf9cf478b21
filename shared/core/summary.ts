import * as core from '@actions/core';

/** Job summary helpers: tables a person can read at a glance, added to one summary per step. */
export type Cell = string | number | boolean | undefined | null;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cellText(cell: Cell): string {
  if (cell === undefined || cell === null || cell === '') return '—';
  return escapeHtml(String(cell));
}

/** An HTML table (the summary renders HTML; markdown tables break on `|` inside values). */
export function htmlTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((c) => `<td>${cellText(c)}</td>`).join('')}</tr>`).join('');
  return `<table>${head}${body}</table>\n`;
}

/** A two-column table of named values, skipping rows whose value is undefined. */
export function keyValueTable(pairs: readonly (readonly [string, Cell])[]): string {
  return htmlTable(
    ['', ''],
    pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [k, v]),
  );
}

export function details(title: string, bodyHtml: string): string {
  return `<details><summary>${escapeHtml(title)}</summary>\n\n${bodyHtml}\n</details>\n`;
}

export function codeBlock(text: string): string {
  return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
}

/** Appends one section (heading + HTML) to the step summary; a no-op when there is no summary file. */
export async function writeSummary(heading: string, ...parts: string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addHeading(escapeHtml(heading), 3).addRaw(parts.join(''), true).write();
}
