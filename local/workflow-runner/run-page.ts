/**
 * The run page: a static HTML page (no server) of a finished run, like GitHub's run view — the
 * jobs as a graph (drawn by Mermaid) with their outcome and duration, each job's steps, its
 * annotations with file and line, its summary rendered as GitHub renders it (summary-html.ts),
 * and the check runs and pull-request comments the GitHub stand-in received. Mermaid is copied
 * from node_modules into `assets/` beside the page: the page needs no network.
 *
 *   await writeRunPage(result, '/tmp/run/index.html')      // a page of its own
 *   await renderRunSection(result)                           // the same, as a section of a bigger page
 */
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedCheckRun, RecordedComment } from '../github-api/index.js';
import { repoRoot } from '../runner/run-bundle.js';
import type { JobRunResult, StepRunResult, WorkflowRunResult } from './run-workflow.js';
import { renderSummary } from './summary-html.js';
import { loadWorkflow } from './workflow-file.js';

/** What the GitHub stand-in received during the run, shown under the jobs. */
export interface RunPageRecords {
  checkRuns?: RecordedCheckRun[];
  comments?: RecordedComment[];
}

export interface RunSectionOptions {
  /** The section's anchor (default: run-<workflow name>). */
  anchor?: string;
  /** A heading over the workflow's name, e.g. the demo stage it belongs to. */
  title?: string;
  records?: RunPageRecords;
}

/** Every summary problem found on a page (a summary that GitHub would drop or show broken). */
export interface RenderedRun {
  html: string;
  summaryProblems: string[];
}

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function formatDurationMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const ICON: Record<string, string> = { success: '✓', failure: '✗', cancelled: '⊘', skipped: '○' };

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'run'
  );
}

/** Each job's `needs`, by job id, read from the workflow file (the run's result does not carry them). */
async function needsOf(file: string): Promise<Map<string, string[]>> {
  try {
    const workflow = await loadWorkflow(file);
    return new Map(workflow.template.jobs.map((j) => [j.id.value, (j.needs ?? []).map((n) => n.value)]));
  } catch {
    return new Map();
  }
}

/** A Mermaid label: its quotes and brackets as entity codes, which Mermaid reads inside "…". */
const mermaidLabel = (s: string) => s.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));

/** The jobs as a Mermaid flowchart: one node a job (a called workflow a subgraph of its jobs), edges from needs. */
async function jobsGraph(result: WorkflowRunResult): Promise<string> {
  const lines = ['flowchart LR'];
  let counter = 0;
  const add = async (run: WorkflowRunResult, indent: string, caller = ''): Promise<Map<string, string[]>> => {
    const needs = await needsOf(run.file);
    const nodes = new Map<string, string[]>();
    for (const job of run.jobs) {
      const node = `j${counter++}`;
      nodes.set(job.id, [...(nodes.get(job.id) ?? []), node]);
      // Inside its caller's box a called job goes by its own name.
      const name = caller && job.name.startsWith(caller) ? job.name.slice(caller.length) : job.name;
      const label = mermaidLabel(`${ICON[job.result] ?? ''} ${name}${job.durationMs ? ` · ${formatDurationMs(job.durationMs)}` : ''}`);
      if (job.called) {
        lines.push(`${indent}subgraph ${node} ["${label}"]`, `${indent}  direction LR`);
        await add(job.called, `${indent}  `, `${job.name} / `);
        lines.push(`${indent}end`, `${indent}class ${node} ${job.result}`);
      } else lines.push(`${indent}${node}["${label}"]:::${job.result}`);
    }
    for (const job of run.jobs)
      for (const need of needs.get(job.id) ?? [])
        for (const from of nodes.get(need) ?? []) for (const to of nodes.get(job.id) ?? []) if (from !== to) lines.push(`${indent}${from} --> ${to}`);
    return nodes;
  };
  await add(result, '  ');
  lines.push(
    '  classDef success fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
    '  classDef failure fill:#ffebe9,stroke:#cf222e,color:#1f2328',
    '  classDef cancelled fill:#eaeef2,stroke:#57606a,color:#1f2328',
    '  classDef skipped fill:#f6f8fa,stroke:#8c959f,color:#57606a',
  );
  return lines.join('\n');
}

