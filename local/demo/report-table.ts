/**
 * The demo's final table: one row per stage with its result, duration, the version the load
 * balancer served afterwards, and the requests sent and failed while it ran. Plain text, aligned,
 * readable in a terminal and in a CI log.
 */
import { describeFailures } from './load-generator.js';

export interface StageRow {
  stage: string;
  /** Did the stage do what the demo expects of it (a broken release being rolled back is `ok`)? */
  ok: boolean;
  /** What happened, in a few words: `succeeded`, `rolled back`, `failed: …`. */
  result: string;
  durationMs?: number;
  /** What /version answered after the stage; undefined when nothing is served yet. */
  versionServed?: string;
  /** Load during the stage; undefined when no load was put on the service. */
  requestsSent?: number;
  requestsFailed?: number;
  /** The failed requests by kind (`HTTP 500`, `timeout`, `ECONNRESET`…), as the load generator counted them. */
  failureKinds?: Record<string, number>;
}

const HEADERS = ['stage', 'result', 'duration', 'version served', 'requests sent', 'failed'];

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function formatReportTable(rows: StageRow[]): string {
  const cells = rows.map((r) => [
    `${r.ok ? '✓' : '✗'} ${r.stage}`,
    r.result,
    formatDuration(r.durationMs),
    r.versionServed ?? '–',
    r.requestsSent === undefined ? '–' : String(r.requestsSent),
    r.requestsFailed === undefined ? '–' : String(r.requestsFailed),
  ]);
  const widths = HEADERS.map((h, c) => Math.max(h.length, ...cells.map((row) => [...row[c]!].length)));
  // Numbers right-aligned, text left-aligned.
  const numeric = [false, false, true, false, true, true];
  const line = (row: string[]) =>
    `│ ${row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]! + cell.length - [...cell].length) : cell.padEnd(widths[c]! + cell.length - [...cell].length))).join(' │ ')} │`;
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const table = [rule('┌', '┬', '┐'), line(HEADERS), rule('├', '┼', '┤'), ...cells.map(line), rule('└', '┴', '┘')];
  // Under the table, what the failed requests of each stage were, so a count can be explained.
  const explained = rows
    .filter((r) => (r.requestsFailed ?? 0) > 0 && r.failureKinds)
    .map((r) => `failed requests in ${r.stage}: ${describeFailures(r.failureKinds!)}`);
  return [...table, ...explained].join('\n');
}
