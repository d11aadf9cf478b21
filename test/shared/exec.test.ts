import { describe, expect, it, vi } from 'vitest';
import { exec, execChecked, ExecError, displayCommand } from '../../shared/core/exec.js';

// Real child processes: the wrapper's job is process handling, so nothing here is mocked.
describe('exec', () => {
  it('passes arguments as an array: no shell ever sees them', async () => {
    const evil = '$(touch /tmp/pwned); `id`; echo "x" && rm -rf /';
    const r = await exec('printf', ['%s', evil], { stream: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(evil);
  });

  it('captures stdout and stderr and reports exit codes', async () => {
    const r = await exec('sh', ['-c', 'echo out; echo err >&2; exit 3'], { stream: false });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, aborted: false });
  });

  it('streams lines live as they are written', async () => {
    const seen: { line: string; at: number }[] = [];
    const started = Date.now();
    await exec('sh', ['-c', 'echo first; sleep 0.4; echo second'], { stream: false, onLine: (line) => seen.push({ line, at: Date.now() - started }) });
    expect(seen.map((s) => s.line)).toEqual(['first', 'second']);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(300);
  });

  it('passes stdin, so secrets never go on a command line', async () => {
    const r = await exec('cat', [], { stdin: 's3cret-value', stream: false });
    expect(r.stdout).toBe('s3cret-value');
  });

  it('masks secrets in the echoed command line and in output lines', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const lines: string[] = [];
      await exec('echo', ['token=hunter2hunter2'], { secrets: ['hunter2hunter2'], onLine: (l) => lines.push(l) });
      const echoed = write.mock.calls.map((c) => String(c[0])).join('');
      expect(echoed).toContain('[command]echo token=***');
      expect(echoed).not.toContain('hunter2hunter2');
      expect(lines).toEqual(['token=***']);
    } finally {
      write.mockRestore();
    }
  });

  it('kills the program at its timeout', async () => {
    const r = await exec('sleep', ['5'], { timeoutMs: 200, stream: false });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(128 + 15);
    expect(r.durationMs).toBeLessThan(3_000);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const r = await exec('sh', ['-c', "trap '' TERM; sleep 5"], { timeoutMs: 200, killGraceMs: 300, stream: false });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
  });

  it('stops when the abort signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const r = await exec('sleep', ['5'], { signal: controller.signal, stream: false });
    expect(r.aborted).toBe(true);
    expect(r.exitCode).not.toBe(0);
  });

  it('says when a program is not on PATH', async () => {
    await expect(exec('no-such-program-ctp', [], { stream: false })).rejects.toThrow("'no-such-program-ctp' was not found on PATH");
  });

  it('execChecked throws with the tail of stderr', async () => {
    const error = await execChecked('sh', ['-c', 'echo one >&2; echo two >&2; exit 4'], { stream: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).message).toMatch(/exited with code 4: one\ntwo$/);
    expect((error as ExecError).result.exitCode).toBe(4);
  });

  it('keeps only the tail of huge output within the capture limit', async () => {
    const r = await exec('sh', ['-c', 'i=0; while [ $i -lt 5000 ]; do echo line-$i; i=$((i+1)); done'], { stream: false, maxCaptureBytes: 4096 });
    expect(r.stdout.length).toBeLessThan(4096 * 3);
    expect(r.stdout.trimEnd().endsWith('line-4999')).toBe(true);
  });

  it('quotes arguments with spaces when displaying a command', () => {
    expect(displayCommand('docker', ['run', '--name', 'a b', ''])).toBe('docker run --name "a b" ""');
  });
});
