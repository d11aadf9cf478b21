/**
 * Where the task definition to deploy comes from, decided from the `task-definition` input's
 * text alone (plus whether a file of that name exists), before any AWS call.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GivenInput } from '../core/inputs.js';
import { parseStructuredInput } from '../core/structured-input.js';

export type TaskDefinitionSource =
  /** Start from the task definition the service runs now. */
  | { kind: 'service' }
  /** An ARN or `family[:revision]`: deploy it as is (or render from it when there are changes). */
  | { kind: 'existing'; ref: string }
  /** A JSON or YAML file (or inline document) to render and register. */
  | { kind: 'document'; document: unknown; source: string };

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}(?::\d+)?$/;
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}(?::\d+)?$/;

/**
 * Classifies the input: empty → the service's current task definition; an ARN → existing; a
 * `family[:revision]` that is not also the name of an existing file → existing; anything else
 * is a document (file path or inline JSON/YAML), read by the caller.
 */
export function classifyTaskDefinitionInput(text: string | undefined, fileExists: (name: string) => boolean): 'service' | 'existing' | 'document' {
  if (text === undefined || text.trim() === '') return 'service';
  const value = text.trim();
  if (ARN.test(value)) return 'existing';
  if (FAMILY_REVISION.test(value) && !fileExists(value)) return 'existing';
  return 'document';
}

/** The source the input names: a document is read (a file against the workspace, or inline) and parsed here. */
export async function parseTaskDefinitionSource(given: GivenInput, workspace: string): Promise<TaskDefinitionSource> {
  const text = given.value.trim();
  const kind = classifyTaskDefinitionInput(text, (name) => existsSync(path.resolve(workspace, name)));
  if (kind === 'service') return { kind: 'service' };
  if (kind === 'existing') return { kind: 'existing', ref: text };
  const read = await parseStructuredInput(given, { workspace });
  return { kind: 'document', document: read?.value, source: read?.source === 'inline' ? `the ${given.name} input` : (read?.source ?? '') };
}

/** `arn:…:task-definition/payments:7` → `payments:7`; other text is returned as is. */
export function revisionName(arnOrRef: string | undefined): string {
  if (!arnOrRef) return '—';
  const m = /task-definition\/(.+)$/.exec(arnOrRef);
  return m?.[1] ?? arnOrRef;
}

/** The revision number of an ARN or `family:revision`, if there is one. */
export function revisionNumber(arnOrRef: string | undefined): number | undefined {
  const m = /:(\d+)$/.exec(arnOrRef ?? '');
  return m ? Number(m[1]) : undefined;
}
