/**
 * The conformance layer's own test: known-bad exchanges fed straight to the checker, each caught
 * with the operation, the path in the body and the rule; a good exchange passes; a declared bad
 * request must be refused.
 */
import { describe, expect, it } from 'vitest';
import { ConformanceChecker } from '../../local/conformance/checker.js';
import type { AwsExchange, GitHubExchange } from '../../local/conformance/exchanges.js';

const checker = new ConformanceChecker();

const ECS = 'AmazonEC2ContainerServiceV20141113';
const aws = (target: string, request: unknown, status: number, response: unknown, extra: Partial<AwsExchange> = {}): AwsExchange => ({
  kind: 'aws',
  target,
  requestContentType: 'application/x-amz-json-1.1',
  request,
  status,
  responseContentType: 'application/x-amz-json-1.1',
  response,
  injectedFault: false,
  ...extra,
});
const github = (method: string, path: string, request: unknown, status: number, response: unknown, query = ''): GitHubExchange => ({
  kind: 'github',
  method,
  path,
  query: new URLSearchParams(query),
  request,
  status,
  responseContentType: 'application/json; charset=utf-8',
  response,
  injectedFault: false,
});
const service = { serviceName: 'web', status: 'ACTIVE', desiredCount: 1, createdAt: 1_790_000_000.5 };

describe('the conformance checker catches', () => {
  it('an ISO timestamp where the JSON protocol carries epoch seconds', () => {
    const found = checker.judge(aws(`${ECS}.DescribeServices`, { services: ['web'] }, 200, { services: [{ ...service, createdAt: '2026-12-07T03:00:00Z' }] }));
    expect(found).toEqual([
      expect.objectContaining({ operation: 'ECS DescribeServices', side: 'response', path: '$.services[0].createdAt', rule: 'timestamp' }),
    ]);
  });

  it('an enum value the model does not have', () => {
    const deployment = { id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'SLEEPING' };
    const found = checker.judge(aws(`${ECS}.DescribeServices`, { services: ['web'] }, 200, { services: [{ ...service, deployments: [deployment] }] }));
    expect(found).toEqual([expect.objectContaining({ path: '$.services[0].deployments[0].rolloutState', rule: 'enum' })]);
    expect(found[0]!.message).toContain('COMPLETED, FAILED, IN_PROGRESS');
  });

  it('a missing required member, and a member the model does not have', () => {
    const found = checker.judge(
      aws(
        `${ECS}.UpdateService`,
        {
          service: 'web',
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true, thresholdConfiguration: { failedTaskCount: 3 } } },
        },
        200,
        {},
      ),
    );
    const at = '$.deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration';
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ side: 'request', path: `${at}.type`, rule: 'required' }),
        expect.objectContaining({ side: 'request', path: `${at}.value`, rule: 'required' }),
        expect.objectContaining({ side: 'request', path: `${at}.failedTaskCount`, rule: 'unknown member' }),
      ]),
    );
  });

  it('an error the operation does not declare, and a declared error with the wrong status', () => {
    const undeclared = checker.judge(
      aws(`${ECS}.ListTagsForResource`, { resourceArn: 'arn:aws:ecs:us-east-1:0:service/c/s' }, 400, { __type: 'ServiceNotFoundException', message: 'x' }),
    );
    expect(undeclared).toEqual([expect.objectContaining({ operation: 'ECS ListTagsForResource', path: '__type', rule: 'undeclared error' })]);
    const cloudwatch = {
      target: 'GraniteServiceVersion20100801.SetAlarmState',
      request: { AlarmName: 'a', StateValue: 'ALARM', StateReason: 'r' },
      requestContentType: 'application/x-amz-json-1.0',
      responseContentType: 'application/x-amz-json-1.0',
    };
    const wrongStatus = checker.judge(
      aws(cloudwatch.target, cloudwatch.request, 400, { __type: 'ResourceNotFound', message: 'x' }, { ...cloudwatch, queryError: 'ResourceNotFound;Sender' }),
    );
    expect(wrongStatus).toEqual([expect.objectContaining({ path: 'status', rule: 'error status' })]);
    expect(wrongStatus[0]!.message).toContain('the model gives it 404');
  });

  it('fractional milliseconds where Logs has a long', () => {
    const found = checker.judge(
      aws('Logs_20140328.GetLogEvents', { logGroupName: 'g', logStreamName: 's' }, 200, {
        events: [{ timestamp: 1_790_000_000_000.25, message: 'm', ingestionTime: 1_790_000_000_001 }],
      }),
    );
    expect(found).toEqual([expect.objectContaining({ operation: 'CloudWatch Logs GetLogEvents', path: '$.events[0].timestamp', rule: 'type' })]);
  });

  it('GitHub: a response missing what the description requires, a query parameter it does not have, a body off its enum', () => {
    const pull = checker.judge(github('GET', '/repos/acme/app/pulls/7', undefined, 200, { number: 7, state: 'open', head: { sha: 'a'.repeat(40) } }));
    expect(pull.length).toBeGreaterThan(30);
    expect(pull).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ operation: 'GitHub GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get)', path: '$.user', rule: 'required' }),
      ]),
    );
    const query = checker.judge(github('GET', '/repos/acme/app/deployments', undefined, 200, [], 'environment=prod&colour=blue'));
    expect(query).toEqual([expect.objectContaining({ side: 'request', path: 'query.colour', rule: 'unknown parameter' })]);
    const state = checker.judge(
      github('POST', '/repos/acme/app/deployments/1/statuses', { state: 'bogus' }, 422, {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
      }),
    );
    expect(state).toEqual([expect.objectContaining({ side: 'request', path: '$.state', rule: 'enum' })]);
    const noDocs = checker.judge(github('POST', '/repos/acme/app/deployments', { ref: '' }, 422, { message: 'Invalid request.' }));
    expect(noDocs).toEqual([expect.objectContaining({ side: 'response', path: '$.documentation_url', rule: 'required' })]);
  });

  it('a path no operation of the description has', () => {
    expect(checker.judge(github('GET', '/repos/acme/app/rockets', undefined, 404, { message: 'Not Found' }))).toEqual([
      expect.objectContaining({ rule: 'operation' }),
    ]);
  });
});

