/**
 * shared/core/http-client-on-demand.ts, what the bundles get for `@actions/http-client`
 * (actions/tsconfig.json): the dependencies ask it only for what it gives, and no bundle loads
 * node:https or node:tls at its start any more. The paths that do send through it, in bundles:
 * @actions/github's Octokit (test/run-test-tier/publish.test.ts, also through a proxy) and
 * @actions/tool-cache's download (test/run-test-tier/compose-discovery.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { node24Binary } from '../../local/runner/run-bundle.js';
import { importersOf, root } from '../helpers/dependency-sources.js';

describe('@actions/http-client on demand', () => {
  it('every dependency that imports @actions/http-client asks only for HttpClient', () => {
    const importers = importersOf('@actions/http-client');
    expect(Object.keys(importers).sort()).toEqual(
      expect.arrayContaining([
        'node_modules/@actions/core/lib/oidc-utils.js',
        'node_modules/@actions/github/lib/internal/utils.js',
        'node_modules/@actions/tool-cache/lib/tool-cache.js',
      ]),
    );
    const beyond = Object.entries(importers).filter(([, names]) => names.some((n) => n !== 'HttpClient'));
    expect(beyond, 'shared/core/http-client-on-demand.ts gives only HttpClient: give what these take, or map @actions/http-client no more').toEqual([]);
  });

  it('no bundle loads node:https or node:tls at its start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctp-builtins-'));
    const preload = path.join(dir, 'builtins.cjs');
    // Which of Node's public modules the process loaded, written when it exits.
    writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(process.env.CTP_BUILTINS_OUT, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice(13)).join('\\n')));\n`,
    );
    const entries: string[] = [];
    for (const action of readdirSync(path.join(root, 'dist'))) {
      for (const sub of ['', 'post']) {
        const entry = path.join(root, 'dist', action, sub, 'index.js');
        if (existsSync(entry)) entries.push(entry);
      }
    }
    expect(entries.length).toBeGreaterThan(5);
    const loaded: Record<string, string[]> = {};
    for (const entry of entries) {
      const out = path.join(dir, `${entries.indexOf(entry)}.txt`);
      const files = Object.fromEntries(
        ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((k) => [k, path.join(dir, k)]),
      );
      for (const f of Object.values(files)) writeFileSync(f, '');
      // No inputs: each step starts, reads what it needs, and ends (most with an input error).
      try {
        execFileSync(node24Binary, ['--require', preload, entry], {
          env: { PATH: process.env.PATH, ...files, CTP_BUILTINS_OUT: out },
          stdio: 'ignore',
          timeout: 30_000,
        });
      } catch {
        // an input error is the expected end here
      }
      const builtins = readFileSync(out, 'utf8').split('\n');
      expect(builtins, entry).toContain('fs');
      loaded[path.relative(root, entry)] = builtins.filter((m) => m === 'https' || m === 'tls');
    }
    expect(Object.entries(loaded).filter(([, heavy]) => heavy.length > 0)).toEqual([]);
  });
});
