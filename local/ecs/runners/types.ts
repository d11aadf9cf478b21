/**
 * What the scheduler needs from whatever actually runs a task: start it, stop it, report its
 * life (running, container health, exit, failure to start), and answer the load balancer's health
 * probe. The simulated runner scripts this per image; the docker runner runs real containers.
 */
import type { Container, ContainerDefinitionView, HealthStatus, Task } from '../state.js';

export interface TaskHooks {
  /** Every container started; bindings are per container name. */
  running(bindings: Record<string, Container['networkBindings']>): void;
  containerHealth(containerName: string, status: HealthStatus): void;
  /** A container exited on its own (not because the scheduler stopped the task). */
  exited(containerName: string, exitCode: number, reason?: string): void;
  /** The task never got to RUNNING (e.g. CannotPullContainerError). */
  failedToStart(reason: string): void;
  /** Whether the container's log driver takes its output (otherwise it is not read at all). */
  capturesLogs(containerName: string): boolean;
  /** One line a container wrote to stdout or stderr (for its log driver). */
  log(containerName: string, line: string): void;
}

export interface TaskRunner {
  start(task: Task, containers: ContainerDefinitionView[], hooks: TaskHooks): void;
  /** Stops and removes everything the task runs; resolves with each container's exit code. */
  stop(task: Task): Promise<Record<string, number>>;
  /** The load balancer's health check of one target (a host port of the task). */
  probe(task: Task, host: string, port: number, path: string, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}
