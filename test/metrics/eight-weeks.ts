/**
 * Eight weeks of releases to two environments (45 in the window, one before it, one after it, one
 * of another environment), as the readers hand them over, over a commit graph of 38 commits spread
 * over the days. history.test.ts works its numbers out by hand; the summary tests render it.
 *
 * Times are written (day, hour) after T0, the window's start (Monday 2026-01-05 00:00 UTC); the
 * window is `8w` ending at day 56 (2026-03-02 00:00 UTC). Each commit's time is in hours after T0.
 */
import { CommitGraph } from './commit-graph.js';
import { at, type ReleaseSpec, release } from './releases.js';

export const T0 = '2026-01-05T00:00:00.000Z';
export const t = (day: number, hour: number, minute = 0) => at(T0, [day, hour, minute]);
export const NOW = new Date(t(56, 0));

/**
 * The commits, one straight history: c0 at -87h (day -4 09:00), then (hours after T0):
 * c1 -12, c2 2, c3 58, c4 68, c5 153, c6 165, c7 226, c8 234, c9 321, c10 329, c11 356, c12 394,
 * c13 420, c14 489, c15 495, c16 562, c17 568, c18 657, c19 665, c20 687 (a hotfix: trailer
 * `Hotfix: true`), c21 730, c22 736, c23 758 (a hotfix: `hotfix: …` subject), c24 825, c25 831,
 * c26 898, c27 904, c28 993, c29 999, c30 1066, c31 1072, c32 1161, c33 1167, c34 1234, c35 1240,
 * c36 1305, c37 1311.
 */
const COMMIT_HOURS = [
  -87, -12, 2, 58, 68, 153, 165, 226, 234, 321, 329, 356, 394, 420, 489, 495, 562, 568, 657, 665, 687, 730, 736, 758, 825, 831, 898, 904, 993, 999, 1066, 1072,
  1161, 1167, 1234, 1240, 1305, 1311,
];
const MESSAGES: Record<number, string> = {
  20: 'Fix the checkout total rounding\n\nHotfix: true',
  23: 'hotfix: raise the checkout latency budget back',
};

export function commitGraph(): CommitGraph {
  const graph = new CommitGraph();
  COMMIT_HOURS.forEach((h, i) => {
    graph.append(`c${i}`, new Date(Date.parse(T0) + h * 3_600_000).toISOString(), MESSAGES[i] ?? `Change ${i} to the shop`);
  });
  return graph;
}

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/';
type Spec = Omit<ReleaseSpec, 'environment' | 'revision'> & { revision?: string };
const prod = (s: Spec) => release({ environment: 'production', revision: `${ARN}shop:${s.id.slice(1)}`, ...s });
const stag = (s: Spec) => release({ environment: 'staging', revision: `${ARN}shop-staging:${s.id.slice(1)}`, ...s });
const ok = { outcome: 'succeeded', served: 'yes' } as const;

/** Production: one release before the window (p0), then p1–p23. Deploys at 10:00, done at 11:00 unless said. */
export const PRODUCTION = [
  prod({ id: 'p0', sha: 'c0', created: t(-3, 10), finished: t(-3, 11), ...ok }),
  prod({ id: 'p1', sha: 'c2', created: t(0, 10), finished: t(0, 11), ...ok }),
  prod({ id: 'p2', sha: 'c4', created: t(3, 10), finished: t(3, 11), ...ok }),
  prod({ id: 'p3', sha: 'c6', created: t(7, 10), finished: t(7, 11), ...ok }),
  // A failed migration: the pre-deploy task exited 1, the service was never touched.
  prod({ id: 'p4', sha: 'c8', created: t(10, 10), finished: t(10, 11), outcome: 'failed', cause: 'failed-migration', served: 'no' }),
  prod({ id: 'p5', sha: 'c8', created: t(11, 10), finished: t(11, 11), ...ok }),
  // ECS's circuit breaker rolled it back after its tasks had served (service updated at 10:30).
  prod({
    id: 'p6',
    sha: 'c10',
    created: t(14, 10),
    serviceUpdatedAt: t(14, 10, 30),
    finished: t(14, 12),
    outcome: 'rolled-back',
    cause: 'circuit-breaker-rollback',
    by: 'ecs',
    served: 'yes',
  }),
  prod({ id: 'p7', sha: 'c11', created: t(15, 10), finished: t(15, 11), ...ok }),
  prod({ id: 'p8', sha: 'c13', created: t(18, 10), finished: t(18, 11), ...ok }),
  prod({ id: 'p9', sha: 'c15', created: t(21, 10), finished: t(21, 11), ...ok }),
  // The rollback action takes production from shop:9 (p9) back to shop:8 (p8's commit c13).
  prod({
    id: 'p10',
    kind: 'rollback',
    sha: 'c13',
    revision: `${ARN}shop:8`,
    rolledBackRelease: 'shop:9',
    created: t(21, 15),
    finished: t(21, 15, 30),
    ...ok,
  }),
  prod({ id: 'p11', sha: 'c17', created: t(24, 10), finished: t(24, 11), ...ok }),
  prod({ id: 'p12', sha: 'c19', created: t(28, 10), finished: t(28, 11), ...ok }),
  // Fix-forward: c20 carries `Hotfix: true`; p12 was bad.
  prod({ id: 'p13', sha: 'c20', created: t(28, 16), finished: t(28, 17), ...ok }),
  // A deployment alarm fired during the bake and ECS rolled back, done at 13:00.
  prod({ id: 'p14', sha: 'c22', created: t(31, 10), finished: t(31, 13), outcome: 'rolled-back', cause: 'alarm-rollback', by: 'ecs', served: 'yes' }),
  // A hotfix after the alarm rollback: it fixes p14, which is already a change failure.
  prod({ id: 'p15', sha: 'c23', created: t(31, 16), finished: t(31, 17), ...ok }),
  // A person rejected green at the verification gate (resume step): production never saw it.
  prod({
    id: 'p16',
    kind: 'resume',
    sha: 'c25',
    created: t(35, 10),
    finished: t(35, 11),
    outcome: 'rolled-back',
    cause: 'gate-rollback',
    by: 'person',
    served: 'no',
  }),
  prod({ id: 'p17', kind: 'resume', sha: 'c25', created: t(36, 10), finished: t(36, 11), ...ok }),
  prod({ id: 'p18', sha: 'c27', created: t(38, 10), finished: t(38, 11), ...ok }),
  prod({ id: 'p19', sha: 'c29', created: t(42, 10), finished: t(42, 11), ...ok }),
  prod({ id: 'p20', sha: 'c31', created: t(45, 10), finished: t(45, 11), ...ok }),
  prod({ id: 'p21', sha: 'c33', created: t(49, 10), finished: t(49, 11), ...ok }),
  prod({ id: 'p22', sha: 'c35', created: t(52, 10), finished: t(52, 11), ...ok }),
  // Paused at its verification gate when the metrics ran: unfinished.
  prod({ id: 'p23', sha: 'c37', created: t(55, 10), finished: undefined, outcome: 'paused', served: 'no' }),
];

