import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from '../core/logger.js';

/**
 * What a main step killed outright (SIGKILL, a runner that gave up waiting) leaves on the
 * runner: the test command's process group, which lives on because it was started in a group
 * of its own. The post step stops it here.
 *
 * A process group id is a pid and may be reused once the group is gone, so a process is only
 * signalled when it is in that group **and** carries the tier's own marker in its environment
 * (a random value set for the command and inherited by its children): a stranger that happens
 * to get the same id is never touched. Linux only (/proc), as GitHub's Linux runners are.
 */

export const TIER_MARKER_VARIABLE = 'CTP_TEST_TIER_RUN';

export interface TierProcessGroup {
  processGroup: number;
  marker: string;
}

/**
 * A process group as main saved it, or undefined when the saved text is not one: a post step
 * reads it from state, which the test command itself can write.
 */
export function parseTierProcessGroup(saved: string): TierProcessGroup | undefined {
  let value: unknown;
  try {
    value = JSON.parse(saved);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { processGroup, marker } = value as Record<string, unknown>;
  if (typeof processGroup !== 'number' || !Number.isInteger(processGroup) || processGroup <= 1) return undefined;
  if (typeof marker !== 'string' || !/^[0-9a-f]{16}$/.test(marker)) return undefined;
  return { processGroup, marker };
}

/** The pids in `processGroup` whose environment holds the tier's marker. */
export function findTierProcesses(group: TierProcessGroup, proc = '/proc'): number[] {
  const wanted = `${TIER_MARKER_VARIABLE}=${group.marker}`;
  const found: number[] = [];
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The process group is field 5 of stat; the command name (field 2) may hold spaces and
      // parentheses, so fields are counted after its closing parenthesis.
      const stat = readFileSync(`${proc}/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== group.processGroup) continue;
      if (!readFileSync(`${proc}/${entry}/environ`, 'utf8').split('\0').includes(wanted)) continue;
      found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read: either way not a leftover of this tier.
    }
  }
  return found;
}

/** SIGKILLs the tier's leftover processes; returns how many there were. */
export function stopTierProcesses(group: TierProcessGroup, logger: Logger): number {
  const pids = findTierProcesses(group);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited between the look and the kill.
    }
  }
  if (pids.length > 0)
    logger.info(`Stopped ${pids.length} process(es) of the test command left behind by the main step (process group ${group.processGroup}).`);
  return pids.length;
}
