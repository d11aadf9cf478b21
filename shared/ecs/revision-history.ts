/**
 * The ECS side of a family's history: its revisions newest first, each with the images it runs
 * and the commit-to-prod:* tags ecs-rolling-deploy wrote on it (commit, ref, run, outcome). It is
 * the record a rollback falls back to without a GitHub token, and where explicit targets (a git
 * SHA, an image tag) are looked up. One DescribeTaskDefinition (with TAGS) per revision, a few at
 * a time, and only as far as the caller reads.
 */
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import type { EcsSender } from './raw-json.js';
import { isClientException } from './register-task-definition.js';
import type { ContainerImage } from './render-task-definition.js';

export interface RevisionRecord {
  arn: string;
  family: string;
  revision: number;
  /** ACTIVE, INACTIVE (deregistered) or DELETE_IN_PROGRESS. */
  status: string;
  images: ContainerImage[];
  tags: ReadonlyMap<string, string>;
  registeredAt: Date | undefined;
}

/** `arn:…:task-definition/payments:7` or `payments:7` → `payments`. */
export function familyOf(arnOrRef: string): string {
  const name = /task-definition\/(.+)$/.exec(arnOrRef)?.[1] ?? arnOrRef;
  return name.replace(/:\d+$/, '');
}

/** The revision as ECS describes it, or undefined when ECS knows no such revision. */
export async function describeRevision(ecs: EcsSender, ref: string): Promise<RevisionRecord | undefined> {
  try {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] }));
    const td = out.taskDefinition;
    if (!td?.taskDefinitionArn) return undefined;
    return {
      arn: td.taskDefinitionArn,
      family: td.family ?? familyOf(td.taskDefinitionArn),
      revision: td.revision ?? 0,
      status: td.status ?? 'ACTIVE',
      images: (td.containerDefinitions ?? []).map((c) => ({ container: c.name ?? '', image: c.image ?? '' })),
      tags: new Map((out.tags ?? []).map((t) => [t.key ?? '', t.value ?? ''])),
      registeredAt: td.registeredAt,
    };
  } catch (error) {
    if (isClientException(error)) return undefined;
    throw error;
  }
}

export interface FamilyRevisionsOptions {
  status?: 'ACTIVE' | 'INACTIVE';
  /** Revisions to read at most (newest first). */
  limit: number;
}

const CONCURRENCY = 5;

/**
 * The family's revisions, newest first by revision number — ordered here, not trusted to
 * ListTaskDefinitions' sort — described a few at a time and only as far as the caller reads.
 */
export async function* familyRevisions(ecs: EcsSender, family: string, options: FamilyRevisionsOptions): AsyncGenerator<RevisionRecord> {
  const arns = await familyRevisionArns(ecs, family, options.status ?? 'ACTIVE');
  let read = 0;
  for (let i = 0; i < arns.length && read < options.limit; i += CONCURRENCY) {
    const batch = arns.slice(i, Math.min(i + CONCURRENCY, i + options.limit - read));
    const described = await Promise.all(batch.map((arn) => describeRevision(ecs, arn)));
    for (const revision of described) {
      if (!revision) continue;
      read++;
      yield revision;
    }
  }
}

/** The ARNs of the family's revisions with that status, newest first by revision number (no describing). */
export async function familyRevisionArns(ecs: EcsSender, family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    nextToken = page.nextToken;
    // familyPrefix is a prefix: `pay` also lists `payments`.
    arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family));
  } while (nextToken);
  return arns.sort((a, b) => revisionNumber(b) - revisionNumber(a));
}

function revisionNumber(arn: string): number {
  return Number(/:(\d+)$/.exec(arn)?.[1] ?? 0);
}
