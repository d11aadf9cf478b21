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
import { importersOf, root } from '../helpers/dependency-sources.js';

const GIVEN = new Set(['ProxyAgent', 'fetch']);

describe('undici on demand', () => {
  it('every dependency that imports undici asks only for ProxyAgent and fetch', () => {
    const importers = importersOf('undici');
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
