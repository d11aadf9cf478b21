import { describe, expect, it } from 'vitest';
import { buildOutputFor, dockerBuildArgs, dockerBuildEnv, type BuildSpec } from '../../shared/docker/build-command.js';
import { buildxPushFailure, classifyPushFailure, parsePushDigest } from '../../shared/docker/push.js';
import { looksLikeEcr, parseEcrHost } from '../../shared/core/ecr-host.js';
import { InputError } from '../../shared/core/errors.js';
import { isLoopbackRegistry, parseImageRepository } from '../../shared/image/repository.js';
import { parseChallenge, registryBaseUrl } from '../../shared/image/registry-manifest.js';

describe('image repositories', () => {
  it.each([
    ['127.0.0.1:5000/app', { registry: '127.0.0.1:5000', path: 'app' }],
    ['localhost/team/app', { registry: 'localhost', path: 'team/app' }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', path: 'payments-api' }],
    ['acme/app', { registry: 'docker.io', path: 'acme/app' }],
    ['busybox', { registry: 'docker.io', path: 'library/busybox' }],
    ['ghcr.io/acme/a_b.c--d', { registry: 'ghcr.io', path: 'acme/a_b.c--d' }],
  ])('%s', (value, expected) => {
    expect(parseImageRepository(value)).toEqual({ name: value, ...expected });
  });
  it.each(['127.0.0.1:5000/app:v1', 'app@sha256:abc', 'Acme/App', 'host.io/', 'a//b', 'host.io/-x'])('refuses %s', (value) => {
    expect(() => parseImageRepository(value)).toThrow(InputError);
  });
  it.each([
    ['127.0.0.1:5000', true, 'http://127.0.0.1:5000'],
    ['localhost:5000', true, 'http://localhost:5000'],
    ['registry.example.com', false, 'https://registry.example.com'],
    ['docker.io', false, 'https://registry-1.docker.io'],
  ])('%s: loopback %s, API at %s', (registry, loopback, url) => {
    expect(isLoopbackRegistry(registry)).toBe(loopback);
    expect(registryBaseUrl(registry)).toBe(url);
  });
});

describe('ECR hosts', () => {
  it.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', { accountId: '123456789012', region: 'eu-west-1' }, true],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', { accountId: '123456789012', region: 'us-gov-west-1' }, true],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', { accountId: '123456789012', region: 'cn-north-1' }, true],
    ['123456789012.dkr-ecr.eu-central-1.on.aws', { accountId: '123456789012', region: 'eu-central-1' }, true],
    ['123456789012.dkr.ecr.amazonaws.com', undefined, true],
    ['12345.dkr.ecr.eu-west-1.amazonaws.com', undefined, true],
    ['127.0.0.1:5000', undefined, false],
    ['ecr.example.com', undefined, false],
  ])('%s', (host, parsed, looks) => {
    expect(parseEcrHost(host)).toEqual(parsed);
    expect(looksLikeEcr(host)).toBe(looks);
  });
});

