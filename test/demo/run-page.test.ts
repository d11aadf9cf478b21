import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoPage } from '../../local/demo/demo-page.js';
import type { LoadResult } from '../../local/demo/load-generator.js';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { writeRunPage } from '../../local/workflow-runner/run-page.js';
import { runWorkflow, type WorkflowRunResult } from '../../local/workflow-runner/run-workflow.js';
import { checkPageInBrowser, launchChromium } from '../helpers/browser-page.js';

// The run page and the demo's page opened in a real browser: Debian's Chromium, headless, through
// playwright-core. A small real run of the local workflow runner (two jobs, a summary table, a
// Mermaid diagram, annotations, a check run and a comment the GitHub stand-in received) stands in
// for the demo's six minutes; the demo's load charts are
// drawn from recorded answers shaped like its canary and alarm stages. The screenshots stay in
// .tmp/run-page/ for a person to look at.
const out = path.join(repoRoot, '.tmp/run-page');
mkdirSync(out, { recursive: true });
// Generous: a page of Mermaid diagrams on a loaded 2-core machine; each waits on the page's own mark, not on time.
const BROWSER_TIMEOUT = 300_000;
let browser: Browser;
let run: WorkflowRunResult;
/** The pages' directories (removed afterwards; the screenshots stay). */
const made: string[] = [];
const pageDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(out, prefix));
  made.push(dir);
  return dir;
};

let github: LocalGitHubApi;

