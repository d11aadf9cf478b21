/**
 * The commits each successful release newly brought to its environment (git's
 * `previousSuccessfulSha..sha`), with their lead times, and which releases' own commits carry the
 * rework marker. Commits are asked for once per range and once per SHA.
 */
import type { Classified } from './classify.js';
import type { CommitInfo, CommitSource, CountedCommit } from './model.js';

const HOUR_MS = 3_600_000;

export interface ReleaseCommits {
  commits: CountedCommit[] | undefined;
  note: string | undefined;
}

/** A copy without `g`/`y`, whose `test` keeps no state between messages. */
export function stateless(marker: RegExp): RegExp {
  return new RegExp(marker.source, marker.flags.replace(/[gy]/g, ''));
}

/** The ids of deploys whose own commit's message matches the marker. */
export async function markedReleases(
  releases: readonly { id: string; sha: string | undefined; kind: string }[],
  commits: CommitSource | undefined,
  marker: RegExp | undefined,
): Promise<Set<string>> {
  const marked = new Set<string>();
  if (!commits || !marker) return marked;
  const test = stateless(marker);
  const bySha = new Map<string, Promise<CommitInfo | undefined>>();
  for (const r of releases) {
    if (r.kind === 'rollback' || !r.sha) continue;
    if (!bySha.has(r.sha)) bySha.set(r.sha, commits.commit(r.sha));
    const info = await bySha.get(r.sha);
    if (info && test.test(info.message)) marked.add(r.id);
  }
  return marked;
}

/** The commits of each successful release in `counted` (ids), from the environment's whole list (oldest first). */
export async function commitsOfReleases(
  list: readonly Classified[],
  counted: ReadonlySet<string>,
  source: CommitSource | undefined,
): Promise<Map<string, ReleaseCommits>> {
  const out = new Map<string, ReleaseCommits>();
  let previous: Classified | undefined;
  for (const c of list) {
    if (c.status !== 'success') continue;
    if (counted.has(c.release.id)) out.set(c.release.id, await commitsOf(c, previous, source));
    previous = c;
  }
  return out;
}

async function commitsOf(c: Classified, previous: Classified | undefined, source: CommitSource | undefined): Promise<ReleaseCommits> {
  const sha = c.release.record.sha;
  const finishedAt = c.release.finishedAt;
  if (!source) return { commits: undefined, note: 'no commit source: lead time not counted' };
  if (!sha) return { commits: undefined, note: 'the record names no commit: lead time not counted' };
  if (!finishedAt) return { commits: undefined, note: 'the record has no success time: lead time not counted' };
  if (!previous)
    return {
      commits: [],
      note: 'the first successful release known in this environment: counts no commits (what came before is not known to have been released)',
    };
  const base = previous.release.record.sha;
  if (!base) return { commits: undefined, note: `the previous successful release (${previous.release.id}) names no commit: lead time not counted` };
  if (base === sha) return { commits: [], note: `the same commit as the previous successful release (${previous.release.id}): no new commits` };
  const between = await source.between(base, sha);
  if (!between) return { commits: undefined, note: `neither the history nor the API knows ${base.slice(0, 7)}..${sha.slice(0, 7)}: lead time not counted` };
  const end = Date.parse(finishedAt);
  return {
    commits: between.map((k) => ({ sha: k.sha, committedAt: k.committedAt, leadTimeHours: (end - Date.parse(k.committedAt)) / HOUR_MS })),
    note: undefined,
  };
}
