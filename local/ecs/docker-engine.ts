/**
 * The Docker calls the emulator makes for every container it runs (after `docker run`: its ports,
 * the wait for its exit, health-check execs every few hundred milliseconds, stop, exit code,
 * removal) straight through the Engine API on the daemon's Unix socket (`DOCKER_HOST` unix://…, or
 * /var/run/docker.sock) instead of a docker client process each. A client cost ~15 ms of CPU a
 * call, and starting one from a test worker of several hundred MB another fork of that worker
 * (issue 29: ~1,800 docker clients a suite run, five of them per container besides the checks).
 * What the daemon is asked, and what it does, are the same as for the CLI.
 *
 * Used only where the socket is the daemon the docker CLI talks to (`cliEngine`: the same daemon ID
 * as `docker info` reports), since the CLI may talk to another one through a docker context (for
 * example rootless Docker); otherwise, and where the daemon is not on a Unix socket (tcp://,
 * ssh://), the caller keeps the docker CLI for everything.
 */
import http from 'node:http';

export function engineSocket(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.DOCKER_HOST;
  if (!host) return '/var/run/docker.sock';
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

export interface EngineAnswer {
  status: number;
  body: string;
}

/**
 * One request to the Engine API; rejects when nothing answers on the socket, on `signal`, or after
 * `timeoutMs`. A container id or name goes into the path through encodeURIComponent.
 */
export function engineCall(
  socketPath: string,
  method: string,
  path: string,
  options: { body?: unknown; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<EngineAnswer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const signals = [options.signal, options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs)].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const req = http.request(
      {
        socketPath,
        method,
        path,
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
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

/**
 * The socket of the daemon the docker CLI talks to, when it is on a Unix socket that answers with
 * the daemon ID `docker info --format '{{.ID}}'` gave the caller (`cliDaemonId`); undefined
 * otherwise (the caller keeps the CLI).
 */
export async function cliEngine(cliDaemonId: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const socketPath = engineSocket(env);
  if (!socketPath || cliDaemonId === '') return undefined;
  const engine = await engineCall(socketPath, 'GET', '/info', { timeoutMs: 15_000 }).catch(() => undefined);
  if (engine?.status !== 200) return undefined;
  try {
    return (JSON.parse(engine.body) as { ID?: string }).ID === cliDaemonId ? socketPath : undefined;
  } catch {
    // Something else answers on that socket.
    return undefined;
  }
}

const containerPath = (id: string, rest: string): string => `/containers/${encodeURIComponent(id)}${rest}`;

/**
 * Runs `cmd` in container `id` (as `docker exec` does: POST /containers/{id}/exec, POST
 * /exec/{id}/start attached, which answers once the process has ended, then GET /exec/{id}/json)
 * and resolves with its exit code; with `undefined` when it did not end within `timeoutMs`, the
 * daemon refused (a stopped or removed container) or did not answer: a failed check either way.
 */
export async function engineExec(socketPath: string, id: string, cmd: string[], timeoutMs: number): Promise<number | undefined> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const created = await engineCall(socketPath, 'POST', containerPath(id, '/exec'), { body: { Cmd: cmd, AttachStdout: true, AttachStderr: true }, signal });
    if (created.status !== 201) return undefined;
    const execId = encodeURIComponent((JSON.parse(created.body) as { Id: string }).Id);
    const started = await engineCall(socketPath, 'POST', `/exec/${execId}/start`, { body: { Detach: false, Tty: false }, signal });
    if (started.status !== 200) return undefined;
    const inspected = await engineCall(socketPath, 'GET', `/exec/${execId}/json`, { signal });
    if (inspected.status !== 200) return undefined;
    const info = JSON.parse(inspected.body) as { Running: boolean; ExitCode: number | null };
    return info.Running || info.ExitCode === null ? undefined : info.ExitCode;
  } catch {
    return undefined;
  }
}

/** `docker inspect`'s object of a container, or undefined when the daemon has none by that id. */
export async function engineInspect(socketPath: string, id: string, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
  const r = await engineCall(socketPath, 'GET', containerPath(id, '/json'), { timeoutMs });
  if (r.status === 404) return undefined;
  if (r.status !== 200) throw new Error(`inspect ${id}: the Docker engine answered ${r.status}: ${r.body.trim()}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

/**
 * `docker wait`: resolves with the container's exit code once it has exited; undefined when the
 * wait was aborted (`signal`), the container is gone or the daemon did not answer.
 */
export async function engineWait(socketPath: string, id: string, signal: AbortSignal): Promise<number | undefined> {
  try {
    const r = await engineCall(socketPath, 'POST', containerPath(id, '/wait'), { signal });
    if (r.status !== 200) return undefined;
    const code = (JSON.parse(r.body) as { StatusCode?: unknown }).StatusCode;
    return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** `docker stop --time <seconds>`: SIGTERM, then SIGKILL after the grace. True once it is not running (or gone). */
export async function engineStop(socketPath: string, id: string, graceSeconds: number, timeoutMs: number): Promise<boolean> {
  const r = await engineCall(socketPath, 'POST', containerPath(id, `/stop?t=${graceSeconds}`), { timeoutMs });
  // 204 stopped, 304 already stopped, 404 no such container.
  return r.status === 204 || r.status === 304 || r.status === 404;
}

/** `docker rm --force --volumes`: true once the container is gone. */
export async function engineRemove(socketPath: string, id: string, timeoutMs: number): Promise<boolean> {
  const r = await engineCall(socketPath, 'DELETE', containerPath(id, '?force=true&v=true'), { timeoutMs });
  return r.status === 204 || r.status === 404;
}

/** `docker ps --all --quiet --filter label=<label>`: the ids of every container carrying the label. */
export async function engineContainersLabelled(socketPath: string, label: string, timeoutMs: number): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  const r = await engineCall(socketPath, 'GET', `/containers/json?all=true&filters=${filters}`, { timeoutMs });
  if (r.status !== 200) throw new Error(`list containers labelled ${label}: the Docker engine answered ${r.status}: ${r.body.trim()}`);
  return (JSON.parse(r.body) as { Id: string }[]).map((c) => c.Id);
}
