/**
 * GitHub marks some path parameters `x-multi-segment` (a git ref is `tags/v1`, `heads/a/b`): the
 * checker matches them across slashes, and still judges the answer against the operation.
 */
import { describe, expect, it } from 'vitest';
import { ConformanceChecker } from '../../local/conformance/checker.js';
import type { GitHubExchange } from '../../local/conformance/exchanges.js';

const checker = new ConformanceChecker();
const exchange = (method: string, path: string, request: unknown, status: number, response: unknown): GitHubExchange => ({
  kind: 'github',
  method,
  path,
  query: new URLSearchParams(),
  request,
  status,
  responseContentType: 'application/json; charset=utf-8',
  response,
  injectedFault: false,
});
const sha = 'a'.repeat(40);
const ref = (name: string) => ({
  ref: `refs/${name}`,
  node_id: 'REF_1',
  url: `https://api.github.com/repos/acme/app/git/refs/${name}`,
  object: { type: 'commit', sha, url: `https://api.github.com/repos/acme/app/git/commits/${sha}` },
});

describe('multi-segment path parameters', () => {
  it('a ref with slashes is the operation’s {ref}, read and moved', () => {
    expect(checker.judge(exchange('GET', '/repos/acme/app/git/ref/tags/v1', undefined, 200, ref('tags/v1')))).toEqual([]);
    expect(checker.judge(exchange('PATCH', '/repos/acme/app/git/refs/heads/feature/a', { sha, force: true }, 200, ref('heads/feature/a')))).toEqual([]);
  });

  it('the answer is still judged: a short object.sha breaks git-ref', () => {
    const found = checker.judge(
      exchange('GET', '/repos/acme/app/git/ref/tags/v1', undefined, 200, {
        ...ref('tags/v1'),
        object: { type: 'commit', sha: 'abc', url: 'https://x.invalid/c' },
      }),
    );
    expect(found).toEqual([
      expect.objectContaining({ operation: expect.stringContaining('/git/ref/{ref}'), side: 'response', path: '$.object.sha', rule: 'minLength' }),
    ]);
  });
});
