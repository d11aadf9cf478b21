/**
 * What preflight (preflight.ts) looks at, read out of the rendered task definition and the service
 * as read: the ECR images, the awslogs log groups, the target groups, the role ARNs. Pure: no SDK,
 * no I/O, so the tables in the tests cover it.
 */
import { parseEcrHost } from '../core/ecr-host.js';
import type { TaskDefinitionDocument } from './render-task-definition.js';

/** A container image in an ECR repository, as ECS will pull it. */
export interface EcrImage {
  container: string;
  image: string;
  /** The registry's account (ECR's registryId) and region, from the host. */
  registryId: string;
  region: string;
  repository: string;
  /** What ECS pulls: the digest when pinned (`@sha256:…`), else the tag (`latest` when none). */
  id: { imageDigest: string } | { imageTag: string };
}

/** A log group an `awslogs` container writes to, which must exist before its task starts. */
export interface AwslogsGroup {
  container: string;
  group: string;
  /** `awslogs-region`; undefined: the deploy's region. */
  region: string | undefined;
}

/** A target group the service's tasks are registered with, and where the service names it. */
export interface ServiceTargetGroup {
  arn: string;
  /** `loadBalancers[0].targetGroupArn`, `loadBalancers[0].advancedConfiguration.alternateTargetGroupArn`. */
  from: string;
  /** The region in the ARN. */
  region: string | undefined;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A repository name as ECR and the distribution spec allow it. */
const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/**
 * The ECR image of `image`, or undefined when it is not in ECR (`acme/app:1`, a local registry) or
 * not a reference ECR could hold. `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@sha256:…]`.
 */
export function parseEcrImage(container: string, image: string): EcrImage | undefined {
  const slash = image.indexOf('/');
  if (slash < 0) return undefined;
  const host = parseEcrHost(image.slice(0, slash));
  if (!host) return undefined;
  let rest = image.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  const colon = rest.lastIndexOf(':');
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  if (!REPOSITORY.test(repository) || tag === '') return undefined;
  const id = digest ? { imageDigest: digest } : { imageTag: tag ?? 'latest' };
  return { container, image, registryId: host.accountId, region: host.region, repository, id };
}

function containers(document: TaskDefinitionDocument): Record<string, unknown>[] {
  const list = document.containerDefinitions;
  return Array.isArray(list) ? list.filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null) : [];
}

export function ecrImages(document: TaskDefinitionDocument): EcrImage[] {
  return containers(document).flatMap((c) => (typeof c.image === 'string' ? (parseEcrImage(String(c.name ?? '?'), c.image) ?? []) : []));
}

/** The log groups of `awslogs` containers that must already exist (not those with `awslogs-create-group: "true"`). */
export function awslogsGroups(document: TaskDefinitionDocument): AwslogsGroup[] {
  return containers(document).flatMap((c) => {
    const config = c.logConfiguration as { logDriver?: unknown; options?: Record<string, unknown> } | undefined;
    if (config?.logDriver !== 'awslogs') return [];
    const options = config.options ?? {};
    const group = options['awslogs-group'];
    if (typeof group !== 'string' || group === '' || String(options['awslogs-create-group']).toLowerCase() === 'true') return [];
    const region = typeof options['awslogs-region'] === 'string' && options['awslogs-region'] !== '' ? options['awslogs-region'] : undefined;
    return [{ container: String(c.name ?? '?'), group, region }];
  });
}

/** ECS's native strategies, whose load balancer needs the alternate target group. */
const NATIVE = new Set(['BLUE_GREEN', 'CANARY', 'LINEAR']);

/** The service's target groups; under a native strategy the alternate ones too. */
export function serviceTargetGroups(loadBalancers: readonly unknown[] | undefined, strategy: string): ServiceTargetGroup[] {
  const found: ServiceTargetGroup[] = [];
  (loadBalancers ?? []).forEach((lb, i) => {
    const { targetGroupArn, advancedConfiguration } = (lb ?? {}) as { targetGroupArn?: unknown; advancedConfiguration?: { alternateTargetGroupArn?: unknown } };
    if (typeof targetGroupArn === 'string') found.push({ arn: targetGroupArn, from: `loadBalancers[${i}].targetGroupArn`, region: arnRegion(targetGroupArn) });
    const alternate = advancedConfiguration?.alternateTargetGroupArn;
    if (NATIVE.has(strategy) && typeof alternate === 'string') {
      found.push({ arn: alternate, from: `loadBalancers[${i}].advancedConfiguration.alternateTargetGroupArn`, region: arnRegion(alternate) });
    }
  });
  return found;
}

function arnRegion(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/** `arn:aws[-cn|-us-gov]:iam::<12 digits>:role/[path/]name`, as IAM names roles (name ≤ 64 of [\w+=,.@-]). */
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function isIamRoleArn(value: string): boolean {
  return ROLE_ARN.test(value);
}

/** One sentence per role field that is set but not an IAM role ARN. */
export function malformedRoleArns(document: TaskDefinitionDocument): string[] {
  const problems: string[] = [];
  for (const field of ['executionRoleArn', 'taskRoleArn'] as const) {
    const value = document[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string' && isIamRoleArn(value)) continue;
    problems.push(
      `The task definition's ${field} ${JSON.stringify(value)} is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).`,
    );
  }
  return problems;
}
