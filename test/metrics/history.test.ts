/**
 * Issue 31's key test: eight weeks of releases to two environments (45 in the window, one before
 * it), built as the readers hand them over, over a commit graph of 38 commits spread over the
 * days. Every expected number below is worked out by hand from the definitions in
 * shared/metrics/README.md, with the working beside it; none is read from the function's output.
 *
 * Times are written (day, hour) after T0, the window's start (Monday 2026-01-05 00:00 UTC); the
 * window is `8w` ending at day 56 (2026-03-02 00:00 UTC). The releases and the commits (their times in
 * hours after T0) are in eight-weeks.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../shared/metrics/compute.js';
import type { CountedRelease, MetricsReport, MetricsResult } from '../../shared/metrics/model.js';
import { parseWindow } from '../../shared/metrics/window.js';
import type { CommitGraph } from './commit-graph.js';
import { commitGraph, NOW, OTHERS, PRODUCTION, STAGING, T0, t } from './eight-weeks.js';

let report: MetricsReport;
let graph: CommitGraph;
const env = (name: string): MetricsResult => report.byEnvironment.find((r) => r.environment === name)!;
const audit = (id: string): CountedRelease => report.overall.audit.find((c) => c.id === id)!;

beforeAll(async () => {
  graph = commitGraph();
  // Shuffled: the computation may not rely on the readers' order.
  const releases = [...STAGING, ...OTHERS, ...PRODUCTION].reverse();
  report = await computeMetrics(releases, {
    window: parseWindow('8w', NOW),
    environments: ['production', 'staging'],
    commits: graph,
    reworkMarker: /hotfix/i,
  });
});

describe('eight weeks of two environments, worked by hand', () => {
  it('counts only the environments asked for, in the window', () => {
    expect(report.window).toMatchObject({ start: T0, end: NOW.toISOString(), days: 56 });
    expect(report.byEnvironment.map((r) => r.environment)).toEqual(['production', 'staging']);
    // p1–p23 and s1–s22: 45 in the window; p0 is before it, p99 after it, q1 in another environment.
    expect(report.overall.audit.map((c) => c.id).sort()).toEqual([...PRODUCTION.slice(1), ...STAGING].map((r) => r.id).sort());
  });

  it('production: the five numbers', () => {
    const n = env('production').current;
    // Releases: p1–p23 are 23; p23 is paused (unfinished) → 22 finished.
    expect(n.releases).toBe(22);
    expect(n.unfinished).toBe(1);
    // Successful: p1 p2 p3 p5 p7 p8 p9 p10 p11 p12 p13 p15 p17 p18 p19 p20 p21 p22 = 18
    // (p10 the rollback action; p17 a resume, read as the deploy it resumed).
    expect(n.successful).toBe(18);
    // Deployment frequency: 18 / 56 days = 0.3214 a day; × 7 = 2.25 a week → high (≥ once a week, not more than once a day).
    expect(n.deploymentsPerDay).toBeCloseTo(18 / 56, 10);
    expect(n.deploymentsPerWeek).toBeCloseTo(2.25, 10);
    // Lead times (success time − committer time, hours), commits in previous-success..sha:
    //  p1 (11): c1 23, c2 9 · p2 (83): c3 25, c4 15 · p3 (179): c5 26, c6 14
    //  p5 (275, after p3 since p4 failed): c7 49, c8 41 · p7 (371, after p5 since p6 rolled back): c9 50, c10 42, c11 15
    //  p8 (443): c12 49, c13 23 · p9 (515): c14 26, c15 20 · p10 (rollback to c13, an ancestor of c15): none
    //  p11 (587, after p10's c13, so c14 c15 come back): c14 98, c15 92, c16 25, c17 19 · p12 (683): c18 26, c19 18
    //  p13 (689): c20 2 · p15 (761, after p13 since p14 rolled back): c21 31, c22 25, c23 3
    //  p17 (875, after p15 since p16 was rejected): c24 50, c25 44 · p18 (923): c26 25, c27 19
    //  p19 (1019): c28 26, c29 20 · p20 (1091): c30 25, c31 19 · p21 (1187): c32 26, c33 20 · p22 (1259): c34 25, c35 19
    // 37 lead times, sorted: 2 3 9 14 15 15 18 19 19 19 19 20 20 20 23 23 25×6 26×5 31 41 42 44 49 49 50 50 92 98
    // → median = the 19th = 25h (ranks 17–22 are 25); p90 = rank ⌈0.9 × 37⌉ = 34th = 50h. 25h → high (one day to one week).
    expect(n.leadTimeCommits).toBe(37);
    expect(n.leadTimeMedianHours).toBeCloseTo(25, 10);
    expect(n.leadTimeP90Hours).toBeCloseTo(50, 10);
    // Served production: the 18 successes + p6 and p14 (rolled back after serving) = 20; p4, p16 stopped before serving.
    expect(n.served).toBe(20);
    expect(n.stoppedBeforeServing).toBe(2);
    // Change failures: p6 (breaker after serving), p9 (undone by the rollback action p10), p12 (fixed forward by p13),
    // p14 (alarm) = 4; p15's hotfix fixes p14, already counted. 4 / 20 = 0.20 → high (at most 20%).
    expect(n.changeFailures).toBe(4);
    expect(n.changeFailureRate).toBeCloseTo(0.2, 10);
    // Recovery: p6 10:30 (service updated) → 12:00 rolled back = 1.5h; p9 21d 10:00 → p10 done 15:30 = 5.5h;
    // p12 28d 10:00 → p13 done 17:00 = 7h; p14 31d 10:00 → rolled back 13:00 = 3h.
    // Sorted 1.5 3 5.5 7 → median (3 + 5.5) / 2 = 4.25h, worst 7h. 4.25h → high (less than one day).
    expect(n.recoveries).toBe(4);
    expect(n.recoveryMedianHours).toBeCloseTo(4.25, 10);
    expect(n.recoveryWorstHours).toBeCloseTo(7, 10);
    // Rework: p7 (first after p6's failure), p10 (rollback action), p13 (marker, after p12), p15 (marker, after p14) = 4 of 22.
    expect(n.rework).toBe(4);
    expect(n.reworkRate).toBeCloseTo(4 / 22, 10);
    expect(env('production').bands).toEqual({
      deploymentFrequency: 'high',
      leadTime: 'high',
      changeFailureRate: 'high',
      recoveryTime: 'high',
      reworkRate: undefined,
    });
  });

  it('staging: the five numbers', () => {
    const n = env('staging').current;
    // s1–s22 all finished; s7 (crash loop, never healthy) and s19 (failed migration) stopped before serving → 20 successful.
    expect(n.releases).toBe(22);
    expect(n.successful).toBe(20);
    expect(n.stoppedBeforeServing).toBe(2);
    // 20 / 56 = 0.3571 a day, 2.5 a week → high.
    expect(n.deploymentsPerDay).toBeCloseTo(20 / 56, 10);
    expect(n.deploymentsPerWeek).toBeCloseTo(2.5, 10);
    // Lead times (finish at x:30): s1 is the first successful release known → no commits.
    //  s2 (78.5): c3 20.5, c4 10.5 · s3 (174.5): 21.5, 9.5 · s4 (246.5): 20.5, 12.5 · s5 (342.5): 21.5, 13.5
    //  s6 (366.5): c11 10.5 · s8 (438.5, after s6 since s7 stopped): c12 44.5, c13 18.5 · s9 (510.5): 21.5, 15.5
    //  s10 (582.5): 20.5, 14.5 · s11 (678.5): 21.5, 13.5 · s12 (688): c20 1 · s13 (750.5): 20.5, 14.5
    //  s14 (759.5): c23 1.5 · s15 (846.5): 21.5, 15.5 · s16 (918.5): 20.5, 14.5 · s17 (1014.5): 21.5, 15.5
    //  s18 (1086.5): 20.5, 14.5 · s20 (1184.5, after s18 since s19 failed): c32 23.5, c33 17.5
    //  s21 (1254.5): 20.5, 14.5 · s22 (1326.5): 21.5, 15.5
    // 35 lead times, counted up: 1, 1.5, 9.5, 10.5×2 (5), 12.5 (6), 13.5×2 (8), 14.5×5 (13), 15.5×4 (17), 17.5 (18), ...
    // → median = the 18th = 17.5h → elite (less than one day); p90 = rank ⌈31.5⌉ = 32nd: 18.5 is 19th, 20.5×7 26th,
    // 21.5×7 33rd → 21.5h.
    expect(n.leadTimeCommits).toBe(35);
    expect(n.leadTimeMedianHours).toBeCloseTo(17.5, 10);
    expect(n.leadTimeP90Hours).toBeCloseTo(21.5, 10);
    // Served 20 (the successes). Change failures: s11 (fixed forward by the hotfix s12) and s13 (fixed forward by s14)
    // = 2 / 20 = 0.10 → high.
    expect(n.served).toBe(20);
    expect(n.changeFailures).toBe(2);
    expect(n.changeFailureRate).toBeCloseTo(0.1, 10);
    // Recovery: s11 28d 06:00 → s12 done 16:00 = 10h; s13 31d 06:00 → s14 done 15:30 = 9.5h → median 9.75h, worst 10h.
    expect(n.recoveryMedianHours).toBeCloseTo(9.75, 10);
    expect(n.recoveryWorstHours).toBeCloseTo(10, 10);
    // Rework: s12 and s14 (marker; each the first after a change failure) = 2 / 22.
    expect(n.rework).toBe(2);
    expect(n.reworkRate).toBeCloseTo(2 / 22, 10);
    expect(env('staging').bands).toEqual({
      deploymentFrequency: 'high',
      leadTime: 'elite',
      changeFailureRate: 'high',
      recoveryTime: 'high',
      reworkRate: undefined,
    });
  });

  it('overall: both environments together', () => {
    const n = report.overall.current;
    // 22 + 22 finished; 18 + 20 successful → 38 / 56 a day, 4.75 a week.
    expect(n.releases).toBe(44);
    expect(n.successful).toBe(38);
    expect(n.deploymentsPerWeek).toBeCloseTo(4.75, 10);
    // 37 + 35 = 72 lead times; ranks 36 and 37 both fall among the 20.5s (ranks 34–40: 1, 1.5, 2, 3, 9, 9.5, 10.5×2,
    // 12.5, 13.5×2, 14, 14.5×5, 15×2, 15.5×4, 17.5, 18, 18.5, 19×4, 20×3 make 33) → median 20.5h;
    // p90 = rank ⌈64.8⌉ = 65: 21.5×7 reach 47, 23×2 49, 23.5 50, 25×6 56, 26×5 61, 31 62, 41 63, 42 64, 44 65 → 44h.
    expect(n.leadTimeCommits).toBe(72);
    expect(n.leadTimeMedianHours).toBeCloseTo(20.5, 10);
    expect(n.leadTimeP90Hours).toBeCloseTo(44, 10);
    // 6 change failures of 40 served = 0.15; recoveries 1.5 3 5.5 7 9.5 10 → median 6.25h, worst 10h; rework 6 / 44.
    expect(n.changeFailureRate).toBeCloseTo(0.15, 10);
    expect(n.recoveryMedianHours).toBeCloseTo(6.25, 10);
    expect(n.recoveryWorstHours).toBeCloseTo(10, 10);
    expect(n.reworkRate).toBeCloseTo(6 / 44, 10);
  });

  it('the window before: production had only p0, the first release known; staging nothing', () => {
    const p = env('production').previous;
    expect([p.releases, p.successful, p.leadTimeCommits, p.changeFailureRate]).toEqual([1, 1, 0, 0]);
    expect(p.leadTimeMedianHours).toBeUndefined();
    expect(env('staging').previous.releases).toBe(0);
    expect(env('staging').previousBands.deploymentFrequency).toBeUndefined();
  });

  it('audits each release with how it was counted', () => {
    expect(audit('p4')).toMatchObject({ status: 'stopped-before-serving', changeFailure: undefined, rework: [] });
    expect(audit('p16')).toMatchObject({ status: 'stopped-before-serving', kind: 'deploy' });
    expect(audit('p6').changeFailure).toMatchObject({ kind: 'rolled-back-automatically', servingFrom: t(14, 10, 30), recoveredAt: t(14, 12) });
    expect(audit('p9').changeFailure).toMatchObject({ kind: 'rollback-action', remediatedBy: 'p10', recoveryHours: 5.5 });
    expect(audit('p10')).toMatchObject({ kind: 'rollback', remediates: 'p9', rework: ['rollback-action', 'follows-change-failure'], commits: [] });
    expect(audit('p12').changeFailure).toMatchObject({ kind: 'fixed-forward', remediatedBy: 'p13', recoveryHours: 7 });
    expect(audit('p13')).toMatchObject({ remediates: 'p12', rework: ['marker', 'follows-change-failure'], changeFailure: undefined });
    expect(audit('p14').changeFailure?.kind).toBe('rolled-back-automatically');
    expect(audit('p15')).toMatchObject({ remediates: 'p14', changeFailure: undefined });
    expect(audit('p7')).toMatchObject({ remediates: 'p6', rework: ['follows-change-failure'] });
    expect(audit('p23')).toMatchObject({ status: 'unfinished', rework: [] });
    expect(audit('p11').commits?.map((c) => [c.sha, c.leadTimeHours])).toEqual([
      ['c17', 19],
      ['c16', 25],
      ['c15', 92],
      ['c14', 98],
    ]);
    expect(audit('s1')).toMatchObject({ commits: [], commitsNote: expect.stringContaining('first successful release known') });
    expect(audit('s7')).toMatchObject({ status: 'stopped-before-serving', changeFailure: undefined });
  });

  it('says what a person should know', () => {
    expect(report.notes).toContainEqual(expect.stringMatching(/^staging: s1 is the first successful release known/));
    expect(report.notes).toContainEqual(expect.stringMatching(/^production: 1 release unfinished/));
    // p1's commits count from p0, known from before the window: no first-release note for production.
    expect(report.notes.some((n) => n.startsWith('production: p1 is the first'))).toBe(false);
  });

  it('asks the commit source once per successful release counted, never for the history before the first', () => {
    // Production: the 18 successes in the window, each after an earlier success (p1's is p0); p0 has none → 18.
    // Staging: 20 successes, s1 has no earlier one → 19. 18 + 19 = 37 ranges.
    expect(graph.asked).toHaveLength(37);
    // c2 is released by p1 (after p0's c0) and s1 (the first in staging): only p1 asks for a range to it.
    expect(graph.asked.filter((r) => r.endsWith('..c2'))).toEqual(['c0..c2']);
  });

  it('reads a release’s own message from its range, asking for single commits only where there is no range', () => {
    // Deploys with no range: production p0 (first known, c0), p4 (c8), p6 (c10), p14 (c22), p16 (c25), p23 (c37);
    // staging s1 (first known, c2), s7 (c12), s19 (c33). Rollbacks (p10) are never read for the marker.
    expect(graph.askedCommits.sort()).toEqual(['c0', 'c10', 'c12', 'c2', 'c22', 'c25', 'c33', 'c37', 'c8']);
  });
});
