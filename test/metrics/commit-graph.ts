/**
 * A CommitSource over a commit graph held in memory: commits with parents, and git's `base..head`
 * (reachable from head, not from base) computed by walking the parents, as git does. No canned
 * answers: what `between` returns follows from the graph a test builds.
 */
import type { CommitInfo, CommitSource } from '../../shared/metrics/model.js';

export class CommitGraph implements CommitSource {
  private readonly commits = new Map<string, CommitInfo & { parents: string[] }>();
  /** Ranges asked for, to check the computation asks once per release. */
  readonly asked: string[] = [];
  /** Single commits asked for. */
  readonly askedCommits: string[] = [];

  add(sha: string, committedAt: string, message: string, parents: string[]): this {
    for (const p of parents) if (!this.commits.has(p)) throw new Error(`commit ${sha}: unknown parent ${p}`);
    this.commits.set(sha, { sha, committedAt, message, parents });
    return this;
  }

  /** Appends a commit whose parent is the last one added (a straight history). */
  append(sha: string, committedAt: string, message = `change ${sha}`): this {
    const last = [...this.commits.keys()].at(-1);
    return this.add(sha, committedAt, message, last ? [last] : []);
  }

  private ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length) {
      const s = todo.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      todo.push(...(this.commits.get(s)?.parents ?? []));
    }
    return seen;
  }

  async between(base: string, head: string): Promise<CommitInfo[] | undefined> {
    this.asked.push(`${base}..${head}`);
    if (!this.commits.has(base) || !this.commits.has(head)) return undefined;
    const excluded = this.ancestors(base);
    return [...this.ancestors(head)]
      .filter((s) => !excluded.has(s))
      .map((s) => this.commits.get(s)!)
      .sort((a, b) => Date.parse(b.committedAt) - Date.parse(a.committedAt))
      .map(({ sha, committedAt, message }) => ({ sha, committedAt, message }));
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    this.askedCommits.push(sha);
    const c = this.commits.get(sha);
    return c ? { sha: c.sha, committedAt: c.committedAt, message: c.message } : undefined;
  }
}

/**
 * A straight history (each commit the parent of the next), where `base..head` is the commits after
 * base up to head, and nothing when head is base or before it: git's answer for a straight line,
 * without walking the parents (a year of 10,000 releases asks it 10,000 times).
 */
export class StraightHistory implements CommitSource {
  private readonly list: CommitInfo[] = [];
  private readonly index = new Map<string, number>();

  append(sha: string, committedAt: string, message = `change ${sha}`): this {
    this.index.set(sha, this.list.length);
    this.list.push({ sha, committedAt, message });
    return this;
  }

  async between(base: string, head: string): Promise<CommitInfo[] | undefined> {
    const from = this.index.get(base);
    const to = this.index.get(head);
    if (from === undefined || to === undefined) return undefined;
    return this.list.slice(from + 1, Math.max(from + 1, to + 1)).reverse();
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    const i = this.index.get(sha);
    return i === undefined ? undefined : this.list[i];
  }
}
