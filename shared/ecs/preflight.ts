/**
 * Preflight: what would otherwise fail halfway through a deploy, checked before anything is
 * registered or changed, on the rendered task definition and the service as read:
 *
 *   a. each ECR image exists (BatchGetImage: by digest when pinned, else by tag);
 *   b. each `awslogs` container's log group exists (DescribeLogGroups; not with awslogs-create-group);
 *   c. the service's target groups exist, and under a native strategy the alternate one
 *      (DescribeTargetGroups);
 *   d. executionRoleArn and taskRoleArn, when set, are IAM role ARNs.
 *
 *   const result = await preflight({ document, loadBalancers, strategy, where }, clients);
 *   settlePreflight(result, 'refuse', logger);   // one UserError with every problem, or nothing
 *
 * A plain result, so a plan (dry run) can show it as well as a deploy can refuse on it. A check
 * that cannot run (the role may not call the API, the API did not answer) is a warning naming the
 * permission, never a refusal: it says nothing about the release. Each client is created only
 * when a check needs it. (The alarms named in `alarms` are checked by deployment-alarms.ts.)
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECRClient, ImageIdentifier } from '@aws-sdk/client-ecr';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { UserError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import {
  awslogsGroups,
  ecrImages,
  malformedRoleArns,
  serviceTargetGroups,
  type AwslogsGroup,
  type EcrImage,
  type ServiceTargetGroup,
} from './preflight-subjects.js';
import type { TaskDefinitionDocument } from './render-task-definition.js';

export type EcrSender = Pick<ECRClient, 'send'>;
export type LogsSender = Pick<CloudWatchLogsClient, 'send'>;
export type Elbv2Sender = Pick<ElasticLoadBalancingV2Client, 'send'>;

/** Client factories by region (undefined: the deploy's), called only when a check needs one; a missing one skips its checks. */
export interface PreflightClients {
  ecr?: ((region: string | undefined) => Promise<EcrSender>) | undefined;
  logs?: ((region: string | undefined) => Promise<LogsSender>) | undefined;
  elbv2?: ((region: string | undefined) => Promise<Elbv2Sender>) | undefined;
}

export interface PreflightSubject {
  /** The task definition as it would be registered (or deployed as is). */
  document: TaskDefinitionDocument;
  /** The service's `loadBalancers` as read. */
  loadBalancers: readonly unknown[] | undefined;
  /** The strategy the deploy uses (the plan's): native ones need the alternate target group. */
  strategy: string;
  /** `cluster/service`, for messages. */
  where: string;
}

export interface PreflightResult {
  /** What was checked and found as it should be, one line each. */
  passed: string[];
  /** What is wrong, one sentence each. */
  problems: string[];
  /** Checks that could not run, each naming the permission or the failure. */
  warnings: string[];
}

const PERMISSION_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException', 'AuthorizationError']);

function isPermissionError(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return PERMISSION_ERRORS.has(e?.name ?? '') || PERMISSION_ERRORS.has(e?.Code ?? '') || e?.$metadata?.httpStatusCode === 403;
}

/** The warning for a check that could not run. */
function couldNotCheck(what: string, permission: string, error: unknown): string {
  const why = `${(error as { name?: string })?.name ?? 'Error'}: ${errorMessage(error)}`;
  return isPermissionError(error)
    ? `Could not check ${what}: the role may not call ${permission} (${why}); going on without this check.`
    : `Could not check ${what} (${permission} failed: ${why}); going on without this check.`;
}

export async function preflight(subject: PreflightSubject, clients: PreflightClients): Promise<PreflightResult> {
  const images = ecrImages(subject.document);
  const groups = awslogsGroups(subject.document);
  const targetGroups = serviceTargetGroups(subject.loadBalancers, subject.strategy);
  const checks: ((into: PreflightResult) => Promise<void>)[] = [
    ...byKey(images, (i) => `${i.region} ${i.registryId} ${i.repository}`).map((repo) => (into: PreflightResult) => checkImages(repo, clients.ecr, into)),
    ...byKey(groups, (g) => `${g.region ?? ''} ${g.group}`).map((uses) => (into: PreflightResult) => checkLogGroup(uses, clients.logs, into)),
    ...targetGroups.map((tg) => (into: PreflightResult) => checkTargetGroup(tg, subject, clients.elbv2, into)),
  ];
  // The checks run side by side, each into its own result; they are joined in the order above, so
  // the log lists the same problems in the same order whichever API answered first.
  const parts = await Promise.all(
    checks.map(async (check) => {
      const part: PreflightResult = { passed: [], problems: [], warnings: [] };
      await check(part);
      return part;
    }),
  );
  const result: PreflightResult = { passed: [], problems: malformedRoleArns(subject.document), warnings: [] };
  for (const part of parts) {
    result.passed.push(...part.passed);
    result.problems.push(...part.problems);
    result.warnings.push(...part.warnings);
  }
  return result;
}

function byKey<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

