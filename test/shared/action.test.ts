import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ncc from '@vercel/ncc';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../../local/runner/run-bundle.js';

const root = path.join(repoRoot, 'test/fixtures/runner-root');
const actionDir = path.join(root, 'actions/wrapped');

// The wrapper is tested the way it runs: bundled by ncc, executed by the local runner.
beforeAll(async () => {
  const { code, assets } = await ncc(path.join(actionDir, 'index.ts'), { minify: true, quiet: true, sourceMap: false, transpileOnly: true });
  mkdirSync(path.join(actionDir, '.build'), { recursive: true });
  writeFileSync(path.join(actionDir, '.build/index.js'), code);
  for (const [name, asset] of Object.entries(assets ?? {})) writeFileSync(path.join(actionDir, '.build', name), asset.source);
}, 120_000);

describe('runBundle wrapper', () => {
  it('reports a user error as one line, masked, without a stack trace', async () => {
    const r = await runBundle('wrapped', { root, inputs: { mode: 'user-error', password: 'pw-123456' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toEqual([{ level: 'error', message: "the image 'nope' does not exist (password ***)" }]);
    expect(r.log).not.toContain('pw-123456');
    expect(r.log).not.toMatch(/\n\s+at /);
  });

  it('reports an internal fault as such, with its stack in a group and secrets masked', async () => {
    const r = await runBundle('wrapped', { root, inputs: { mode: 'internal', password: 'pw-654321' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations[0]?.message).toBe('wrapped failed unexpectedly: cannot read x of undefined (password ***)');
    expect(r.log).toContain('▸ Stack trace (internal error: please report it with this trace)');
    expect(r.log).toMatch(/TypeError: cannot read x of undefined/);
    expect(r.log).not.toContain('pw-654321');
  });

  it('names a bad input value and what is expected', async () => {
    const r = await runBundle('wrapped', { root, inputs: { mode: 'explode' } });
    expect(r.annotations[0]?.message).toBe(
      'Input \'mode\' has an invalid value "explode": expected one of `user-error`, `internal`, `wait-for-cancel`, `secret-in-state`, `hang`, `ok`.',
    );
  });

  it('turns SIGTERM into an abort signal, lets the action clean up and reports the cancellation', async () => {
    const r = await runBundle('wrapped', {
      root,
      inputs: { mode: 'wait-for-cancel' },
      cancel: { whenLogMatches: /waiting for cancellation/, signal: 'SIGTERM' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.log).toContain('cleaned up after cancellation');
    expect(r.annotations.map((a) => a.message)).toEqual([
      'wrapped: received SIGTERM, the job is being cancelled; stopping and cleaning up.',
      'wrapped was cancelled: stopped',
    ]);
  });

  it('refuses to put a secret into state', async () => {
    const r = await runBundle('wrapped', { root, inputs: { mode: 'secret-in-state', password: 'pw-777777' } });
    expect(r.exitCode).toBe(1);
    expect(r.state).toEqual({});
    expect(r.annotations[0]?.message).toContain("refusing to save a secret in state 'note'");
  });

  it('fails, rather than succeeding silently, when the action is left waiting on nothing', async () => {
    const r = await runBundle('wrapped', { root, inputs: { mode: 'hang' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations[0]?.message).toBe('wrapped stopped before it finished: it was left waiting on nothing (an internal error, please report it).');
  });

  it('exits when done even with a dangling timer', async () => {
    const r = await runBundle('wrapped', { root, inputs: { mode: 'ok' }, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    expect(r.durationMs).toBeLessThan(10_000);
  });
});
