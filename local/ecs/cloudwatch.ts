/**
 * CloudWatch as the ECS deployment path meets it: metric alarms over the metric store, evaluated
 * on the emulated clock, their state changes kept as alarm history, and the metric data behind
 * them. The SDK speaks AWS JSON 1.0 to it (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`,
 * with `x-amzn-query-mode: true`: CloudWatch is "query compatible", so errors also carry their
 * awsQuery code in `x-amzn-query-error`). Shapes and rules follow the API reference as the SDK's
 * model docs quote it (PutMetricAlarm, DescribeAlarms, DescribeAlarmHistory, SetAlarmState,
 * GetMetricData, PutMetricData).
 *
 * Evaluation: each alarm is evaluated at every boundary of its period (at most every minute, as
 * CloudWatch evaluates standard alarms), over its last EvaluationPeriods complete periods; it is
 * ALARM when at least DatapointsToAlarm of them breach, OK when fewer do and there is data, and
 * for a range with no datapoint at all TreatMissingData decides (missing → INSUFFICIENT_DATA,
 * ignore → state kept, breaching / notBreaching → the missing periods count as such).
 */
import type { Clock, ClockTimer } from './clock.js';
import { type Dimension, type MetricStore, STATISTICS, statistic } from './metrics.js';
import { AwsError, type Handler, epochSeconds } from './wire.js';

export const CLOUDWATCH_PREFIX = 'GraniteServiceVersion20100801';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

const OPERATORS: Record<string, { words: string; breaches: (v: number, t: number) => boolean }> = {
  GreaterThanOrEqualToThreshold: { words: 'greater than or equal to', breaches: (v, t) => v >= t },
  GreaterThanThreshold: { words: 'greater than', breaches: (v, t) => v > t },
  LessThanThreshold: { words: 'less than', breaches: (v, t) => v < t },
  LessThanOrEqualToThreshold: { words: 'less than or equal to', breaches: (v, t) => v <= t },
};
const MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];

export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  AlarmConfigurationUpdatedTimestamp: number;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: AlarmState;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: number;
  StateTransitionedTimestamp: number;
  MetricName: string;
  Namespace: string;
  Statistic: string;
  Dimensions: Dimension[];
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
}

interface HistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm';
  Timestamp: number;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

export type AlarmStateListener = (alarm: MetricAlarm, previous: AlarmState) => void;

const cwErrors = {
  invalidValue: (message: string) => queryError('InvalidParameterValueException', 'InvalidParameterValue', message),
  missing: (name: string) => queryError('MissingRequiredParameterException', 'MissingParameter', `The parameter ${name} is required.`),
  combination: (message: string) => queryError('InvalidParameterCombinationException', 'InvalidParameterCombination', message),
  // The model gives ResourceNotFound HTTP 404 (the other errors here are 400).
  notFound: (message: string) => queryError('ResourceNotFound', 'ResourceNotFound', message, 404),
  invalidToken: () => queryError('InvalidNextToken', 'InvalidNextToken', 'The service returned an invalid next token.'),
};

/** A CloudWatch error: its JSON __type plus the awsQuery code the query-compatible SDK reads. */
export class QueryCompatibleError extends AwsError {
  constructor(
    type: string,
    readonly queryCode: string,
    message: string,
    status = 400,
  ) {
    super(type, message, status);
  }
}
const queryError = (type: string, code: string, message: string, status = 400) => new QueryCompatibleError(type, code, message, status);

export class CloudWatch {
  private readonly alarms = new Map<string, MetricAlarm>();
  private readonly history: HistoryItem[] = [];
  private readonly nextEvaluation = new Map<string, number>();
  private readonly listeners = new Set<AlarmStateListener>();
  private timer?: ClockTimer;
  private closed = false;
  /**
   * Brings the metric data the emulator makes itself (simulated traffic) up to now; called before
   * every evaluation. Timers run late and in any order after a stall of the process: an evaluation
   * that ran before the traffic timer had published the stalled time judged a minute without its
   * requests (no data: OK), and was not due again until the next minute, so a release serving 500s
   * could finish its bake on that verdict (seen under load: COMPLETED instead of FAILED).
   */
  bringDataUpToNow?: () => void;