/** Every job that ran steps, called workflows' jobs as GitHub lists them (`caller / job`). */
function flatJobs(result: WorkflowRunResult, prefix = ''): { name: string; job: JobRunResult }[] {
  const named = (name: string) => (name.startsWith(prefix) ? name : `${prefix}${name}`);
  return result.jobs.flatMap((job) => (job.called ? flatJobs(job.called, `${named(job.name)} / `) : [{ name: named(job.name), job }]));
}

function stepItem(step: StepRunResult): string {
  const message = step.message ? `<div class="message">${escapeHtml(step.message.split('\n')[0] ?? '')}</div>` : '';
  // As GitHub marks it: a step that failed shows failed even when continue-on-error let the job go on.
  return `<li class="${step.outcome}"><span class="icon">${ICON[step.outcome] ?? ''}</span> ${escapeHtml(step.name)} <span class="duration">${formatDurationMs(step.durationMs)}</span>${message}</li>`;
}

function annotationItems(job: JobRunResult): string {
  const items = job.steps.flatMap((step) =>
    step.annotations.map((a) => {
      const where = a.file ? `${a.file}${a.line ? `:${a.line}${a.endLine && a.endLine !== a.line ? `-${a.endLine}` : ''}` : ''}` : step.name;
      return `<li class="annotation ${a.level}"><b>${a.level}</b> <code>${escapeHtml(where)}</code>${a.title ? ` <b>${escapeHtml(a.title)}</b>` : ''}: ${escapeHtml(a.message)}</li>`;
    }),
  );
  return items.length ? `<ul class="annotations">${items.join('')}</ul>` : '';
}

