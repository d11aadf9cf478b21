/**
 * The last known-good release according to ECS alone: the revision tags ecs-rolling-deploy writes
 * (commit-to-prod:outcome = succeeded, failed, rolled-back, …). Used when there is no GitHub token
 * or GitHub has no usable record. Registration order stands in for release order: a candidate
 * is older than the running revision and its recorded outcome is `succeeded`.
 */
import { TAG } from '../release/schema.js';
import type { RevisionRecord } from '../ecs/revision-history.js';

export type RevisionJudgement = { verdict: 'candidate' } | { verdict: 'not-older' } | { verdict: 'skip'; why: string };

export function judgeRevision(revision: Pick<RevisionRecord, 'revision' | 'tags' | 'status'>, currentRevision: number): RevisionJudgement {
  if (revision.revision >= currentRevision) return { verdict: 'not-older' };
  if (revision.status !== 'ACTIVE') return { verdict: 'skip', why: `${revision.status.toLowerCase()} (deregistered)` };
  const outcome = revision.tags.get(TAG.outcome);
  if (outcome === 'succeeded') return { verdict: 'candidate' };
  if (outcome === undefined) return { verdict: 'skip', why: `no ${TAG.outcome} tag (not deployed by ecs-rolling-deploy)` };
  // A later deploy of the same revision overwrites the tag: `started` stays only while nothing proved it good.
  if (outcome === 'started') return { verdict: 'skip', why: 'its deploy was started and not followed (wait: false): not proven good' };
  if (outcome === 'unknown') return { verdict: 'skip', why: 'the outcome of its deploy is unknown (ECS could not be read)' };
  return { verdict: 'skip', why: `its deploy ${outcome === 'failed' ? 'failed' : outcome === 'rolled-back' ? 'was rolled back' : `ended ${outcome}`}` };
}
