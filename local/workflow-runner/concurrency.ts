/**
 * Concurrency groups between runs of one repository, as GitHub documents them
 * (https://docs.github.com/en/actions/how-tos/write-workflows/choose-when-workflows-run/control-workflow-concurrency):
 *
 * - at most one job or run of a group is in progress at a time; the group's name is case
 *   insensitive, and workflow-level and job-level groups share one namespace (the repository's);
 * - one queued while another is in progress is `pending`; by default (`queue: single`) at most one
 *   is pending, and a newly queued one cancels the pending one and takes its place;
 * - `cancel-in-progress: true` also cancels the one in progress;
 * - pending ones move up first in, first out by when they started waiting.
 *
 * A job in an environment takes its group when it is queued, before the environment's protection
 * rules: while it waits for its reviewers it is in progress for the group (what issue 28 observed:
 * a deploy waiting days for approval holds `ecs-deploy-<environment>`).
 *
 * Pass one instance to every `runWorkflow` of the same repository (option `concurrency`); without
 * it, groups are not enforced and the runner says so.
 */

export interface Contender {
  /** Who this is, for the log: `run 2 (deploy) / job deploy`. */
  label: string;
  cancelInProgress: boolean;
  /** Cancels it while it is in progress (another's cancel-in-progress). */
  cancel: (why: string) => void;
  /** Aborted when it is cancelled while pending (its run was cancelled). */
  signal: AbortSignal;
}

export type Entry = { entered: true; release: () => void } | { entered: false; why: string };

interface Waiter {
  who: Contender;
  settle: (entry: Entry) => void;
}

interface Group {
  name: string;
  running?: Contender | undefined;
  pending?: Waiter | undefined;
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();
  /** Everything that happened, in order: what a test reads. */
  readonly events: string[] = [];

  /** Resolves when `who` is in progress in the group, or when it was cancelled while pending. */
  enter(name: string, who: Contender): Promise<Entry> {
    const key = name.toLowerCase();
    const group = this.groups.get(key) ?? { name };
    this.groups.set(key, group);
    if (!group.running) return Promise.resolve(this.admit(group, who));
    if (who.cancelInProgress) {
      this.note(`${group.name}: ${who.label} cancels ${group.running.label} (cancel-in-progress)`);
      group.running.cancel(`cancel-in-progress: ${who.label} was queued in concurrency group ${group.name}`);
    }
    if (group.pending) {
      const replaced = group.pending;
      this.note(`${group.name}: ${who.label} replaces ${replaced.who.label}, which is cancelled (one pending per group)`);
      replaced.settle({
        entered: false,
        why: `cancelled while pending in concurrency group ${group.name}: ${who.label} was queued after it (GitHub keeps one pending job or run per group)`,
      });
    }
    this.note(`${group.name}: ${who.label} is pending behind ${group.running.label}`);
    return new Promise<Entry>((resolve) => {
      const waiter: Waiter = {
        who,
        settle: (entry) => {
          who.signal.removeEventListener('abort', onAbort);
          if (group.pending === waiter) group.pending = undefined;
          resolve(entry);
        },
      };
      const onAbort = () => waiter.settle({ entered: false, why: `cancelled while pending in concurrency group ${group.name}` });
      group.pending = waiter;
      if (who.signal.aborted) onAbort();
      else who.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Who is in progress and who is pending in a group now. */
  status(name: string): { running?: string; pending?: string } {
    const group = this.groups.get(name.toLowerCase());
    return { ...(group?.running ? { running: group.running.label } : {}), ...(group?.pending ? { pending: group.pending.who.label } : {}) };
  }

  private admit(group: Group, who: Contender): Entry {
    group.running = who;
    this.note(`${group.name}: ${who.label} is in progress`);
    let released = false;
    return {
      entered: true,
      release: () => {
        if (released) return;
        released = true;
        this.note(`${group.name}: ${who.label} is done`);
        group.running = undefined;
        const next = group.pending;
        if (next) {
          group.pending = undefined;
          next.settle(this.admit(group, next.who));
        }
      },
    };
  }

  private note(line: string): void {
    this.events.push(line);
  }
}