  constructor(
    private readonly metrics: MetricStore,
    private readonly clock: Clock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  start(): void {
    const next = () => {
      if (this.closed) return;
      this.evaluateDue();
      this.timer = this.clock.setTimeout(next, 1000);
    };
    this.timer = this.clock.setTimeout(next, 1000);
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
  }

  alarm(name: string): MetricAlarm | undefined {
    return this.alarms.get(name);
  }

  /** Told of every state change (ECS's deployment alarms react to it). */
  onStateChange(listener: AlarmStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  handlers(): Record<string, Handler> {
    return {
      PutMetricAlarm: (input) => this.putMetricAlarm(input),
      DescribeAlarms: (input) => this.describeAlarms(input),
      DeleteAlarms: (input) => this.deleteAlarms(input),
      DescribeAlarmHistory: (input) => this.describeAlarmHistory(input),
      SetAlarmState: (input) => this.setAlarmState(input),
      GetMetricData: (input) => this.getMetricData(input),
      PutMetricData: (input) => this.putMetricData(input),
    };
  }

  // ---- operations ------------------------------------------------------------------------------

  private putMetricAlarm(input: Record<string, unknown>): Record<string, never> {
    const name = requiredString(input, 'AlarmName');
    if (name.length > 255) throw cwErrors.invalidValue('The parameter AlarmName must be 1 to 255 characters.');
    if (input.Metrics !== undefined) {
      throw cwErrors.invalidValue('Metric math alarms (Metrics) are not supported by the local CloudWatch emulator.');
    }
    if (input.ExtendedStatistic !== undefined) {
      throw cwErrors.invalidValue('ExtendedStatistic (percentiles) is not supported by the local CloudWatch emulator.');
    }
    const evaluationPeriods = requiredInt(input, 'EvaluationPeriods');
    if (evaluationPeriods < 1) throw cwErrors.invalidValue('The parameter EvaluationPeriods must be greater than or equal to 1.');
    const operator = requiredString(input, 'ComparisonOperator');
    if (!OPERATORS[operator]) {
      throw cwErrors.invalidValue(
        `The parameter ComparisonOperator must be one of ${Object.keys(OPERATORS).join(', ')} (anomaly detection bands are not supported locally).`,
      );
    }
    const metricName = requiredString(input, 'MetricName');
    const namespace = requiredString(input, 'Namespace');
    const stat = requiredString(input, 'Statistic');
    if (!(STATISTICS as readonly string[]).includes(stat)) throw cwErrors.invalidValue(`The parameter Statistic must be one of ${STATISTICS.join(', ')}.`);
    const period = requiredInt(input, 'Period');
    if (!(period === 10 || period === 20 || period === 30 || (period >= 60 && period % 60 === 0))) {
      throw cwErrors.invalidValue('The parameter Period must be 10, 20, 30 or a multiple of 60.');
    }
    if (period * evaluationPeriods > (period >= 3600 ? 7 * 86400 : 86400)) {
      throw cwErrors.invalidValue('The evaluation range (Period × EvaluationPeriods) must not exceed one day (seven days for periods of an hour or more).');
    }
    const datapoints = optionalInt(input, 'DatapointsToAlarm') ?? evaluationPeriods;
    if (datapoints < 1 || datapoints > evaluationPeriods) {
      throw cwErrors.invalidValue('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
    }
    const threshold = input.Threshold;
    if (typeof threshold !== 'number') throw cwErrors.missing('Threshold');
    const missing = optionalString(input, 'TreatMissingData') ?? 'missing';
    if (!MISSING.includes(missing)) throw cwErrors.invalidValue(`The parameter TreatMissingData must be one of ${MISSING.join(', ')}.`);
    const dimensions = dimensionList(input.Dimensions, 'Dimensions');
    const now = this.clock.now();
    const existing = this.alarms.get(name);
    const description = optionalString(input, 'AlarmDescription');
    const unit = optionalString(input, 'Unit');
    const alarm: MetricAlarm = {
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`,
      ...(description !== undefined ? { AlarmDescription: description } : {}),
      AlarmConfigurationUpdatedTimestamp: now,
      ActionsEnabled: input.ActionsEnabled !== false,
      OKActions: stringList(input.OKActions),
      AlarmActions: stringList(input.AlarmActions),
      InsufficientDataActions: stringList(input.InsufficientDataActions),
      // An update keeps the alarm's state; a new alarm starts unchecked.
      StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
      ...(existing?.StateReasonData !== undefined ? { StateReasonData: existing.StateReasonData } : {}),
      StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
      StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
      MetricName: metricName,
      Namespace: namespace,
      Statistic: stat,
      Dimensions: dimensions,
      Period: period,
      ...(unit !== undefined ? { Unit: unit } : {}),
      EvaluationPeriods: evaluationPeriods,
      DatapointsToAlarm: datapoints,
      Threshold: threshold,
      ComparisonOperator: operator,
      TreatMissingData: missing,
    };
    this.alarms.set(name, alarm);
    this.nextEvaluation.set(name, this.boundaryAfter(now, alarm));
    this.record({
      AlarmName: name,
      AlarmType: 'MetricAlarm',
      Timestamp: now,
      HistoryItemType: 'ConfigurationUpdate',
      HistorySummary: existing ? `Alarm "${name}" updated` : `Alarm "${name}" created`,
      HistoryData: JSON.stringify({ version: '1.0', type: existing ? 'Update' : 'Create', updatedAlarm: this.view(alarm) }),
    });
    return {};
  }

  private describeAlarms(input: Record<string, unknown>): unknown {
    const names = input.AlarmNames === undefined ? undefined : stringList(input.AlarmNames);
    if (names && names.length > 100) throw cwErrors.invalidValue('The parameter AlarmNames must have at most 100 members.');
    const prefix = optionalString(input, 'AlarmNamePrefix');
    if (names && prefix !== undefined) throw cwErrors.combination('AlarmNames and AlarmNamePrefix cannot be used together.');
    const state = optionalString(input, 'StateValue');
    const types = input.AlarmTypes === undefined ? ['MetricAlarm'] : stringList(input.AlarmTypes);
    const matching = [...this.alarms.values()]
      .filter((a) => (names ? names.includes(a.AlarmName) : true))
      .filter((a) => (prefix !== undefined ? a.AlarmName.startsWith(prefix) : true))
      .filter((a) => (state !== undefined ? a.StateValue === state : true))
      .filter(() => types.includes('MetricAlarm'))
      .sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
    const { page, next } = pageOf(matching, input, 'MaxRecords', 50);
    return { MetricAlarms: page.map((a) => this.view(a)), CompositeAlarms: [], ...(next ? { NextToken: next } : {}) };
  }

  private deleteAlarms(input: Record<string, unknown>): Record<string, never> {
    const names = stringList(input.AlarmNames);
    const unknown = names.filter((n) => !this.alarms.has(n));
    if (unknown.length > 0) throw cwErrors.notFound(`Alarms not found: ${unknown.join(', ')}`);
    for (const n of names) {
      this.alarms.delete(n);
      this.nextEvaluation.delete(n);
    }
    return {};
  }

  private describeAlarmHistory(input: Record<string, unknown>): unknown {
    const name = optionalString(input, 'AlarmName');
    const type = optionalString(input, 'HistoryItemType');
    const start = optionalTimestamp(input, 'StartDate');
    const end = optionalTimestamp(input, 'EndDate');
    const ascending = optionalString(input, 'ScanBy') === 'TimestampAscending';
    const items = this.history
      .filter((h) => (name !== undefined ? h.AlarmName === name : true))
      .filter((h) => (type !== undefined ? h.HistoryItemType === type : true))
      .filter((h) => (start !== undefined ? h.Timestamp >= start : true))
      .filter((h) => (end !== undefined ? h.Timestamp <= end : true));
    if (!ascending) items.reverse();
    const { page, next } = pageOf(items, input, 'MaxRecords', 100);
    return { AlarmHistoryItems: page.map((h) => ({ ...h, Timestamp: epochSeconds(h.Timestamp) })), ...(next ? { NextToken: next } : {}) };
  }

  private setAlarmState(input: Record<string, unknown>): Record<string, never> {
    const name = requiredString(input, 'AlarmName');
    const state = requiredString(input, 'StateValue');
    if (state !== 'OK' && state !== 'ALARM' && state !== 'INSUFFICIENT_DATA') {
      throw cwErrors.invalidValue('The parameter StateValue must be one of OK, ALARM, INSUFFICIENT_DATA.');
    }
    const reason = requiredString(input, 'StateReason');
    const data = optionalString(input, 'StateReasonData');
    if (data !== undefined) {
      try {
        JSON.parse(data);
      } catch {
        throw cwErrors.invalidValue('The parameter StateReasonData must be valid JSON.');
      }
    }
    const alarm = this.alarms.get(name);
    if (!alarm) throw cwErrors.notFound(`Alarm ${name} not found`);
    // The state holds until the next evaluation, which sets the state the data calls for.
    this.transition(alarm, state, reason, data);
    return {};
  }

  private getMetricData(input: Record<string, unknown>): unknown {
    const queries = input.MetricDataQueries;
    if (!Array.isArray(queries) || queries.length === 0) throw cwErrors.missing('MetricDataQueries');
    if (queries.length > 500) throw cwErrors.invalidValue('The parameter MetricDataQueries must have at most 500 members.');
    const start = optionalTimestamp(input, 'StartTime');
    const end = optionalTimestamp(input, 'EndTime');
    if (start === undefined) throw cwErrors.missing('StartTime');
    if (end === undefined) throw cwErrors.missing('EndTime');
    if (end <= start) throw cwErrors.invalidValue('The parameter StartTime must be less than the parameter EndTime.');
    const ascending = optionalString(input, 'ScanBy') === 'TimestampAscending';
    const results = queries.map((q, i) => {
      const query = asRecord(q, `MetricDataQueries.member.${i + 1}`);
      const id = requiredString(query, 'Id');
      if (!/^[a-z][A-Za-z0-9_]*$/.test(id)) {
        throw cwErrors.invalidValue(
          `The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
        );
      }
      if (query.Expression !== undefined) throw cwErrors.invalidValue('Metric math expressions are not supported by the local CloudWatch emulator.');
      const stat = asRecord(query.MetricStat, `MetricDataQueries.member.${i + 1}.MetricStat`);
      const metric = asRecord(stat.Metric, `MetricDataQueries.member.${i + 1}.MetricStat.Metric`);
      const period = requiredInt(stat, 'Period');
      if (!(period === 1 || period === 5 || period === 10 || period === 20 || period === 30 || (period >= 60 && period % 60 === 0))) {
        throw cwErrors.invalidValue('The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.');
      }
      const statName = requiredString(stat, 'Stat');
      if (!(STATISTICS as readonly string[]).includes(statName)) {
        throw cwErrors.invalidValue(`Stat ${statName} is not supported by the local CloudWatch emulator (${STATISTICS.join(', ')}).`);
      }
      const namespace = requiredString(metric, 'Namespace');
      const metricName = requiredString(metric, 'MetricName');
      const dimensions = dimensionList(metric.Dimensions, 'Dimensions');
      const periodMs = period * 1000;
      const timestamps: number[] = [];
      const values: number[] = [];
      for (let t = Math.floor(start / periodMs) * periodMs; t < end; t += periodMs) {
        const set = this.metrics.aggregate(namespace, metricName, dimensions, t, t + periodMs);
        const v = set ? statistic(set, statName) : undefined;
        if (v === undefined) continue;
        timestamps.push(epochSeconds(t));
        values.push(v);
      }
      if (!ascending) {
        timestamps.reverse();
        values.reverse();
      }
      const label = optionalString(query, 'Label') ?? metricName;
      return { id, returnData: query.ReturnData !== false, result: { Id: id, Label: label, Timestamps: timestamps, Values: values, StatusCode: 'Complete' } };
    });
    return { MetricDataResults: results.filter((r) => r.returnData).map((r) => r.result), Messages: [] };
  }

