/**
 * Docker tasks: each container of a task is a real container from the task definition's image,
 * pulled from the local registry with the credentials the emulator's GetAuthorizationToken hands
 * out (logged in once into a private DOCKER_CONFIG, so the user's own docker config is untouched),
 * with the task definition's environment, command/entryPoint, and port mappings published on an
 * ephemeral 127.0.0.1 port, and the task definition's host volumes (`host.sourcePath`) bind-mounted
 * at its mountPoints. A container is started with `docker run`; every call after that (its ports,
 * the wait for its exit, health-check execs, stop, exit code, removal) goes through the Engine API
 * on the daemon's socket when that is the daemon the CLI talks to (docker-engine.ts), else through
 * the CLI. Container health checks run as an exec in the container on the engine's clock (so a
 * task definition's 30 s interval shrinks with timeScale); a check's timeout, and the load
 * balancer's probe timeout, bound real work (an exec in the container, a request to it) and do not
 * shrink: cut by timeScale (to 1 s and 0.5 s at least), they measured how busy the machine was,
 * failing a healthy task's checks where ECS would have waited the full timeout. Every
 * container carries a label with this emulator's id, so close() removes all of them even after a
 * crash of a task.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, ClockTimer } from '../clock.js';
import { docker, dockerOk } from '../docker-cli.js';
import { cliEngine, engineContainersLabelled, engineExec, engineInspect, engineRemove, engineStop, engineWait } from '../docker-engine.js';
import { authorizationToken, type RegistryConfig } from '../ecr.js';
import type { Container, ContainerDefinitionView, Task } from '../state.js';
import type { TaskHooks, TaskRunner } from './types.js';

export const LABEL = 'ctp-local-ecs';

interface DockerTask {
  starting: Promise<void>;
  containers: Map<string, string>;
  stopping: boolean;
  /** Ends the wait for each container's exit (a `docker wait` client, or the Engine API's). */
  waits: (() => void)[];
  /** `docker logs --follow` of each container; each ends once its container has exited and all is read. */
  logs: Promise<void>[];
  timers: ClockTimer[];
}

/** The registry host of an image reference, if it names one (`host:port/...` or `a.b/...`). */
function registryOf(image: string): string | undefined {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
}

/**
 * `--mount`'s value is read as one CSV record: each field quoted (inner quotes doubled), so a path
 * with a comma or a quote stays one field.
 */
function bindMount(m: ContainerDefinitionView['hostMounts'][number]): string {
  const fields = ['type=bind', `source=${m.sourcePath}`, `target=${m.containerPath}`, ...(m.readOnly ? ['readonly'] : [])];
  return fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(',');
}

export class DockerRunner implements TaskRunner {
  private readonly tasks = new Map<string, DockerTask>();
  private readonly pulls = new Map<string, Promise<string | undefined>>();

  private constructor(
    private readonly registry: RegistryConfig,
    private readonly clock: Clock,
    private readonly configDir: string,
    readonly instanceId: string,
    /**
     * The daemon's Unix socket when it is the daemon the CLI talks to (docker-engine.ts): every
     * call after `docker run` goes through the Engine API there; undefined, the docker CLI.
     */
    private readonly engine: string | undefined,
  ) {}

  static async create(registry: RegistryConfig, clock: Clock): Promise<DockerRunner> {
    const info = await docker(['info', '--format', '{{.ID}}'], { timeoutMs: 15_000 });
    if (info.code !== 0) throw new Error(`docker mode needs a running Docker engine: ${info.stderr.trim()}`);
    const engine = await cliEngine(info.stdout.trim());
    const configDir = await mkdtemp(join(tmpdir(), 'ctp-local-ecs-docker-'));
    await writeFile(join(configDir, 'config.json'), '{}\n', { mode: 0o600 });
    // Log in the way a deploy pipeline would: with the token ECR (i.e. this emulator) hands out.
    const [username, ...rest] = Buffer.from(authorizationToken(registry), 'base64').toString().split(':');
    const login = await docker(['login', '--username', username ?? '', '--password-stdin', registry.host], {
      configDir,
      input: rest.join(':'),
      timeoutMs: 30_000,
    });
    if (login.code !== 0) {
      await rm(configDir, { recursive: true, force: true });
      throw new Error(`docker login to ${registry.host} failed: ${login.stderr.trim()}`);
    }
    return new DockerRunner(registry, clock, configDir, randomBytes(4).toString('hex'), engine);
  }