/** Staging: s1–s22, no release before the window. Deploys at 06:00, done at 06:30 unless said. */
export const STAGING = [
  stag({ id: 's1', sha: 'c2', created: t(0, 6), finished: t(0, 6, 30), ...ok }),
  stag({ id: 's2', sha: 'c4', created: t(3, 6), finished: t(3, 6, 30), ...ok }),
  stag({ id: 's3', sha: 'c6', created: t(7, 6), finished: t(7, 6, 30), ...ok }),
  stag({ id: 's4', sha: 'c8', created: t(10, 6), finished: t(10, 6, 30), ...ok }),
  stag({ id: 's5', sha: 'c10', created: t(14, 6), finished: t(14, 6, 30), ...ok }),
  stag({ id: 's6', sha: 'c11', created: t(15, 6), finished: t(15, 6, 30), ...ok }),
  // A crash loop: never healthy, the breaker rolled back before any task served.
  stag({ id: 's7', sha: 'c12', created: t(17, 6), finished: t(17, 7), outcome: 'rolled-back', cause: 'circuit-breaker-rollback', by: 'ecs', served: 'no' }),
  stag({ id: 's8', sha: 'c13', created: t(18, 6), finished: t(18, 6, 30), ...ok }),
  stag({ id: 's9', sha: 'c15', created: t(21, 6), finished: t(21, 6, 30), ...ok }),
  stag({ id: 's10', sha: 'c17', created: t(24, 6), finished: t(24, 6, 30), ...ok }),
  stag({ id: 's11', sha: 'c19', created: t(28, 6), finished: t(28, 6, 30), ...ok }),
  // The hotfix c20 passes staging first: staging's s11 is fixed forward too.
  stag({ id: 's12', sha: 'c20', created: t(28, 15, 30), finished: t(28, 16), ...ok }),
  stag({ id: 's13', sha: 'c22', created: t(31, 6), finished: t(31, 6, 30), ...ok }),
  stag({ id: 's14', sha: 'c23', created: t(31, 15), finished: t(31, 15, 30), ...ok }),
  stag({ id: 's15', sha: 'c25', created: t(35, 6), finished: t(35, 6, 30), ...ok }),
  stag({ id: 's16', sha: 'c27', created: t(38, 6), finished: t(38, 6, 30), ...ok }),
  stag({ id: 's17', sha: 'c29', created: t(42, 6), finished: t(42, 6, 30), ...ok }),
  stag({ id: 's18', sha: 'c31', created: t(45, 6), finished: t(45, 6, 30), ...ok }),
  stag({ id: 's19', sha: 'c33', created: t(49, 6), finished: t(49, 6, 20), outcome: 'failed', cause: 'failed-migration', served: 'no' }),
  stag({ id: 's20', sha: 'c33', created: t(49, 8), finished: t(49, 8, 30), ...ok }),
  stag({ id: 's21', sha: 'c35', created: t(52, 6), finished: t(52, 6, 30), ...ok }),
  stag({ id: 's22', sha: 'c37', created: t(55, 6), finished: t(55, 6, 30), ...ok }),
];

/** A third environment's release, and one after the window: neither may be counted. */
export const OTHERS = [
  release({ environment: 'qa', id: 'q1', sha: 'c2', revision: `${ARN}shop-qa:1`, created: t(1, 9), finished: t(1, 10), ...ok }),
  prod({ id: 'p99', sha: 'c37', created: t(56, 1), finished: t(56, 2), ...ok }),
];
