/**
 * Running the docker CLI: always with an argument array (never a shell string), optionally with
 * stdin (for `login --password-stdin`), a private DOCKER_CONFIG and a timeout.
 */
import { spawn } from 'node:child_process';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function docker(args: string[], opts: { configDir?: string; input?: string; timeoutMs?: number } = {}): Promise<DockerResult> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, {
      env: { ...process.env, ...(opts.configDir ? { DOCKER_CONFIG: opts.configDir } : {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: -1, stdout, stderr: stderr + String(e) }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 + 9 : -1), stdout, stderr }));
    // A command that exits without reading its stdin must not crash us with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

export async function dockerOk(args: string[], opts: Parameters<typeof docker>[1] = {}): Promise<string> {
  const r = await docker(args, opts);
  if (r.code !== 0) throw new Error(`docker ${args[0]} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}