  /** Resolves to undefined when the image is usable, else the CannotPullContainerError reason. */
  private pull(image: string): Promise<string | undefined> {
    let p = this.pulls.get(image);
    if (!p) {
      p = (async () => {
        const fromLocalRegistry = registryOf(image) === this.registry.host;
        if (!fromLocalRegistry) {
          // Nothing can be pulled from the internet here: an image that is not in the local
          // registry is used from the engine's image store when present (e.g. ctp/busybox).
          const local = await docker(['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 30_000 });
          if (local.code === 0) return undefined;
        }
        const r = await docker(['pull', '--quiet', image], { configDir: this.configDir, timeoutMs: 120_000 });
        if (r.code === 0) return undefined;
        const why = (r.stderr.trim().split('\n').at(-1) ?? '').replace(/^Error response from daemon: /, '');
        return `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${image}: ${why}`;
      })();
      this.pulls.set(image, p);
      // Shared by the tasks a deployment starts together, then forgotten: ECS pulls per task
      // (a failed pull may succeed once the image is pushed, and a tag may move).
      void p.then(() => setTimeout(() => this.pulls.delete(image), 2_000).unref());
    }
    return p;
  }

  start(task: Task, containers: ContainerDefinitionView[], hooks: TaskHooks): void {
    const dt: DockerTask = { starting: Promise.resolve(), containers: new Map(), stopping: false, waits: [], logs: [], timers: [] };
    this.tasks.set(task.id, dt);
    dt.starting = this.run(task, dt, containers, hooks).catch((e: unknown) => {
      if (!dt.stopping) hooks.failedToStart(`CannotStartContainerError: ${(e as Error).message}`);
    });
  }

  private async run(task: Task, dt: DockerTask, containers: ContainerDefinitionView[], hooks: TaskHooks): Promise<void> {
    for (const image of new Set(containers.map((c) => c.image))) {
      const failure = await this.pull(image);
      if (dt.stopping) return;
      if (failure) {
        hooks.failedToStart(failure);
        return;
      }
    }
    const bindings: Record<string, Container['networkBindings']> = {};
    for (const c of containers) {
      const args = [
        'run',
        '--detach',
        '--name',
        `ctp-ecs-${this.instanceId}-${task.id.slice(0, 12)}-${c.name}`.replace(/[^a-zA-Z0-9_.-]/g, '-'),
        '--label',
        `${LABEL}=${this.instanceId}`,
        '--label',
        `${LABEL}.task=${task.id}`,
        // The image's own HEALTHCHECK does not run: with a task definition's healthCheck, ECS has
        // Docker run that one instead (healthLoop here); without one, nothing in ECS reads it.
        // (The sample app's ran every 2 s in every container of the demo, for nothing.)
        '--no-healthcheck',
      ];
      // Always an ephemeral host port (a task definition's hostPort is ignored): tasks of two
      // deployments run side by side on this one host.
      for (const p of c.portMappings) args.push('--publish', `127.0.0.1::${p.containerPort}/${p.protocol ?? 'tcp'}`);
      for (const e of c.environment) args.push('--env', `${e.name}=${e.value}`);
      for (const m of c.hostMounts) {
        // As the Docker daemon does for ECS's host volumes: a sourcePath that does not exist is
        // created (a bind --mount would refuse it), then bound in.
        await mkdir(m.sourcePath, { recursive: true });
        args.push('--mount', bindMount(m));
      }
      const [entry, ...entryArgs] = c.entryPoint ?? [];
      if (entry !== undefined) args.push('--entrypoint', entry);
      args.push(c.image, ...entryArgs, ...(c.command ?? []));
      const r = await docker(args, { configDir: this.configDir, timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(r.stderr.trim().replace(/^docker: Error response from daemon: /, ''));
      const id = r.stdout.trim();
      dt.containers.set(c.name, id);
      // One more docker client per container only where a log driver takes the output.
      if (hooks.capturesLogs(c.name)) dt.logs.push(this.followLogs(id, (line) => hooks.log(c.name, line)));
      if (dt.stopping) return;
      const ports = await this.publishedPorts(id);
      bindings[c.name] = c.portMappings.map((p) => {
        const hostPort = Number(ports?.[`${p.containerPort}/${p.protocol ?? 'tcp'}`]?.[0]?.HostPort ?? 0);
        return { bindIP: '127.0.0.1', containerPort: p.containerPort, hostPort, protocol: p.protocol ?? 'tcp' };
      });
    }
    if (dt.stopping) return;
    hooks.running(bindings);
    for (const c of containers) {
      const id = dt.containers.get(c.name);
      if (!id) continue;
      this.watchExit(dt, c.name, id, hooks);
      if (c.healthCheck) this.healthLoop(dt, c, id, hooks);
    }
  }

  /**
   * The container's stdout and stderr line by line, as a log driver reads them; resolves once the
   * container has exited and everything it wrote was read (so a short task's last lines are kept).
   */
  private followLogs(id: string, line: (text: string) => void): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn('docker', ['logs', '--follow', id], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKER_CONFIG: this.configDir } });
      for (const stream of [child.stdout, child.stderr]) {
        let rest = '';
        stream.on('data', (d: Buffer) => {
          const lines = (rest + d.toString()).split('\n');
          rest = lines.pop() ?? '';
          for (const l of lines) line(l);
        });
        stream.on('end', () => {
          if (rest !== '') line(rest);
        });
      }
      child.on('error', () => resolve());
      child.on('close', () => resolve());
    });
  }

  /** The container's published ports, as `docker inspect` gives `.NetworkSettings.Ports`. */
  private async publishedPorts(id: string): Promise<Record<string, { HostIp: string; HostPort: string }[] | null> | null> {
    type Ports = Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    if (!this.engine) return JSON.parse(await dockerOk(['inspect', '--format', '{{json .NetworkSettings.Ports}}', id])) as Ports;
    const container = await engineInspect(this.engine, id, 30_000);
    if (!container) throw new Error(`container ${id} is gone`);
    return ((container.NetworkSettings as { Ports?: Ports } | undefined)?.Ports ?? null) as Ports;
  }

  /** Waits for the container to exit (`docker wait`) and reports its exit code. */
  private watchExit(dt: DockerTask, name: string, id: string, hooks: TaskHooks): void {
    const exited = (code: number | undefined) => {
      if (!dt.stopping && code !== undefined) hooks.exited(name, code);
    };
    if (this.engine) {
      const abort = new AbortController();
      dt.waits.push(() => abort.abort());
      void engineWait(this.engine, id, abort.signal).then(exited);
      return;
    }
    const child = spawn('docker', ['wait', id], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, DOCKER_CONFIG: this.configDir } });
    dt.waits.push(() => child.kill());
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => {
      const code = Number(out.trim());
      exited(out.trim() !== '' && Number.isInteger(code) ? code : undefined);
    });
  }

  /** ECS's container health check: interval, timeout, retries, startPeriod (seconds). */
  private healthLoop(dt: DockerTask, c: ContainerDefinitionView, id: string, hooks: TaskHooks): void {
    const hc = c.healthCheck;
    if (!hc) return;
    const [kind, ...cmd] = hc.command;
    const execArgs = kind === 'CMD-SHELL' ? ['sh', '-c', cmd.join(' ')] : kind === 'CMD' ? cmd : hc.command;
    const startedAt = this.clock.now();
    let failures = 0;
    let status: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' = 'UNKNOWN';
    const check = async () => {
      if (dt.stopping) return;
      const code = await this.exec(id, execArgs, hc.timeout * 1000);
      if (dt.stopping) return;
      if (code === 0) {
        failures = 0;
        if (status !== 'HEALTHY') {
          status = 'HEALTHY';
          hooks.containerHealth(c.name, status);
        }
      } else if (this.clock.now() - startedAt >= hc.startPeriod * 1000 || status === 'HEALTHY') {
        // Failures during the start period do not count, as in ECS (unless it was healthy before).
        failures++;
        if (failures >= hc.retries && status !== 'UNHEALTHY') {
          status = 'UNHEALTHY';
          hooks.containerHealth(c.name, status);
        }
      }
      dt.timers.push(this.clock.setTimeout(() => void check(), hc.interval * 1000));
    };
    // The first check runs soon after start, like Docker's.
    dt.timers.push(this.clock.setTimeout(() => void check(), Math.min(1_000, hc.interval * 1000)));
  }

  /** A health check's command in the container: its exit code, or undefined past the timeout. */
  private async exec(id: string, cmd: string[], timeoutMs: number): Promise<number | undefined> {
    if (this.engine) return engineExec(this.engine, id, cmd, timeoutMs);
    const r = await docker(['exec', id, ...cmd], { timeoutMs });
    return r.code;
  }

  /** `docker stop --time 1`, then the exit code (undefined when unknown), then `docker rm --force --volumes`. */
  private async stopContainer(dt: DockerTask, id: string): Promise<number | undefined> {
    let code: number | undefined;
    if (this.engine) {
      await engineStop(this.engine, id, 1, 30_000).catch(() => false);
      const state = (await engineInspect(this.engine, id, 30_000).catch(() => undefined))?.State as { ExitCode?: unknown } | undefined;
      if (typeof state?.ExitCode === 'number') code = state.ExitCode;
    } else {
      await docker(['stop', '--time', '1', id], { timeoutMs: 30_000 });
      const state = await docker(['inspect', '--format', '{{.State.ExitCode}}', id], { timeoutMs: 30_000 });
      if (state.code === 0) code = Number(state.stdout.trim());
    }
    // Every line read before the container goes (a bounded wait: a stuck reader must not hold the stop).
    await Promise.race([Promise.all(dt.logs), new Promise((r) => setTimeout(r, 5_000).unref())]);
    if (this.engine) await engineRemove(this.engine, id, 30_000).catch(() => false);
    else await docker(['rm', '--force', '--volumes', id], { timeoutMs: 30_000 });
    return code;
  }

  async stop(task: Task): Promise<Record<string, number>> {
    const dt = this.tasks.get(task.id);
    if (!dt) return {};
    dt.stopping = true;
    for (const t of dt.timers) this.clock.clearTimeout(t);
    await dt.starting;
    const codes: Record<string, number> = {};
    await Promise.all(
      [...dt.containers.entries()].map(async ([name, id]) => {
        // SIGTERM, a short grace (in-flight requests were drained by the load balancer already), then SIGKILL.
        const code = await this.stopContainer(dt, id);
        if (code !== undefined) codes[name] = code;
      }),
    );
    for (const end of dt.waits) end();
    this.tasks.delete(task.id);
    return codes;
  }

  probe(_task: Task, host: string, port: number, path: string, timeoutMs: number): Promise<boolean> {
    // ALB's default success matcher is 200; any 2xx passes here.
    return new Promise((resolve) => {
      const req = http.get({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
        res.resume();
        resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
  }

  /** Removes every container this emulator started and its private docker config. */
  async close(): Promise<void> {
    for (const dt of this.tasks.values()) {
      dt.stopping = true;
      for (const t of dt.timers) this.clock.clearTimeout(t);
    }
    await Promise.allSettled([...this.tasks.values()].map((dt) => dt.starting));
    const label = `${LABEL}=${this.instanceId}`;
    if (this.engine) {
      const engine = this.engine;
      const ids = await engineContainersLabelled(engine, label, 30_000).catch(() => [] as string[]);
      await Promise.all(ids.map((id) => engineRemove(engine, id, 60_000).catch(() => false)));
    } else {
      const ids = (await docker(['ps', '--all', '--quiet', '--filter', `label=${label}`], { timeoutMs: 30_000 })).stdout.split('\n').filter(Boolean);
      if (ids.length > 0) await docker(['rm', '--force', '--volumes', ...ids], { timeoutMs: 60_000 });
    }
    for (const dt of this.tasks.values()) for (const end of dt.waits) end();
    this.tasks.clear();
    await rm(this.configDir, { recursive: true, force: true });
  }
}
