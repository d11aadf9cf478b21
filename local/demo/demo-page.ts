/**
 * The demo's page: one static HTML page for the whole demo — the stage table, then each stage
 * with a chart of the load it put on a service (load-chart.ts) and its workflow run as the local
 * runner's run page shows it (jobs graph, steps, annotations, summaries rendered as GitHub does).
 */
import type { RunPageRecords } from '../workflow-runner/run-page.js';
import { escapeHtml, formatDurationMs, renderRunSection, writePage } from '../workflow-runner/run-page.js';
import type { WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import { renderLoadChart } from './load-chart.js';
import type { LoadResult } from './load-generator.js';
import type { StageRow } from './report-table.js';

export interface StagePage {
  title: string;
  workflow?: string;
  rows: StageRow[];
  run?: WorkflowRunResult;
  /** The load it put on a service, each answer in order, by load name. */
  loads: { name: string; answers: LoadResult[] }[];
  records?: RunPageRecords;
}

export interface DemoPage {
  ok: boolean;
  durationMs: number;
  stages: StagePage[];
  error?: string;
}

const cell = (text: string, numeric = false) => `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;

function stageTable(stages: StagePage[]): string {
  const rows = stages.flatMap((stage, k) =>
    stage.rows.map(
      (r) =>
        `<tr class="${r.ok ? 'success' : 'failure'}"><td><span class="icon">${r.ok ? '✓' : '✗'}</span> <a href="#stage-${k}">${escapeHtml(r.stage.trim())}</a></td>${cell(r.result)}${cell(formatDurationMs(r.durationMs) || '–', true)}${cell(r.versionServed ?? '–')}${cell(r.requestsSent === undefined ? '–' : String(r.requestsSent), true)}${cell(r.requestsFailed === undefined ? '–' : String(r.requestsFailed), true)}</tr>`,
    ),
  );
  return `<table class="stages"><thead><tr><th>stage</th><th>result</th><th>duration</th><th>version served</th><th>requests sent</th><th>failed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

async function stageSection(stage: StagePage, k: number, problems: string[]): Promise<string> {
  const charts = stage.loads.map((l) => `<figure class="chart">${renderLoadChart(l.name, l.answers)}</figure>`).join('');
  let run = '';
  if (stage.run) {
    const section = await renderRunSection(stage.run, {
      anchor: `run-${k}`,
      title: stage.workflow ?? '',
      ...(stage.records ? { records: stage.records } : {}),
    });
    problems.push(...section.summaryProblems.map((p) => `${stage.title}: ${p}`));
    run = section.html;
  }
  const link = stage.run ? `<p>workflow run: <a href="#run-${k}">${escapeHtml(stage.run.name)} (${stage.run.conclusion})</a></p>` : '';
  return `<section class="stage" id="stage-${k}"><h2>${escapeHtml(stage.title)}</h2>${link}${charts}${run}</section>`;
}

/** Writes the page (Mermaid in assets/ beside it) and returns its path. */
export async function writeDemoPage(file: string, demo: DemoPage): Promise<string> {
  const problems: string[] = [];
  const sections: string[] = [];
  for (const [k, stage] of demo.stages.entries()) sections.push(await stageSection(stage, k, problems));
  const status = `${demo.ok ? 'demo passed' : 'demo FAILED'} in ${formatDurationMs(demo.durationMs)}`;
  const stopped = demo.error ? `<p class="message">the demo stopped: ${escapeHtml(demo.error)}</p>` : '';
  const problemList = problems.length
    ? `<h2>Summaries GitHub would not show as written</h2><ul class="summary-problems">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`
    : '';
  const body = `<h1>commit-to-prod demo — ${escapeHtml(status)}</h1>${stopped}${stageTable(demo.stages)}${problemList}${sections.join('\n')}`;
  return writePage(file, `commit-to-prod demo — ${status}`, body);
}
