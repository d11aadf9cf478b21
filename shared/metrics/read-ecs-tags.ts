/**
 * The releases of a service as its task-definition revisions' tags hold them (release/read.ts
 * readTagRecord): what delivery metrics read without a GitHub token, or when GitHub cannot be
 * reached. The service's family (DescribeServices) and its revisions, active and deregistered
 * (ListTaskDefinitions), then each revision's tags (ListTagsForResource, a few at a time),
 * through the AWS SDK's ECS client (core/aws-clients.ts). Written here rather than through
 * ecs/revision-history.ts, which metrics may not import (shared/README.md's layout).
 *
 * The tags hold a revision's last release only (release/README.md), so this record is thinner
 * than GitHub's: TAG_RECORD_LIMITS says what it cannot give.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import { UserError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { readTagRecord } from '../release/read.js';
import type { MetricsRelease, MetricsWindow } from './model.js';
import { previousWindow } from './window.js';

/** What the revision tags cannot give, said in the log, the summary and the report. */
export const TAG_RECORD_LIMITS: readonly string[] = [
  'a revision deployed more than once (redeployed, or rolled back to) counts once, at its last release: deployment frequency and rework may be undercounted',
  'a release that left no tags (its revision could not be tagged) is missing',
  'no links to the runs that made each release',
];

export interface EcsTagReleasesRequest {
  ecs: Pick<ECSClient, 'send'>;
  cluster: string;
  service: string;
  /** Releases whose environment tag is one of these count (a record without one counts for every environment). */
  environments: readonly string[];
  window: MetricsWindow;
  inputNames: { service: string; cluster: string };
  logger: Logger;
  /** ListTagsForResource calls at once (default 5, under ECS's read rate). */
  concurrency?: number;
}

export interface EcsTagReleasesRead {
  releases: MetricsRelease[];
  revisions: number;
  calls: number;
}

export async function readEcsTagReleases(request: EcsTagReleasesRequest): Promise<EcsTagReleasesRead> {
  const { DescribeServicesCommand, ListTaskDefinitionsCommand, ListTagsForResourceCommand } = await import('@aws-sdk/client-ecs');
  const { ecs } = request;
  let calls = 1;
  const described = await ecs.send(new DescribeServicesCommand({ cluster: request.cluster, services: [request.service] }));
  const service = described.services?.find((s) => s.status !== 'INACTIVE');
  if (!service?.taskDefinition) {
    throw new UserError(
      `Input '${request.inputNames.service}': ECS knows no active service ${JSON.stringify(request.service)} in cluster ${JSON.stringify(request.cluster)} (input '${request.inputNames.cluster}').`,
    );
  }
  const family = familyOf(service.taskDefinition);
  const arns: string[] = [];
  for (const status of ['ACTIVE', 'INACTIVE'] as const) {
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
      );
      calls++;
      nextToken = page.nextToken;
      // familyPrefix is a prefix: `pay` also lists `payments`.
      arns.push(...(page.taskDefinitionArns ?? []).filter((arn) => familyOf(arn) === family));
    } while (nextToken);
  }
  const cutoff = previousWindow(request.window).start;
  const releases: MetricsRelease[] = [];
  const started = Date.now();
  const concurrency = request.concurrency ?? 5;
  for (let i = 0; i < arns.length; i += concurrency) {
    const batch = arns.slice(i, i + concurrency);
    const tagged = await Promise.all(
      batch.map(async (arn) => {
        const out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
        return { arn, tags: new Map((out.tags ?? []).flatMap((t) => (t.key && t.value !== undefined ? [[t.key, t.value] as const] : []))) };
      }),
    );
    calls += batch.length;
    for (const { arn, tags } of tagged) {
      const release = tagRelease(arn, tags, request, cutoff);
      if (release) releases.push(release);
    }
  }
  releases.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  request.logger.info(
    `ECS: ${arns.length} revision(s) of ${family}, ${releases.length} release(s) in the tags since ${cutoff}; ${calls} call(s), ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { releases, revisions: arns.length, calls };
}

/** One revision's tags as a release, when they hold one of ours for these environments since `cutoff`. */
function tagRelease(arn: string, tags: ReadonlyMap<string, string>, request: EcsTagReleasesRequest, cutoff: string): MetricsRelease | undefined {
  const record = readTagRecord(arn, tags);
  // Only a revision a release of ours ended carries an outcome; the registration's tags alone are no release.
  if (!record.outcome || !record.startedAt) return undefined;
  if (record.service && record.service !== request.service && !request.service.endsWith(`/${record.service}`)) return undefined;
  const environment = record.environment ?? request.service;
  if (record.environment && !request.environments.includes(environment)) return undefined;
  if (record.startedAt < cutoff) return undefined;
  return {
    id: arn,
    source: 'ecs-tags',
    record: { ...record, environment: record.environment ?? request.environments[0] },
    createdAt: record.startedAt,
    finishedAt: record.finishedAt,
    logUrl: undefined,
  };
}

/** `arn:…:task-definition/payments:7` or `payments:7` → `payments`. */
function familyOf(arnOrRef: string): string {
  const name = /task-definition\/(.+)$/.exec(arnOrRef)?.[1] ?? arnOrRef;
  return name.replace(/:\d+$/, '');
}
