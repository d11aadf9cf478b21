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

/** A cell's text in lines of at most `width` characters, broken between words (a longer word is cut). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while ([...rest].length > width) {
      if (line) lines.push(line);
      lines.push([...rest].slice(0, width).join(''));
      rest = [...rest].slice(width).join('');
      line = '';
    }
    if (!line) line = rest;
    else if ([...line].length + 1 + [...rest].length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  return [...lines, line];
}

/**
 * Columns narrowed to fit `width` characters: the result column (to 30) and the stage's (to 24)
 * first, then the headers onto two lines (to their longest word), then result and stage to 16,
 * then to 10.
 */
function fitWidths(natural: number[], longestWord: number[], width: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1;
  const steps: [number, number][] = [[1, 30], [0, 24], [3, longestWord[3]!], [4, longestWord[4]!], [1, 16], [0, 16], [5, longestWord[5]!], [1, 10], [0, 10]]; // biome-ignore format: pairs
  for (const [c, floor] of steps) {
    const excess = total() - width;
    if (excess > 0) widths[c] = Math.max(Math.min(floor, widths[c]!), widths[c]! - excess);
  }
  return widths;
}

/**
 * The table, at most `width` characters wide where it can be (the demo passes the terminal's
 * width): the result and stage columns wrap onto more lines rather than being cut off.
 */
export function formatReportTable(rows: StageRow[], width = Number.POSITIVE_INFINITY): string {
  const cells = rows.map((r) => [
    `${r.ok ? '✓' : '✗'} ${r.stage}`,
    r.result,
    formatDuration(r.durationMs),
    r.versionServed ?? '–',
    r.requestsSent === undefined ? '–' : String(r.requestsSent),
    r.requestsFailed === undefined ? '–' : String(r.requestsFailed),
  ]);
  const columns = HEADERS.map((h, c) => [h, ...cells.map((row) => row[c]!)]);
  const widths = fitWidths(
    columns.map((column) => Math.max(...column.map((text) => [...text].length))),
    columns.map((column) => Math.max(...column.flatMap((text) => text.split(' ').map((w) => [...w].length)))),
    width,
  );
  // Numbers right-aligned, text left-aligned.
  const numeric = [false, false, true, false, true, true];
  const pad = (cell: string, c: number) => {
    const extra = cell.length - [...cell].length;
    return numeric[c] ? cell.padStart(widths[c]! + extra) : cell.padEnd(widths[c]! + extra);
  };
  const lines = (row: string[]) => {
    const wrapped = row.map((cell, c) => wrap(cell, widths[c]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, i) => `│ ${wrapped.map((w, c) => pad(w[i] ?? '', c)).join(' │ ')} │`);
  };
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const table = [rule('┌', '┬', '┐'), ...lines(HEADERS), rule('├', '┼', '┤'), ...cells.flatMap(lines), rule('└', '┴', '┘')];
  // Under the table, what the failed requests of each stage were, so a count can be explained.
  const explained = rows
    .filter((r) => (r.requestsFailed ?? 0) > 0 && r.failureKinds)
    .map((r) => `failed requests in ${r.stage}: ${describeFailures(r.failureKinds!)}`);
  return [...table, ...explained].join('\n');
}
