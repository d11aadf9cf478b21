import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { type MergeRecord, TIER_REPORT_SCHEMA, type TierReport } from './report.js';
import { checkBudget, decideVerdict, type BudgetCheck, type Verdict } from './verdict.js';

/**
 * One tier's verdict from its shards' JSON reports (the matrix's artifacts, downloaded): counts
 * added up as one unsharded run would count them, failures and flaky tests together, the slowest
 * tests of all, the per-file times joined for the next split, and the wall time — the slowest
 * shard, since they ran side by side — against the tier's budget. A shard that failed, is
 * missing or reported twice fails the tier.
 */

const KEPT = 1_000;
const SLOWEST = 10;

export interface ShardReport {
  /** As the user sees it (relative to the workspace). */
  file: string;
  report: TierReport;
}

/** The shards' reports, checked: each a tier report of this tier from a sharded run. */
export async function readShardReports(files: readonly string[], tier: string, workspace: string): Promise<ShardReport[]> {
  const reports: ShardReport[] = [];
  for (const file of files) {
    const shown = path.relative(workspace, file) || file;
    let report: TierReport;
    try {
      report = JSON.parse(await readFile(file, 'utf8')) as TierReport;
    } catch (error) {
      throw new InputError('merge-reports', shown, `the shards' JSON reports (${error instanceof Error ? error.message : String(error)})`);
    }
    if (report?.schema !== TIER_REPORT_SCHEMA || !report.counts)
      throw new InputError('merge-reports', shown, `run-test-tier JSON reports (schema ${TIER_REPORT_SCHEMA})`);
    if (!report.shard) throw new InputError('merge-reports', shown, 'the reports of sharded runs (run with `shard`); this one ran the whole tier');
    if (report.tier !== tier) throw new InputError('merge-reports', shown, `reports of the ${tier} tier (this one is of the ${report.tier} tier)`);
    reports.push({ file: shown, report });
  }
  return reports;
}

export interface MergeConfig {
  tier: string;
  shards: readonly ShardReport[];
  budgetMs?: number;
  onBudgetExceeded: 'fail' | 'warn';
  failOnEmpty: boolean;
}

export interface MergeOutcome {
  report: TierReport;
  verdict: Verdict;
  budget: BudgetCheck;
}

const byIndex = (a: ShardReport, b: ShardReport) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0) || (a.file < b.file ? -1 : 1);
const name = (r: TierReport) => `Shard ${r.shard?.index}/${r.shard?.total}`;