function jobBlock(name: string, job: JobRunResult, problems: string[]): string {
  const steps = job.steps.length ? `<ol class="steps">${job.steps.map(stepItem).join('')}</ol>` : '';
  const message = job.message ? `<div class="message">${escapeHtml(job.message)}</div>` : '';
  let summary = '';
  if (job.summary.trim()) {
    const rendered = renderSummary(job.summary);
    problems.push(...rendered.problems.map((p) => `${name}: ${p}`));
    const shown = rendered.problems.length ? `<ul class="summary-problems">${rendered.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
    summary = `<div class="summary"><h4>${escapeHtml(name)} summary</h4>${shown}<div class="markdown-body">${rendered.html}</div></div>`;
  }
  const head = `<span class="icon">${ICON[job.result] ?? ''}</span> ${escapeHtml(name)} <span class="duration">${formatDurationMs(job.durationMs)}</span>`;
  return `<details class="job ${job.result}" open><summary>${head}</summary>${message}${steps}${annotationItems(job)}${summary}</details>`;
}

function recordsBlock(records: RunPageRecords | undefined): string {
  const parts: string[] = [];
  for (const run of records?.checkRuns ?? []) {
    const annotations = run.annotations.map(
      (a) => `<li class="annotation ${a.annotation_level}"><code>${escapeHtml(`${a.path}:${a.start_line}`)}</code> ${escapeHtml(a.message)}</li>`,
    );
    const summary = run.output.summary ? renderSummary(run.output.summary).html : '';
    parts.push(
      `<div class="check-run"><h4>check run: ${escapeHtml(run.name)} — ${escapeHtml(run.conclusion ?? run.status)}</h4>${run.output.title ? `<p>${escapeHtml(run.output.title)}</p>` : ''}<div class="markdown-body">${summary}</div>${annotations.length ? `<ul class="annotations">${annotations.join('')}</ul>` : ''}</div>`,
    );
  }
  for (const comment of records?.comments ?? [])
    parts.push(
      `<div class="comment"><h4>comment by ${escapeHtml(comment.user.login)}</h4><div class="markdown-body">${renderSummary(comment.body).html}</div></div>`,
    );
  return parts.join('');
}

/** The run as a section of a page. */
export async function renderRunSection(result: WorkflowRunResult, options: RunSectionOptions = {}): Promise<RenderedRun> {
  const problems: string[] = [];
  const anchor = options.anchor ?? `run-${slug(result.name)}`;
  const jobs = flatJobs(result)
    .map(({ name, job }) => jobBlock(name, job, problems))
    .join('');
  const notices = result.notices.length
    ? `<details class="notices"><summary>what ran differently from GitHub (${result.notices.length})</summary><ul>${result.notices.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></details>`
    : '';
  const heading = `${options.title ? `${escapeHtml(options.title)} — ` : ''}${escapeHtml(result.name)}`;
  const html = `<section class="run ${result.conclusion}" id="${escapeHtml(anchor)}">
<h2><span class="icon">${ICON[result.conclusion] ?? ''}</span> ${heading} <span class="duration">${result.conclusion} in ${formatDurationMs(result.durationMs)}</span></h2>
<p class="file"><code>${escapeHtml(path.basename(result.file))}</code></p>
<pre lang="mermaid" class="jobs-graph"><code>${escapeHtml(await jobsGraph(result))}</code></pre>
${notices}${jobs}${recordsBlock(options.records)}
</section>`;
  return { html, summaryProblems: problems };
}

const STYLE = `
body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:24px} h2{font-size:20px;border-bottom:1px solid #d1d9e0;padding-bottom:4px} .duration{color:#59636e;font-size:12px;font-weight:normal}
.success>.icon,.success>summary>.icon,li.success>.icon{color:#1a7f37} .failure>.icon,.failure>summary>.icon,li.failure>.icon{color:#cf222e} .skipped .icon,.cancelled .icon{color:#59636e}
details.job{border:1px solid #d1d9e0;border-radius:6px;margin:8px 0;padding:4px 12px} details.job>summary{font-weight:600;cursor:pointer}
ol.steps{list-style:none;padding-left:8px;margin:4px 0} .message{color:#cf222e;font-size:12px;white-space:pre-wrap}
.annotations li.warning{color:#9a6700} .annotations li.error,.annotations li.failure{color:#cf222e} .annotations li.notice{color:#0969da}
.summary{border-top:1px solid #d1d9e0;margin-top:8px} .summary-problems{color:#cf222e}
.markdown-body table{border-collapse:collapse;margin:8px 0} .markdown-body th,.markdown-body td{border:1px solid #d1d9e0;padding:4px 10px}
.markdown-body pre{background:#f6f8fa;padding:8px;overflow:auto} .markdown-body code{font-size:12px}
table.stages{border-collapse:collapse} table.stages th,table.stages td{border:1px solid #d1d9e0;padding:4px 8px;vertical-align:top} td.num{text-align:right;white-space:nowrap}
.chart{margin:8px 0} .mermaid{margin:8px 0}
`;

/** Draws every `<pre lang="mermaid">` with Mermaid, then marks the body done (or failed) for whoever waits on it. */
const SCRIPT = `
(async () => {
  const blocks = [...document.querySelectorAll('pre[lang="mermaid"]')];
  for (const pre of blocks) {
    const div = document.createElement('div');
    div.className = 'mermaid' + (pre.classList.contains('jobs-graph') ? ' jobs-graph' : '');
    div.textContent = pre.textContent;
    pre.replaceWith(div);
  }
  try {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', flowchart: { htmlLabels: false } });
    await mermaid.run({ querySelector: '.mermaid' });
    document.body.dataset.mermaid = 'done';
  } catch (e) {
    console.error('mermaid: ' + (e && e.message ? e.message : e));
    document.body.dataset.mermaid = 'failed';
  }
})();
`;

/** A whole page around sections; Mermaid is loaded from `assets/` beside it. */
export function pageDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
${body}
<script src="assets/mermaid.min.js"></script>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Writes a page and puts Mermaid in `assets/` beside it (once: a copy of the same size is kept). */
export function writePage(file: string, title: string, body: string): string {
  const dir = path.dirname(path.resolve(file));
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  const mermaid = path.join(repoRoot, 'node_modules/mermaid/dist/mermaid.min.js');
  const copy = path.join(dir, 'assets/mermaid.min.js');
  if (!existsSync(copy) || statSync(copy).size !== statSync(mermaid).size) copyFileSync(mermaid, copy);
  writeFileSync(file, pageDocument(title, body));
  return path.resolve(file);
}

/** The run's own page. Returns its path and the summaries GitHub would drop or show broken. */
export async function writeRunPage(result: WorkflowRunResult, file: string, records?: RunPageRecords): Promise<{ file: string; summaryProblems: string[] }> {
  const section = await renderRunSection(result, records ? { records } : {});
  const written = writePage(file, `${result.name} — ${result.conclusion}`, `<h1>${escapeHtml(result.name)}</h1>${section.html}`);
  return { file: written, summaryProblems: section.summaryProblems };
}
