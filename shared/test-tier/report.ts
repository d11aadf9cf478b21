import path from 'node:path';
import type { SourceLocation } from '../test-report/source-location.js';
import type { TestResults } from '../test-report/results.js';
import { testTitle } from '../test-report/results.js';
import type { BudgetCheck, Verdict } from './verdict.js';
import type { ShardSelection } from './shard-selection.js';

/**
 * The JSON summary of one tier that later steps read (the `report` output): verdict, counts,
 * budget, every kept failure with its location, flaky and slowest tests. Paths are relative to
 * the workspace so the file means the same on any runner.
 */

export const TIER_REPORT_SCHEMA = 'commit-to-prod/test-tier-report@1';

export interface StackServiceState {
  service: string;
  state: string;
  health?: string;
}

export interface TierReportInput {
  tier: string;
  verdict: Verdict;
  exitCode: number;
  budget: BudgetCheck;
  results: TestResults;
  locations: readonly (SourceLocation | undefined)[];
  staleReports: readonly string[];
  workspace: string;
  stack?: { project: string; files: string[]; readyMs: number; services: StackServiceState[] };
  /** Seconds per test file (file-timings.ts), what the next run splits the suite by. */
  files?: Record<string, number>;
  /** Test cases per test file, for the comparison with the base branch (removed tests). */
  fileTests?: Record<string, number>;
  /** This run's share of a sharded suite. */
  shard?: ShardSelection;
}

/** A shard as its report records it: enough for the merge to say how even the split was. */
export interface ShardRecord {
  index: number;
  total: number;
  files: number;
  suiteFiles: number;
  timedFiles: number;
  expectedSeconds: number;
  idealSeconds: number;
}

/** Several shards' reports merged into one (merge.ts). */
export interface MergeRecord {
  shards: { index: number; total: number; verdict: string; durationSeconds: number; expectedSeconds: number | null; files: number; tests: number }[];
  missing: number[];
  idealSeconds: number;
  /** How much longer the slowest shard took than an even split would have (0 = perfectly even). */
  unevenness: number;
}

const seconds = (ms: number) => Math.round(ms) / 1_000;

export function buildTierReport(input: TierReportInput) {
  const { results, workspace } = input;
  const rel = (file: string) => {
    const r = path.relative(workspace, file);
    return r.startsWith('..') ? file : r.split(path.sep).join('/');
  };
  return {
    schema: TIER_REPORT_SCHEMA,
    tier: input.tier,
    verdict: input.verdict.passed ? 'passed' : 'failed',
    reasons: input.verdict.failures,
    warnings: input.verdict.warnings,
    exitCode: input.exitCode,
    durationSeconds: seconds(input.budget.elapsedMs),
    budgetSeconds: input.budget.budgetMs === undefined ? null : seconds(input.budget.budgetMs),
    budgetExceeded: input.budget.exceeded,
    overBudgetSeconds: seconds(input.budget.overByMs),
    counts: results.counts,
    testSeconds: Math.round(results.testSeconds * 1_000) / 1_000,
    reports: results.reports.map((r) => ({ file: rel(r.file), tests: r.tests, ...(r.problem ? { problem: r.problem } : {}) })),
    staleReports: input.staleReports.map(rel),
    failures: results.failures.map((f, i) => ({
      title: testTitle(f),
      suite: f.suite,
      classname: f.classname,
      name: f.name,
      kind: f.kind,
      ...(f.type ? { type: f.type } : {}),
      message: f.message,
      details: f.details,
      attempts: f.attempts,
      seconds: f.seconds,
      ...(input.locations[i] ? { location: input.locations[i] } : {}),
      report: rel(f.reportFile),
    })),
    failuresOmitted: results.failuresOmitted,
    flaky: results.flaky.map((f) => ({
      title: testTitle(f),
      suite: f.suite,
      classname: f.classname,
      name: f.name,
      failedAttempts: f.failedAttempts,
      message: f.message,
      seconds: f.seconds,
      report: rel(f.reportFile),
    })),
    flakyOmitted: results.flakyOmitted,
    slowest: results.slowest.map((t) => ({ title: testTitle(t), classname: t.classname, name: t.name, seconds: t.seconds, outcome: t.outcome })),
    files: input.files ?? {},
    fileTests: input.fileTests ?? {},
    ...(input.shard ? { shard: shardRecord(input.shard) } : {}),
    ...(input.stack
      ? {
          stack: {
            project: input.stack.project,
            files: input.stack.files.map(rel),
            readySeconds: seconds(input.stack.readyMs),
            services: input.stack.services,
          },
        }
      : {}),
  };
}

function shardRecord(s: ShardSelection): ShardRecord {
  return {
    index: s.spec.index,
    total: s.spec.total,
    files: s.files.length,
    suiteFiles: s.suiteFiles,
    timedFiles: s.timedFiles,
    expectedSeconds: s.expectedSeconds,
    idealSeconds: s.idealSeconds,
  };
}

export type TierReport = ReturnType<typeof buildTierReport> & { merged?: MergeRecord };
