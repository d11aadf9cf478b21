import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../../local/runner/run-bundle.js';
import { parseCommandLine, parseFileCommands } from '../../local/runner/workflow-commands.js';

const fixtureRoot = path.join(repoRoot, 'test/fixtures/runner-root');

describe('the runner protocol', () => {
  it('parses workflow commands with escaped properties and data', () => {
    expect(parseCommandLine('::error file=a%2Cb.ts,line=3,title=T%3A1::first%0Asecond %25')).toEqual({
      command: 'error',
      properties: { file: 'a,b.ts', line: '3', title: 'T:1' },
      message: 'first\nsecond %',
    });
    expect(parseCommandLine('plain text')).toBeUndefined();
  });
  it('parses file commands in both forms', () => {
    expect(parseFileCommands('a=1\nb<<EOF_1\nx\ny=z\nEOF_1\nc=\n')).toEqual({ a: '1', b: 'x\ny=z', c: '' });
    expect(() => parseFileCommands('b<<EOF\nnever closed\n')).toThrow(/delimiter 'EOF' not found/);
  });
});

describe('runBundle (local runner)', () => {
  it('runs main and post under Node 24 with outputs, state, env, path, summary, annotations and masks', async () => {
    const r = await runBundle('probe', { root: fixtureRoot, inputs: { greeting: 'world', secret: 'p4ssw0rd-xyz' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toEqual({ said: 'world', multi: 'line one\nline two' });
    expect(r.state).toEqual({ started: 'yes' });
    expect(r.env).toEqual({ PROBE_VAR: 'exported' });
    expect(r.path).toEqual(['/opt/probe/bin']);
    expect(r.masks).toContain('p4ssw0rd-xyz');
    expect(r.log).toContain('▸ probing');
    expect(r.log).toContain('hello world with ***');
    expect(r.log).not.toContain('p4ssw0rd-xyz');
    expect(r.annotations).toEqual([{ level: 'warning', message: 'careful', file: 'src/app.ts', line: 12, title: 'Probe' }]);
    expect(r.summary).toContain('<h1>Probe</h1>');
    expect(r.summary).toContain('<td>world</td>');
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.log).toMatch(/post sees state started=yes cancelled=no var=exported path=\/opt\/probe\/bin node=v24\./);
  });

  it('defaults inputs from action.yml and refuses undeclared ones', async () => {
    await expect(runBundle('probe', { root: fixtureRoot, inputs: { greting: 'typo' } })).rejects.toThrow("declares no input 'greting'");
  });

  it('reports failure with the exit code and a masked error annotation; post still runs', async () => {
    const r = await runBundle('probe', { root: fixtureRoot, inputs: { greeting: 'x', secret: 'zz-top-secret', fail: 'true' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.at(-1)).toEqual({ level: 'error', message: 'failing as asked, secret ***' });
    expect(r.post?.exitCode).toBe(0);
  });

  it('cancels like the runner: SIGINT, and post runs with the state saved on the way out', async () => {
    const r = await runBundle('probe', { root: fixtureRoot, inputs: { greeting: 'x', linger: '30' }, cancel: { whenLogMatches: /lingering/ } });
    expect(r.exitCode).toBe(1);
    expect(r.durationMs).toBeLessThan(15_000);
    expect(r.log).toContain('got SIGINT, cleaning up');
    expect(r.post?.log).toContain('cancelled=yes');
  });

  it('runs a real bundle from dist/: a missing required input fails in one clear line', async () => {
    const r = await runBundle('ecs-rolling-deploy', { inputs: { service: 'web' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toEqual([{ level: 'error', message: "Input 'cluster' is required: expected an ECS cluster name or ARN." }]);
    expect(r.log).not.toMatch(/\n\s+at /); // no stack trace for a user error
  });

  it('passes the GitHub context the way the runner does', async () => {
    const r = await runBundle('probe', { root: fixtureRoot, inputs: { greeting: 'ctx' }, github: { ref: 'refs/tags/v1.2.3' } });
    expect(r.exitCode).toBe(0);
    expect(path.isAbsolute(r.workspace)).toBe(true);
  });
});
