import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalGitHubApi, type LocalGitHubApi } from '../../local/github-api/index.js';
import { openGitHubClient } from '../../shared/github/client.js';
import { silentLogger } from '../../shared/core/logger.js';
import { refusedByModel } from '../helpers/conformance.js';

/**
 * The stand-in's POST /graphql: queries are validated against GitHub's published schema by the
 * reference implementation and executed over the stored deployments (local/github-api/graphql.ts).
 */
const REPO = 'acme/payments-api';
let github: LocalGitHubApi;

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers, read as the test asserts them
async function post(body: unknown, token = 'ghs_test'): Promise<{ status: number; json: any }> {
  const res = await fetch(`${github.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

const PAGE = `query ($owner: String!, $name: String!, $environments: [String!], $after: String, $first: Int!) {
  rateLimit { cost remaining }
  repository(owner: $owner, name: $name) {
    deployments(environments: $environments, first: $first, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { databaseId environment createdAt commitOid payload creator { __typename login } statuses(first: 100) { nodes { state description createdAt logUrl } } }
    }
  }
}`;

beforeAll(async () => {
  github = await startLocalGitHubApi({ token: 'ghs_test', withoutDeploymentsTokens: ['ghs_nodeploy'] });
  for (let i = 0; i < 5; i++) {
    github.seedDeployment(REPO, {
      environment: i % 2 === 0 ? 'production' : 'staging',
      sha: String(i).repeat(40),
      payload: { kind: 'deploy', n: i },
      createdAt: `2026-11-0${i + 1}T10:00:00Z`,
      statuses: [
        { state: 'in_progress', createdAt: `2026-11-0${i + 1}T10:01:00Z` },
        {
          state: 'success',
          description: 'ok [outcome=succeeded served=yes]',
          createdAt: `2026-11-0${i + 1}T10:05:00Z`,
          logUrl: `https://github.com/${REPO}/actions/runs/${i}`,
        },
      ],
    });
  }
  github.seedDeployment(REPO, { environment: 'production', sha: 'f'.repeat(40), createdAt: '2026-11-07T10:00:00Z', creator: 'mallory' });
});
afterAll(() => github.stop());

