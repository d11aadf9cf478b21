/**
 * Every step summary the actions wrote during the suite's own runs (local/runner keeps a copy of
 * each in CTP_SUMMARY_DIR, which scripts/test.sh sets), rendered as GitHub renders them: a summary
 * over GitHub's 1 MiB per step, a table with a stray pipe, Markdown that does not render, or a
 * Mermaid diagram that Chromium's Mermaid cannot draw fails the run. Run after the tests:
 *
 *   npx tsx test/summaries/check-summaries.ts .tmp/summaries
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml, writePage } from '../../local/workflow-runner/run-page.js';
import { renderSummary } from '../../local/workflow-runner/summary-html.js';
import { checkPageInBrowser, launchChromium } from '../helpers/browser-page.js';

const dir = path.resolve(process.argv[2] ?? process.env.CTP_SUMMARY_DIR ?? '.tmp/summaries');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
if (files.length === 0) {
  console.log(`summaries: none written by the actions in this run (${dir})`);
  process.exit(0);
}
const problems: string[] = [];
const sections: string[] = [];
let mermaidBlocks = 0;
for (const file of files.sort()) {
  const rendered = renderSummary(readFileSync(path.join(dir, file), 'utf8'));
  problems.push(...rendered.problems.map((p) => `${file}: ${p}`));
  mermaidBlocks += rendered.mermaidBlocks;
  sections.push(`<section id="${escapeHtml(file)}"><h2>${escapeHtml(file)}</h2><div class="markdown-body">${rendered.html}</div></section>`);
}
const page = writePage(path.join(dir, 'page', 'index.html'), 'step summaries of the test run', sections.join('\n'));
const browser = await launchChromium();
try {
  // The first screen only: a whole suite's summaries make a page too long for one picture.
  const check = await checkPageInBrowser(browser, page, path.join(dir, 'page', 'screenshot.png'), undefined, false);
  problems.push(...check.consoleErrors.map((e) => `the page of every summary (${page}): console error: ${e}`));
  if (check.mermaid.drawn !== mermaidBlocks || check.mermaid.failed > 0)
    problems.push(`Mermaid drew ${check.mermaid.drawn - check.mermaid.failed} of ${mermaidBlocks} diagrams in the summaries (${page})`);
} finally {
  await browser.close();
}
console.log(`summaries: ${files.length} step summaries of the actions rendered as GitHub renders them, ${mermaidBlocks} Mermaid diagrams; page: ${page}`);
if (problems.length) {
  console.error(`summaries GitHub would drop or show broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
