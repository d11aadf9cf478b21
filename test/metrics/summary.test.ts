/**
 * The job summary: what it leads with, its order, its links, its Mermaid blocks as the suite's own
 * summary renderer reads them, and its size with a year of 10,000 releases. (summary-render.test.ts
 * draws the charts in Chromium's Mermaid.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSummary, STEP_SUMMARY_LIMIT_BYTES } from '../../local/workflow-runner/summary-html.js';
import { computeMetrics } from '../../shared/metrics/compute.js';
import type { MetricsReport } from '../../shared/metrics/model.js';
import { CHART_WEEKS, LIST_LIMIT, metricsSummaryMarkdown, trend } from '../../shared/metrics/summary.js';
import { parseWindow } from '../../shared/metrics/window.js';
import { commitGraph, NOW, OTHERS, PRODUCTION, STAGING } from './eight-weeks.js';
import { YEAR_END, yearOfReleases } from './year-of-releases.js';

let eightWeeks: MetricsReport;
let summary: string;

beforeAll(async () => {
  eightWeeks = await computeMetrics([...PRODUCTION, ...STAGING, ...OTHERS], {
    window: parseWindow('8w', NOW),
    environments: ['production', 'staging'],
    commits: commitGraph(),
    reworkMarker: /hotfix/i,
  });
  summary = metricsSummaryMarkdown(eightWeeks);
});

describe('metricsSummaryMarkdown', () => {
  it('leads with the five numbers and their bands against the previous window', () => {
    const firstTable = summary.slice(summary.indexOf('<table>'), summary.indexOf('</table>'));
    // Production had p0 only before (1 in 56 days = 0.125 a week), so frequency went up: better.
    expect(firstTable).toContain(
      '<tr><td>Deployment frequency</td><td>4.75 a week (0.68 a day; 38 successful of 44)</td><td>high</td><td>0.13 a week (0.02 a day; 1 successful of 1)</td><td>low</td><td>▲ better</td></tr>',
    );
    // 20.5h is less than one day → elite (history.test.ts works the median out).
    expect(firstTable).toContain('<td>Change lead time</td><td>median 20.5 h, p90 44 h (72 commits)</td><td>elite</td>');
    expect(firstTable).toContain('<td>Change fail rate</td><td>15% (6 of 40 that served)</td><td>high</td>');
    expect(firstTable).toContain('<td>Failed deployment recovery time</td><td>median 6.3 h, worst 10 h</td><td>high</td>');
    expect(firstTable).toContain('<td>Deployment rework rate</td><td>13.6% (6 of 44)</td><td>no DORA band</td>');
  });

  it('then the environments, the trends, the change failures and the slowest lead times, in that order', () => {
    const order = ['<table>', '#### By environment', '#### Weekly trends', '#### Change failures (6)', '#### Slowest lead times', '#### Notes'].map((s) =>
      summary.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('links each change failure to its run', () => {
    for (const id of ['p6', 'p9', 'p12', 'p14', 's11', 's13'])
      expect(summary).toContain(`<td><a href="https://github.com/acme/shop/actions/runs/${id}">${id}</a></td>`);
    expect(summary).toContain('<td>rollback action</td><td>p10</td><td>5.5 h</td>');
  });

  it('lists the slowest lead times first: c14 and c15, brought back by p11 after the rollback', () => {
    const slowest = summary.slice(summary.indexOf('#### Slowest lead times'));
    expect(slowest.indexOf('<code>c14</code>')).toBeLessThan(slowest.indexOf('<code>c15</code>'));
    expect(slowest).toContain(
      '<td><code>c14</code></td><td><a href="https://github.com/acme/shop/actions/runs/p11">p11</a></td><td>production</td><td>4.1 days</td>',
    );
  });

  it('draws five weekly charts GitHub renders, with one value a week', () => {
    const rendered = renderSummary(summary);
    expect(rendered.problems).toEqual([]);
    expect(rendered.mermaidBlocks).toBe(5);
    const releasesChart = summary.slice(summary.indexOf('```mermaid'), summary.indexOf('```', summary.indexOf('```mermaid') + 3));
    // Successful releases a week (production + staging), weeks from day 0:
    // 1 (days 0–6): p1 p2 s1 s2 = 4 · 2 (7–13): p3 p5 s3 s4 = 4 (p4 failed) · 3 (14–20): p7 p8 s5 s6 s8 = 5 (p6 rolled back,
    // s7 stopped) · 4 (21–27): p9 p10 p11 s9 s10 = 5 · 5 (28–34): p12 p13 p15 s11 s12 s13 s14 = 7 (p14 rolled back)
    // · 6 (35–41): p17 p18 s15 s16 = 4 (p16 rejected) · 7 (42–48): p19 p20 s17 s18 = 4 · 8 (49–55): p21 p22 s20 s21 s22 = 5
    // (p23 paused, s19 failed). 38 in all, as the headline says.
    expect(releasesChart).toContain('  x-axis "week from" ["01-05", "01-12", "01-19", "01-26", "02-02", "02-09", "02-16", "02-23"]');
    // The axis reaches 10% above the highest week: ⌈7 × 1.1⌉ = 8.
    expect(releasesChart).toContain('  y-axis "releases" 0 --> 8\n  bar [4, 4, 5, 5, 7, 4, 4, 5]');
  });

  it('marks a last week shorter than seven days on the charts', async () => {
    // 10 days ending day 56: a week from day 46, then 3 days from day 53.
    const report = await computeMetrics([...PRODUCTION, ...STAGING], {
      window: parseWindow('10d', NOW),
      environments: ['production'],
      commits: undefined,
      reworkMarker: undefined,
    });
    expect(report.overall.weeks.map((w) => w.days)).toEqual([7, 3]);
    expect(metricsSummaryMarkdown(report)).toContain('  x-axis "week from" ["02-20", "02-27 (3 d)"]');
  });

  it('tells better from worse by the direction that is good for each metric', () => {
    expect(trend('deploymentFrequency', 3, 2)).toBe('▲ better');
    expect(trend('leadTime', 30, 20)).toBe('▲ worse');
    expect(trend('changeFailureRate', 0.1, 0.2)).toBe('▼ better');
    expect(trend('recoveryTime', 2, 2)).toBe('= same');
    expect(trend('reworkRate', 0.1, undefined)).toBe('—');
  });

  it('says "no releases in this window" for an empty history, with no charts', async () => {
    const empty = await computeMetrics([], { window: parseWindow('30d', NOW), environments: ['production'], commits: undefined, reworkMarker: undefined });
    expect(empty.overall.current).toMatchObject({ releases: 0, successful: 0, deploymentsPerWeek: 0, changeFailureRate: undefined, reworkRate: undefined });
    expect(empty.overall.bands).toEqual({
      deploymentFrequency: undefined,
      leadTime: undefined,
      changeFailureRate: undefined,
      recoveryTime: undefined,
      reworkRate: undefined,
    });
    expect(empty.notes).toContain('production: no releases in this window.');
    const text = metricsSummaryMarkdown(empty);
    expect(text).toContain('**No releases in this window** in production.');
    expect(text).not.toContain('```mermaid');
    expect(renderSummary(text).problems).toEqual([]);
  });

  it('stays far under GitHub 1 MiB with a year of 10,000 releases, cutting lists with a count', async () => {
    const { releases, commits } = yearOfReleases(10_000);
    const started = performance.now();
    const report = await computeMetrics(releases, {
      window: parseWindow('52w', YEAR_END),
      environments: ['production', 'staging'],
      commits,
      reworkMarker: /hotfix/i,
    });
    const text = metricsSummaryMarkdown(report);
    const elapsed = performance.now() - started;
    const failures = report.overall.audit.filter((c) => c.changeFailure).length;
    expect(failures).toBeGreaterThan(LIST_LIMIT + 100);
    expect(text).toContain(`… and ${failures - LIST_LIMIT} more (every one is in the report file).`);
    const bytes = Buffer.byteLength(text);
    expect(bytes).toBeLessThan(STEP_SUMMARY_LIMIT_BYTES / 16);
    const rendered = renderSummary(text);
    expect(rendered.problems).toEqual([]);
    expect(rendered.mermaidBlocks).toBe(5);
    // 52 weeks, the charts show the newest 26.
    expect(report.overall.weeks).toHaveLength(52);
    expect(text).toContain(`The newest ${CHART_WEEKS} of 52 weeks.`);
    expect(elapsed).toBeLessThan(20_000);
  });
});
