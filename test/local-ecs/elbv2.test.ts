/**
 * The emulator's ELBv2 (awsQuery: form-encoded request, XML answer) through the real
 * @aws-sdk/client-elastic-load-balancing-v2: the target groups services name exist, a deleted or
 * unknown one is ELB's TargetGroupNotFound, a denied call is ELB's AccessDenied.
 */
import { randomBytes } from 'node:crypto';
import { CreateClusterCommand, CreateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAppRevisions, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';

let env: LocalEcsEnv;
let elbv2: ElasticLoadBalancingV2Client;
const id = randomBytes(4).toString('hex');
const blue = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue-${id}/0123456789abcdef`;
const green = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green-${id}/fedcba9876543210`;

describe('ELBv2 DescribeTargetGroups', () => {
  beforeAll(async () => {
    env = await withLocalEcs({ timeScale: 20 });
    elbv2 = new ElasticLoadBalancingV2Client({ endpoint: env.local.endpoint, region: env.local.region, credentials: env.local.credentials, maxAttempts: 1 });
    env.local.configureTargetGroup(blue, { path: '/health', intervalMs: 10_000 });
    await env.ecs.send(new CreateClusterCommand({ clusterName: `c-${id}` }));
    await registerAppRevisions(env.ecs, `fam-${id}`, ['acme/app:1']);
    await env.ecs.send(
      new CreateServiceCommand({
        cluster: `c-${id}`,
        serviceName: `svc-${id}`,
        taskDefinition: `fam-${id}`,
        desiredCount: 0,
        loadBalancers: [
          {
            targetGroupArn: blue,
            containerName: 'app',
            containerPort: 8080,
            advancedConfiguration: {
              alternateTargetGroupArn: green,
              productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
              roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
            },
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    elbv2?.destroy();
    await env?.stop();
  });

  it('describes the target groups a service names, with their health check', async () => {
    const out = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [blue, green] }));
    expect(out.TargetGroups?.map((g) => g.TargetGroupArn)).toEqual([blue, green]);
    expect(out.TargetGroups?.[0]).toMatchObject({
      TargetGroupName: `blue-${id}`,
      Protocol: 'HTTP',
      Port: 8080,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      HealthCheckEnabled: true,
      Matcher: { HttpCode: '200' },
      TargetType: 'ip',
    });
    expect(out.TargetGroups?.[0]?.LoadBalancerArns?.[0]).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\//);
    const byName = await elbv2.send(new DescribeTargetGroupsCommand({ Names: [`green-${id}`] }));
    expect(byName.TargetGroups?.map((g) => g.TargetGroupArn)).toEqual([green]);
  });

  it('answers TargetGroupNotFound for one deleted or never created', async () => {
    env.local.deleteTargetGroup(green);
    const deleted = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [green] })).catch((e: unknown) => e);
    expect(deleted).toBeInstanceOf(TargetGroupNotFoundException);
    expect((deleted as Error).message).toBe('One or more target groups not found');
    const unknown = await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [`${blue}0`] })).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TargetGroupNotFoundException);
  });

  it("answers a denied call with ELB's AccessDenied, naming the action", async () => {
    env.local.setFaults({ deny: ['DescribeTargetGroups'] });
    try {
      const denied = (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [blue] })).catch((e: unknown) => e)) as Error & {
        $metadata?: { httpStatusCode?: number };
      };
      expect(denied).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
      expect(denied.name).toBe('AccessDenied');
      expect(denied.$metadata?.httpStatusCode).toBe(403);
      expect(denied.message).toContain('elasticloadbalancing:DescribeTargetGroups');
    } finally {
      env.local.setFaults({});
    }
  });
});
