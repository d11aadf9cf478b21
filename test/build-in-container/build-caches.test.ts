import { describe, expect, it } from 'vitest';
import { cacheTrustScope, mergeCacheEnv, resolveBuildCaches } from '../../shared/container/build-caches.js';

const where = { home: '/__ctp/home', key: 'acme/payments-api', user: '1001:121' };

describe('resolveBuildCaches: presets and paths → volumes', () => {
  it.each<[string, string, Record<string, string>]>([
    ['maven', '/__ctp/home/.m2/repository', { MAVEN_OPTS: '-Dmaven.repo.local=/__ctp/home/.m2/repository' }],
    ['gradle', '/__ctp/home/.gradle', { GRADLE_USER_HOME: '/__ctp/home/.gradle' }],
    ['npm', '/__ctp/home/.npm', { npm_config_cache: '/__ctp/home/.npm' }],
    ['pip', '/__ctp/home/.cache/pip', { PIP_CACHE_DIR: '/__ctp/home/.cache/pip' }],
    ['/opt/cache/', '/opt/cache', {}],
  ])('%s', (given, target, env) => {
    const [cache] = resolveBuildCaches([given], where);
    expect(cache).toMatchObject({ given, target, env });
    expect(cache!.source).toMatch(/^ctp-cache-acme-payments-api-(maven|gradle|npm|pip|path)-[0-9a-f]{12}$/);
  });

  it('names volumes by key, path and user, so another project or uid never shares one', () => {
    const [a] = resolveBuildCaches(['maven'], where);
    const [b] = resolveBuildCaches(['maven'], { ...where, key: 'acme/other' });
    const [c] = resolveBuildCaches(['maven'], { ...where, user: '0:0' });
    const [d] = resolveBuildCaches(['maven'], where);
    expect(new Set([a!.source, b!.source, c!.source]).size).toBe(3);
    expect(d!.source).toBe(a!.source);
  });

  it("host storage: a preset at the tool's place in the runner's HOME, a path under the tool cache (else ~/.cache)", () => {
    const host = { ...where, storage: 'host' as const, hostHome: '/home/runner', toolCache: '/opt/hostedtoolcache' };
    const [maven, npm, tool] = resolveBuildCaches(['maven', 'npm', '/opt/tool'], host);
    expect(maven).toMatchObject({ storage: 'host', source: '/home/runner/.m2/repository', target: '/__ctp/home/.m2/repository' });
    expect(npm).toMatchObject({ source: '/home/runner/.npm' });
    expect(tool!.source).toMatch(/^\/opt\/hostedtoolcache\/commit-to-prod-caches\/ctp-cache-acme-payments-api-path-[0-9a-f]{12}$/);
    const [noToolCache] = resolveBuildCaches(['/opt/tool'], { ...host, toolCache: undefined as unknown as string });
    expect(noToolCache!.source).toMatch(/^\/home\/runner\/\.cache\/commit-to-prod-caches\//);
    expect(() => resolveBuildCaches(['maven'], { ...where, storage: 'host' })).toThrow(/runner's HOME/);
  });

  it.each([['maven2'], ['relative/path'], ['/']])('refuses %j', (given) => {
    expect(() => resolveBuildCaches([given], where)).toThrow(/preset|root/);
  });

  it("joins MAVEN_OPTS with the user's, and lets the user override the rest", () => {
    const caches = resolveBuildCaches(['maven', 'npm'], where);
    expect(mergeCacheEnv(caches, { MAVEN_OPTS: '-Xmx1g', npm_config_cache: '/mine' })).toEqual({
      MAVEN_OPTS: '-Dmaven.repo.local=/__ctp/home/.m2/repository -Xmx1g',
      npm_config_cache: '/mine',
    });
  });
});

describe('build caches across trust levels (self-hosted runners)', () => {
  it('a pull request, a branch and a pull_request_target run get different volumes; one scope reuses its own', () => {
    const location = { home: '/__ctp/home', key: 'acme/payments-api', user: '1001:1001' };
    const volume = (env: NodeJS.ProcessEnv) => resolveBuildCaches(['maven'], { ...location, ...scopeOf(env) })[0]!.source;
    const main = volume({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'push' });
    const pr = volume({ GITHUB_REF: 'refs/pull/7/merge', GITHUB_EVENT_NAME: 'pull_request' });
    const target = volume({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'pull_request_target' });
    expect(new Set([main, pr, target]).size).toBe(3);
    expect(volume({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'workflow_dispatch' })).toBe(main);
    expect(cacheTrustScope({ GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_NAME: 'workflow_run' })).toBe('workflow_run:refs/heads/main');
  });
});

function scopeOf(env: NodeJS.ProcessEnv): { scope?: string } {
  const scope = cacheTrustScope(env);
  return scope === undefined ? {} : { scope };
}
