/**
 * From releases counted one by one (classify.ts, commits.ts) to a window's numbers and its weekly
 * series. A release belongs to the window its record was opened in (createdAt).
 */
import { bandsOf } from './bands.js';
import { servesProduction } from './classify.js';
import type { CountedRelease, MetricsNumbers, MetricsResult, MetricsWindow, WeekMetrics } from './model.js';
import { median, percentile, share } from './statistics.js';
import { inWindow } from './window.js';

const DAY_MS = 86_400_000;

/** The numbers of `releases` (already those of the window) over a window of `days`. */
export function numbersOf(releases: readonly CountedRelease[], days: number): MetricsNumbers {
  const finished = releases.filter((c) => c.status !== 'unfinished');
  const successful = finished.filter((c) => c.status === 'success').length;
  const served = finished.filter((c) => servesProduction(c.status, c.served)).length;
  const failures = finished.filter((c) => c.changeFailure !== undefined);
  const rework = finished.filter((c) => c.rework.length > 0).length;
  const leadTimes = finished.flatMap((c) => (c.status === 'success' ? (c.commits ?? []).map((k) => k.leadTimeHours) : []));
  const recoveries = failures.flatMap((c) => (c.changeFailure?.recoveryHours === undefined ? [] : [c.changeFailure.recoveryHours]));
  return {
    releases: finished.length,
    successful,
    served,
    changeFailures: failures.length,
    stoppedBeforeServing: finished.filter((c) => c.status === 'stopped-before-serving').length,
    servedUnknown: finished.filter((c) => c.status === 'failed-served-unknown').length,
    unfinished: releases.length - finished.length,
    rework,
    deploymentsPerDay: days > 0 ? successful / days : 0,
    deploymentsPerWeek: days > 0 ? (successful / days) * 7 : 0,
    leadTimeCommits: leadTimes.length,
    leadTimeMedianHours: median(leadTimes),
    leadTimeP90Hours: percentile(leadTimes, 90),
    changeFailureRate: share(failures.length, served),
    recoveries: recoveries.length,
    recoveryMedianHours: median(recoveries),
    recoveryWorstHours: recoveries.length ? Math.max(...recoveries) : undefined,
    reworkRate: share(rework, finished.length),
  };
}

/** The window cut into weeks from its start (the last one shorter when the window is not whole weeks). */
export function weeksOf(w: MetricsWindow, releases: readonly CountedRelease[]): WeekMetrics[] {
  const start = Date.parse(w.start);
  const end = Date.parse(w.end);
  const weeks: WeekMetrics[] = [];
  for (let from = start; from < end; from += 7 * DAY_MS) {
    const to = Math.min(from + 7 * DAY_MS, end);
    const week: MetricsWindow = { text: 'week', days: (to - from) / DAY_MS, start: new Date(from).toISOString(), end: new Date(to).toISOString() };
    const n = numbersOf(
      releases.filter((c) => inWindow(week, c.createdAt)),
      week.days,
    );
    weeks.push({
      start: week.start,
      days: week.days,
      releases: n.releases,
      successful: n.successful,
      changeFailures: n.changeFailures,
      leadTimeMedianHours: n.leadTimeMedianHours,
      changeFailureRate: n.changeFailureRate,
      recoveryMedianHours: n.recoveryMedianHours,
      reworkRate: n.reworkRate,
    });
  }
  return weeks;
}

/** One environment's (or all environments') result from its counted releases, oldest first. */
export function resultOf(environment: string | undefined, counted: readonly CountedRelease[], w: MetricsWindow, before: MetricsWindow): MetricsResult {
  const inCurrent = counted.filter((c) => inWindow(w, c.createdAt));
  const current = numbersOf(inCurrent, w.days);
  const previous = numbersOf(
    counted.filter((c) => inWindow(before, c.createdAt)),
    before.days,
  );
  return { environment, current, bands: bandsOf(current), previous, previousBands: bandsOf(previous), weeks: weeksOf(w, inCurrent), audit: inCurrent };
}
