/**
 * preflight() called directly against the emulator through the real SDK clients: clients are made
 * only when a check needs one, problems are collected, a check whose API fails warns (never
 * refuses), and settlePreflight refuses with every problem or, for a rollback, only warns.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand } from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../shared/core/errors.js';
import { preflight, settlePreflight, type PreflightClients } from '../../shared/ecs/preflight.js';
import { registerAppRevisions, withLocalEcs, type LocalEcsEnv } from '../helpers/local-ecs.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { uniqueName } from '../helpers/stack.js';

let env: LocalEcsEnv;
const made: string[] = [];
const created: { destroy(): void }[] = [];
let clients: PreflightClients;
const TG = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${uniqueName('tg')}/0123456789abcdef`;

beforeAll(async () => {
  // No registry: ECR cannot answer, which is a check that cannot run.
  env = await withLocalEcs({ timeScale: 20 });
  const config = { endpoint: env.local.endpoint, region: env.local.region, credentials: env.local.credentials, maxAttempts: 1 };
  clients = {
    ecr: recorded('ecr', () => new ECRClient(config)),
    logs: recorded('logs', () => new CloudWatchLogsClient(config)),
    elbv2: recorded('elbv2', () => new ElasticLoadBalancingV2Client(config)),
  };

  const cluster = uniqueName('c');
  const family = uniqueName('fam');
  await env.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  await registerAppRevisions(env.ecs, family, ['acme/app:1']);
  await env.ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: 'svc',
      taskDefinition: family,
      desiredCount: 0,
      loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
    }),
  );
});
afterAll(async () => {
  for (const client of created) client.destroy();
  await env?.stop();
});

/** A client factory that notes each client it makes (preflight makes one only when a check needs it). */
function recorded<T extends { destroy(): void }>(name: string, make: () => T): () => Promise<T> {
  return async () => {
    made.push(name);
    const client = make();
    created.push(client);
    return client;
  };
}

const where = 'c/svc';

describe('preflight()', () => {
  it('makes no client when nothing needs checking', async () => {
    made.length = 0;
    const result = await preflight(
      { document: { containerDefinitions: [{ name: 'app', image: 'acme/app:2' }] }, loadBalancers: [], strategy: 'ROLLING', where },
      clients,
    );
    expect(result).toEqual({ passed: [], problems: [], warnings: [] });
    expect(made).toEqual([]);
  });

  it('collects every problem, warns for a check that cannot run, and settles by mode', async () => {
    made.length = 0;
    env.local.deleteTargetGroup(TG);
    const result = await preflight(
      {
        document: {
          taskRoleArn: 'payments-task',
          containerDefinitions: [
            {
              name: 'app',
              image: `000000000000.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${'1'.repeat(64)}`,
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/none', 'awslogs-region': 'us-east-1' } },
            },
          ],
        },
        loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 8080 }],
        strategy: 'ROLLING',
        where,
      },
      clients,
    );
    expect(made.sort()).toEqual(['ecr', 'elbv2', 'logs']);
    expect(result.problems).toEqual([
      `The task definition's taskRoleArn "payments-task" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).`,
      `Container 'app' logs with awslogs to CloudWatch Logs group '/ecs/none' (awslogs-region us-east-1), which does not exist: create it, or set the awslogs-create-group option to "true".`,
      `The target group ${TG} (the service's loadBalancers[0].targetGroupArn) of ${where} does not exist in Elastic Load Balancing.`,
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Could not check that container 'app' image \S+ exists \(ecr:BatchGetImage failed: ServerException: /),
    ]);

    const refused = (() => {
      try {
        settlePreflight(result, 'refuse', new MemoryLogger(), where);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toBe(
      `Preflight refused the deploy of ${where} on 3 problems; nothing was changed:\n${result.problems.map((p) => `- ${p}`).join('\n')}`,
    );

    const logger = new MemoryLogger();
    settlePreflight(result, 'warn', logger, where);
    expect(logger.annotations.filter((a) => a.level === 'warning').length).toBe(4);
    expect(logger.annotations.at(-1)?.message).toContain('(A rollback goes on regardless: it may fail on this.)');
  });
});
