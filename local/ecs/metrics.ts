/**
 * The metrics a CloudWatch stands on: datapoints as statistic sets (sample count, sum, minimum,
 * maximum) stamped on the emulated clock, keyed by namespace, metric name and the exact set of
 * dimensions (CloudWatch matches a query's dimensions as a whole set, never a subset).
 *
 * The load balancers feed it as Application Load Balancers publish to `AWS/ApplicationELB`: one
 * request adds to RequestCount, to HTTPCode_Target_{2,3,4,5}XX_Count by the target's status (or
 * HTTPCode_ELB_5XX_Count when the load balancer answered itself), and, when a target answered, a
 * TargetResponseTime sample in seconds; each under {LoadBalancer} and {TargetGroup, LoadBalancer}.
 * ELB publishes a count only when it is not zero, so a period without 5xx has no datapoint.
 */
import { createHash } from 'node:crypto';

export interface Dimension {
  Name: string;
  Value: string;
}

/** CloudWatch's StatisticSet: what one datapoint (or one published request) contributes. */
export interface StatisticSet {
  SampleCount: number;
  Sum: number;
  Minimum: number;
  Maximum: number;
}

interface Series {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  unit?: string;
  points: Array<{ at: number } & StatisticSet>;
}

export const ELB_NAMESPACE = 'AWS/ApplicationELB';

/** How long datapoints are kept (emulated ms): CloudWatch keeps 1-minute data 15 days; we keep a day. */
const RETENTION_MS = 24 * 3600_000;

export function seriesKey(namespace: string, metricName: string, dimensions: Dimension[]): string {
  const dims = [...dimensions].sort((a, b) => a.Name.localeCompare(b.Name)).map((d) => `${d.Name}=${d.Value}`);
  return `${namespace}\u0000${metricName}\u0000${dims.join('\u0000')}`;
}

export class MetricStore {
  private readonly series = new Map<string, Series>();

  /** Adds one datapoint (a statistic set) at emulated time `at`. */
  put(namespace: string, metricName: string, dimensions: Dimension[], at: number, value: StatisticSet, unit?: string): void {
    const key = seriesKey(namespace, metricName, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { namespace, metricName, dimensions: [...dimensions], points: [], ...(unit ? { unit } : {}) };
      this.series.set(key, s);
    }
    s.points.push({ at, ...value });
    const oldest = at - RETENTION_MS;
    while (s.points.length > 0 && (s.points[0]?.at ?? at) < oldest) s.points.shift();
  }

  /** One value published `count` times (a count metric publishes its count as one sample). */
  putValue(namespace: string, metricName: string, dimensions: Dimension[], at: number, value: number, unit?: string): void {
    this.put(namespace, metricName, dimensions, at, { SampleCount: 1, Sum: value, Minimum: value, Maximum: value }, unit);
  }

  /** The statistic sets of one series within [start, end), merged (undefined: no datapoint). */
  aggregate(namespace: string, metricName: string, dimensions: Dimension[], start: number, end: number): StatisticSet | undefined {
    const s = this.series.get(seriesKey(namespace, metricName, dimensions));
    if (!s) return undefined;
    let merged: StatisticSet | undefined;
    for (const p of s.points) {
      if (p.at < start || p.at >= end) continue;
      merged = merged
        ? {
            SampleCount: merged.SampleCount + p.SampleCount,
            Sum: merged.Sum + p.Sum,
            Minimum: Math.min(merged.Minimum, p.Minimum),
            Maximum: Math.max(merged.Maximum, p.Maximum),
          }
        : { SampleCount: p.SampleCount, Sum: p.Sum, Minimum: p.Minimum, Maximum: p.Maximum };
    }
    return merged;
  }
}

/** A statistic of a merged statistic set, as CloudWatch computes it. */
export function statistic(set: StatisticSet, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return set.SampleCount;
    case 'Sum':
      return set.Sum;
    case 'Minimum':
      return set.Minimum;
    case 'Maximum':
      return set.Maximum;
    case 'Average':
      return set.SampleCount > 0 ? set.Sum / set.SampleCount : undefined;
    default:
      return undefined;
  }
}

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

/**
 * The dimension values ELB uses for a target group and its load balancer: `targetgroup/name/id`
 * (the tail of the target group's ARN) and `app/name/id`. The emulator models no elbv2 load
 * balancer resource, so the load balancer's name is the target group's and its id is derived
 * from the target group's ARN (stable for the target group's life).
 */
export function elbDimensions(targetGroupArn: string): { TargetGroup: string; LoadBalancer: string } {
  const tail = targetGroupArn.slice(targetGroupArn.indexOf('targetgroup/'));
  const name = tail.split('/')[1] ?? 'local';
  const id = createHash('sha256').update(targetGroupArn).digest('hex').slice(0, 16);
  return { TargetGroup: tail, LoadBalancer: `app/${name}/${id}` };
}

/** What the load balancer saw of one request (or of `count` alike requests, in simulated mode). */
export interface ServedRequests {
  count: number;
  /** The target's status class (2, 3, 4, 5); undefined when the load balancer answered itself. */
  targetStatusClass?: number;
  /** How many of `count` the target answered with 5xx (simulated traffic mixes them). */
  target5xx?: number;
  /** Seconds from sending to the target until its response headers (per request). */
  targetResponseSeconds?: number;
  /** The load balancer's own answer (502/503) instead of a target's. */
  elb5xx?: boolean;
}

/** Publishes a load balancer's traffic into the store as ELB does. */
export function publishElbRequests(store: MetricStore, targetGroupArn: string, at: number, served: ServedRequests): void {
  const dims = elbDimensions(targetGroupArn);
  const sets: Dimension[][] = [
    [{ Name: 'LoadBalancer', Value: dims.LoadBalancer }],
    [
      { Name: 'TargetGroup', Value: dims.TargetGroup },
      { Name: 'LoadBalancer', Value: dims.LoadBalancer },
    ],
  ];
  const count = (name: string, n: number) => {
    if (n <= 0) return;
    for (const d of sets) store.putValue(ELB_NAMESPACE, name, d, at, n, 'Count');
  };
  count('RequestCount', served.count);
  if (served.elb5xx) {
    count('HTTPCode_ELB_5XX_Count', served.count);
    return;
  }
  const fiveXx = served.target5xx ?? (served.targetStatusClass === 5 ? served.count : 0);
  count('HTTPCode_Target_5XX_Count', fiveXx);
  const cls = served.targetStatusClass === 5 ? undefined : (served.targetStatusClass ?? 2);
  if (cls !== undefined) count(`HTTPCode_Target_${cls}XX_Count`, served.count - fiveXx);
  if (served.targetResponseSeconds !== undefined) {
    const rt = served.targetResponseSeconds;
    for (const d of sets) {
      store.put(ELB_NAMESPACE, 'TargetResponseTime', d, at, { SampleCount: served.count, Sum: rt * served.count, Minimum: rt, Maximum: rt }, 'Seconds');
    }
  }
}