describe('build arguments', () => {
  const base: BuildSpec = {
    builder: 'classic',
    configDir: '/tmp/cfg',
    context: '/ws',
    file: '/ws/Dockerfile',
    buildArgs: new Map([['TOKEN_URL', 'https://x/?a=b=c']]),
    labels: new Map([['org.opencontainers.image.revision', 'abc']]),
    tags: ['r/app:1', 'r/app:latest'],
    platforms: [],
    cacheFrom: [],
    cacheTo: [],
    output: 'load',
    iidFile: '/tmp/iid',
  };
  const common = ['--file', '/ws/Dockerfile', '--iidfile', '/tmp/iid'];
  const rest = ['--build-arg', 'TOKEN_URL=https://x/?a=b=c', '--label', 'org.opencontainers.image.revision=abc', '--tag', 'r/app:1', '--tag', 'r/app:latest'];
  const buildx = ['--config', '/tmp/cfg', 'buildx', 'build', ...common, '--progress', 'plain', ...rest];
  const buildkit = ['--config', '/tmp/cfg', 'build', ...common, '--progress', 'plain', ...rest];
  it.each<[string, Partial<BuildSpec>, string[]]>([
    ['classic', {}, ['--config', '/tmp/cfg', 'build', '--force-rm', ...common, ...rest, '--', '/ws']],
    ['classic with a target', { target: 'prod' }, ['--config', '/tmp/cfg', 'build', '--force-rm', ...common, '--target', 'prod', ...rest, '--', '/ws']],
    ['buildx, loaded', { builder: 'buildx', metadataFile: '/tmp/m.json' }, [...buildx, '--load', '--metadata-file', '/tmp/m.json', '--', '/ws']],
    [
      'buildx, multi-platform push with caches',
      { builder: 'buildx', platforms: ['linux/amd64', 'linux/arm64'], cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'], output: 'push' },
      [...buildx, '--cache-from', 'type=gha', '--platform', 'linux/amd64,linux/arm64', '--cache-to', 'type=gha,mode=max', '--push', '--', '/ws'],
    ],
    [
      'buildx, not pushed, multi-platform',
      { builder: 'buildx', platforms: ['linux/amd64', 'linux/arm64'], output: 'cache-only' },
      [...buildx, '--platform', 'linux/amd64,linux/arm64', '--', '/ws'],
    ],
    [
      'built-in BuildKit: secrets as files, ssh, registry cache source, inline cache export',
      {
        builder: 'buildkit',
        secrets: [{ id: 'npm', file: '/tmp/s/npm' }],
        ssh: ['default'],
        cacheFrom: ['r/app:cache'],
        cacheTo: ['type=inline'],
      },
      [
        ...buildkit,
        '--secret',
        'id=npm,src=/tmp/s/npm',
        '--ssh',
        'default',
        '--cache-from',
        'r/app:cache',
        '--build-arg',
        'BUILDKIT_INLINE_CACHE=1',
        '--',
        '/ws',
      ],
    ],
    [
      'buildx with attestations and a secret',
      { builder: 'buildx', secrets: [{ id: 'npm', file: '/tmp/s/npm' }], provenance: 'mode=max', sbom: 'true', output: 'push' },
      [...buildx, '--secret', 'id=npm,src=/tmp/s/npm', '--provenance=mode=max', '--sbom=true', '--push', '--', '/ws'],
    ],
    [
      'classic ignores nothing silently: BuildKit-only fields never reach it (the action refuses them first)',
      { secrets: [{ id: 'npm', file: '/tmp/s/npm' }] },
      ['--config', '/tmp/cfg', 'build', '--force-rm', ...common, ...rest, '--', '/ws'],
    ],
  ])('%s', (_name, change, expected) => {
    expect(dockerBuildArgs({ ...base, ...change })).toEqual(expected);
  });
  it('buildx pushes itself when attestations are asked for (a load would drop them)', () => {
    expect(buildOutputFor('buildx', [], true, true)).toBe('push');
    expect(buildOutputFor('buildkit', [], true, true)).toBe('load');
  });
  it.each([
    ['classic', [], true, 'load'],
    ['buildx', [], true, 'load'],
    ['buildx', ['linux/amd64'], true, 'load'],
    ['buildx', ['linux/amd64', 'linux/arm64'], true, 'push'],
    ['buildx', ['linux/amd64', 'linux/arm64'], false, 'cache-only'],
  ] as const)('%s %j push=%s → %s', (builder, platforms, push, output) => {
    expect(buildOutputFor(builder, platforms, push)).toBe(output);
  });
  it('turns BuildKit off for the classic builder and on for buildx', () => {
    expect(dockerBuildEnv('classic', { DOCKER_BUILDKIT: '1' }).DOCKER_BUILDKIT).toBe('0');
    expect(dockerBuildEnv('buildx', {}).DOCKER_BUILDKIT).toBe('1');
    expect(dockerBuildEnv('buildkit', { DOCKER_BUILDKIT: '0' }).DOCKER_BUILDKIT).toBe('1');
  });
});

describe('push output', () => {
  it.each([
    ['unauthorized: authentication required', 'auth'],
    ['denied: requested access to the resource is denied', 'auth'],
    ['no basic auth credentials', 'auth'],
    ["name unknown: The repository with name 'x' does not exist in the registry", 'missing-repository'],
    ['received unexpected HTTP status: 503 Service Unavailable', 'transient'],
    ['dial tcp 127.0.0.1:5000: connect: connection refused', 'transient'],
    ['net/http: TLS handshake timeout', 'transient'],
  ])('%s → %s', (output, kind) => {
    expect(classifyPushFailure(output)).toBe(kind);
  });
  it.each([
    ['ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2', undefined],
    ['ERROR: failed to push r/app:1: failed to do request: Put "https://r/v2/app/blobs/uploads/x": dial tcp: i/o timeout', 'transient'],
    ['ERROR: failed to push r/app:1: unexpected status from PUT request to https://r/v2/app/manifests/1: 503 Service Unavailable', 'transient'],
    ['ERROR: failed to push r/app:1: failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized', 'auth'],
  ])('buildx: %s → %s', (output, kind) => {
    expect(buildxPushFailure(output)).toBe(kind);
  });
  it('reads the digest line', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(parsePushDigest(`x: Pushed\nlatest: digest: ${d} size: 528\n`)).toEqual({ digest: d, size: 528 });
    expect(parsePushDigest('nothing')).toBeUndefined();
  });
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"',
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:a/b:pull' } },
    ],
    ['Basic realm="Registry Realm"', { scheme: 'basic', params: { realm: 'Registry Realm' } }],
    [null, undefined],
  ])('challenge %s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
});
