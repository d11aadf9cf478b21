/**
 * Writing the record's ECS side: tags on the task-definition revision. ECS tags allow keys up to
 * 128 and values up to 256 characters of letters, digits, spaces and `_ . : / = + - @`; anything
 * else would make the call fail, so values are sanitized here rather than rejected there. No SDK
 * here: the action's entry reads these for the provenance tags, and the ECS client loads later.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';

export interface EcsTag {
  key: string;
  value: string;
}

/** What sends ECS requests (the SDK client, or anything with its `send`). */
export type EcsTagSender = Pick<ECSClient, 'send'>;

export function sanitizeTagValue(value: string): string {
  return value.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 256);
}

export function sanitizeTagKey(key: string): string {
  return key.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, '_').slice(0, 128);
}

/** `{ key: value }` as sanitized tags; undefined and empty values are left out. */
export function tagsOf(entries: Record<string, string | undefined>): EcsTag[] {
  return Object.entries(entries).flatMap(([key, value]) => (value ? [{ key: sanitizeTagKey(key), value: sanitizeTagValue(value) }] : []));
}

/** `repo@sha256:abc` → `sha256:abc`; a reference by tag only has no digest. */
export function imageDigest(image: string): string | undefined {
  const at = image.lastIndexOf('@');
  return at >= 0 && /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) ? image.slice(at + 1) : undefined;
}

/** `arn:…:task-definition/app:7` → `app:7`. */
export function revisionLabel(arn: string | undefined): string {
  if (!arn) return '—';
  const m = /task-definition\/(.+)$/.exec(arn);
  return m?.[1] ?? arn;
}