describe('POST /graphql', () => {
  it('rejects a query that does not parse, with GitHub error shape (message, locations) and no data', async () => {
    const { status, json } = await refusedByModel(() => post({ query: '{ repository(owner: "acme", name: "x") { deployments(first: 1) { nodes { id } }' }));
    expect(status).toBe(200);
    expect(json.data).toBeUndefined();
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].message).toMatch(/Syntax Error/);
    expect(json.errors[0].locations[0]).toEqual({ line: 1, column: expect.any(Number) });
  });

  it('rejects a field that is not in GitHub schema (checked by the schema, not by a list of ours)', async () => {
    const { json } = await refusedByModel(() =>
      post({ query: '{ repository(owner: "acme", name: "x") { deployments(first: 1) { nodes { updatedTime } } } }' }),
    );
    expect(json.data).toBeUndefined();
    expect(json.errors.map((e: { message: string }) => e.message)).toEqual([
      'Cannot query field "updatedTime" on type "Deployment". Did you mean "updatedAt"?',
    ]);
    // An argument of the wrong type, and a variable never declared, are the schema's word too.
    const wrongType = await refusedByModel(() => post({ query: '{ repository(owner: 1, name: "x") { id } }' }));
    expect(wrongType.json.errors[0].message).toMatch(/String cannot represent a non string value: 1/);
  });

  it('serves deployments newest first with statuses timed by created_at, bots as GraphQL names them, and pages by cursor', async () => {
    const first = await post({ query: PAGE, variables: { owner: 'acme', name: 'payments-api', environments: ['production'], first: 2 } });
    expect(first.json.errors).toBeUndefined();
    const page = first.json.data.repository.deployments;
    expect(page.totalCount).toBe(4);
    expect(page.nodes.map((n: { createdAt: string }) => n.createdAt)).toEqual(['2026-11-07T10:00:00Z', '2026-11-05T10:00:00Z']);
    expect(page.nodes[0].creator).toEqual({ __typename: 'User', login: 'mallory' });
    // GraphQL names a bot without REST's `[bot]`.
    expect(page.nodes[1].creator).toEqual({ __typename: 'Bot', login: 'github-actions' });
    expect(JSON.parse(page.nodes[1].payload)).toEqual({ kind: 'deploy', n: 4 });
    expect(page.nodes[1].statuses.nodes).toEqual([
      { state: 'IN_PROGRESS', description: '', createdAt: '2026-11-05T10:01:00Z', logUrl: null },
      {
        state: 'SUCCESS',
        description: 'ok [outcome=succeeded served=yes]',
        createdAt: '2026-11-05T10:05:00Z',
        logUrl: `https://github.com/${REPO}/actions/runs/4`,
      },
    ]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(first.json.data.rateLimit.cost).toBe(1);
    const second = await post({
      query: PAGE,
      variables: { owner: 'acme', name: 'payments-api', environments: ['production'], first: 2, after: page.pageInfo.endCursor },
    });
    const rest = second.json.data.repository.deployments;
    expect(rest.nodes.map((n: { databaseId: number }) => n.databaseId)).toHaveLength(2);
    expect(rest.nodes.map((n: { createdAt: string }) => n.createdAt)).toEqual(['2026-11-03T10:00:00Z', '2026-11-01T10:00:00Z']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(second.json.data.rateLimit.remaining).toBeLessThan(first.json.data.rateLimit.remaining);
  });

  it('holds pages to GitHub limits: first over 100, or no first/last, is an error', async () => {
    const over = await post({ query: PAGE, variables: { owner: 'acme', name: 'payments-api', first: 101 } });
    expect(over.json.data.repository).toBeNull();
    expect(over.json.errors[0]).toMatchObject({
      type: 'EXCESSIVE_PAGINATION',
      message: 'Requesting 101 records on the `deployments` connection exceeds the `first` limit of 100 records.',
      path: ['repository', 'deployments'],
    });
    const none = await post({ query: '{ repository(owner: "acme", name: "payments-api") { deployments { totalCount } } }' });
    expect(none.json.errors[0].type).toBe('MISSING_PAGINATION_BOUNDARIES');
  });

  it('answers FORBIDDEN to a token without deployments: read, and counts GraphQL requests through the one client', async () => {
    const { json } = await post({ query: PAGE, variables: { owner: 'acme', name: 'payments-api', first: 1 } }, 'ghs_nodeploy');
    expect(json.errors[0]).toMatchObject({ type: 'FORBIDDEN', message: 'Resource not accessible by integration' });
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger });
    const data = await client.octokit.graphql<{ rateLimit: { cost: number } }>('query { rateLimit { cost } }');
    expect(data.rateLimit.cost).toBe(1);
    expect(client.requests).toEqual(['POST /graphql']);
    expect(github.requests.at(-1)).toBe('POST /graphql');
  });

  it('a read-only client sends queries without the write pause, and refuses a mutation or a write before sending it', async () => {
    const client = await openGitHubClient({ token: 'ghs_test', apiUrl: github.url, logger: silentLogger, readOnly: true });
    const started = Date.now();
    for (let i = 0; i < 3; i++) await client.octokit.graphql('query { rateLimit { cost } }');
    // The throttling plugin would hold GraphQL requests a second apart (as writes): 2 s at least.
    expect(Date.now() - started).toBeLessThan(1_500);
    const sent = github.requests.length;
    await expect(client.octokit.graphql('mutation { addStar(input: {starrableId: "x"}) { clientMutationId } }')).rejects.toThrow(/read-only GitHub client/);
    await expect(client.octokit.request('POST /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'x', ref: 'main' })).rejects.toThrow(
      /read-only GitHub client/,
    );
    expect(github.requests.length).toBe(sent);
    expect(client.requests).toHaveLength(3);
  });
});
