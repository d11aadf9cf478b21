/**
 * What preflight looks at, read out of a task definition and a service (pure: preflight-subjects.ts):
 * which images are ECR's and how ECS pulls them, which log groups must exist, which target groups,
 * and which role ARNs are well-formed.
 */
import { describe, expect, it } from 'vitest';
import { awslogsGroups, ecrImages, isIamRoleArn, malformedRoleArns, parseEcrImage, serviceTargetGroups } from '../../shared/ecs/preflight-subjects.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('parseEcrImage', () => {
  it.each([
    [`${HOST}/payments-api@${DIGEST}`, { repository: 'payments-api', id: { imageDigest: DIGEST } }],
    [`${HOST}/team/payments-api:1.2.0@${DIGEST}`, { repository: 'team/payments-api', id: { imageDigest: DIGEST } }],
    [`${HOST}/payments-api:1.2.0`, { repository: 'payments-api', id: { imageTag: '1.2.0' } }],
    [`${HOST}/payments-api`, { repository: 'payments-api', id: { imageTag: 'latest' } }],
    [`123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app@${DIGEST}`, { region: 'cn-north-1', repository: 'app' }],
    [`123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:v1`, { region: 'us-gov-west-1', registryId: '123456789012' }],
  ])('%s is in ECR', (image, expected) => {
    expect(parseEcrImage('app', image)).toMatchObject({ container: 'app', image, registryId: '123456789012', region: expect.any(String), ...expected });
  });

  it.each(['acme/app:1', 'nginx', `127.0.0.1:5000/app@${DIGEST}`, 'public.ecr.aws/nginx/nginx:1', `${HOST}/app@sha256:short`, `${HOST}/App:1`, `${HOST}/app:`])(
    '%s is not checked as an ECR image',
    (image) => {
      expect(parseEcrImage('app', image)).toBeUndefined();
    },
  );

  it('reads every container of a document', () => {
    const images = ecrImages({
      containerDefinitions: [
        { name: 'app', image: `${HOST}/app@${DIGEST}` },
        { name: 'sidecar', image: 'acme/log-router:1' },
        { name: 'worker', image: `${HOST}/worker:7` },
      ],
    });
    expect(images.map((i) => [i.container, i.repository, i.id])).toEqual([
      ['app', 'app', { imageDigest: DIGEST }],
      ['worker', 'worker', { imageTag: '7' }],
    ]);
  });
});

describe('awslogsGroups', () => {
  it('lists the groups of awslogs containers that must exist already', () => {
    const groups = awslogsGroups({
      containerDefinitions: [
        { name: 'app', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app', 'awslogs-region': 'eu-west-1' } } },
        { name: 'made', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/made', 'awslogs-create-group': 'true' } } },
        { name: 'side', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/side' } } },
        { name: 'fluent', logConfiguration: { logDriver: 'awsfirelens', options: { Name: 'cloudwatch' } } },
        { name: 'none' },
      ],
    });
    expect(groups).toEqual([
      { container: 'app', group: '/ecs/app', region: 'eu-west-1' },
      { container: 'side', group: '/ecs/side', region: undefined },
    ]);
  });
});

describe('serviceTargetGroups', () => {
  const blue = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/0123456789abcdef';
  const green = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/fedcba9876543210';
  const lbs = [{ targetGroupArn: blue, containerName: 'app', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: green } }];

  it('names the alternate target group only under a native strategy', () => {
    expect(serviceTargetGroups(lbs, 'ROLLING')).toEqual([{ arn: blue, from: 'loadBalancers[0].targetGroupArn', region: 'eu-west-1' }]);
    expect(serviceTargetGroups(lbs, 'BLUE_GREEN').map((t) => t.from)).toEqual([
      'loadBalancers[0].targetGroupArn',
      'loadBalancers[0].advancedConfiguration.alternateTargetGroupArn',
    ]);
    expect(serviceTargetGroups(undefined, 'LINEAR')).toEqual([]);
    expect(serviceTargetGroups([{ loadBalancerName: 'classic', containerName: 'app', containerPort: 80 }], 'ROLLING')).toEqual([]);
  });
});

describe('role ARNs', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/ecsTaskExecutionRole', true],
    ['arn:aws:iam::123456789012:role/service-role/payments+api@prod', true],
    ['arn:aws-cn:iam::123456789012:role/app', true],
    ['arn:aws-us-gov:iam::123456789012:role/app', true],
    ['ecsTaskExecutionRole', false],
    ['arn:aws:iam::12345678901:role/app', false],
    ['arn:aws:iam::123456789012:user/app', false],
    ['arn:aws:iam:eu-west-1:123456789012:role/app', false],
    ['arn:aws:iam::123456789012:role/', false],
    [`arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, false],
  ])('%s → %s', (arn, ok) => {
    expect(isIamRoleArn(arn)).toBe(ok);
  });

  it('names the field and the value of each malformed one', () => {
    expect(malformedRoleArns({ executionRoleArn: 'arn:aws:iam::123456789012:role/exec', taskRoleArn: 'payments-task-role' })).toEqual([
      `The task definition's taskRoleArn "payments-task-role" is not an IAM role ARN: expected arn:aws:iam::<12-digit account>:role/<name> (arn:aws-cn or arn:aws-us-gov in those partitions).`,
    ]);
    expect(malformedRoleArns({ executionRoleArn: '', taskRoleArn: undefined })).toEqual([]);
  });
});
