/**
 * The one Docker call the emulator makes every few hundred milliseconds per container, a container
 * health check's exec, straight through the Engine API on the daemon's Unix socket (`DOCKER_HOST`
 * unix://…, or /var/run/docker.sock) instead of a `docker exec` client process. The client cost
 * ~15 ms of CPU a call, and starting it from a test worker of several hundred MB another fork of
 * that worker (issue 29: ~1,800 docker clients a suite run). What the check runs, and what the
 * daemon does for it, are the same. Where the daemon is not on a Unix socket (tcp://, ssh://),
 * `engineSocket()` is undefined and the caller keeps the docker CLI; so it does when the socket
 * turns out not to be the CLI's daemon (ELSEWHERE).
 */
import http from 'node:http';

export function engineSocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

interface Answer {
  status: number;
  body: string;
}

function call(socketPath: string, method: string, path: string, body: unknown, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        socketPath,
        method,
        path,
        signal,
        headers: { host: 'docker', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The socket is not the daemon the docker CLI talks to (none there, or one that does not know the container). */
export const ELSEWHERE = 'elsewhere';

/**
 * Runs `cmd` in container `id` (as `docker exec` does: POST /containers/{id}/exec, POST
 * /exec/{id}/start attached, which answers once the process has ended, then GET /exec/{id}/json)
 * and resolves with its exit code; with `undefined` when it did not end within `timeoutMs` or the
 * daemon refused (a stopped container): a failed check either way. ELSEWHERE when nothing answers
 * on the socket or its daemon has no such container (the CLI may use another daemon, through a
 * docker context): the caller asks the CLI instead.
 */
export async function engineExec(socketPath: string, id: string, cmd: string[], timeoutMs: number): Promise<number | undefined | typeof ELSEWHERE> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const created = await call(
      socketPath,
      'POST',
      `/containers/${encodeURIComponent(id)}/exec`,
      { Cmd: cmd, AttachStdout: true, AttachStderr: true },
      abort.signal,
    );
    if (created.status === 404) return ELSEWHERE;
    if (created.status !== 201) return undefined;
    const execId = (JSON.parse(created.body) as { Id: string }).Id;
    const started = await call(socketPath, 'POST', `/exec/${execId}/start`, { Detach: false, Tty: false }, abort.signal);
    if (started.status !== 200) return undefined;
    const inspected = await call(socketPath, 'GET', `/exec/${execId}/json`, undefined, abort.signal);
    if (inspected.status !== 200) return undefined;
    const info = JSON.parse(inspected.body) as { Running: boolean; ExitCode: number | null };
    return info.Running || info.ExitCode === null ? undefined : info.ExitCode;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'ENOTSOCK' ? ELSEWHERE : undefined;
  } finally {
    clearTimeout(timer);
  }
}
