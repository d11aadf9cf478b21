/**
 * What a rollback writes on the two revisions it touches, so the ECS history alone tells the
 * story without a GitHub token: the target learns when, from where, by whom and why it was
 * rolled back to; the revision rolled back from is marked `rolled-back`, which is what keeps a
 * later `to: previous` from choosing it again.
 */
import { type EcsTag, revisionLabel, tagsOf } from './revision-tags.js';
import { TAG } from './schema.js';

export function rolledBackToTags(options: { from: string; at: Date; reason: string; requestedBy: string }): EcsTag[] {
  return tagsOf({
    [TAG.rolledBackToAt]: options.at.toISOString(),
    [TAG.rolledBackToFrom]: revisionLabel(options.from),
    [TAG.rolledBackToReason]: options.reason,
    [TAG.rolledBackToBy]: options.requestedBy,
  });
}

export function rolledBackFromTags(options: { to: string; at: Date }): EcsTag[] {
  return tagsOf({ [TAG.outcome]: 'rolled-back', [TAG.rolledBackAt]: options.at.toISOString(), [TAG.rolledBackTo]: revisionLabel(options.to) });
}
