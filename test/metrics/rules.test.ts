/**
 * The rules one at a time, each on a short history small enough to read: what the record cannot
 * tell, what the readers could not give, and the edges of change failure and rework.
 */
import { describe, expect, it } from 'vitest';
import { computeMetrics, type MetricsOptions } from '../../shared/metrics/compute.js';
import type { MetricsRelease } from '../../shared/metrics/model.js';
import { parseWindow } from '../../shared/metrics/window.js';
import { CommitGraph } from './commit-graph.js';
import { at, type ReleaseSpec, release } from './releases.js';

const T0 = '2026-06-01T00:00:00.000Z';
const t = (day: number, hour: number, minute = 0) => at(T0, [day, hour, minute]);
const NOW = new Date(t(28, 0));
const ok = { outcome: 'succeeded', served: 'yes' } as const;
type Spec = Omit<ReleaseSpec, 'environment' | 'revision' | 'created' | 'finished'> & { day: number; revision?: string; environment?: string };

/** A production release opened at 10:00 on `day`, done at 11:00. */
const r = (s: Spec): MetricsRelease =>
  release({
    environment: 'production',
    revision: `shop:${s.id.slice(1)}`,
    created: t(s.day, 10),
    finished: s.outcome === 'paused' ? undefined : t(s.day, 11),
    ...s,
  });

/** c0 … c9, one a day from day -1 at 08:00: c<n> at day n-1, 08:00. */
function graph(): CommitGraph {
  const g = new CommitGraph();
  for (let i = 0; i < 10; i++) g.append(`c${i}`, t(i - 1, 8), i === 5 ? 'Hotfix: the cart' : `change ${i}`);
  return g;
}

const options = (o: Partial<MetricsOptions> = {}): MetricsOptions => ({
  window: parseWindow('4w', NOW),
  environments: ['production'],
  commits: graph(),
  reworkMarker: /hotfix/gi,
  ...o,
});

describe('what the record cannot tell', () => {
  it('a failure with no word on serving is left out of the change fail rate, and said', async () => {
    const report = await computeMetrics(
      [
        r({ id: 'p1', sha: 'c1', day: 1, ...ok }),
        r({ id: 'p2', sha: 'c2', day: 2, outcome: 'rolled-back', cause: 'ecs-rollback', served: 'unknown' }),
        r({ id: 'p3', sha: 'c3', day: 3, ...ok }),
      ],
      options(),
    );
    const n = report.overall.current;
    // Served: p1 and p3 (successes); p2 cannot tell → 0 of 2.
    expect([n.served, n.changeFailures, n.servedUnknown, n.changeFailureRate]).toEqual([2, 0, 1, 0]);
    expect(report.notes).toContain('production: 1 release failed and its record cannot tell whether it served production: left out of the change fail rate.');
  });

  it('superseded and cancelled releases give no verdict; a cancelled one that served is in the denominator only', async () => {
    const report = await computeMetrics(
      [
        r({ id: 'p1', sha: 'c1', day: 1, ...ok }),
        r({ id: 'p2', sha: 'c2', day: 2, outcome: 'failed', cause: 'superseded', served: 'yes' }),
        r({ id: 'p3', sha: 'c3', day: 3, outcome: 'cancelled', cause: 'cancelled', served: 'yes' }),
        r({ id: 'p4', sha: 'c4', day: 4, ...ok }),
      ],
      options(),
    );
    expect(report.overall.audit.map((c) => c.status)).toEqual(['success', 'no-verdict', 'no-verdict', 'success']);
    // Served: p1, p2, p3, p4 = 4, no change failure → 0; p4 is not rework (nothing failed).
    expect([report.overall.current.served, report.overall.current.changeFailures, report.overall.current.rework]).toEqual([4, 0, 0]);
  });

  it('a failure after serving that nothing has recovered yet counts, with no recovery time, and is said', async () => {
    const report = await computeMetrics(
      [r({ id: 'p1', sha: 'c1', day: 1, ...ok }), r({ id: 'p2', sha: 'c2', day: 2, outcome: 'failed', cause: 'rollout-failed', served: 'yes' })],
      options(),
    );
    expect(report.overall.audit[1]!.changeFailure).toMatchObject({ kind: 'failed-after-serving', recoveredAt: undefined, recoveryHours: undefined });
    expect(report.overall.current).toMatchObject({ changeFailures: 1, changeFailureRate: 0.5, recoveries: 0, recoveryMedianHours: undefined });
    expect(report.notes).toContain('production: 1 change failure with no good release after it yet: left out of the recovery time.');
  });

  it('a failure after serving (not rolled back) recovers at the next successful release, whatever failed between', async () => {
    const report = await computeMetrics(
      [
        r({ id: 'p1', sha: 'c1', day: 1, ...ok }),
        r({ id: 'p2', sha: 'c2', day: 2, outcome: 'failed', cause: 'rollout-failed', served: 'yes' }),
        r({ id: 'p3', sha: 'c3', day: 3, outcome: 'failed', cause: 'failed-migration', served: 'no' }),
        r({ id: 'p4', sha: 'c4', day: 4, ...ok }),
      ],
      options(),
    );
    // p2 serves from day 2 10:00; p4 succeeds day 4 11:00 → 49h. p3 and p4 follow p2 before a success: both rework.
    expect(report.overall.audit[1]!.changeFailure).toMatchObject({ remediatedBy: 'p4', recoveryHours: 49 });
    expect(report.overall.audit.map((c) => c.rework)).toEqual([[], [], ['follows-change-failure'], ['follows-change-failure']]);
  });
});

