import { describe, expect, it } from 'vitest';
import { mergeCacheEnv, resolveBuildCaches } from '../../shared/container/build-caches.js';

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
    expect(cache!.volume).toMatch(/^ctp-cache-acme-payments-api-(maven|gradle|npm|pip|path)-[0-9a-f]{12}$/);
  });

  it('names volumes by key, path and user, so another project or uid never shares one', () => {
    const [a] = resolveBuildCaches(['maven'], where);
    const [b] = resolveBuildCaches(['maven'], { ...where, key: 'acme/other' });
    const [c] = resolveBuildCaches(['maven'], { ...where, user: '0:0' });
    const [d] = resolveBuildCaches(['maven'], where);
    expect(new Set([a!.volume, b!.volume, c!.volume]).size).toBe(3);
    expect(d!.volume).toBe(a!.volume);
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
