/**
 * The Elastic Load Balancing v2 client, created lazily and once per region like the others
 * (aws-clients.ts), in its own file so that only the bundles that check target groups before a
 * deploy carry its SDK; AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 selects the local emulator.
 */
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type AwsClientOptions, resolveRegion, USER_AGENT } from './aws-clients.js';

const clients = new Map<string, ElasticLoadBalancingV2Client>();

export async function elbv2Client(options: AwsClientOptions = {}): Promise<ElasticLoadBalancingV2Client> {
  const region = resolveRegion(options.region);
  const existing = clients.get(region);
  if (existing) return existing;
  const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const client = new ElasticLoadBalancingV2Client({ region, maxAttempts: options.maxAttempts ?? 5, customUserAgent: [USER_AGENT] });
  clients.set(region, client);
  return client;
}
