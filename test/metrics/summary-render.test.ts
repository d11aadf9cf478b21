/**
 * The summary's Mermaid charts drawn by Mermaid itself, in Chromium, on the page the suite renders
 * step summaries on (as test/summaries/check-summaries.ts does for every action's summary): a chart
 * GitHub would show as Mermaid's error picture fails here. Starts a browser: the stack lane.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { writePage } from '../../local/workflow-runner/run-page.js';
import { renderSummary } from '../../local/workflow-runner/summary-html.js';
import { computeMetrics } from '../../shared/metrics/compute.js';
import { metricsSummaryMarkdown } from '../../shared/metrics/summary.js';
import { parseWindow } from '../../shared/metrics/window.js';
import { checkPageInBrowser, launchChromium } from '../helpers/browser-page.js';
import { commitGraph, NOW, OTHERS, PRODUCTION, STAGING } from './eight-weeks.js';
import { YEAR_END, yearOfReleases } from './year-of-releases.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the metrics summary in Chromium', () => {
  it('draws every chart of eight weeks, of a year of 10,000 releases and of a month ending in a short week, with no error', async () => {
    const eightWeeks = await computeMetrics([...PRODUCTION, ...STAGING, ...OTHERS], {
      window: parseWindow('8w', NOW),
      environments: ['production', 'staging'],
      commits: commitGraph(),
      reworkMarker: /hotfix/i,
    });
    const year = yearOfReleases(10_000);
    const yearReport = await computeMetrics(year.releases, {
      window: parseWindow('52w', YEAR_END),
      environments: ['production', 'staging'],
      commits: year.commits,
      reworkMarker: /hotfix/i,
    });
    // 30 days: four weeks and a last one of two days, labelled as such.
    const lastMonth = await computeMetrics([...PRODUCTION, ...STAGING], {
      window: parseWindow('30d', NOW),
      environments: ['production'],
      commits: commitGraph(),
      reworkMarker: /hotfix/i,
    });
    const sections = [eightWeeks, yearReport, lastMonth].map((r, i) => {
      const rendered = renderSummary(metricsSummaryMarkdown(r));
      expect(rendered.problems).toEqual([]);
      return { html: `<section id="s${i}"><div class="markdown-body">${rendered.html}</div></section>`, blocks: rendered.mermaidBlocks };
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'metrics-summary-'));
    const page = writePage(path.join(dir, 'index.html'), 'delivery metrics summaries', sections.map((s) => s.html).join('\n'));
    const check = await checkPageInBrowser(browser, page, path.join(dir, 'screenshot.png'), undefined, false);
    expect(check.consoleErrors).toEqual([]);
    expect(check.mermaid).toMatchObject({ total: 15, drawn: 15, failed: 0, state: 'done' });
  });
});
