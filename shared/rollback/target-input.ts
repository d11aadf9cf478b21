/**
 * What the `to` input names, decided from its text alone before any AWS call, so a malformed
 * target fails in milliseconds with the input named.
 */
import { InputError } from '../core/errors.js';

export type RollbackTargetInput =
  /** The last release that succeeded before the one now running. */
  | { kind: 'previous' }
  /** A revision number of the service's own family. */
  | { kind: 'revision'; revision: number }
  /** A task-definition ARN. */
  | { kind: 'arn'; arn: string }
  /** `family:revision`; also tried as an image `name:tag` when the family is not the service's. */
  | { kind: 'family-revision'; family: string; revision: number; text: string }
  /** 7–40 hex digits: a git SHA (full or short) on a revision's tag, else an image tag. */
  | { kind: 'commit-or-image'; value: string }
  /** An image tag (`v1.4.2`), a whole reference (`repo/app:v1.4.2`) or a digest (`sha256:…`). */
  | { kind: 'image'; value: string };

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/;
const FAMILY_REVISION = /^([A-Za-z0-9_-]{1,255}):(\d{1,7})$/;
// Revision numbers stay far below a million in practice; a longer run of digits is a short SHA
// or an image tag such as a date.
const REVISION = /^\d{1,6}$/;
const HEX = /^[0-9a-f]{7,40}$/i;
const IMAGE = /^[^\s]{1,255}$/;

export const TO_EXPECTED =
  '`previous`, a revision number, a task-definition ARN (with its revision), a git SHA (7 to 40 hex digits) or an image tag recorded on a revision';

/** What a refusal of `to` adds after its own words: what the input accepts. */
export const TO_HINT = `Expected ${TO_EXPECTED}.`;

export function classifyRollbackTarget(text: string): RollbackTargetInput {
  const value = text.trim();
  if (value === '' || value.toLowerCase() === 'previous') return { kind: 'previous' };
  if (REVISION.test(value)) {
    const revision = Number(value);
    if (revision < 1) throw new InputError('to', text, `${TO_EXPECTED}; revisions start at 1`);
    return { kind: 'revision', revision };
  }
  if (value.startsWith('arn:')) {
    if (!ARN.test(value)) throw new InputError('to', text, 'a task-definition ARN such as arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION');
    return { kind: 'arn', arn: value };
  }
  const familyRevision = FAMILY_REVISION.exec(value);
  if (familyRevision) return { kind: 'family-revision', family: familyRevision[1]!, revision: Number(familyRevision[2]), text: value };
  if (HEX.test(value)) return { kind: 'commit-or-image', value: value.toLowerCase() };
  if (IMAGE.test(value)) return { kind: 'image', value };
  throw new InputError('to', text, TO_EXPECTED);
}
