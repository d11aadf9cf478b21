import { spawn } from 'node:child_process';
import { neutraliseLogText } from './log-text.js';
import { maskSecrets } from './secrets.js';

/**
 * Runs a program with an argument array (never a shell string), streaming its output live,
 * capturing it, with a timeout and cancellation. Secrets go in on stdin; any that reach an
 * echoed command line or an output line are masked.
 */
export interface ExecOptions {
  cwd?: string;
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; stdin is closed at once when absent. */
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Echo `[command] …` and each output line to this process's stdout (default true). */
  stream?: boolean;
  /** Extra values to mask, beyond those registered with registerSecret. */
  secrets?: readonly string[];
  /** Called for each complete output line, after masking. */
  onLine?: (line: string, from: 'stdout' | 'stderr') => void;
  /** Called once the program has started, with its pid, which is also its process group's id. */
  onSpawn?: (pid: number) => void;
  /** Bytes of each stream kept in memory; beyond this the head is dropped (default 8 MiB). */
  maxCaptureBytes?: number;
  /** Between SIGTERM and SIGKILL on timeout or cancellation (default 5 s). */
  killGraceMs?: number;
}

export interface ExecResult {
  commandLine: string;
  /** The exit code, or 128 + signal number when the program was killed by a signal. */
  exitCode: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
}

export class ExecError extends Error {
  override name = 'ExecError';
  constructor(
    message: string,
    readonly result: ExecResult,
  ) {
    super(message);
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** How a command line reads in a log: arguments with spaces or quotes are quoted. */
export function displayCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (a === '' || /[\s"'\\$`]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  private partial = '';
  constructor(
    private readonly limit: number,
    private readonly onLine: (line: string) => void,
  ) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }
  end(): string {
    if (this.partial !== '') this.onLine(this.partial);
    this.partial = '';
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const { stream = true, secrets = [], maxCaptureBytes = 8 * 1024 * 1024, killGraceMs = 5_000 } = options;
  const commandLine = maskSecrets(displayCommand(command, args), secrets);
  // Arguments carry outside text (paths, image names): the echoed line must not become a command.
  if (stream) process.stdout.write(`[command]${neutraliseLogText(commandLine)}\n`);
  const started = Date.now();

  return new Promise<ExecResult>((resolve, reject) => {
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout or cancellation stops the program's children too
      // (a shell's `sleep`, docker's plugins), not only the program itself.
      detached: true,
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const emit = (from: 'stdout' | 'stderr') => (line: string) => {
      const masked = maskSecrets(line, secrets);
      if (stream) process.stdout.write(`${masked}\n`);
      options.onLine?.(masked, from);
    };
    const out = new Capture(maxCaptureBytes, emit('stdout'));
    const err = new Capture(maxCaptureBytes, emit('stderr'));
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));

    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig); // the group is gone already; make sure the program itself is
      }
    };
    const stop = () => {
      // The group is signalled even when the program itself has exited: a background child it
      // left behind may still hold the output open, and would otherwise outlive the timeout.
      if (killTimer) return;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), killGraceMs);
      killTimer.unref();
    };
    const timeout = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdin.on('error', () => {}); // a program that exits without reading stdin is not an error
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();

    child.on('error', (error: NodeJS.ErrnoException) => {
      if (timeout) clearTimeout(timeout);
      options.signal?.removeEventListener('abort', onAbort);
      reject(
        error.code === 'ENOENT'
          ? new ExecError(`'${command}' was not found on PATH`, {
              commandLine,
              exitCode: 127,
              signal: null,
              stdout: '',
              stderr: '',
              durationMs: Date.now() - started,
              timedOut,
              aborted,
            })
          : error,
      );
    });
    child.on('close', (code, signal) => {
      if (timeout) clearTimeout(timeout);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({
        commandLine,
        exitCode: code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 1) : 1),
        signal,
        stdout: out.end(),
        stderr: err.end(),
        durationMs: Date.now() - started,
        timedOut,
        aborted,
      });
    });
  });
}

/** Like exec, but a non-zero exit becomes an ExecError whose message ends with stderr's tail. */
export async function execChecked(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const result = await exec(command, args, options);
  if (result.exitCode !== 0) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : result.aborted ? 'was cancelled' : `exited with code ${result.exitCode}`;
    const tail = lastLines(result.stderr || result.stdout, 5);
    throw new ExecError(`${result.commandLine.split(' ').slice(0, 3).join(' ')} ${why}${tail ? `: ${tail}` : ''}`, result);
  }
  return result;
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