const idText = (id: EcrImage['id']) => ('imageDigest' in id ? `digest ${id.imageDigest}` : `tag ${id.imageTag}`);
const MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/** The images of one repository, in one BatchGetImage (ECR takes up to 100 image IDs a call). */
async function checkImages(images: EcrImage[], ecr: PreflightClients['ecr'], result: PreflightResult): Promise<void> {
  const { registryId, region, repository } = images[0]!;
  const where = `ECR repository '${repository}' (registry ${registryId}, ${region})`;
  const what = `container ${images.map((i) => `'${i.container}' image ${i.image}`).join(', ')}`;
  if (!ecr) return;
  const { BatchGetImageCommand } = await import('@aws-sdk/client-ecr');
  try {
    const client = await ecr(region);
    for (let i = 0; i < images.length; i += 100) {
      const chunk = images.slice(i, i + 100);
      const imageIds: ImageIdentifier[] = chunk.map((image) => image.id);
      const out = await client.send(new BatchGetImageCommand({ registryId, repositoryName: repository, imageIds, acceptedMediaTypes: MEDIA_TYPES }));
      for (const image of chunk) {
        const failure = out.failures?.find((f) => sameId(f.imageId, image.id));
        if (!failure) result.passed.push(`container '${image.container}': ${idText(image.id)} is in ${where}`);
        else if (['ImageNotFound', 'InvalidImageDigest', 'InvalidImageTag', 'ImageTagDoesNotMatchDigest'].includes(failure.failureCode ?? ''))
          result.problems.push(
            `Container '${image.container}' image ${image.image} is not in ${where}: no image with ${idText(image.id)} (${failure.failureCode}).`,
          );
        else
          result.warnings.push(
            couldNotCheck(`container '${image.container}' image ${image.image}`, 'ecr:BatchGetImage', {
              name: failure.failureCode,
              message: failure.failureReason,
            }),
          );
      }
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'RepositoryNotFoundException') {
      for (const image of images) result.problems.push(`Container '${image.container}' image ${image.image} cannot be pulled: ${where} does not exist.`);
      return;
    }
    result.warnings.push(couldNotCheck(`that ${what} exists`, 'ecr:BatchGetImage', error));
  }
}

function sameId(found: ImageIdentifier | undefined, wanted: EcrImage['id']): boolean {
  return 'imageDigest' in wanted ? found?.imageDigest === wanted.imageDigest : found?.imageTag === wanted.imageTag && !found.imageDigest;
}

/** One log group (DescribeLogGroups by prefix, then the exact name), for every container that writes to it. */
async function checkLogGroup(uses: AwslogsGroup[], logs: PreflightClients['logs'], result: PreflightResult): Promise<void> {
  const { group, region } = uses[0]!;
  const containers = uses.map((u) => `'${u.container}'`).join(', ');
  const where = `CloudWatch Logs group '${group}'${region ? ` (awslogs-region ${region})` : ''}`;
  if (!logs) return;
  const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  try {
    const client = await logs(region);
    let token: string | undefined;
    do {
      const out = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group, ...(token ? { nextToken: token } : {}) }));
      if ((out.logGroups ?? []).some((g) => g.logGroupName === group)) {
        result.passed.push(`${where} of container ${containers} exists`);
        return;
      }
      token = out.nextToken;
    } while (token);
    result.problems.push(
      `${uses.length > 1 ? 'Containers' : 'Container'} ${containers} log${uses.length > 1 ? '' : 's'} with awslogs to ${where}, which does not exist: create it, or set the awslogs-create-group option to "true".`,
    );
  } catch (error) {
    result.warnings.push(couldNotCheck(`that ${where} of container ${containers} exists`, 'logs:DescribeLogGroups', error));
  }
}

async function checkTargetGroup(tg: ServiceTargetGroup, subject: PreflightSubject, elbv2: PreflightClients['elbv2'], result: PreflightResult): Promise<void> {
  const named = `target group ${tg.arn} (the service's ${tg.from}${tg.from.includes('alternate') ? `, which the ${subject.strategy} strategy shifts traffic to` : ''})`;
  if (!elbv2) return;
  const { DescribeTargetGroupsCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  try {
    const client = await elbv2(tg.region);
    const out = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.arn] }));
    if ((out.TargetGroups ?? []).some((g) => g.TargetGroupArn === tg.arn)) result.passed.push(`${named} exists`);
    else result.problems.push(`The ${named} of ${subject.where} does not exist in Elastic Load Balancing.`);
  } catch (error) {
    const e = error as { name?: string; Code?: string };
    if (e.name === 'TargetGroupNotFoundException' || e.Code === 'TargetGroupNotFound') {
      result.problems.push(`The ${named} of ${subject.where} does not exist in Elastic Load Balancing.`);
      return;
    }
    result.warnings.push(couldNotCheck(`that the ${named} exists`, 'elasticloadbalancing:DescribeTargetGroups', error));
  }
}

/**
 * What a deploy does with the result: prints it, then `refuse` throws one UserError with every
 * problem (nothing has changed yet); `warn` (a rollback) prints the problems as warnings and goes on.
 */
export function settlePreflight(result: PreflightResult, mode: 'refuse' | 'warn', logger: Logger, where: string): void {
  for (const line of result.passed) logger.info(`  ok: ${line}`);
  for (const warning of result.warnings) logger.warning(warning);
  const { problems } = result;
  if (problems.length === 0) return;
  if (mode === 'warn') {
    for (const problem of problems) logger.warning(`${problem} (A rollback goes on regardless: it may fail on this.)`);
    return;
  }
  const message =
    problems.length === 1
      ? `Preflight refused the deploy of ${where}; nothing was changed. ${problems[0]}`
      : `Preflight refused the deploy of ${where} on ${problems.length} problems; nothing was changed:\n${problems.map((p) => `- ${p}`).join('\n')}`;
  throw new UserError(message);
}

/** The SDK's clients (core/), each loaded and created on first use; `region` is the deploy's, used where a check names none. */
export function preflightClients(region: string | undefined): PreflightClients {
  const options = (r: string | undefined) => {
    const chosen = r ?? region;
    return chosen ? { region: chosen } : {};
  };
  return {
    ecr: async (r) => (await import('../core/aws-clients.js')).ecrClient(options(r)),
    logs: async (r) => (await import('../core/aws-clients.js')).logsClient(options(r)),
    elbv2: async (r) => (await import('../core/elbv2-client.js')).elbv2Client(options(r)),
  };
}