/** What a test tier publishes, sent to the GitHub stand-in as the action would: a check run and a pull-request comment. */
async function publishTestResults(api: LocalGitHubApi): Promise<void> {
  const send = async (route: string, body: unknown) => {
    const res = await fetch(`${api.url}/repos/acme/app/${route}`, {
      method: 'POST',
      headers: { authorization: 'token ghs_runpage', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, route).toBe(201);
  };
  await send('check-runs', {
    name: 'unit tests',
    head_sha: 'a'.repeat(40),
    status: 'completed',
    conclusion: 'failure',
    output: {
      title: '1 failed, 2 passed',
      summary: '| test | result |\n| --- | --- |\n| adds | passed |\n| rounds | failed |',
      annotations: [{ path: 'src/Money.java', start_line: 7, end_line: 7, annotation_level: 'failure', message: 'expected 0.30, got 0.3' }],
    },
  });
  await send('issues/1/comments', { body: '**unit tests**: 1 failed, 2 passed' });
}

beforeAll(async () => {
  browser = await launchChromium();
  github = await startLocalGitHubApi({ token: 'ghs_runpage' });
  await publishTestResults(github);
  const dir = pageDir('runner-');
  run = await runWorkflow(path.join(repoRoot, 'test/fixtures/run-page/two-jobs.yml'), {
    workspace: repoRoot,
    runPage: { file: path.join(dir, 'index.html'), records: () => ({ checkRuns: github.checkRuns('acme/app'), comments: github.comments('acme/app', 1) }) },
  });
});
afterAll(async () => {
  await browser?.close();
  await github?.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Answers of a load run at `rps` for `seconds`, each second's answers chosen by `answer(second, i)`. */
function recorded(seconds: number, rps: number, answer: (second: number, i: number) => LoadResult['body'] | { failed: string }): LoadResult[] {
  const t0 = 1_700_000_000_000;
  return Array.from({ length: seconds * rps }, (_, n) => {
    const second = Math.floor(n / rps);
    const a = answer(second, n % rps);
    const at = t0 + second * 1000 + Math.floor(((n % rps) * 1000) / rps);
    return typeof a === 'string' ? { ok: true, body: a, at } : { ok: false, body: a.failed, at };
  });
}

describe('the run page in Chromium', () => {
  it(
    'draws the jobs graph and the summaries’ diagrams, shows their tables, with no console error',
    async () => {
      expect(run.conclusion).toBe('success');
      expect(run.page).toMatch(/index\.html$/);
      let received = '';
      const check = await checkPageInBrowser(browser, run.page!, path.join(out, 'runner-page.png'), async (page) => {
        received = (await page.locator('.check-run, .comment').allInnerTexts()).join('\n');
      });
      expect(check.consoleErrors).toEqual([]);
      // The jobs graph and the deploy job's gantt chart.
      expect(check.mermaid).toEqual({ total: 2, drawn: 2, failed: 0, state: 'done' });
      // The build job's summary and the check run's.
      expect(check.summaryTables).toBe(2);
      expect(received).toMatch(/check run: unit tests — failure/);
      expect(received).toMatch(/src\/Money\.java:7 expected 0\.30, got 0\.3/);
      expect(received).toMatch(/comment by github-actions\[bot\]\s+unit tests: 1 failed, 2 passed/);
    },
    BROWSER_TIMEOUT,
  );

  it(
    'shows a summary whose diagram Mermaid cannot draw as failed, with the console error',
    async () => {
      const broken: WorkflowRunResult = {
        ...run,
        jobs: run.jobs.map((j) => ({ ...j, summary: '### broken\n\n```mermaid\nflowchart LR\n  A --> \n  ((( \n```\n' })),
      };
      const dir = pageDir('broken-');
      const { file } = await writeRunPage(broken, path.join(dir, 'index.html'));
      const check = await checkPageInBrowser(browser, file, path.join(out, 'broken-page.png'));
      expect(check.mermaid.state).toBe('failed');
      expect(check.consoleErrors.join('\n')).toMatch(/mermaid/);
    },
    BROWSER_TIMEOUT,
  );
});

describe('the demo’s page in Chromium', () => {
  it(
    'has the stage table linking each stage, a load chart per loaded stage, and every run drawn',
    async () => {
      // Stage 9's shape: 1.1.0 alone at the gate, a tenth of the answers from 1.5.0 during the bake, then all.
      const canary = recorded(90, 40, (s, i) => (s < 20 ? '1.1.0' : s < 70 ? (i % 10 === 0 ? '1.5.0' : '1.1.0') : '1.5.0'));
      // Stage 7's shape: half of 1.3.0's answers are 500s until its alarm has it rolled back.
      const alarm = recorded(60, 20, (s, i) => (s < 15 || s >= 40 ? '1.1.0' : i % 2 === 0 ? { failed: 'HTTP 500' } : '1.3.0'));
      const row = (stage: string, extra = {}) => ({ stage, ok: true, result: 'succeeded', durationMs: 60_000, ...extra });
      const file = await writeDemoPage(path.join(pageDir('demo-'), 'demo.html'), {
        ok: true,
        durationMs: 300_000,
        stages: [
          { title: '0. first release', workflow: 'two-jobs.yml', rows: [row('0. first release 1.0.0')], run, loads: [] },
          {
            title: '7. 5xx release caught by its alarm',
            workflow: 'two-jobs.yml',
            rows: [row('7. deploy 5xx 1.3.0 to staging under load', { requestsSent: alarm.length, requestsFailed: 250 })],
            run,
            loads: [{ name: 'deploy 5xx 1.3.0 to staging', answers: alarm }],
          },
          {
            title: '9. canary',
            workflow: 'two-jobs.yml',
            rows: [row('9. canary 1.5.0 to live (verified)', { requestsSent: canary.length, requestsFailed: 0 })],
            run,
            loads: [{ name: 'canary 1.5.0 to live', answers: canary }],
          },
        ],
      });
      const stageLinks: { href: string; target: boolean }[] = [];
      const check = await checkPageInBrowser(browser, file, path.join(out, 'demo-page.png'), async (page) => {
        for (const link of await page.locator('table.stages a').all()) {
          const href = (await link.getAttribute('href')) ?? '';
          stageLinks.push({ href, target: (await page.locator(href).count()) === 1 });
        }
        await page
          .locator('figure.chart')
          .nth(0)
          .screenshot({ path: path.join(out, 'demo-alarm-chart.png') });
        await page
          .locator('figure.chart')
          .nth(1)
          .screenshot({ path: path.join(out, 'demo-canary-chart.png') });
      });
      expect(check.consoleErrors).toEqual([]);
      expect(check.mermaid).toEqual({ total: 6, drawn: 6, failed: 0, state: 'done' });
      expect(check.summaryTables).toBe(3);
      expect(stageLinks).toEqual([
        { href: '#stage-0', target: true },
        { href: '#stage-1', target: true },
        { href: '#stage-2', target: true },
      ]);
    },
    BROWSER_TIMEOUT,
  );
});
