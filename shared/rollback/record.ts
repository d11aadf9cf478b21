/**
 * The rollback's part of the release record (release/record.ts writes it): the fields only a
 * rollback has — from, to, why, who asked, and the record the target was chosen from. The deploy
 * engine (or stop-in-progress.ts) opens, marks and ends the record with them.
 */
import type { RollbackFields } from '../release/record.js';
import { TAG } from '../release/schema.js';
import type { RollbackTarget } from './pick-rollback-target.js';

export function rollbackRecordFields(target: RollbackTarget, reason: string, requestedBy: string): RollbackFields {
  return {
    from: target.current.arn,
    to: target.target.arn,
    reason,
    requestedBy,
    source: target.source,
    chosenFrom: target.chosenFrom,
    sha: target.target.tags.get(TAG.sha) ?? target.deployment?.sha,
  };
}
