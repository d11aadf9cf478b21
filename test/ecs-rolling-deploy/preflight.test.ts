/**
 * Preflight through ecs-rolling-deploy's bundle on the emulator (ECR backed by the real local
 * registry, CloudWatch Logs, ELBv2): a missing image digest, a missing log group and a missing
 * alternate target group each refuse the deploy in one sentence before any write (the emulator's
 * call log shows only reads); problems are reported together; a check the role may not run warns,
 * naming the permission, and the deploy goes on.
 */
import { randomBytes } from 'node:crypto';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRegistry } from '../helpers/local-ecs.js';
import { deleteManifests, pushTinyImage } from '../helpers/registry-images.js';
import { uniqueName } from '../helpers/stack.js';
import { deployAction, describe1, startDeployFixture, steadyService, type DeployFixture } from './fixture.js';

const registry = localRegistry();
const id = randomBytes(4).toString('hex');
const repo = `ctp-test/preflight-${id}`;
const ECR = '000000000000.dkr.ecr.us-east-1.amazonaws.com';
const ABSENT = `sha256:${'0'.repeat(64)}`;
const GROUP = `/ecs/preflight-${id}`;
let f: DeployFixture;
let logs: CloudWatchLogsClient;
let digest: string;
let image: string;

beforeAll(async () => {
  f = await startDeployFixture({ timeScale: 20, registry, defaultBehaviour: { startMs: 1_000, healthyAfterMs: 500 } });
  digest = await pushTinyImage(registry, repo, 'v1', `preflight ${id}`);
  image = `${ECR}/${repo}@${digest}`;
  logs = new CloudWatchLogsClient({ endpoint: f.local.endpoint, region: f.local.region, credentials: f.local.credentials, maxAttempts: 1 });
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
});
afterAll(async () => {
  logs?.destroy();
  await f?.stop();
  await deleteManifests(registry, repo, digest ? [digest] : []);
});

const awslogs = {
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'app' } },
};

/** The calls that change something, made since `from` (the emulator logs every call). */
function writesSince(from: number): string[] {
  return f.calls
    .slice(from)
    .map((c) => c.operation)
    .filter((op) => /^(Register|Update|Create|Tag|Untag|Put|Run|Start|Stop|Delete|Deregister)/.test(op));
}

function readsSince(from: number): string[] {
  return f.calls.slice(from).map((c) => c.operation);
}

describe('preflight', () => {
  it('refuses an image digest its ECR repository does not have, before anything is registered', async () => {
    const s = await steadyService(f, { image, containerExtra: awslogs });
    const from = f.calls.length;
    const r = await deployAction(f, s, { 'container-images': `app=${ECR}/${repo}@${ABSENT}` });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.log).toContain(
      `Preflight refused the deploy of ${s.cluster}/${s.service}; nothing was changed. Container 'app' image ${ECR}/${repo}@${ABSENT} is not in ECR repository '${repo}' (registry 000000000000, us-east-1): no image with digest ${ABSENT} (ImageNotFound).`,
    );
    expect(readsSince(from)).toContain('BatchGetImage');
    expect(writesSince(from)).toEqual([]);
    expect((await describe1(f, s.cluster, s.service)).taskDefinition).toBe(s.taskDefinitionArn);
  });

  it('refuses an awslogs log group that does not exist, naming the container and the group', async () => {
    const s = await steadyService(f, { image, containerExtra: awslogs });
    const missing = `/ecs/preflight-missing-${id}`;
    const from = f.calls.length;
    const r = await deployAction(f, s, { 'log-options': `app.awslogs-group=${missing}` });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.log).toContain(
      `Container 'app' logs with awslogs to CloudWatch Logs group '${missing}' (awslogs-region us-east-1), which does not exist: create it, or set the awslogs-create-group option to "true".`,
    );
    expect(readsSince(from)).toContain('DescribeLogGroups');
    expect(writesSince(from)).toEqual([]);
  });

  it('refuses a BLUE_GREEN deploy whose alternate target group is gone, naming where the service names it', async () => {
    const tg = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/pf-blue-${id}/0123456789abcdef`;
    const alt = `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/pf-green-${id}/fedcba9876543210`;
    const loadBalancers = [
      {
        targetGroupArn: tg,
        containerName: 'app',
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: alt,
          productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/1/2/3',
          roleArn: 'arn:aws:iam::000000000000:role/ecs-elb',
        },
      },
    ];
    const s = await steadyService(f, {
      image: 'acme/app:1',
      extra: { deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }, loadBalancers },
    });
    f.local.deleteTargetGroup(alt);
    const from = f.calls.length;
    const r = await deployAction(f, s, { 'container-images': 'app=acme/app:2' });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.log).toContain(
      `The target group ${alt} (the service's loadBalancers[0].advancedConfiguration.alternateTargetGroupArn, which the BLUE_GREEN strategy shifts traffic to) of ${s.cluster}/${s.service} does not exist in Elastic Load Balancing.`,
    );
    // The production target group is there and said so.
    expect(r.log).toContain(`ok: target group ${tg} (the service's loadBalancers[0].targetGroupArn) exists`);
    expect(writesSince(from)).toEqual([]);
  });

  it('reports every problem at once', async () => {
    const s = await steadyService(f, { image, containerExtra: awslogs });
    const from = f.calls.length;
    const r = await deployAction(f, s, {
      'container-images': `app=${ECR}/${repo}@${ABSENT}`,
      'log-options': `app.awslogs-group=/ecs/preflight-gone-${id}`,
    });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.log).toContain(`Preflight refused the deploy of ${s.cluster}/${s.service} on 2 problems; nothing was changed:`);
    expect(r.log).toContain(`no image with digest ${ABSENT} (ImageNotFound).`);
    expect(r.log).toContain(`CloudWatch Logs group '/ecs/preflight-gone-${id}'`);
    expect(writesSince(from)).toEqual([]);
  });

  it('warns when the role may not run a check, naming the permission, and deploys', async () => {
    const s = await steadyService(f, { image, containerExtra: awslogs });
    f.local.setFaults({ deny: ['BatchGetImage', 'DescribeLogGroups'] });
    try {
      const next = await pushTinyImage(registry, repo, `v2-${uniqueName('t')}`, `preflight ${id} next`);
      const r = await deployAction(f, s, { 'container-images': `app=${ECR}/${repo}@${next}` });
      await deleteManifests(registry, repo, [next]);
      expect(r.exitCode, r.log).toBe(0);
      expect(r.outputs.status).toBe('succeeded');
      expect(r.log).toMatch(
        /Warning: Could not check that container 'app' image \S+ exists: the role may not call ecr:BatchGetImage \(AccessDeniedException: /,
      );
      expect(r.log).toMatch(
        /Warning: Could not check that CloudWatch Logs group '[^']+' \(awslogs-region us-east-1\) of container 'app' exists: the role may not call logs:DescribeLogGroups/,
      );
    } finally {
      f.local.setFaults({});
    }
  });
});
