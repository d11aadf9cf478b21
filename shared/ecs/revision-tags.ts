/**
 * The tags that make a task-definition revision its own audit record: which commit, ref and
 * workflow run produced it, and which image digests it runs. ECS tags allow keys up to 128 and
 * values up to 256 characters of letters, digits, spaces and `_ . : / = + - @`; anything else
 * would make RegisterTaskDefinition fail after the rollout was already prepared, so values are
 * sanitized here rather than rejected there.
 */
export interface EcsTag {
  key: string;
  value: string;
}

export const TAG_PREFIX = 'commit-to-prod:';
/** How the revision's last deploy ended (a DeployStatus): written by outcome-tag.ts, read by rollback. */
export const OUTCOME_TAG = `${TAG_PREFIX}outcome`;
/** The ECS deployment that rolled the revision out. */
export const DEPLOYMENT_TAG = `${TAG_PREFIX}deployment`;
const MAX_TAGS = 50;

export function sanitizeTagValue(value: string): string {
  return value.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 256);
}

export function sanitizeTagKey(key: string): string {
  return key.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 128);
}

export interface RevisionProvenance {
  sha?: string | undefined;
  ref?: string | undefined;
  runUrl?: string | undefined;
  /** Images by container name; a digest (`sha256:…`) is recorded when the reference has one. */
  images: { container: string; image: string }[];
}

/** `repo@sha256:abc` → `sha256:abc`; a reference by tag only has no digest. */
export function imageDigest(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  return at >= 0 && /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) ? image.slice(at + 1) : undefined;
}

export function provenanceTags(provenance: RevisionProvenance): EcsTag[] {
  const tags: EcsTag[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value) tags.push({ key: sanitizeTagKey(`${TAG_PREFIX}${key}`), value: sanitizeTagValue(value) });
  };
  add('sha', provenance.sha);
  add('ref', provenance.ref);
  add('run', provenance.runUrl);
  for (const { container, image } of provenance.images) add(`image:${container}`, imageDigest(image) ?? image);
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
