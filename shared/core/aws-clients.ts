/**
 * AWS SDK clients, created lazily and only once per process, so a bad input fails before the SDK
 * is even loaded (the SDK is most of an AWS bundle's start-up time). The SDK itself honours
 * AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL_ECR / AWS_ENDPOINT_URL_CLOUDWATCH / AWS_ENDPOINT_URL_CLOUDWATCH_LOGS / AWS_ENDPOINT_URL, which is how the local ECS
 * emulator is selected; nothing here special-cases it.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { UserError } from './errors.js';

export interface AwsClientOptions {
  region?: string;
  /** Retries of throttled or transient calls, with the SDK's backoff. */
  maxAttempts?: number;
}

export const USER_AGENT: [string, string] = ['commit-to-prod', '0.1.0'];

export function resolveRegion(explicit?: string): string {
  const region = explicit || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new UserError('No AWS region: set the `aws-region` input or AWS_REGION (aws-actions/configure-aws-credentials sets it).');
  }
  return region;
}

const ecsClients = new Map<string, ECSClient>();
const ecrClients = new Map<string, ECRClient>();
const logsClients = new Map<string, CloudWatchLogsClient>();

export async function ecsClient(options: AwsClientOptions = {}): Promise<ECSClient> {
  const region = resolveRegion(options.region);
  const existing = ecsClients.get(region);
  if (existing) return existing;
  const { ECSClient } = await import('@aws-sdk/client-ecs');
  const client = new ECSClient({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
  ecsClients.set(region, client);
  return client;
}

export async function ecrClient(options: AwsClientOptions = {}): Promise<ECRClient> {
  const region = resolveRegion(options.region);
  const existing = ecrClients.get(region);
  if (existing) return existing;
  const { ECRClient } = await import('@aws-sdk/client-ecr');
  const client = new ECRClient({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
  ecrClients.set(region, client);
  return client;
}

/** CloudWatch Logs (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS selects the emulator's), loaded only when a task's logs are read. */
export async function logsClient(options: AwsClientOptions = {}): Promise<CloudWatchLogsClient> {
  const region = resolveRegion(options.region);
  const existing = logsClients.get(region);
  if (existing) return existing;
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  const client = new CloudWatchLogsClient({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
  logsClients.set(region, client);
  return client;
}