export function mergeShardReports(config: MergeConfig): MergeOutcome {
  const shards = [...config.shards].sort(byIndex);
  const reports = shards.map((s) => s.report);
  const totals = [...new Set(reports.map((r) => r.shard?.total ?? 0))];
  if (totals.length > 1)
    throw new InputError(
      'merge-reports',
      shards.map((s) => s.file).join(', '),
      `the reports of one split (these are of ${totals.map((t) => `${t}`).join(' and ')} shards)`,
    );
  const total = totals[0] ?? 0;

  const otherFailures: string[] = [];
  const otherWarnings: string[] = [];
  const seen = new Map<number, string>();
  for (const { file, report } of shards) {
    const index = report.shard?.index ?? 0;
    const earlier = seen.get(index);
    if (earlier) otherFailures.push(`${name(report)} reported twice (${earlier} and ${file}): a re-run's report and the first one downloaded together?`);
    seen.set(index, file);
    if (report.verdict !== 'passed') otherFailures.push(`${name(report)} failed: ${report.reasons.join(' ')}`);
    // An empty shard's one warning is said once for all of them, below.
    if (report.shard?.files !== 0) for (const warning of report.warnings) otherWarnings.push(`${name(report)}: ${warning}`);
  }
  const empty = reports.filter((r) => r.shard?.files === 0).map((r) => `${r.shard?.index}/${total}`);
  if (empty.length > 0)
    otherWarnings.push(
      `${empty.length === 1 ? 'Shard' : 'Shards'} ${empty.join(', ')} got no test files (${reports[0]?.shard?.suiteFiles ?? 0} files over ${total} shards) and ran nothing. Fewer shards would do.`,
    );
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    otherFailures.push(
      `${missing.length === 1 ? 'The report of shard' : 'The reports of shards'} ${missing.map((i) => `${i}/${total}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: ${missing.length === 1 ? 'it' : 'they'} did not finish, or the artifact was not downloaded. The counts are of the other shards.`,
    );

  // The same file timed by two shards ran twice: the split gave it to one, so the suite changed
  // under it or a shard ran more than its share. Its time is one run's (the longer), not the sum.
  const files: Record<string, number> = {};
  const fileTests: Record<string, number> = {};
  const timedBy = new Map<string, string[]>();
  for (const r of reports) {
    for (const [file, seconds] of Object.entries(r.files ?? {})) {
      files[file] = Math.max(files[file] ?? 0, seconds);
      timedBy.set(file, [...(timedBy.get(file) ?? []), name(r)]);
    }
    for (const [file, count] of Object.entries(r.fileTests ?? {})) fileTests[file] = Math.max(fileTests[file] ?? 0, count);
  }
  const twice = [...timedBy].filter(([, by]) => by.length > 1);
  if (twice.length > 0)
    otherWarnings.push(
      `${twice.length} test file${twice.length === 1 ? '' : 's'} ran in more than one shard (${twice
        .slice(0, 3)
        .map(([f, by]) => `${f}: ${by.join(', ')}`)
        .join('; ')}${twice.length > 3 ? '; …' : ''}): a shard ran more than its files?`,
    );

  const counts = { passed: 0, failed: 0, skipped: 0, flaky: 0, total: 0 };
  for (const r of reports) for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += r.counts[k];
  const durations = reports.map((r) => r.durationSeconds);
  const wallSeconds = Math.max(0, ...durations);
  const budget = checkBudget(Math.round(wallSeconds * 1_000), config.budgetMs);
  const reportFiles = reports.flatMap((r) => r.reports);
  const verdict = decideVerdict({
    tier: config.tier,
    exitCode: 0,
    cancelled: false,
    counts,
    budget,
    onBudgetExceeded: config.onBudgetExceeded,
    reportsFound: reportFiles.length,
    // Each shard judged its own emptiness (an empty shard passes); the tier as a whole must run tests.
    failOnEmpty: config.failOnEmpty,
    malformed: [],
    otherFailures,
    otherWarnings,
  });

  const failures = reports.flatMap((r) => r.failures);
  const flaky = reports.flatMap((r) => r.flaky);
  const idealSeconds = round(durations.reduce((a, b) => a + b, 0) / Math.max(1, total));
  const merged: MergeRecord = {
    shards: reports.map((r) => ({
      index: r.shard?.index ?? 0,
      total,
      verdict: r.verdict,
      durationSeconds: r.durationSeconds,
      expectedSeconds: r.shard?.expectedSeconds ?? null,
      files: r.shard?.files ?? 0,
      tests: r.counts.total,
    })),
    missing,
    idealSeconds,
    unevenness: idealSeconds > 0 ? round(wallSeconds / idealSeconds - 1) : 0,
  };
  const report: TierReport = {
    schema: TIER_REPORT_SCHEMA,
    tier: config.tier,
    verdict: verdict.passed ? 'passed' : 'failed',
    reasons: verdict.failures,
    warnings: verdict.warnings,
    exitCode: reports.find((r) => r.exitCode !== 0)?.exitCode ?? 0,
    durationSeconds: wallSeconds,
    budgetSeconds: config.budgetMs === undefined ? null : config.budgetMs / 1_000,
    budgetExceeded: budget.exceeded,
    overBudgetSeconds: budget.overByMs / 1_000,
    counts,
    testSeconds: round(reports.reduce((sum, r) => sum + r.testSeconds, 0)),
    reports: reportFiles,
    staleReports: reports.flatMap((r) => r.staleReports),
    failures: failures.slice(0, KEPT),
    failuresOmitted: reports.reduce((sum, r) => sum + r.failuresOmitted, 0) + Math.max(0, failures.length - KEPT),
    flaky: flaky.slice(0, KEPT),
    flakyOmitted: reports.reduce((sum, r) => sum + r.flakyOmitted, 0) + Math.max(0, flaky.length - KEPT),
    slowest: reports
      .flatMap((r) => r.slowest)
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST),
    files: sortedByPath(files),
    fileTests: sortedByPath(fileTests),
    merged,
  };
  return { report, verdict, budget };
}

const sortedByPath = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
const round = (s: number) => Math.round(s * 1_000) / 1_000;
