/**
 * shared/core/undici-on-demand.ts, what the bundles get for `undici` (actions/tsconfig.json): the
 * dependencies ask it only for what it gives, it sends requests directly and through a proxy with
 * the real undici, and the bundles keep undici out of every step's start. The same path through a
 * bundle and a proxy: test/run-test-tier/publish.test.ts ("through the runner's proxy").
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetch, ProxyAgent } from '../../shared/core/undici-on-demand.js';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';

const root = path.resolve(import.meta.dirname, '../..');
const GIVEN = new Set(['ProxyAgent', 'fetch']);

/** Every package the bundles can include: package.json's dependencies and theirs, as npm installed them. */
function dependencyDirs(): string[] {
  const seen = new Set<string>();
  const visit = (fromDir: string, name: string) => {
    // Node's lookup: the nearest node_modules/<name> from the requiring package up to the root.
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        if (seen.has(candidate)) return;
        seen.add(candidate);
        const pkg = JSON.parse(readFileSync(path.join(candidate, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(candidate, dep);
        return;
      }
      if (dir === root || dir === path.dirname(dir)) return;
    }
  };
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies)) visit(root, dep);
  return [...seen];
}

function jsFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') jsFiles(full, out);
    } else if (/\.(c|m)?js$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The names a file takes from undici: named ESM imports, and members of a namespace or require()d binding. */
function namesTakenFromUndici(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]undici['"]/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name) names.push(name);
    }
  }
  const bindings = [
    ...[...source.matchAll(/import\s+\*\s+as\s+(\w+)\s+from\s*['"]undici['"]/g)].map((m) => m[1]!),
    ...[...source.matchAll(/(\w+)\s*=\s*(?:__importStar\()?require\(\s*['"]undici['"]\s*\)/g)].map((m) => m[1]!),
  ];
  for (const binding of bindings) for (const m of source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) names.push(m[1]!);
  if (/import\s+\w+\s+from\s*['"]undici['"]/.test(source)) names.push('(default import)');
  return names;
}

describe('undici on demand', () => {
  it('every dependency that imports undici asks only for ProxyAgent and fetch', () => {
    const importers: Record<string, string[]> = {};
    for (const dir of dependencyDirs()) {
      if (path.basename(dir) === 'undici') continue;
      for (const file of jsFiles(dir)) {
        const source = readFileSync(file, 'utf8');
        if (!/['"]undici['"]/.test(source)) continue;
        const names = namesTakenFromUndici(source);
        if (names.length > 0) importers[path.relative(root, file)] = [...new Set(names)].sort();
      }
    }
    // The importers known when the mapping was made; a new one is checked the same way.
    expect(Object.keys(importers)).toEqual(
      expect.arrayContaining([
        'node_modules/@actions/http-client/lib/index.js',
        'node_modules/@actions/github/lib/internal/utils.js',
        'node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js',
      ]),
    );
    const beyond = Object.entries(importers).filter(([, names]) => names.some((n) => !GIVEN.has(n)));
    expect(beyond, `shared/core/undici-on-demand.ts gives only ${[...GIVEN].join(', ')}: give what these take, or map undici no more`).toEqual([]);
  });

  let server: http.Server;
  let origin: string;
  let proxy: ConnectProxy;
  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(`hello from ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    proxy = await startConnectProxy(origin);
  });
  afterAll(async () => {
    await proxy?.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('fetch without a dispatcher is undici’s fetch, sent directly', async () => {
    const response = await fetch(`${origin}/direct`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello from /direct');
    expect(proxy.tunnels).toEqual([]);
  });

  it('a ProxyAgent handed to fetch sends the request through the proxy, to a host only the proxy knows', async () => {
    const agent = new ProxyAgent({ uri: proxy.url });
    const first = await fetch('http://api.github.proxied.test:8080/one', { dispatcher: agent as never });
    expect(await first.text()).toBe('hello from /one');
    const second = await fetch('http://api.github.proxied.test:8080/two', { dispatcher: agent as never });
    expect(await second.text()).toBe('hello from /two');
    expect(proxy.tunnels[0]).toBe('api.github.proxied.test:8080');
    expect(proxy.refused).toEqual([]);
  });

  it('a ProxyAgent used other than through fetch fails by name', () => {
    expect(() => new ProxyAgent(proxy.url).dispatch()).toThrow(/ProxyAgent \(undici-on-demand\).*made on first use by fetch/);
  });

  it('no bundle loads undici at its start: it is in a chunk, loaded by the first request that needs it', () => {
    const dist = path.join(root, 'dist');
    const entries: string[] = [];
    const chunksWithUndici: string[] = [];
    for (const action of readdirSync(dist)) {
      for (const sub of ['', 'post']) {
        const dir = path.join(dist, action, sub);
        if (!existsSync(path.join(dir, 'index.js'))) continue;
        entries.push(path.join(dir, 'index.js'));
        for (const file of readdirSync(dir)) {
          const full = path.join(dir, file);
          // llhttp: undici's HTTP parser, in no other package.
          if (file.endsWith('.index.js') && statSync(full).isFile() && readFileSync(full, 'utf8').includes('llhttp'))
            chunksWithUndici.push(path.relative(dist, full));
        }
      }
    }
    expect(entries.length).toBeGreaterThan(5);
    for (const entry of entries) expect(readFileSync(entry, 'utf8').includes('llhttp'), path.relative(dist, entry)).toBe(false);
    // The deploy records releases on GitHub (@actions/github's Octokit sends through undici's fetch).
    expect(chunksWithUndici.some((c) => c.startsWith('ecs-rolling-deploy/'))).toBe(true);
  });
});