  private putMetricData(input: Record<string, unknown>): Record<string, never> {
    const namespace = requiredString(input, 'Namespace');
    if (namespace.startsWith('AWS/')) throw cwErrors.invalidValue('The value AWS/ for parameter Namespace is invalid: AWS namespaces are reserved.');
    const data = input.MetricData;
    if (!Array.isArray(data) || data.length === 0) throw cwErrors.missing('MetricData');
    const now = this.clock.now();
    for (const [i, d] of data.entries()) {
      const datum = asRecord(d, `MetricData.member.${i + 1}`);
      const name = requiredString(datum, 'MetricName');
      const dims = dimensionList(datum.Dimensions, 'Dimensions');
      const at = optionalTimestamp(datum, 'Timestamp') ?? now;
      const unit = optionalString(datum, 'Unit');
      const stats = datum.StatisticValues as Record<string, unknown> | undefined;
      if (stats) {
        const set = { SampleCount: Number(stats.SampleCount), Sum: Number(stats.Sum), Minimum: Number(stats.Minimum), Maximum: Number(stats.Maximum) };
        if (Object.values(set).some((v) => !Number.isFinite(v))) throw cwErrors.invalidValue('StatisticValues needs SampleCount, Sum, Minimum and Maximum.');
        this.metrics.put(namespace, name, dims, at, set, unit);
      } else if (typeof datum.Value === 'number') {
        this.metrics.putValue(namespace, name, dims, at, datum.Value, unit);
      } else if (Array.isArray(datum.Values)) {
        const counts = Array.isArray(datum.Counts) ? (datum.Counts as number[]) : [];
        (datum.Values as number[]).forEach((v, j) => {
          const n = counts[j] ?? 1;
          this.metrics.put(namespace, name, dims, at, { SampleCount: n, Sum: v * n, Minimum: v, Maximum: v }, unit);
        });
      } else {
        throw cwErrors.combination('Each MetricData member needs Value, Values or StatisticValues.');
      }
    }
    return {};
  }

