/**
 * The tags that make a task-definition revision its own audit record: which commit, ref and
 * workflow run produced it, and which image digests it runs. ECS tags allow keys up to 128 and
 * values up to 256 characters of letters, digits, spaces and `_ . : / = + - @`; anything else
 * would make RegisterTaskDefinition fail after the rollout was already prepared, so values are
 * sanitized here rather than rejected there.
 */
import { imageDigest, sanitizeTagKey, sanitizeTagValue, type EcsTag } from '../release/revision-tags.js';
import { TAG } from '../release/schema.js';

export type { EcsTag };
export { imageDigest, sanitizeTagKey, sanitizeTagValue };
const MAX_TAGS = 50;

export interface RevisionProvenance {
  sha?: string | undefined;
  ref?: string | undefined;
  runUrl?: string | undefined;
  /** Images by container name; a digest (`sha256:…`) is recorded when the reference has one. */
  images: { container: string; image: string }[];
}

export function provenanceTags(provenance: RevisionProvenance): EcsTag[] {
  const tags: EcsTag[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value) tags.push({ key: sanitizeTagKey(key), value: sanitizeTagValue(value) });
  };
  add(TAG.sha, provenance.sha);
  add(TAG.ref, provenance.ref);
  add(TAG.run, provenance.runUrl);
  for (const { container, image } of provenance.images) add(`${TAG.imagePrefix}${container}`, imageDigest(image) ?? image);
  return tags;
}

/**
 * Merges tag lists; later lists win on the same key (user tags over the defaults). ECS allows 50
 * tags per resource: the caller learns what was dropped instead of a failed registration.
 */
export function mergeTags(...lists: readonly (readonly EcsTag[])[]): { tags: EcsTag[]; dropped: string[] } {
  const byKey = new Map<string, string>();
  for (const list of lists) for (const { key, value } of list) byKey.set(sanitizeTagKey(key), sanitizeTagValue(value));
  const all = [...byKey].map(([key, value]) => ({ key, value }));
  return { tags: all.slice(0, MAX_TAGS), dropped: all.slice(MAX_TAGS).map((t) => t.key) };
}
