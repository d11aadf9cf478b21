/**
 * The five DORA metrics of the environments asked for, from their release records: each release
 * classified once over its environment's whole known history (classify.ts), its commits read
 * (commits.ts), then counted in the window, the window before it and each week (aggregate.ts).
 * README.md gives every rule.
 */
import { resultOf } from './aggregate.js';
import { type Classified, classifyEnvironment } from './classify.js';
import { commitsOfReleases, markedReleases, type ReleaseCommits } from './commits.js';
import type { CommitSource, CountedRelease, MetricsReport, MetricsRelease, MetricsResult, MetricsWindow } from './model.js';
import { inWindow, previousWindow } from './window.js';

export type { MetricsReport } from './model.js';

export interface MetricsOptions {
  window: MetricsWindow;
  /** Only these environments are counted (a release's environment is `record.environment`). */
  environments: string[];
  /** Where commits come from; undefined: no lead time and no rework marker (a note says so). */
  commits: CommitSource | undefined;
  /** A commit message matching it marks its release as rework (a hotfix); undefined: none. */
  reworkMarker: RegExp | undefined;
}

const byCreated = (a: MetricsRelease, b: MetricsRelease) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id);

function counted(c: Classified, commits: ReleaseCommits | undefined): CountedRelease {
  const r = c.release;
  return {
    id: r.id,
    source: r.source,
    environment: c.environment,
    kind: c.kind,
    sha: r.record.sha,
    revision: r.record.revision,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    logUrl: r.logUrl,
    outcome: r.record.outcome,
    cause: r.record.cause,
    served: r.record.served,
    status: c.status,
    changeFailure: c.changeFailure,
    remediates: c.remediates,
    rework: c.rework,
    commits: commits?.commits,
    commitsNote: commits?.note,
  };
}

/** What a person should know about one environment's numbers. */
function environmentNotes(environment: string, result: MetricsResult, releases: readonly CountedRelease[]): string[] {
  const n = result.current;
  const notes: string[] = [];
  if (n.releases === 0 && n.unfinished === 0) notes.push(`${environment}: no releases in this window.`);
  const first = releases.find((c) => c.commitsNote?.startsWith('the first successful release known'));
  if (first) notes.push(`${environment}: ${first.id} is the first successful release known, so it counts no commits rather than the whole history before it.`);
  const fromTags = releases.filter((c) => c.source === 'ecs-tags').length;
  if (fromTags > 0)
    notes.push(
      `${environment}: ${fromTags} releases read from ECS revision tags, which keep only each revision's last release: a revision released again shows once (deployment frequency is a lower bound) and lead times reach back to the previous release still known.`,
    );
  if (n.unfinished > 0)
    notes.push(
      `${environment}: ${n.unfinished} releases unfinished (in progress, paused at a gate, or started and not followed): counted neither as success nor as failure.`,
    );
  if (n.servedUnknown > 0)
    notes.push(
      `${environment}: ${n.servedUnknown} releases failed and their records cannot tell whether they served production: left out of the change fail rate.`,
    );
  const unrecovered = releases.filter((c) => c.changeFailure && c.changeFailure.recoveredAt === undefined).length;
  if (unrecovered > 0) notes.push(`${environment}: ${unrecovered} change failures with no good release after them yet: left out of the recovery time.`);
  const unknownCommits = releases.filter((c) => c.status === 'success' && c.commits === undefined).length;
  if (unknownCommits > 0)
    notes.push(`${environment}: ${unknownCommits} successful releases whose commits are not known: left out of the lead time (each says why).`);
  return notes;
}

async function environmentReleases(environment: string, releases: MetricsRelease[], options: MetricsOptions, before: MetricsWindow, notes: string[]) {
  const mine = releases.filter((r) => r.record.environment === environment && Date.parse(r.createdAt) < Date.parse(options.window.end)).sort(byCreated);
  const marked = await markedReleases(
    mine.map((r) => ({ id: r.id, sha: r.record.sha, kind: r.record.kind })),
    options.commits,
    options.reworkMarker,
  );
  const list = classifyEnvironment(environment, mine, marked, notes);
  const countedIds = new Set(mine.filter((r) => inWindow(options.window, r.createdAt) || inWindow(before, r.createdAt)).map((r) => r.id));
  const commits = await commitsOfReleases(list, countedIds, options.commits);
  return list.filter((c) => countedIds.has(c.release.id)).map((c) => counted(c, commits.get(c.release.id)));
}

export async function computeMetrics(releases: MetricsRelease[], options: MetricsOptions): Promise<MetricsReport> {
  const before = previousWindow(options.window);
  const environments = [...new Set(options.environments)];
  const notes: string[] = [];
  if (!options.commits) notes.push('Commits are not read (no checked-out history and no API): no change lead time, and no rework marker is looked for.');
  else if (!options.reworkMarker) notes.push('No rework marker is set: rework counts rollback actions and the releases that follow a change failure only.');
  const byEnvironment: MetricsResult[] = [];
  const all: CountedRelease[] = [];
  for (const environment of environments) {
    const countedReleases = await environmentReleases(environment, releases, options, before, notes);
    const result = resultOf(environment, countedReleases, options.window, before);
    notes.push(...environmentNotes(environment, result, countedReleases));
    byEnvironment.push(result);
    all.push(...countedReleases);
  }
  all.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
  const overall = resultOf(undefined, all, options.window, before);
  if (environments.length > 1 && overall.current.releases === 0 && overall.current.unfinished === 0)
    notes.unshift(`No releases in this window (${options.window.text}, ${options.window.start} to ${options.window.end}) in ${environments.join(', ')}.`);
  return { window: options.window, previousWindow: before, environments, overall, byEnvironment, notes };
}
