import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pushTag } from '../../shared/docker/push.js';
import { UserError } from '../../shared/core/errors.js';
import { readManifest } from '../../shared/image/registry-manifest.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { localStack, uniqueName } from '../helpers/stack.js';
import { fakeClock } from '../helpers/fake-clock.js';

const stack = localStack();
const cleanup: (() => void)[] = [];
afterAll(() => {
  for (const f of cleanup) f();
});

function tagged(reference: string): string {
  execFileSync('docker', ['tag', stack.baseImage, reference]);
  cleanup.push(() => spawnSync('docker', ['image', 'rm', reference], { stdio: 'ignore' }));
  return reference;
}

describe('docker push of one tag (real engine)', () => {
  it('a registry that refuses is not retried and is named, with who was refused', async () => {
    const config = mkdtempSync(path.join(tmpdir(), 'ctp-bpi-empty-config-'));
    cleanup.push(() => rmSync(config, { recursive: true, force: true }));
    const ref = tagged(`${stack.registry}/bpi/${uniqueName('refused')}:t`);
    const clock = fakeClock();
    const error = await pushTag(ref, { configDir: config, registry: stack.registry, logger: new MemoryLogger(), clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Registry 127\\.0\\.0\\.1:5000 refused the push of ${ref.replace(/\./g, '\\.')} by the runner.s own Docker login \\(no credentials were given\\): .*(no basic auth credentials|unauthorized)`,
      ),
    );
    expect(clock.sleeps.length).toBe(0);
  });

  it('a registry that does not answer is retried with backoff, then reported with the attempt count', async () => {
    const ref = tagged(`127.0.0.1:1/bpi/${uniqueName('down')}:t`);
    const logger = new MemoryLogger();
    const clock = fakeClock();
    const config = mkdtempSync(path.join(tmpdir(), 'ctp-bpi-cfg-'));
    cleanup.push(() => rmSync(config, { recursive: true, force: true }));
    const error = await pushTag(ref, { configDir: config, registry: '127.0.0.1:1', username: 'u', logger, attempts: 3, clock }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Could not push 127\.0\.0\.1:1\/bpi\/.* to 127\.0\.0\.1:1 after 3 attempts: .*connection refused/);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(logger.annotations.map((a) => a.level)).toEqual(['warning', 'warning']);
  });
});

/** A registry with token auth, like Docker Hub or GHCR: 401 + Bearer challenge, a token endpoint. */
function tokenAuthRegistry(manifest: string, options: { failFirst?: number; digestHeader?: string }) {
  let failures = options.failFirst ?? 0;
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.method} ${url.pathname} ${req.headers.authorization ?? '-'}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== `Basic ${Buffer.from('robot:s3cret-token').toString('base64')}`) return void res.writeHead(401).end();
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `tok-for-${url.searchParams.get('scope')}` }));
    }
    if (failures-- > 0) return void res.writeHead(503).end();
    if (req.headers.authorization !== 'Bearer tok-for-repository:acme/app:pull') {
      const { port } = server.address() as AddressInfo;
      return void res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="test",scope="repository:acme/app:pull"` })
        .end();
    }
    const digest = options.digestHeader ?? `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json', 'docker-content-digest': digest }).end(manifest);
  });
  return new Promise<{ registry: string; seen: string[]; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ registry: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() })),
  );
}

describe('reading a manifest back through the registry API', () => {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { digest: 'sha256:c', size: 100 },
    layers: [{ size: 1000 }, { size: 24 }],
  });
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;

  it('follows a Bearer challenge with the credentials and retries a 503', async () => {
    const reg = await tokenAuthRegistry(manifest, { failFirst: 1 });
    try {
      const clock = fakeClock();
      const result = await readManifest({ name: `${reg.registry}/acme/app`, registry: reg.registry, path: 'acme/app' }, 'v1', {
        credentials: { username: 'robot', password: 's3cret-token' },
        clock,
      });
      expect(result).toEqual({ digest, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', size: 1124, configDigest: 'sha256:c' });
      expect(clock.sleeps).toEqual([500]);
      expect(reg.seen.some((l) => l.startsWith('GET /token '))).toBe(true);
    } finally {
      reg.close();
    }
  });

  it('refuses a registry whose digest header does not match the bytes', async () => {
    const reg = await tokenAuthRegistry(manifest, { digestHeader: `sha256:${'0'.repeat(64)}` });
    try {
      await expect(
        readManifest({ name: `${reg.registry}/acme/app`, registry: reg.registry, path: 'acme/app' }, 'v1', {
          credentials: { username: 'robot', password: 's3cret-token' },
        }),
      ).rejects.toThrow(new RegExp(`Docker-Content-Digest sha256:0{64}, but its bytes hash to ${digest}`));
    } finally {
      reg.close();
    }
  });

  it('names the registry and user that refused the read', async () => {
    const reg = await tokenAuthRegistry(manifest, {});
    try {
      await expect(
        readManifest({ name: `${reg.registry}/acme/app`, registry: reg.registry, path: 'acme/app' }, 'v1', {
          credentials: { username: 'robot', password: 'wrong' },
        }),
      ).rejects.toThrow(`Registry ${reg.registry} refused user 'robot' reading back acme/app:v1 (HTTP 401).`);
    } finally {
      reg.close();
    }
  });

  it('reads the real local registry with htpasswd basic auth', async () => {
    const missing = `bpi/${uniqueName('none')}`;
    await expect(
      readManifest({ name: `${stack.registry}/${missing}`, registry: stack.registry, path: missing }, 'latest', {
        credentials: { username: stack.username, password: stack.password },
      }),
    ).rejects.toThrow(`Registry ${stack.registry} has no manifest ${missing}:latest right after it was pushed.`);
  });
});
