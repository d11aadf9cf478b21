/** Resource tags (TagResource / UntagResource / ListTagsForResource and `tags` on create calls). */
import { errors, objList, strList } from './wire.js';
import type { Store, Tag } from './state.js';

export function readTags(input: Record<string, unknown>, key: string): Tag[] | undefined {
  const list = objList(input, key);
  if (!list) return undefined;
  return list.map((t) => {
    if (typeof t.key !== 'string' || t.key === '') throw errors.invalidParameter('Tag keys must be non-empty strings.');
    return { key: t.key, value: typeof t.value === 'string' ? t.value : '' };
  });
}

export function tagResource(store: Store, arn: string, tags: Tag[]): void {
  const current = store.tags.get(arn) ?? [];
  for (const tag of tags) {
    const existing = current.find((t) => t.key === tag.key);
    if (existing) existing.value = tag.value;
    else current.push({ ...tag });
  }
  store.tags.set(arn, current);
}

export function untagResource(store: Store, arn: string, input: Record<string, unknown>): void {
  const keys = strList(input, 'tagKeys') ?? [];
  store.tags.set(
    arn,
    (store.tags.get(arn) ?? []).filter((t) => !keys.includes(t.key)),
  );
}
