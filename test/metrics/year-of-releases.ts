/**
 * A year of releases, as many as asked (10,000 for the size test), over two environments and a
 * straight history: mostly successes, with every kind of failure, rollback actions, hotfixes and
 * unfinished records mixed in by a fixed pseudo-random sequence (the same every run).
 */
import type { MetricsRelease } from '../../shared/metrics/model.js';
import { StraightHistory } from './commit-graph.js';
import { release } from './releases.js';

export const YEAR_END = new Date('2026-12-01T00:00:00.000Z');
const YEAR_START = Date.parse('2025-12-01T00:00:00.000Z');
const MINUTE_MS = 60_000;

export function yearOfReleases(count: number): { releases: MetricsRelease[]; commits: StraightHistory } {
  let seed = 31;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const commits = new StraightHistory();
  const step = (Date.parse(YEAR_END.toISOString()) - YEAR_START) / count;
  const releases: MetricsRelease[] = [];
  const lastGood = new Map<string, { sha: string; revision: string }>();
  for (let i = 0; i < count; i++) {
    const created = YEAR_START + i * step;
    const sha = `y${i}`;
    commits.append(sha, new Date(created - (30 + random() * 2000) * MINUTE_MS).toISOString(), random() < 0.03 ? `hotfix: ${i}` : `change ${i}`);
    const environment = i % 3 === 0 ? 'staging' : 'production';
    const revision = `shop-${environment}:${i}`;
    const iso = (m: number) => new Date(created + m * MINUTE_MS).toISOString();
    const base = { id: `r${i}`, environment, sha, revision, created: iso(0), finished: iso(20) };
    const roll = random();
    const good = lastGood.get(environment);
    let r: MetricsRelease;
    if (roll < 0.04) r = release({ ...base, outcome: 'rolled-back', cause: 'alarm-rollback', by: 'ecs', served: 'yes' });
    else if (roll < 0.07) r = release({ ...base, outcome: 'failed', cause: 'failed-migration', served: 'no' });
    else if (roll < 0.09) r = release({ ...base, kind: 'resume', outcome: 'rolled-back', cause: 'gate-rollback', by: 'person', served: 'no' });
    else if (roll < 0.1) r = release({ ...base, finished: undefined, outcome: 'in-progress', served: 'unknown' });
    else if (roll < 0.12 && good) {
      // The rollback action undoes the last good release, back to the commit before it.
      r = release({ ...base, kind: 'rollback', sha: `y${Math.max(0, i - 7)}`, rolledBackRelease: good.revision, outcome: 'succeeded', served: 'yes' });
    } else r = release({ ...base, outcome: 'succeeded', served: 'yes' });
    if (r.record.outcome === 'succeeded') lastGood.set(environment, { sha, revision });
    releases.push(r);
  }
  return { releases, commits };
}
