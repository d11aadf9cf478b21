/**
 * The last known-good release according to GitHub deployments, as ecs-rolling-deploy and rollback
 * write them: each deployment's payload names the revision (`taskDefinitionArn`), the revision
 * it replaced, and for a rollback (`kind: 'rollback'`) the revision it rolled back from. A
 * deployment succeeded when its newest status other than `inactive` is `success` (GitHub marks
 * older successful deployments inactive when a newer one succeeds).
 *
 * "Before the one now running" is taken from the record itself: the newest successful deployment
 * of the running revision is the current release, and only older deployments are candidates. A
 * revision is skipped when its newest record failed or a rollback left it, since that record is
 * the team's latest word on it. A deploy paused at its verification gate is `in_progress`
 * (unfinished, never a candidate) until its resume step records `success` or, rolled back at the
 * gate, `failure` (release/resume-record.ts); whether a record is about the service is decided
 * there too (`concernsService`).
 */
import type { DeploymentHistoryEntry } from '../github/deployment-history.js';
import { PAYLOAD } from '../release/schema.js';

export type DeploymentVerdict = 'succeeded' | 'failed' | 'unfinished';

export interface DeploymentRelease {
  id: number;
  sha: string;
  createdAt: string;
  kind: 'deploy' | 'rollback';
  taskDefinitionArn: string | undefined;
  /** For a rollback: the revision it rolled back from. */
  rolledBackFrom: string | undefined;
  verdict: DeploymentVerdict;
  /** Newest first, e.g. ['inactive', 'success', 'in_progress']. */
  states: string[];
}

export function deploymentVerdict(states: readonly string[]): DeploymentVerdict {
  const latest = states.find((s) => s !== 'inactive');
  if (latest === 'success') return 'succeeded';
  if (latest === 'failure' || latest === 'error') return 'failed';
  return 'unfinished';
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function deploymentRelease(entry: DeploymentHistoryEntry): DeploymentRelease {
  const p = entry.payload;
  const kind = p[PAYLOAD.kind] === 'rollback' ? 'rollback' : 'deploy';
  return {
    id: entry.id,
    sha: entry.sha,
    createdAt: entry.createdAt,
    kind,
    taskDefinitionArn: str(p[PAYLOAD.revision]),
    rolledBackFrom: kind === 'rollback' ? (str(p[PAYLOAD.from]) ?? str(p[PAYLOAD.previousRevision])) : undefined,
    verdict: deploymentVerdict(entry.states),
    states: [...entry.states],
  };
}

export interface KnownGoodPick {
  target: DeploymentRelease | undefined;
  /** The deployment that released the running revision, if one is on record. */
  current: DeploymentRelease | undefined;
  /** Older deployments passed over, with why. */
  skipped: { release: DeploymentRelease; why: string }[];
}

/**
 * `releases` newest first, already narrowed to the service. `requireCurrent`: only deployments
 * older than the current release are candidates; without it (the running revision has no
 * record, e.g. it was deployed by hand) every deployment is.
 */
export function pickKnownGoodDeployment(releases: readonly DeploymentRelease[], currentArn: string, requireCurrent: boolean): KnownGoodPick {
  const bad = new Map<string, string>();
  const skipped: KnownGoodPick['skipped'] = [];
  let current: DeploymentRelease | undefined;
  let passedCurrent = !requireCurrent;
  for (const r of releases) {
    if (r.rolledBackFrom && !bad.has(r.rolledBackFrom)) bad.set(r.rolledBackFrom, `rolled back from by deployment #${r.id}`);
    const arn = r.taskDefinitionArn;
    if (!passedCurrent) {
      if (arn === currentArn && r.verdict === 'succeeded') {
        passedCurrent = true;
        current = r;
      } else if (arn && r.verdict === 'failed' && !bad.has(arn)) {
        bad.set(arn, `its deploy #${r.id} failed`);
      }
      continue;
    }
    if (!arn) {
      skipped.push({ release: r, why: 'no taskDefinitionArn in its payload' });
      continue;
    }
    if (arn === currentArn) {
      skipped.push({ release: r, why: 'the revision now running' });
      continue;
    }
    const badWhy = bad.get(arn);
    if (badWhy) {
      skipped.push({ release: r, why: badWhy });
      continue;
    }
    if (r.verdict === 'failed') {
      bad.set(arn, `its deploy #${r.id} failed`);
      skipped.push({ release: r, why: `the deploy failed (${r.states[0] ?? '?'})` });
      continue;
    }
    if (r.verdict !== 'succeeded') {
      skipped.push({ release: r, why: `never reported success (${r.states.join(' ← ') || 'no status'})` });
      continue;
    }
    return { target: r, current, skipped };
  }
  return { target: undefined, current, skipped };
}
