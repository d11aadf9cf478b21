/**
 * The demo's last stage: delivery-metrics.yml (workflow_dispatch) over a day, which covers the
 * whole demo, for staging and production, from the GitHub release records the stages left in the
 * stand-in (release-records.ts). Its numbers are checked against what the stages did, worked out
 * here by hand from issue 31's definitions: the counts from the record lists, the times (lead time,
 * recovery) from the records' own status times and the workspace's commit times — never from the
 * action's answer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedDeployment } from '../github-api/index.js';
import type { WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import { DEMO_REPOSITORY, type DemoWorld, resultText } from './demo-world.js';
import type { StageRow } from './report-table.js';
import type { DemoStage } from './stages.js';

const HOUR_MS = 3_600_000;
/** The window asked for: a day ending when the stage runs, so every release of the demo is in it. */
const WINDOW_DAYS = 1;

/** The five numbers of one environment (or of both together, as the step's outputs give them). */
export interface ExpectedMetrics {
  releases: number;
  successful: number;
  /** Releases that served production: the change fail rate's denominator. */
  served: number;
  changeFailures: number;
  /** Unplanned releases: the rework rate's numerator. */
  rework: number;
  deploymentsPerWeek: number;
  leadTimeHours: number[];
  recoveryHours: number[];
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

/** The times of one release record in the stand-in: opened, service updated (first in_progress), closed. */
function recordTimes(world: DemoWorld, environment: string, version: string, kind: 'deploy' | 'rollback') {
  const sha = world.commits[version];
  const d = world.github
    .deployments(DEMO_REPOSITORY)
    .find((r: RecordedDeployment) => r.environment === environment && r.sha === sha && (r.payload as { kind?: string }).kind === kind);
  if (!d) throw new Error(`no ${kind} record of ${version} in ${environment}`);
  const oldestFirst = [...d.statuses].reverse();
  const updated = oldestFirst.find((s) => s.state === 'in_progress')?.created_at;
  const closed = oldestFirst.find((s) => ['success', 'failure', 'error'].includes(s.state))?.created_at;
  if (!updated || !closed) throw new Error(`the ${kind} record of ${version} in ${environment} has no in_progress or no closing status`);
  return { updated: Date.parse(updated), closed: Date.parse(closed) };
}

/** Committer time (ms) of each release's commit, from the workspace's history. */
function commitTimes(world: DemoWorld): Record<string, number> {
  const log = execFileSync('git', ['log', '--format=%H %ct', 'HEAD'], { cwd: world.workspace, encoding: 'utf8' });
  const bySha = new Map(
    log
      .trim()
      .split('\n')
      .map((l) => [l.split(' ')[0]!, Number(l.split(' ')[1]) * 1000] as const),
  );
  return Object.fromEntries(Object.entries(world.commits).map(([version, sha]) => [version, bySha.get(sha) ?? Number.NaN]));
}

/**
 * What the stages did, by issue 31's definitions, from the records of part 1 (release-records.ts,
 * EXPECTED_RECORDS), oldest first:
 *
 *   staging     1.0.0 ✓ · 1.1.0 ✓ · 1.2.0 rolled back (failed tasks), served=unknown · 1.3.0 rolled
 *               back (alarm), served=yes · 1.4.0 failed migration, served=no
 *   production  1.0.0 ✓ · 1.1.0 ✓ · rollback action to 1.0.0 ✓ · live 1.5.0 ✓ (resume)
 *               · live 1.6.0 rolled back at the gate, served=no
 *
 * 1.2.0 answered no request; its record says served=unknown (its targets were registered, then its
 * tasks stopped for failing the load balancer's health checks; see release-records.ts). A failure
 * whose serving is unknown is left out of the change fail rate (shared/metrics/README.md), so it is
 * neither served nor a change failure here, and nothing after it is rework for its sake.
 */
export function expectedMetrics(world: DemoWorld): Record<'staging' | 'production' | 'both', ExpectedMetrics> {
  const commit = commitTimes(world);
  const hours = (from: number, to: number) => (to - from) / HOUR_MS;
  const perWeek = (successful: number) => (successful / WINDOW_DAYS) * 7;
  const t = (environment: string, version: string, kind: 'deploy' | 'rollback' = 'deploy') => recordTimes(world, environment, version, kind);

  // Lead time: each successful release counts the commits between the previous successful
  // release's SHA and its own, from each commit's committer time to the release's success (its
  // closing status). The first release of an environment (1.0.0) has no earlier one: no commits.
  //   staging: 1.1.0 brings 1.1.0's commit (1.0.0..1.1.0). The failures bring nothing.
  const stagingLead = [hours(commit['1.1.0']!, t('staging', '1.1.0').closed)];
  //   production: 1.1.0 brings 1.1.0's commit; the rollback to 1.0.0 brings none (1.1.0..1.0.0 is
  //   empty: 1.0.0 is an ancestor); live 1.5.0 follows the rollback (SHA 1.0.0), so it brings
  //   1.0.0..1.5.0 = the commits of 1.1.0, 1.2.0, 1.3.0, 1.4.0 and 1.5.0. 1.6.0 did not succeed.
  const live15 = t('production', '1.5.0').closed;
  const productionLead = [
    hours(commit['1.1.0']!, t('production', '1.1.0').closed),
    ...['1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.5.0'].map((v) => hours(commit[v]!, live15)),
  ];

  // Recovery: from when the failing release began serving (its record's first in_progress: the
  // service was updated) to when the environment next ran a good release.
  //   staging: 1.3.0, rolled back automatically: to its own closing status (the rollback done,
  //   the service back on 1.1.0). 1.2.0 is no change failure (served unknown): no recovery.
  const stagingRecovery = ['1.3.0'].map((v) => hours(t('staging', v).updated, t('staging', v).closed));
  //   production: 1.1.0, undone by the rollback action: to the rollback record's success.
  const productionRecovery = [hours(t('production', '1.1.0').updated, t('production', '1.0.0', 'rollback').closed)];

  const staging: ExpectedMetrics = {
    // 5 finished releases; 2 succeeded (1.0.0, 1.1.0): 2 a day, 14 a week.
    releases: 5,
    successful: 2,
    // Served production (by the records): 1.0.0, 1.1.0 and 1.3.0. 1.2.0's serving is unknown (left
    // out); 1.4.0 never ran: stopped before serving, the pipeline working, not a change failure.
    served: 3,
    // 1.3.0 served, then was rolled back automatically: 1 of 3 → 0.333.
    changeFailures: 1,
    // Unplanned: no rollback action, no commit with the marker (Hotfix: true); 1.4.0 follows the
    // change failure 1.3.0 before any other success: 1 of 5 → 0.2.
    rework: 1,
    deploymentsPerWeek: perWeek(2),
    leadTimeHours: stagingLead,
    recoveryHours: stagingRecovery,
  };
  const production: ExpectedMetrics = {
    // 5 finished releases; 4 succeeded: 1.0.0, 1.1.0, the rollback action (a release too), live
    // 1.5.0: 4 a day, 28 a week.
    releases: 5,
    successful: 4,
    // Served: those 4; 1.6.0 was rolled back at the gate before any production traffic.
    served: 4,
    // 1.1.0 served and was undone later by the rollback action: 1 of 4 → 0.25.
    changeFailures: 1,
    // The rollback action is unplanned (and it is the release that follows 1.1.0's failure);
    // 1.5.0 follows a success (the rollback): 1 of 5 → 0.2.
    rework: 1,
    deploymentsPerWeek: perWeek(4),
    leadTimeHours: productionLead,
    recoveryHours: productionRecovery,
  };
  // Both together (the step's outputs): the sums (10 releases, 6 successful = 42 a week, 2 change
  // failures of 7 that served = 0.286, rework 2 of 10 = 0.2), and the times of both (7 commits, 2 recoveries).
  const both: ExpectedMetrics = {
    releases: 10,
    successful: 6,
    served: 7,
    changeFailures: 2,
    rework: 2,
    deploymentsPerWeek: perWeek(6),
    leadTimeHours: [...stagingLead, ...productionLead],
    recoveryHours: [...stagingRecovery, ...productionRecovery],
  };
  return { staging, production, both };
}

/** The report's numbers of one environment (MetricsNumbers in shared/metrics/model.ts), as much as is checked. */
interface ReportNumbers {
  releases: number;
  successful: number;
  served: number;
  changeFailures: number;
  rework: number;
  deploymentsPerWeek: number;
  leadTimeCommits: number;
  /** The report file writes a number it cannot compute as null. */
  leadTimeMedianHours: number | null;
  changeFailureRate: number | null;
  recoveryMedianHours: number | null;
  reworkRate: number | null;
}

/** Differences between the report's numbers of an environment and the expected ones; times within 3.6 s (0.001 h). */
function reportDifferences(got: ReportNumbers | undefined, want: ExpectedMetrics): string[] {
  if (!got) return ['not in the report'];
  const near = (a: number | null | undefined, b: number | undefined, tolerance: number) =>
    a != null && b !== undefined ? Math.abs(a - b) <= tolerance : (a ?? undefined) === b;
  const checks: [string, number | null | undefined, number | undefined, number][] = [
    ['releases', got.releases, want.releases, 0],
    ['successful', got.successful, want.successful, 0],
    ['served', got.served, want.served, 0],
    ['change failures', got.changeFailures, want.changeFailures, 0],
    ['rework', got.rework, want.rework, 0],
    ['per week', got.deploymentsPerWeek, want.deploymentsPerWeek, 1e-9],
    ['lead-time commits', got.leadTimeCommits, want.leadTimeHours.length, 0],
    ['lead time median h', got.leadTimeMedianHours, median(want.leadTimeHours), 0.001],
    ['change fail rate', got.changeFailureRate, want.changeFailures / want.served, 1e-9],
    ['recovery median h', got.recoveryMedianHours, median(want.recoveryHours), 0.001],
    ['rework rate', got.reworkRate, want.rework / want.releases, 1e-9],
  ];
  return checks.filter(([, a, b, tol]) => !near(a, b, tol)).map(([name, a, b]) => `${name} ${a ?? '–'} (expected ${b ?? '–'})`);
}

/** The step's outputs (both environments together, as strings) against the expected numbers, at the precision they are written with. */
function outputDifferences(outputs: Record<string, string>, want: ExpectedMetrics): string[] {
  const fixed = (value: number | undefined, digits: number) => (value === undefined ? '' : value.toFixed(digits));
  const checks: [string, string, number | undefined][] = [
    ['releases', outputs.releases ?? '', want.releases],
    ['deployment-frequency', outputs['deployment-frequency'] ?? '', want.deploymentsPerWeek],
    ['lead-time-median-hours', outputs['lead-time-median-hours'] ?? '', median(want.leadTimeHours)],
    ['change-failure-rate', outputs['change-failure-rate'] ?? '', want.changeFailures / want.served],
    ['recovery-time-median-hours', outputs['recovery-time-median-hours'] ?? '', median(want.recoveryHours)],
    ['rework-rate', outputs['rework-rate'] ?? '', want.rework / want.releases],
  ];
  // The count exactly, rates as written (3 decimals), hours and a week's count (2 decimals) within a rounding step.
  const differs = (name: string, got: string, value: number | undefined) =>
    name === 'releases'
      ? got !== String(value)
      : name.endsWith('-rate')
        ? got !== fixed(value, 3)
        : got === '' || value === undefined || Math.abs(Number(got) - value) > 0.0051;
  return checks.filter(([name, got, value]) => differs(name, got, value)).map(([name, got, value]) => `${name} ${got || '–'} (expected ${fixed(value, 3)})`);
}

const shown = (n: ReportNumbers) =>
  `${n.releases} releases; ${n.deploymentsPerWeek.toFixed(2)} a week; lead time median ${n.leadTimeMedianHours?.toFixed(3) ?? '–'} h over ${n.leadTimeCommits} commits; change fail rate ${n.changeFailureRate?.toFixed(3) ?? '–'} (${n.changeFailures} of ${n.served} that served); recovery median ${n.recoveryMedianHours?.toFixed(3) ?? '–'} h; rework rate ${n.reworkRate?.toFixed(3) ?? '–'} (${n.rework})`;

/** The report the job uploaded (artifact delivery-metrics-report), kept in `artifactsDir` past the run. */
function readReport(
  artifactsDir: string,
  reportFile: string | undefined,
): { byEnvironment: { environment: string | null; numbers: ReportNumbers }[] } | undefined {
  if (!reportFile) return undefined;
  try {
    return JSON.parse(readFileSync(path.join(artifactsDir, 'delivery-metrics-report', path.basename(reportFile)), 'utf8'));
  } catch {
    return undefined;
  }
}

function metricsRows(world: DemoWorld, run: WorkflowRunResult, artifactsDir: string): StageRow[] {
  const job = run.jobs.find((j) => j.id === 'metrics');
  const outputs = job?.steps.find((s) => s.id === 'metrics')?.outputs ?? {};
  const expected = expectedMetrics(world);
  const report = readReport(artifactsDir, outputs['report-file']);
  const rows: StageRow[] = (['staging', 'production'] as const).map((environment) => {
    const got = report?.byEnvironment.find((e) => e.environment === environment)?.numbers;
    const differences = reportDifferences(got, expected[environment]);
    return {
      stage: `   delivery metrics of ${environment} (report)`,
      ok: job?.result === 'success' && differences.length === 0,
      result: got ? `${shown(got)}${differences.length ? `; differs: ${differences.join(', ')}` : ''}` : `no report (${resultText(job)})`,
    };
  });
  const differences = outputDifferences(outputs, expected.both);
  return [
    {
      stage: '11. delivery metrics of staging + production (outputs)',
      ok: run.conclusion === 'success' && differences.length === 0,
      result:
        run.conclusion === 'success'
          ? `${outputs.releases} releases; ${outputs['deployment-frequency']} a week; lead time median ${outputs['lead-time-median-hours']} h; change fail rate ${outputs['change-failure-rate']}; recovery median ${outputs['recovery-time-median-hours']} h; rework rate ${outputs['rework-rate']}${differences.length ? `; differs: ${differences.join(', ')}` : ''}`
          : resultText(job),
      durationMs: run.durationMs,
    },
    ...rows,
  ];
}

/** 11. The five DORA metrics of the demo's own run, as a team would read them every Monday. */
export function deliveryMetricsStage(): DemoStage {
  let artifactsDir = '';
  return {
    title: '11. delivery-metrics.yml over the last day: the five DORA numbers of staging and production, from the release records the stages left',
    workflow: 'delivery-metrics.yml',
    event: 'workflow_dispatch',
    inputs: { window: `${WINDOW_DAYS}d` },
    // The job uploads its JSON report as an artifact; kept past the run, as GitHub keeps it, for the per-environment numbers.
    prepare: async (world) => {
      artifactsDir = path.join(world.base, 'metrics-artifacts');
      return { artifactsDir };
    },
    expect: async (world, run) => metricsRows(world, run, artifactsDir),
  };
}
