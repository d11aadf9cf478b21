/**
 * The CloudWatch client, created lazily and once per region like the ECS and ECR clients
 * (aws-clients.ts). In its own file so that only the bundles that watch alarms (the deploy
 * engine's) carry the CloudWatch SDK; AWS_ENDPOINT_URL_CLOUDWATCH selects the local emulator.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type AwsClientOptions, resolveRegion, USER_AGENT } from './aws-clients.js';

const clients = new Map<string, CloudWatchClient>();

export async function cloudwatchClient(options: AwsClientOptions = {}): Promise<CloudWatchClient> {
  const region = resolveRegion(options.region);
  const existing = clients.get(region);
  if (existing) return existing;
  const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
  const client = new CloudWatchClient({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
  clients.set(region, client);
  return client;
}