describe('the conformance checker accepts', () => {
  it('a conforming exchange, and a declared bad request that is refused', async () => {
    expect(checker.judge(aws(`${ECS}.DescribeServices`, { cluster: 'c', services: ['web'] }, 200, { services: [service], failures: [] }))).toEqual([]);
    const declared = new ConformanceChecker();
    await declared.refusing(async () => {
      declared.observe(aws(`${ECS}.UpdateService`, { service: 'web', propagateTags: 'ALL' }, 400, { __type: 'InvalidParameterException', message: 'x' }));
    });
    expect(declared.drain()).toEqual([]);
  });

  it('but not a declared bad request that was accepted, nor a declaration with nothing bad in it', async () => {
    const declared = new ConformanceChecker();
    await declared.refusing(async () => {
      declared.observe(aws(`${ECS}.UpdateService`, { service: 'web', propagateTags: 'ALL' }, 200, {}));
    });
    await declared.refusing(async () => {
      declared.observe(aws(`${ECS}.UpdateService`, { service: 'web' }, 200, {}));
    });
    expect(declared.drain().map((v) => v.rule)).toEqual(['declared refusal', 'declared refusal']);
  });
});

describe('the conformance checker, on GraphQL exchanges (GitHub schema via graphql-js)', () => {
  const graphql = (query: string, status: number, response: unknown) => ({
    kind: 'github-graphql' as const,
    request: { query },
    status,
    response,
    injectedFault: false,
  });

  it('catches a field the schema lacks, and an invalid query answered without errors', () => {
    const found = checker.judge(graphql('{ repository(owner: "a", name: "b") { deploymentz(first: 1) { totalCount } } }', 200, { data: { repository: null } }));
    expect(found).toEqual([
      expect.objectContaining({ operation: 'GitHub POST /graphql', side: 'request', path: 'query:1:39', rule: 'graphql validation' }),
      expect.objectContaining({ side: 'response', rule: 'error shape', message: 'an invalid query was answered without errors' }),
    ]);
    expect(found[0]!.message).toContain('Cannot query field "deploymentz" on type "Repository"');
  });

  it('passes a valid query answered with data, and a declared bad query refused with errors', async () => {
    expect(checker.judge(graphql('{ rateLimit { cost } }', 200, { data: { rateLimit: { cost: 1 } } }))).toEqual([]);
    const local = new ConformanceChecker();
    await local.refusing(async () =>
      local.observe(graphql('{ nope }', 200, { errors: [{ message: 'Cannot query field "nope" on type "Query".', locations: [] }] })),
    );
    expect(local.drain()).toEqual([]);
    // Accepted (no errors) though it breaks the schema: the layer says the service would refuse it.
    await local.refusing(async () => local.observe(graphql('{ nope }', 200, { data: {} })));
    expect(local.drain().map((v) => v.rule)).toContain('declared refusal');
  });
});