describe('what the readers could not give', () => {
  it('without a commit source: no lead time, no marker, and said once', async () => {
    const report = await computeMetrics(
      [r({ id: 'p1', sha: 'c1', day: 1, ...ok }), r({ id: 'p2', sha: 'c5', day: 5, ...ok })],
      options({ commits: undefined }),
    );
    expect(report.overall.current).toMatchObject({ leadTimeCommits: 0, leadTimeMedianHours: undefined, rework: 0 });
    expect(report.overall.bands.leadTime).toBeUndefined();
    expect(report.overall.audit[1]).toMatchObject({ commits: undefined, commitsNote: 'no commit source: lead time not counted' });
    expect(report.notes[0]).toBe('Commits are not read (no checked-out history and no API): no change lead time, and no rework marker is looked for.');
  });

  it('a range the history does not know is left out of the lead time, with the reason', async () => {
    const report = await computeMetrics([r({ id: 'p1', sha: 'c1', day: 1, ...ok }), r({ id: 'p2', sha: 'feedbeef', day: 2, ...ok })], options());
    expect(report.overall.audit[1]!.commitsNote).toBe('neither the history nor the API knows c1..feedbee: lead time not counted');
    expect(report.notes).toContain('production: 1 successful release whose commits are not known: left out of the lead time (each says why).');
  });

  it('a redeploy of the same commit brings no commits', async () => {
    const report = await computeMetrics([r({ id: 'p1', sha: 'c1', day: 1, ...ok }), r({ id: 'p2', sha: 'c1', day: 2, ...ok })], options());
    expect(report.overall.audit[1]).toMatchObject({ commits: [], commitsNote: 'the same commit as the previous successful release (p1): no new commits' });
  });

  it('says what ECS tags cannot give', async () => {
    const report = await computeMetrics([r({ id: 'p1', sha: 'c1', day: 1, source: 'ecs-tags', ...ok })], options());
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^production: 1 release read from ECS revision tags, which keep only each revision's last release/),
    );
  });
});

