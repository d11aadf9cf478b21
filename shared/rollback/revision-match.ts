/**
 * Whether a revision is the one a person named by commit or by image: the git SHA ecs-rolling-deploy
 * tagged it with, or an image one of its containers runs (by tag, whole reference or digest, as
 * written in the task definition or recorded in its image tags).
 */
import { TAG } from '../release/schema.js';
import type { RevisionRecord } from '../ecs/revision-history.js';

/** A full or short (≥ 7 hex digits) SHA against the revision's commit-to-prod:sha tag. */
export function commitMatches(revision: RevisionRecord, sha: string): boolean {
  const tagged = revision.tags.get(TAG.sha)?.toLowerCase();
  const wanted = sha.toLowerCase();
  return tagged !== undefined && wanted.length >= 7 && tagged.startsWith(wanted);
}

/** `repo/app:v2@sha256:…` → { name: 'repo/app', tag: 'v2', digest: 'sha256:…' }. */
export function parseImageReference(image: string): { name: string; tag: string | undefined; digest: string | undefined } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port (`host:5000/app`), not a tag.
  if (colon > withoutDigest.lastIndexOf('/')) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  return { name: withoutDigest, tag: undefined, digest };
}

/** The container whose image `value` names (tag, whole reference or digest), if any. */
export function imageMatch(revision: RevisionRecord, value: string): { container: string; image: string } | undefined {
  for (const { container, image } of revision.images) {
    const ref = parseImageReference(image);
    if (image === value || ref.tag === value || ref.digest === value || (ref.tag !== undefined && `${ref.name}:${ref.tag}` === value))
      return { container, image };
  }
  for (const [key, recorded] of revision.tags) {
    if (!key.startsWith(TAG.imagePrefix)) continue;
    const ref = parseImageReference(recorded);
    if (recorded === value || ref.tag === value || ref.digest === value) return { container: key.slice(TAG.imagePrefix.length), image: recorded };
  }
  return undefined;
}
