/**
 * Simulated tasks: no containers, each task follows the script registered for its image with
 * `simulate(imagePattern, behaviour)`. All delays run on the engine's (scalable) clock.
 */
import type { Clock, ClockTimer } from '../clock.js';
import type { ContainerDefinitionView, Task } from '../state.js';
import type { TaskHooks, TaskRunner } from './types.js';

export interface SimulatedBehaviour {
  /** Time from launch to RUNNING (emulated ms). Default 1000. */
  startMs?: number;
  /** Time after RUNNING until the app answers health checks (emulated ms). Default 1000. */
  healthyAfterMs?: number;
  /** The app never becomes healthy: its container health check / LB health check fail. */
  unhealthy?: boolean;
  /** The essential container exits with this code `exitAfterMs` after RUNNING. */
  exitCode?: number;
  /** When the container exits (emulated ms after RUNNING); default 0 when exitCode is given. */
  exitAfterMs?: number;
  /** Lines the essential container writes once RUNNING (to its log driver), `logEveryMs` apart. */
  logLines?: string[];
  /** Emulated ms between log lines (the first comes this long after RUNNING). Default 0. */
  logEveryMs?: number;
  /** The image cannot be pulled: the task stops with CannotPullContainerError. */
  pullError?: boolean;
  /**
   * Tasks launched for this image take these behaviours in turn (the n-th task the n-th entry,
   * cycling), each over the rest of this one: a release whose tasks fail only now and then.
   */
  sequence?: Omit<SimulatedBehaviour, 'sequence'>[];
  /**
   * The share (0..1) of the requests the load balancer sends this task that it answers with a
   * 500, while passing its health checks: a release that is healthy but serves errors. Default 0.
   */
  errorRate?: number;
  /** How long the app takes to answer a request (emulated ms); TargetResponseTime. Default 20. */
  responseTimeMs?: number;
}

type Rule = { pattern: RegExp; behaviour: SimulatedBehaviour; launched: number; command?: readonly string[] | undefined };

/** `*` matches anything; other characters match themselves. */
export function imagePattern(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

interface SimTask {
  timers: ClockTimer[];
  runningAt?: number;
  behaviour: SimulatedBehaviour;
}

export class SimulatedRunner implements TaskRunner {
  private readonly rules: Rule[] = [];
  private readonly tasks = new Map<string, SimTask>();
  private nextPort = 32768;

  constructor(
    private readonly clock: Clock,
    private readonly defaults: SimulatedBehaviour = {},
  ) {}

  /** With `command`, the script applies only to tasks whose essential container runs exactly it (a RunTask override). */
  simulate(pattern: string | RegExp, behaviour: SimulatedBehaviour, command?: readonly string[]): void {
    // Newest first: a later script for the same image overrides the earlier one.
    this.rules.unshift({ pattern: imagePattern(pattern), behaviour, launched: 0, command });
  }

  private ruleFor(image: string, command: readonly string[] | undefined): Rule | undefined {
    return this.rules.find((r) => r.pattern.test(image) && (!r.command || r.command.join('\0') === (command ?? []).join('\0')));
  }

  behaviourFor(image: string, command?: readonly string[]): SimulatedBehaviour {
    return { startMs: 1000, healthyAfterMs: 1000, ...this.defaults, ...(this.ruleFor(image, command)?.behaviour ?? {}) };
  }

  /** The behaviour of the next task launched for `image`: its rule's, or the next of its sequence. */
  private nextBehaviour(image: string, command: readonly string[] | undefined): SimulatedBehaviour {
    const rule = this.ruleFor(image, command);
    const { sequence, ...base } = this.behaviourFor(image, command);
    if (!rule || !sequence || sequence.length === 0) return base;
    return { ...base, ...sequence[rule.launched++ % sequence.length] };
  }

  start(task: Task, containers: ContainerDefinitionView[], hooks: TaskHooks): void {
    const essential = containers.find((c) => c.essential) ?? containers[0];
    const behaviour = this.nextBehaviour(essential?.image ?? '', essential?.command);
    const sim: SimTask = { timers: [], behaviour };
    this.tasks.set(task.id, sim);
    const at = (ms: number, fn: () => void) => sim.timers.push(this.clock.setTimeout(fn, ms));
    if (behaviour.pullError) {
      at(Math.min(behaviour.startMs ?? 1000, 500), () =>
        hooks.failedToStart(`CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${essential?.image}: not found`),
      );
      return;
    }
    at(behaviour.startMs ?? 1000, () => {
      sim.runningAt = this.clock.now();
      const bindings: Record<string, Task['containers'][number]['networkBindings']> = {};
      for (const c of containers) {
        bindings[c.name] = c.portMappings.map((p) => ({
          bindIP: '0.0.0.0',
          containerPort: p.containerPort,
          hostPort: p.hostPort ?? this.nextPort++,
          protocol: p.protocol ?? 'tcp',
        }));
      }
      hooks.running(bindings);
      const healthyAfter = behaviour.healthyAfterMs ?? 1000;
      for (const c of containers) {
        if (c.healthCheck) at(healthyAfter, () => hooks.containerHealth(c.name, behaviour.unhealthy ? 'UNHEALTHY' : 'HEALTHY'));
      }
      const every = behaviour.logEveryMs ?? 0;
      for (const [i, line] of (behaviour.logLines ?? []).entries()) at((i + 1) * every, () => essential && hooks.log(essential.name, line));
      if (behaviour.exitCode !== undefined || behaviour.exitAfterMs !== undefined) {
        const code = behaviour.exitCode ?? 0;
        at(behaviour.exitAfterMs ?? 0, () => essential && hooks.exited(essential.name, code));
      }
    });
  }

  async stop(task: Task): Promise<Record<string, number>> {
    const sim = this.tasks.get(task.id);
    for (const t of sim?.timers ?? []) this.clock.clearTimeout(t);
    this.tasks.delete(task.id);
    // A simulated app stops cleanly on SIGTERM.
    return Object.fromEntries(task.containers.map((c) => [c.name, 0]));
  }

  async probe(task: Task): Promise<boolean> {
    const sim = this.tasks.get(task.id);
    if (!sim || sim.runningAt === undefined || sim.behaviour.unhealthy) return false;
    return this.clock.now() - sim.runningAt >= (sim.behaviour.healthyAfterMs ?? 1000);
  }

  /** The behaviour a running task was launched with (for the simulated traffic it serves). */
  behaviourOfTask(taskId: string): SimulatedBehaviour | undefined {
    return this.tasks.get(taskId)?.behaviour;
  }

  async close(): Promise<void> {
    for (const sim of this.tasks.values()) for (const t of sim.timers) this.clock.clearTimeout(t);
    this.tasks.clear();
  }
}