describe('edges of change failure and rework', () => {
  it('a hotfix after a rollback action fixes nothing new: the rolled-back release is already the failure', async () => {
    const report = await computeMetrics(
      [
        r({ id: 'p1', sha: 'c1', day: 1, ...ok }),
        r({ id: 'p2', sha: 'c3', day: 3, ...ok }),
        r({ id: 'p3', kind: 'rollback', sha: 'c1', revision: 'shop:1', rolledBackRelease: 'arn:aws:ecs:eu-west-1:1:task-definition/shop:2', day: 4, ...ok }),
        r({ id: 'p4', sha: 'c5', day: 6, ...ok }),
      ],
      options(),
    );
    const [p1, p2, p3, p4] = report.overall.audit;
    expect(p1!.changeFailure).toBeUndefined();
    // p2: serving from day 3 10:00 to the rollback's success day 4 11:00 = 25h.
    expect(p2!.changeFailure).toMatchObject({ kind: 'rollback-action', remediatedBy: 'p3', recoveryHours: 25 });
    expect(p3).toMatchObject({ remediates: 'p2', rework: ['rollback-action', 'follows-change-failure'] });
    // p4 carries the marker (c5 `Hotfix: …`, the regex has the g flag and is still read every time): rework, no new failure.
    expect(p4).toMatchObject({ rework: ['marker'], changeFailure: undefined });
    // Lead time of p4 counts from the rollback's c1: c2 c3 c4 c5 come (back) with it.
    expect(p4!.commits?.map((c) => c.sha)).toEqual(['c5', 'c4', 'c3', 'c2']);
    expect(report.overall.current.changeFailureRate).toBeCloseTo(1 / 4, 10);
  });

  it('a marker given with the g flag matches each release it should (the regex keeps no state between messages)', async () => {
    const g = new CommitGraph().append('h0', t(0, 8), 'start').append('h1', t(1, 8), 'Hotfix: one').append('h2', t(2, 8), 'Hotfix: two');
    const report = await computeMetrics(
      [r({ id: 'p1', sha: 'h0', day: 1, ...ok }), r({ id: 'p2', sha: 'h1', day: 2, ...ok }), r({ id: 'p3', sha: 'h2', day: 3, ...ok })],
      options({ commits: g, reworkMarker: /hotfix/gi }),
    );
    // p2 fixes p1 forward, p3 fixes p2 forward (a hotfix of a hotfix): both markers, two change failures.
    expect(report.overall.audit.map((c) => c.rework.includes('marker'))).toEqual([false, true, true]);
    expect(report.overall.audit.map((c) => c.changeFailure?.kind)).toEqual(['fixed-forward', 'fixed-forward', undefined]);
  });

  it('a rollback naming a revision no known release served counts no failure, and says so', async () => {
    const report = await computeMetrics(
      [r({ id: 'p1', sha: 'c1', day: 1, ...ok }), r({ id: 'p2', kind: 'rollback', sha: 'c0', rolledBackRelease: 'shop:77', day: 2, ...ok })],
      options(),
    );
    expect(report.overall.current.changeFailures).toBe(0);
    expect(report.notes).toContain(
      'production: rollback p2 rolled back from shop:77, which no known release of the environment served: no change failure counted for it.',
    );
  });

  it('a release in the window before, undone in this one, counts as a failure of the window before', async () => {
    const report = await computeMetrics(
      [r({ id: 'p1', sha: 'c1', day: -3, ...ok }), r({ id: 'p2', kind: 'rollback', sha: 'c0', rolledBackRelease: 'shop:1', day: 1, ...ok })],
      options(),
    );
    expect(report.overall.previous).toMatchObject({ releases: 1, changeFailures: 1, changeFailureRate: 1 });
    expect(report.overall.current).toMatchObject({ releases: 1, changeFailures: 0, rework: 1 });
  });

  it('counts only the environments asked for; a record with no environment is nobody’s', async () => {
    const noEnvironment = r({ id: 'p9', sha: 'c2', day: 2, ...ok });
    noEnvironment.record.environment = undefined;
    const report = await computeMetrics(
      [r({ id: 'p1', sha: 'c1', day: 1, ...ok }), r({ id: 's1', environment: 'staging', sha: 'c1', day: 1, ...ok }), noEnvironment],
      options(),
    );
    expect(report.overall.audit.map((c) => c.id)).toEqual(['p1']);
  });
});
