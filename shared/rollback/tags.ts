/**
 * What a rollback writes on the two revisions it touches, so the ECS history alone tells the
 * story without a GitHub token: the target learns when, from where, by whom and why it was
 * rolled back to; the revision rolled back from is marked `rolled-back`, which is what keeps a
 * later `to: previous` from choosing it again.
 */
import { sanitizeTagKey, sanitizeTagValue, TAG_PREFIX, type EcsTag } from '../ecs/revision-tags.js';
import { revisionName } from '../ecs/task-definition-source.js';
import { OUTCOME_TAG } from './known-good-revision.js';

const tag = (key: string, value: string): EcsTag => ({ key: sanitizeTagKey(`${TAG_PREFIX}${key}`), value: sanitizeTagValue(value) });

export function rolledBackToTags(options: { from: string; at: Date; reason: string; requestedBy: string }): EcsTag[] {
  return [
    tag('rolled-back-to-at', options.at.toISOString()),
    tag('rolled-back-to-from', revisionName(options.from)),
    tag('rolled-back-to-reason', options.reason),
    tag('rolled-back-to-by', options.requestedBy),
  ];
}

export function rolledBackFromTags(options: { to: string; at: Date }): EcsTag[] {
  return [{ key: OUTCOME_TAG, value: 'rolled-back' }, tag('rolled-back-at', options.at.toISOString()), tag('rolled-back-to', revisionName(options.to))];
}
