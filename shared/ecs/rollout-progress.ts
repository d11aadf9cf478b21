/**
 * One progress line per change of the rollout's counts, e.g.
 *   [1m05s] payments:8 2/3 running, 1 pending · payments:7 1 running · 0 failed
 * and nothing while they stay the same, so a long wait reads as a short list of steps.
 */
import { formatDuration } from '../core/duration.js';
import type { RolloutCounts } from './assess-rollout.js';

export function progressKey(c: RolloutCounts): string {
  return `${c.desired}/${c.running}/${c.pending}/${c.oldRunning}/${c.failed}`;
}

export function progressLine(c: RolloutCounts, labels: { revision: string; previous?: string | undefined }, elapsedMs: number): string {
  const parts = [`${labels.revision} ${c.running}/${c.desired} running${c.pending > 0 ? `, ${c.pending} pending` : ''}`];
  if (c.oldRunning > 0 || labels.previous) parts.push(`${labels.previous ?? 'old'} ${c.oldRunning} running`);
  parts.push(`${c.failed} failed`);
  return `[${formatDuration(elapsedMs)}] ${parts.join(' · ')}`;
}

export class ProgressReporter {
  private last?: string;
  /** The line to print when the counts changed since the last call, else undefined. */
  update(c: RolloutCounts, labels: { revision: string; previous?: string | undefined }, elapsedMs: number): string | undefined {
    const key = progressKey(c);
    if (key === this.last) return undefined;
    this.last = key;
    return progressLine(c, labels, elapsedMs);
  }
}
