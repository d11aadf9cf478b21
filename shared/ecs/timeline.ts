/** What happened during a deploy and when, for the job summary and the audit record. */
import { formatDuration } from '../core/duration.js';

export interface TimelineEntry {
  /** ms since the deploy started. */
  atMs: number;
  text: string;
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  constructor(
    private readonly now: () => number,
    readonly startedAt: number,
  ) {}

  add(text: string): void {
    this.entries.push({ atMs: this.now() - this.startedAt, text });
  }

  elapsed(): number {
    return this.now() - this.startedAt;
  }

  /** `[12s] service updated` lines, e.g. for a code block. */
  lines(): string[] {
    return this.entries.map((e) => `[${formatDuration(e.atMs)}] ${e.text}`);
  }
}
