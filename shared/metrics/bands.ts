/**
 * DORA's performance bands for each metric, the thresholds written down once (README cites the
 * source). Filled in by the next commit; the signatures are the API the action uses.
 */
import type { Band, MetricsBands, MetricsNumbers } from './model.js';

export function deploymentFrequencyBand(_perDay: number): Band | undefined {
  return undefined;
}
export function leadTimeBand(_hours: number | undefined): Band | undefined {
  return undefined;
}
export function changeFailureRateBand(_rate: number | undefined): Band | undefined {
  return undefined;
}
export function recoveryTimeBand(_hours: number | undefined): Band | undefined {
  return undefined;
}
export function reworkRateBand(_rate: number | undefined): Band | undefined {
  return undefined;
}

/** The band of each of a window's numbers. */
export function bandsOf(n: MetricsNumbers): MetricsBands {
  return {
    deploymentFrequency: n.releases === 0 ? undefined : deploymentFrequencyBand(n.deploymentsPerDay),
    leadTime: leadTimeBand(n.leadTimeMedianHours),
    changeFailureRate: changeFailureRateBand(n.changeFailureRate),
    recoveryTime: recoveryTimeBand(n.recoveryMedianHours),
    reworkRate: reworkRateBand(n.reworkRate),
  };
}
