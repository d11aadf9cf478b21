/** The report file: its documented shape, every key present (null where no number), every release with how it was counted. */
import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../shared/metrics/compute.js';
import { metricsReportJson, REPORT_SCHEMA } from '../../shared/metrics/report.js';
import { parseWindow } from '../../shared/metrics/window.js';
import { commitGraph, NOW, OTHERS, PRODUCTION, STAGING } from './eight-weeks.js';

describe('metricsReportJson', () => {
  it('holds the window, the numbers of each environment and overall, every release and the notes', async () => {
    const report = await computeMetrics([...PRODUCTION, ...STAGING, ...OTHERS], {
      window: parseWindow('8w', NOW),
      environments: ['production', 'staging'],
      commits: commitGraph(),
      reworkMarker: /hotfix/i,
    });
    const file = JSON.parse(metricsReportJson(report));
    expect(Object.keys(file)).toEqual(['schema', 'window', 'previousWindow', 'environments', 'overall', 'byEnvironment', 'releases', 'notes']);
    expect(file.schema).toBe(REPORT_SCHEMA);
    expect(file.window).toEqual({ text: '8w', days: 56, start: '2026-01-05T00:00:00.000Z', end: '2026-03-02T00:00:00.000Z' });
    expect(file.byEnvironment.map((e: { environment: string }) => e.environment)).toEqual(['production', 'staging']);
    expect(file.overall.environment).toBeNull();
    // 45 releases in the window, each once (not once per environment and again overall).
    expect(file.releases).toHaveLength(45);
    const p9 = file.releases.find((c: { id: string }) => c.id === 'p9');
    expect(p9).toMatchObject({
      environment: 'production',
      status: 'success',
      changeFailure: { kind: 'rollback-action', remediatedBy: 'p10', recoveryHours: 5.5 },
    });
    // Keys whose value is unknown are there as null: p23 (paused) has no finish and no commits.
    const p23 = file.releases.find((c: { id: string }) => c.id === 'p23');
    expect(p23).toMatchObject({ status: 'unfinished', finishedAt: null, commits: null, changeFailure: null });
    expect(file.byEnvironment[1].previous.leadTimeMedianHours).toBeNull();
    expect(Object.keys(file.overall)).toEqual(['environment', 'numbers', 'bands', 'previous', 'previousBands', 'weeks']);
    expect(file.overall.bands).toEqual({ deploymentFrequency: 'high', leadTime: 'elite', changeFailureRate: 'high', recoveryTime: 'high', reworkRate: null });
  });
});
