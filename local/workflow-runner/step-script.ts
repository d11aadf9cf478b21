/**
 * A `run:` step as the Actions runner runs it on Linux: the script written to a file and run by
 * `bash --noprofile --norc -eo pipefail {0}` (or the `shell:` asked for), the GITHUB_OUTPUT,
 * GITHUB_ENV, GITHUB_PATH and GITHUB_STEP_SUMMARY files read back afterwards, workflow commands
 * (`::add-mask::`, `::error::`, groups…) understood on the output, and every mask applied to the
 * log.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StepResult } from '../runner/run-bundle.js';
import { StepLog } from '../runner/step-log.js';
import { parseFileCommands } from '../runner/workflow-commands.js';

/** What a `run:` step leaves, in the same terms as a bundle step's result (local/runner). */
export interface ScriptResult extends Pick<StepResult, 'exitCode' | 'outputs' | 'env' | 'path' | 'summary' | 'annotations' | 'masks' | 'log' | 'durationMs'> {
  timedOut: boolean;
  /** The run was cancelled while the script ran: it was sent SIGINT (then SIGTERM, then killed). */
  cancelled: boolean;
}

export interface ScriptOptions {
  script: string;
  /** The step's `shell:` (default bash, as on GitHub when bash is present). */
  shell?: string;
  cwd: string;
  env: Record<string, string>;
  runnerTemp: string;
  masks: readonly string[];
  timeoutMs?: number;
  /**
   * Aborted when the run is cancelled: as the Actions runner does, the step's entry process (the
   * shell) gets SIGINT, SIGTERM 7.5 s later, and 2.5 s after that its whole process tree is killed.
   */
  signal?: AbortSignal;
  onLog?: (line: string) => void;
}

/** The runner's escalation on cancel (docs: "Workflow cancellation reference"). */
export const CANCEL_SIGTERM_AFTER_MS = 7_500;
export const CANCEL_KILL_AFTER_MS = 10_000;

/** GitHub's shell shorthands on Linux; anything else must be a template with `{0}`. */
export function shellCommand(shell: string | undefined, file: string): string[] {
  const s = (shell ?? '').trim();
  if (s === '' || s === 'bash') return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', file];
  if (s === 'sh') return ['sh', '-e', file];
  if (s === 'python') return ['python3', file];
  if (s.includes('{0}')) return s.split(/\s+/).map((part) => part.replace('{0}', file));
  throw new Error(`shell '${s}' is not supported by the local runner: use bash, sh, python or a command with {0}`);
}

/** Process groups of the scripts running now, for a hard stop (the CLI's second Ctrl-C). */
const running = new Set<number>();

/** Kills every running script's process tree at once: the run is being abandoned, not cancelled. */
export function killRunningScripts(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function runStepScript(options: ScriptOptions): Promise<ScriptResult> {
  const dir = mkdtempSync(path.join(options.runnerTemp, 'step-'));
  const file = path.join(dir, 'script.sh');
  writeFileSync(file, options.script);
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const [command, ...args] = shellCommand(options.shell, file);
  const started = Date.now();
  // Its own process group, so a timeout stops everything the script started.
  const child = spawn(command!, args, { cwd: options.cwd, env: { ...options.env, ...files }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  const log = new StepLog({
    masks: options.masks,
    debug: options.env.RUNNER_DEBUG === '1',
    env: options.env,
    ...(options.onLog ? { onLine: options.onLog } : {}),
  });
  const out = log.stream();
  const err = log.stream();
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, options.timeoutMs);
  let cancelled = false;
  const cancelTimers: NodeJS.Timeout[] = [];
  const signalProcess = (target: number, signal: NodeJS.Signals) => {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  };
  const onAbort = () => {
    if (cancelled || child.exitCode !== null || child.signalCode !== null) return;
    cancelled = true;
    log.show('##[error]The operation was canceled.');
    // The entry process only, as the runner does: a script that wants to clean up traps SIGINT.
    signalProcess(child.pid!, 'SIGINT');
    cancelTimers.push(
      setTimeout(() => signalProcess(child.pid!, 'SIGTERM'), CANCEL_SIGTERM_AFTER_MS),
      setTimeout(() => signalProcess(-child.pid!, 'SIGKILL'), CANCEL_KILL_AFTER_MS),
    );
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  if (child.pid !== undefined) running.add(child.pid);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  }).finally(() => running.delete(child.pid!));
  if (timer) clearTimeout(timer);
  for (const t of cancelTimers) clearTimeout(t);
  options.signal?.removeEventListener('abort', onAbort);
  out.end();
  err.end();
  if (timedOut) log.show(`##[error]The step timed out after ${Math.round((options.timeoutMs ?? 0) / 1000)} s`);
  return {
    // A command the runner could not process (a refused set-env…) fails the step.
    exitCode: timedOut ? 1 : log.commandFailures.length > 0 && code === 0 ? 1 : (code ?? 1),
    outputs: { ...log.legacyOutputs, ...parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')) },
    // A `run:` step has no post step: what it saves with ::save-state:: goes nowhere, as on GitHub.
    env: { ...log.legacyEnv, ...parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')) },
    path: [
      ...log.legacyPath,
      ...readFileSync(files.GITHUB_PATH, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    ],
    summary: log.mask(readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')),
    annotations: log.annotations,
    masks: log.addedMasks,
    log: log.text,
    durationMs: Date.now() - started,
    timedOut,
    cancelled,
  };
}