  // ---- evaluation ------------------------------------------------------------------------------

  /** Evaluates every alarm whose next evaluation time has come, on data up to now. */
  evaluateDue(): void {
    this.bringDataUpToNow?.();
    const now = this.clock.now();
    for (const alarm of this.alarms.values()) {
      const due = this.nextEvaluation.get(alarm.AlarmName) ?? 0;
      if (now < due) continue;
      this.evaluate(alarm, now);
      this.nextEvaluation.set(alarm.AlarmName, this.boundaryAfter(now, alarm));
    }
  }

  private boundaryAfter(now: number, alarm: MetricAlarm): number {
    const every = Math.min(alarm.Period, 60) * 1000;
    return (Math.floor(now / every) + 1) * every;
  }

  private evaluate(alarm: MetricAlarm, now: number): void {
    const periodMs = alarm.Period * 1000;
    const end = Math.floor(now / periodMs) * periodMs;
    const op = OPERATORS[alarm.ComparisonOperator];
    if (!op) return;
    const points: Array<{ at: number; value?: number; sampleCount?: number }> = [];
    for (let i = alarm.EvaluationPeriods; i >= 1; i--) {
      const from = end - i * periodMs;
      const set = this.metrics.aggregate(alarm.Namespace, alarm.MetricName, alarm.Dimensions, from, from + periodMs);
      const value = set ? statistic(set, alarm.Statistic) : undefined;
      points.push({ at: from, ...(value !== undefined ? { value, sampleCount: set?.SampleCount ?? 0 } : {}) });
    }
    const present = points.filter((p): p is { at: number; value: number; sampleCount: number } => p.value !== undefined);
    const missingCount = points.length - present.length;
    let breaching = present.filter((p) => op.breaches(p.value, alarm.Threshold)).length;
    if (alarm.TreatMissingData === 'breaching') breaching += missingCount;
    const evaluated = present.length + (alarm.TreatMissingData === 'breaching' || alarm.TreatMissingData === 'notBreaching' ? missingCount : 0);
    let next: AlarmState;
    if (breaching >= alarm.DatapointsToAlarm) next = 'ALARM';
    else if (evaluated > 0) next = 'OK';
    else if (alarm.TreatMissingData === 'ignore') return;
    else next = 'INSUFFICIENT_DATA';

    const recent = present.map((p) => `${formatValue(p.value)} (${formatDate(p.at)})`).reverse();
    const datapoints = (n: number) => `${n} datapoint${n === 1 ? '' : 's'}`;
    let reason: string;
    if (next === 'INSUFFICIENT_DATA') {
      reason = `Insufficient Data: ${datapoints(missingCount)} ${missingCount === 1 ? 'was' : 'were'} unknown.`;
    } else {
      const count = next === 'ALARM' ? breaching : evaluated - breaching;
      const transition = next === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK';
      reason =
        `Threshold Crossed: ${count} out of the last ${alarm.EvaluationPeriods} datapoints [${recent.join(', ')}] ` +
        `${next === 'ALARM' ? 'was' : 'was not'} ${op.words} the threshold (${formatValue(alarm.Threshold)}) ` +
        `(minimum ${datapoints(alarm.DatapointsToAlarm)} for ${transition} transition).`;
    }
    const data = JSON.stringify({
      version: '1.0',
      queryDate: new Date(now).toISOString(),
      startDate: new Date(end - alarm.EvaluationPeriods * periodMs).toISOString(),
      statistic: alarm.Statistic,
      period: alarm.Period,
      recentDatapoints: present.map((p) => p.value).reverse(),
      threshold: alarm.Threshold,
      evaluatedDatapoints: present.map((p) => ({ timestamp: new Date(p.at).toISOString(), sampleCount: p.sampleCount, value: p.value })).reverse(),
    });
    if (next === alarm.StateValue) {
      // CloudWatch updates the reason of an unchanged state without a history item.
      alarm.StateReason = reason;
      alarm.StateReasonData = data;
      alarm.StateUpdatedTimestamp = now;
      return;
    }
    this.transition(alarm, next, reason, data);
  }

