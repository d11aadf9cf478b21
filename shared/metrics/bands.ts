/**
 * DORA's performance bands for each metric. The figures are the software delivery performance
 * levels of DORA's 2024 Accelerate State of DevOps report (README.md cites it and explains how a
 * cluster's typical values become thresholds): a value gets the best band whose 2024 figure it
 * meets, and a value that meets none is `low`. Rework rate has no band: the 2024 report added the
 * metric without performance levels for it.
 */
import type { Band, MetricsBands, MetricsNumbers } from './model.js';

const DAY_HOURS = 24;
const WEEK_DAYS = 7;
/** A month, as the report's "once per month" and "one month" read here. */
const MONTH_DAYS = 30;

export const DORA_2024_SOURCE =
  'DORA, Accelerate State of DevOps Report 2024, "Software delivery performance levels" (https://dora.dev/research/2024/dora-report/)';

/** Each band's figure, best band first; `meets(value)` says whether a value is at least that good. */
interface Level {
  band: Band;
  /** The report's words. */
  figure: string;
  meets: (value: number) => boolean;
}

/** Successful releases per day. Elite is "on demand (multiple deploys per day)": more than one a day. */
export const DEPLOYMENT_FREQUENCY_LEVELS: readonly Level[] = [
  { band: 'elite', figure: 'on demand (multiple deploys per day)', meets: (perDay) => perDay > 1 },
  { band: 'high', figure: 'between once per day and once per week', meets: (perDay) => perDay >= 1 / WEEK_DAYS },
  { band: 'medium', figure: 'between once per week and once per month', meets: (perDay) => perDay >= 1 / MONTH_DAYS },
  { band: 'low', figure: 'between once per month and once every six months', meets: () => true },
];

/** Median change lead time, hours. */
export const LEAD_TIME_LEVELS: readonly Level[] = [
  { band: 'elite', figure: 'less than one day', meets: (h) => h < DAY_HOURS },
  { band: 'high', figure: 'between one day and one week', meets: (h) => h <= WEEK_DAYS * DAY_HOURS },
  { band: 'medium', figure: 'between one week and one month', meets: (h) => h <= MONTH_DAYS * DAY_HOURS },
  { band: 'low', figure: 'between one month and six months', meets: () => true },
];

/**
 * Change fail rate, 0–1. The 2024 medium cluster's rate (10%) is below the high cluster's (20%),
 * so a rate alone never names medium: a rate at or under 20% meets high's figure, the better band.
 */
export const CHANGE_FAILURE_RATE_LEVELS: readonly Level[] = [
  { band: 'elite', figure: '5%', meets: (r) => r <= 0.05 },
  { band: 'high', figure: '20%', meets: (r) => r <= 0.2 },
  { band: 'medium', figure: '10% (below high: never reached by a rate that missed high)', meets: (r) => r <= 0.1 },
  { band: 'low', figure: '40%', meets: () => true },
];

/**
 * Median failed deployment recovery time, hours. 2024's high and medium clusters share "less than
 * one day" (high, the better, is given), and no cluster lies between one day and one week: a
 * recovery of a day or more meets only low's figure ("between one week and one month").
 */
export const RECOVERY_TIME_LEVELS: readonly Level[] = [
  { band: 'elite', figure: 'less than one hour', meets: (h) => h < 1 },
  { band: 'high', figure: 'less than one day', meets: (h) => h < DAY_HOURS },
  { band: 'medium', figure: 'less than one day (as high)', meets: (h) => h < DAY_HOURS },
  { band: 'low', figure: 'between one week and one month', meets: () => true },
];

function bandOf(levels: readonly Level[], value: number | undefined): Band | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return levels.find((l) => l.meets(value))?.band;
}

export function deploymentFrequencyBand(perDay: number): Band | undefined {
  return bandOf(DEPLOYMENT_FREQUENCY_LEVELS, perDay);
}
export function leadTimeBand(hours: number | undefined): Band | undefined {
  return bandOf(LEAD_TIME_LEVELS, hours);
}
export function changeFailureRateBand(rate: number | undefined): Band | undefined {
  return bandOf(CHANGE_FAILURE_RATE_LEVELS, rate);
}
export function recoveryTimeBand(hours: number | undefined): Band | undefined {
  return bandOf(RECOVERY_TIME_LEVELS, hours);
}
/** Always undefined: DORA's 2024 report introduced rework rate and published no performance levels for it. */
export function reworkRateBand(_rate: number | undefined): Band | undefined {
  return undefined;
}

/** The band of each of a window's numbers; a window with no release has no frequency band. */
export function bandsOf(n: MetricsNumbers): MetricsBands {
  return {
    deploymentFrequency: n.releases === 0 && n.unfinished === 0 ? undefined : deploymentFrequencyBand(n.deploymentsPerDay),
    leadTime: leadTimeBand(n.leadTimeMedianHours),
    changeFailureRate: changeFailureRateBand(n.changeFailureRate),
    recoveryTime: recoveryTimeBand(n.recoveryMedianHours),
    reworkRate: reworkRateBand(n.reworkRate),
  };
}

/** Better or worse: which way is good for each metric. */
export const HIGHER_IS_BETTER = {
  deploymentFrequency: true,
  leadTime: false,
  changeFailureRate: false,
  recoveryTime: false,
  reworkRate: false,
} as const satisfies Record<keyof MetricsBands, boolean>;
