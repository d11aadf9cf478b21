import { randomBytes } from 'node:crypto';
import { formatDuration } from '../core/duration.js';
import { UserError } from '../core/errors.js';
import { exec, lastLines, type ExecResult } from '../core/exec.js';
import { systemClock, type Clock } from '../core/clock.js';
import { pollUntil } from '../core/poll.js';
import type { Logger } from '../core/logger.js';

/**
 * A whole stack for a test tier, from a Compose file: brought up under a project name of its
 * own (so parallel jobs on one Docker engine never share containers), waited on until every
 * service with a healthcheck is healthy and every other one is running, described to the tests
 * (published ports as environment variables, the network for a test container), and torn down
 * with its volumes afterwards. Works with the Compose plugin (`docker compose`) or the
 * standalone `docker-compose` 1.29 that Debian and Ubuntu ship.
 */

export interface ServiceState {
  service: string;
  container: string;
  /** created, running, restarting, exited, dead… */
  status: string;
  /** healthy, unhealthy or starting; absent without a healthcheck. */
  health?: string;
  exitCode: number;
  /** The container's ports; `hostPort` only when published. */
  ports: { containerPort: number; protocol: string; hostPort?: number }[];
  networks: string[];
}

export type Readiness = 'ready' | 'waiting' | 'failed';

/** Whether one service is ready for tests: healthy, or running without a healthcheck, or a one-shot job that exited 0. */
export function readiness(s: ServiceState): Readiness {
  if (s.health !== undefined) {
    if (s.health === 'healthy') return 'ready';
    if (s.health === 'unhealthy') return 'failed';
    return s.status === 'exited' || s.status === 'dead' ? 'failed' : 'waiting';
  }
  if (s.status === 'running') return 'ready';
  if (s.status === 'exited') return s.exitCode === 0 ? 'ready' : 'failed';
  if (s.status === 'dead') return 'failed';
  return 'waiting';
}

export function describeState(s: ServiceState): string {
  if (s.health !== undefined) return s.status === 'running' ? s.health : `${s.status} (${s.health})`;
  return s.status === 'exited' ? `exited ${s.exitCode}` : s.status;
}

/**
 * `STACK_<SERVICE>_<PORT>` for each service port, so one test script works in both places: on
 * the runner it is `127.0.0.1:<published port>`; from a container on the stack's network it is
 * `<service>:<port>`.
 */
export function portVariables(services: readonly ServiceState[], from: 'runner' | 'network'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    const service = s.service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    for (const p of s.ports) {
      const suffix = p.protocol === 'tcp' ? '' : `_${p.protocol.toUpperCase()}`;
      if (from === 'network') env[`STACK_${service}_${p.containerPort}${suffix}`] = `${s.service}:${p.containerPort}`;
      else if (p.hostPort !== undefined) env[`STACK_${service}_${p.containerPort}${suffix}`] = `127.0.0.1:${p.hostPort}`;
    }
  }
  return env;
}

/** A Compose project name: lower-case letters, digits, `-` and `_`, unique per run. */
export function composeProjectName(tier: string, runId: string | undefined): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, '');
  return ['ctp', clean(tier), clean(runId ?? ''), randomBytes(3).toString('hex')].filter(Boolean).join('-');
}

/**
 * `docker compose` when the plugin is installed, else `docker-compose` from PATH, else a pinned
 * release installed through the tool cache (shared/compose/install.ts).
 */
export async function findCompose(logger: Logger): Promise<string[]> {
  const plugin = await exec('docker', ['compose', 'version', '--short'], { stream: false }).catch(() => undefined);
  if (plugin?.exitCode === 0) {
    logger.info(`Docker Compose: the docker compose plugin ${plugin.stdout.trim()}.`);
    return ['docker', 'compose'];
  }
  const standalone = await exec('docker-compose', ['version', '--short'], { stream: false }).catch(() => undefined);
  if (standalone?.exitCode === 0) {
    logger.info(`Docker Compose: docker-compose ${standalone.stdout.trim()} (the compose plugin is not installed).`);
    return ['docker-compose'];
  }
  const { installCompose } = await import('./install.js');
  return [await installCompose(logger)];
}