  private transition(alarm: MetricAlarm, state: AlarmState, reason: string, data: string | undefined): void {
    const now = this.clock.now();
    const previous = alarm.StateValue;
    const oldReason = alarm.StateReason;
    alarm.StateValue = state;
    alarm.StateReason = reason;
    if (data !== undefined) alarm.StateReasonData = data;
    else delete alarm.StateReasonData;
    alarm.StateUpdatedTimestamp = now;
    if (previous === state) return;
    alarm.StateTransitionedTimestamp = now;
    this.record({
      AlarmName: alarm.AlarmName,
      AlarmType: 'MetricAlarm',
      Timestamp: now,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${previous} to ${state}`,
      HistoryData: JSON.stringify({
        version: '1.0',
        oldState: { stateValue: previous, stateReason: oldReason },
        newState: { stateValue: state, stateReason: reason, ...(data !== undefined ? { stateReasonData: JSON.parse(data) } : {}) },
      }),
    });
    for (const l of this.listeners) l(alarm, previous);
  }

  private record(item: HistoryItem): void {
    this.history.push(item);
    // CloudWatch keeps alarm history for two weeks; a bounded list is enough locally.
    if (this.history.length > 10_000) this.history.shift();
  }

  private view(a: MetricAlarm): Record<string, unknown> {
    return {
      ...a,
      AlarmConfigurationUpdatedTimestamp: epochSeconds(a.AlarmConfigurationUpdatedTimestamp),
      StateUpdatedTimestamp: epochSeconds(a.StateUpdatedTimestamp),
      StateTransitionedTimestamp: epochSeconds(a.StateTransitionedTimestamp),
    };
  }
}

// ---- input helpers (CloudWatch's own error codes) ---------------------------------------------

function requiredString(input: Record<string, unknown>, key: string): string {
  const v = input[key];
  if (v === undefined || v === null || v === '') throw cwErrors.missing(key);
  if (typeof v !== 'string') throw cwErrors.invalidValue(`The parameter ${key} must be a string.`);
  return v;
}

function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw cwErrors.invalidValue(`The parameter ${key} must be a string.`);
  return v;
}

function requiredInt(input: Record<string, unknown>, key: string): number {
  const v = optionalInt(input, key);
  if (v === undefined) throw cwErrors.missing(key);
  return v;
}

function optionalInt(input: Record<string, unknown>, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw cwErrors.invalidValue(`The parameter ${key} must be an integer.`);
  return v;
}

/** Timestamps arrive as epoch seconds in AWS JSON; kept as epoch ms. */
function optionalTimestamp(input: Record<string, unknown>, key: string): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw cwErrors.invalidValue(`The parameter ${key} must be a timestamp.`);
  return v * 1000;
}

function stringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw cwErrors.invalidValue('Expected a list of strings.');
  return v as string[];
}

function asRecord(v: unknown, name: string): Record<string, unknown> {
  if (v === undefined || v === null) throw cwErrors.missing(name);
  if (typeof v !== 'object' || Array.isArray(v)) throw cwErrors.invalidValue(`The parameter ${name} must be a structure.`);
  return v as Record<string, unknown>;
}

function dimensionList(v: unknown, name: string): Dimension[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw cwErrors.invalidValue(`The parameter ${name} must be a list.`);
  if (v.length > 30) throw cwErrors.invalidValue(`The parameter ${name} must have at most 30 members.`);
  return v.map((d, i) => {
    const dim = asRecord(d, `${name}.member.${i + 1}`);
    return { Name: requiredString(dim, 'Name'), Value: requiredString(dim, 'Value') };
  });
}

function pageOf<T>(items: T[], input: Record<string, unknown>, maxKey: string, defaultMax: number): { page: T[]; next?: string } {
  const max = optionalInt(input, maxKey) ?? defaultMax;
  if (max < 1 || max > 100) throw cwErrors.invalidValue(`The parameter ${maxKey} must be between 1 and 100.`);
  const token = optionalString(input, 'NextToken');
  let offset = 0;
  if (token !== undefined) {
    const m = /^cw-(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m?.[1]) throw cwErrors.invalidToken();
    offset = Number(m[1]);
  }
  const page = items.slice(offset, offset + max);
  return offset + max < items.length ? { page, next: Buffer.from(`cw-${offset + max}`).toString('base64url') } : { page };
}

/** CloudWatch writes datapoints with one decimal at least: 12.0, 0.5. */
function formatValue(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** The dd/MM/yy HH:mm:ss form CloudWatch's state reasons use. */
function formatDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
