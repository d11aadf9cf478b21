/**
 * How each release of one environment counts, decided once over its whole known history (oldest
 * first): its status, whether it was a change failure and what remediated it, and whether it was
 * rework. README.md ("Definitions") states every rule this file applies.
 */
import { revisionLabel } from '../release/revision-tags.js';
import type { ChangeFailureKind, CountedChangeFailure, MetricsRelease, ReleaseStatus, ReworkReason } from './model.js';

const HOUR_MS = 3_600_000;

/** A release while it is being classified. */
export interface Classified {
  release: MetricsRelease;
  environment: string;
  kind: 'deploy' | 'rollback';
  status: ReleaseStatus;
  /** Whether its commit carries the rework marker (deploys only). */
  marker: boolean;
  changeFailure: CountedChangeFailure | undefined;
  remediates: string | undefined;
  rework: ReworkReason[];
}

/** Open records: neither a success nor a failure. */
const UNFINISHED = new Set<string | undefined>([undefined, 'in-progress', 'paused', 'started']);

export function releaseStatus(r: MetricsRelease): ReleaseStatus {
  const { outcome, served, cause } = r.record;
  if (UNFINISHED.has(outcome)) return 'unfinished';
  if (outcome === 'succeeded') return 'success';
  if (served === 'no') return 'stopped-before-serving';
  // Replaced by a newer deployment, cancelled, or ECS unreadable: nothing says the change was bad.
  if (cause === 'superseded' || outcome === 'cancelled' || outcome === 'unknown') return 'no-verdict';
  return served === 'yes' ? 'failed-after-serving' : 'failed-served-unknown';
}

/** Whether a release served production traffic: the change fail rate's denominator. */
export function servesProduction(status: ReleaseStatus, served: string | undefined): boolean {
  return status === 'success' || status === 'failed-after-serving' || (status === 'no-verdict' && served === 'yes');
}

const time = (iso: string | undefined) => (iso === undefined ? Number.NaN : Date.parse(iso));
const hoursBetween = (from: string, to: string | undefined) => (to === undefined ? undefined : (time(to) - time(from)) / HOUR_MS);

/** When the environment next ran a good release at or after index `from`: that release. */
function nextSuccess(list: readonly Classified[], from: number): Classified | undefined {
  for (let i = from; i < list.length; i++) if (list[i]!.status === 'success') return list[i];
  return undefined;
}

function failure(c: Classified, kind: ChangeFailureKind, recoveredBy: Classified | undefined, remediatedBy: Classified | undefined): CountedChangeFailure {
  const servingFrom = c.release.serviceUpdatedAt ?? c.release.createdAt;
  const recoveredAt = kind === 'rolled-back-automatically' ? c.release.finishedAt : recoveredBy?.release.finishedAt;
  return { kind, remediatedBy: remediatedBy?.release.id, servingFrom, recoveredAt, recoveryHours: hoursBetween(servingFrom, recoveredAt) };
}

/** Rule (a): it served, then ECS, the action's alarm watch or a person rolled it back, or it failed. */
function markFailedAfterServing(list: Classified[]): void {
  list.forEach((c, i) => {
    if (c.status !== 'failed-after-serving') return;
    if (c.release.record.outcome === 'rolled-back') {
      c.changeFailure = failure(c, 'rolled-back-automatically', undefined, undefined);
      return;
    }
    const next = nextSuccess(list, i + 1);
    c.changeFailure = failure(c, 'failed-after-serving', next, next);
    if (next && next.remediates === undefined) next.remediates = c.release.id;
  });
}

/** Rule (b): a rollback action names the revision it rolled back from; the newest release of it that served before is undone. */
function markRolledBackByAction(list: Classified[], notes: string[]): void {
  list.forEach((rb, i) => {
    if (rb.kind !== 'rollback' || rb.status === 'unfinished') return;
    const from = rb.release.record.rolledBackRelease;
    if (!from) return;
    const label = revisionLabel(from);
    let target: Classified | undefined;
    for (let j = i - 1; j >= 0 && !target; j--) {
      const c = list[j]!;
      if (c.release.record.revision && revisionLabel(c.release.record.revision) === label && servesProduction(c.status, c.release.record.served)) target = c;
    }
    if (!target) {
      notes.push(
        `${rb.environment}: rollback ${rb.release.id} rolled back from ${label}, which no known release of the environment served: no change failure counted for it.`,
      );
      return;
    }
    rb.remediates = target.release.id;
    if (target.changeFailure) return;
    const recovered = rb.status === 'success' ? rb : nextSuccess(list, i + 1);
    target.changeFailure = failure(target, 'rollback-action', recovered, rb);
  });
}

/**
 * Rule (c), fix-forward: a successful deploy whose commit carries the rework marker fixes the
 * release it replaced (the newest successful one before it), unless that one is a rollback or a
 * change failure lies between them (then it is that failure's fix).
 */
function markFixedForward(list: Classified[]): void {
  list.forEach((f, i) => {
    if (f.kind !== 'deploy' || f.status !== 'success' || !f.marker) return;
    let j = i - 1;
    let failureBetween: Classified | undefined;
    for (; j >= 0 && list[j]!.status !== 'success'; j--) if (list[j]!.changeFailure) failureBetween ??= list[j];
    const replaced = j >= 0 ? list[j]! : undefined;
    if (failureBetween) {
      f.remediates ??= failureBetween.release.id;
      return;
    }
    if (replaced?.kind !== 'deploy' || replaced.changeFailure) return;
    replaced.changeFailure = failure(replaced, 'fixed-forward', f, f);
    f.remediates = replaced.release.id;
  });
}

/** Rework: rollback actions, the marker, and every finished release after a change failure up to the next success. */
function markRework(list: Classified[]): void {
  let pending: Classified | undefined;
  for (const c of list) {
    if (c.status === 'unfinished') continue;
    if (c.kind === 'rollback') c.rework.push('rollback-action');
    if (c.marker) c.rework.push('marker');
    if (pending) {
      c.rework.push('follows-change-failure');
      if (c.status === 'success') c.remediates ??= pending.release.id;
    }
    if (c.changeFailure) pending = c;
    else if (c.status === 'success') pending = undefined;
  }
}

/** Classifies one environment's releases (oldest first); `marked` holds the ids whose commit carries the marker. */
export function classifyEnvironment(environment: string, releases: readonly MetricsRelease[], marked: ReadonlySet<string>, notes: string[]): Classified[] {
  const list: Classified[] = releases.map((release) => {
    const kind = release.record.kind === 'rollback' ? 'rollback' : 'deploy';
    return {
      release,
      environment,
      kind,
      status: releaseStatus(release),
      marker: kind === 'deploy' && marked.has(release.id),
      changeFailure: undefined,
      remediates: undefined,
      rework: [],
    };
  });
  markFailedAfterServing(list);
  markRolledBackByAction(list, notes);
  markFixedForward(list);
  markRework(list);
  return list;
}