export interface ComposeStackOptions {
  command: readonly string[];
  project: string;
  files: readonly string[];
  cwd: string;
  logger: Logger;
  /** What the health wait polls by (default: the system clock). */
  clock?: Clock;
}

export class ComposeStack {
  readonly command: readonly string[];
  readonly project: string;
  readonly files: readonly string[];
  private readonly cwd: string;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(options: ComposeStackOptions) {
    this.command = options.command;
    this.project = options.project;
    this.files = options.files;
    this.cwd = options.cwd;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
  }

  private run(args: readonly string[], options: { stream?: boolean; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ExecResult> {
    const [program, ...pre] = this.command;
    const fileArgs = this.files.flatMap((f) => ['-f', f]);
    return exec(program!, [...pre, '-p', this.project, ...fileArgs, ...args], {
      cwd: this.cwd,
      stream: options.stream ?? true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  /** The file's services; a UserError naming the input when the file does not parse or a service is unknown. */
  async validate(wanted: readonly string[]): Promise<string[]> {
    const r = await this.run(['config', '--services'], { stream: false });
    if (r.exitCode !== 0) {
      throw new UserError(`Input 'compose-file' (${this.files.join(', ')}) is not a valid Compose file: ${lastLines(r.stderr || r.stdout, 4)}`);
    }
    const services = r.stdout
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = wanted.filter((s) => !services.includes(s));
    if (unknown.length > 0) {
      throw new UserError(
        `Input 'compose-services' names ${unknown.map((s) => `'${s}'`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not in ${this.files.join(', ')}: expected some of ${services.join(', ')}.`,
      );
    }
    return services;
  }

  async up(services: readonly string[], signal?: AbortSignal): Promise<void> {
    const r = await this.logger.group(`Starting the stack (compose project ${this.project})`, () =>
      this.run(['up', '-d', '--remove-orphans', ...services], signal ? { signal } : {}),
    );
    if (r.aborted) throw new Error('cancelled while starting the stack');
    if (r.exitCode !== 0)
      throw new UserError(
        `The Compose stack did not start (${this.command.join(' ')} up exited with code ${r.exitCode}): ${lastLines(r.stderr || r.stdout, 5)}`,
      );
  }

  /**
   * The project's service containers, running or exited, by the labels Compose (v1 and v2) puts on
   * them; one-off `run` containers are not services. Asked of docker, not of Compose: the wait
   * below asks every second, and `docker-compose ps` (v1, Python) cost ~330 ms of CPU a call
   * against ~15 ms for `docker ps`. v2's `ps` would also leave an exited service out without -a.
   */
  async states(): Promise<ServiceState[]> {
    const labels = [`com.docker.compose.project=${this.project}`, 'com.docker.compose.oneoff=False'];
    const ids = (await exec('docker', ['ps', '--all', '--quiet', '--no-trunc', ...labels.flatMap((l) => ['--filter', `label=${l}`])], { stream: false })).stdout
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) return [];
    const inspected = await exec('docker', ['inspect', ...ids], { stream: false });
    if (inspected.exitCode !== 0 && inspected.stdout.trim() === '') return [];
    return parseInspect(inspected.stdout);
  }

  /**
   * Polls until every service is ready, printing a progress line when something changes (and
   * every 10 s regardless). A service that turns unhealthy or exits non-zero fails at once,
   * without waiting out the timeout; its logs are printed either way.
   */
  async waitUntilReady(options: { timeoutMs: number; signal?: AbortSignal; intervalMs?: number }): Promise<ServiceState[]> {
    const started = this.clock.now();
    const interval = options.intervalMs ?? 1_000;
    let lastLine = '';
    let lastPrinted = 0;
    let states: ServiceState[] = [];
    let elapsed = 0;
    const polled = await pollUntil(
      async () => {
        states = await this.states();
        elapsed = this.clock.now() - started;
        const ready = states.filter((s) => readiness(s) === 'ready');
        const failed = states.filter((s) => readiness(s) === 'failed');
        const line = `Stack: ${ready.length}/${states.length} ready — ${states.map((s) => `${s.service} ${describeState(s)}`).join(', ') || 'no containers yet'}`;
        if (line !== lastLine || this.clock.now() - lastPrinted >= 10_000) {
          this.logger.info(`${line} (${formatDuration(elapsed)})`);
          lastLine = line;
          lastPrinted = this.clock.now();
        }
        if (failed.length > 0) {
          await this.printLogs(failed.map((s) => s.service));
          throw new UserError(
            `The stack is not healthy: ${failed.map((s) => `${s.service} is ${describeState(s)}`).join(', ')} after ${formatDuration(elapsed)}; its logs are above.`,
          );
        }
        return states.length > 0 && ready.length === states.length ? states : undefined;
      },
      { deadline: started + options.timeoutMs, intervalMs: interval, clock: this.clock, signal: options.signal, isThrottling: () => false },
    );
    if (polled.state === 'cancelled') throw new Error('cancelled while waiting for the stack');
    if (polled.state === 'done') {
      this.logger.info(`Stack ready in ${formatDuration(elapsed)}: ${states.map((s) => `${s.service} ${describeState(s)}`).join(', ')}.`);
      return polled.value;
    }
    const waiting = states.filter((s) => readiness(s) !== 'ready');
    await this.printLogs(waiting.map((s) => s.service));
    throw new UserError(
      `The stack was not ready after ${formatDuration(elapsed)} (compose-timeout): ${waiting.map((s) => `${s.service} is ${describeState(s)}`).join(', ') || 'no container started'}; logs are above.`,
    );
  }

  async printLogs(services: readonly string[]): Promise<void> {
    const unique = [...new Set(services)];
    if (unique.length === 0) return;
    // What a service prints is not ours: shown, never obeyed as a workflow command.
    await this.logger.group(`Logs of ${unique.join(', ')}`, () =>
      this.logger.withCommandsStopped(async () => {
        await this.run(['logs', '--no-color', '--tail', '200', ...unique]);
      }),
    );
  }

  /** Stops and removes the containers, networks and volumes; never throws (it runs in finally blocks and post steps). */
  async down(): Promise<boolean> {
    const r = await this.logger
      .group(`Tearing down the stack (compose project ${this.project})`, () =>
        this.run(['down', '--volumes', '--remove-orphans', '--timeout', '5'], { timeoutMs: 120_000 }),
      )
      .catch((error: unknown) => ({ exitCode: 1, stderr: String(error), stdout: '' }) as Pick<ExecResult, 'exitCode' | 'stderr' | 'stdout'>);
    if (r.exitCode !== 0) {
      this.logger.warning(`Could not tear down compose project ${this.project}: ${lastLines(r.stderr || r.stdout, 3)}`);
      return false;
    }
    return true;
  }
}

interface InspectedContainer {
  Id: string;
  State?: { Status?: string; ExitCode?: number; Health?: { Status?: string } };
  Config?: { Labels?: Record<string, string> };
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null>; Networks?: Record<string, unknown> };
}

export function parseInspect(json: string): ServiceState[] {
  const containers = JSON.parse(json) as InspectedContainer[];
  return containers
    .map((c) => {
      const ports: ServiceState['ports'] = [];
      for (const [key, bindings] of Object.entries(c.NetworkSettings?.Ports ?? {})) {
        const [port, protocol = 'tcp'] = key.split('/');
        const binding = (bindings ?? []).find((b) => b.HostPort);
        ports.push({ containerPort: Number(port), protocol, ...(binding ? { hostPort: Number(binding.HostPort) } : {}) });
      }
      const health = c.State?.Health?.Status;
      return {
        service: c.Config?.Labels?.['com.docker.compose.service'] ?? c.Id.slice(0, 12),
        container: c.Id.slice(0, 12),
        status: c.State?.Status ?? 'unknown',
        ...(health ? { health } : {}),
        exitCode: c.State?.ExitCode ?? 0,
        ports,
        networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}
