/**
 * Reading and registering task definitions with every field intact: both directions go through
 * raw-json.ts so fields the SDK's model does not know survive the round trip.
 */
import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import { captureResponseJson, sendBodyVerbatim, type EcsSender } from './raw-json.js';
import { registrableTaskDefinition, type TaskDefinitionDocument } from './render-task-definition.js';
import type { EcsTag } from './revision-tags.js';

export interface DescribedTaskDefinition {
  arn: string;
  /** The registrable document, read-only fields dropped, unknown fields kept. */
  document: TaskDefinitionDocument;
  status: string;
}

export async function describeTaskDefinition(ecs: EcsSender, ref: string): Promise<DescribedTaskDefinition> {
  const { command, json } = captureResponseJson(new DescribeTaskDefinitionCommand({ taskDefinition: ref }));
  try {
    await ecs.send(command);
  } catch (error) {
    if (isClientException(error)) throw new UserError(`Task definition '${ref}' was not found: ${(error as Error).message}`, { cause: error });
    throw error;
  }
  const raw = json().taskDefinition as Record<string, unknown> | undefined;
  if (!raw || typeof raw.taskDefinitionArn !== 'string') throw new Error(`DescribeTaskDefinition ${ref} answered without a task definition`);
  return { arn: raw.taskDefinitionArn, status: String(raw.status ?? 'ACTIVE'), document: registrableTaskDefinition(raw, ref) };
}

/** Registers `document` verbatim (plus `tags`) and returns the new revision's ARN. */
export async function registerTaskDefinition(ecs: EcsSender, document: TaskDefinitionDocument, tags: readonly EcsTag[]): Promise<string> {
  const documentTags = Array.isArray(document.tags) ? (document.tags as EcsTag[]) : [];
  const merged = new Map<string, string>();
  for (const t of [...documentTags, ...tags]) merged.set(t.key, t.value);
  const body: Record<string, unknown> = { ...document };
  if (merged.size > 0) body.tags = [...merged].map(([key, value]) => ({ key, value }));
  else delete body.tags;
  // The typed input is only what the SDK validates and serializes; the wire body is `body`.
  const command = sendBodyVerbatim(new RegisterTaskDefinitionCommand(body as unknown as RegisterTaskDefinitionCommandInput), body);
  try {
    const out = await ecs.send(command);
    const arn = out.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new Error('RegisterTaskDefinition answered without a task definition ARN');
    return arn;
  } catch (error) {
    if (isClientException(error)) {
      throw new UserError(`ECS refused to register task definition family '${String(document.family)}': ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}

export function isClientException(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return name === 'ClientException' || name === 'InvalidParameterException';
}
