import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { exec } from '../core/exec.js';

/**
 * Runs a user's multi-line script on the runner as GitHub's own `run:` does: written to a file
 * byte for byte and handed to the shell as a path — never `-c` with a string built from inputs,
 * never lines joined with `;`. `bash` means `bash --noprofile --norc -eo pipefail {0}` and `sh`
 * means `sh -e {0}`, as on GitHub; anything else is a command whose `{0}` is the script's path
 * (appended when absent), split on spaces like a workflow's `shell:`.
 */

export const BASH = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '{0}'] as const;
export const SH = ['sh', '-e', '{0}'] as const;

export function parseShell(value: string | undefined, fallback: readonly string[], input = 'shell'): string[] {
  const text = (value ?? '').trim();
  if (text === '') return [...fallback];
  if (text === 'bash') return [...BASH];
  if (text === 'sh') return [...SH];
  const words = text.split(/\s+/);
  if (words.some((w) => /[;&|<>`$()]/.test(w))) {
    throw new InputError(input, text, '`bash`, `sh`, or a program with arguments such as `bash -e {0}` or `python3 {0}` (no shell operators)');
  }
  return words.includes('{0}') ? words : [...words, '{0}'];
}

export function shellArgs(shell: readonly string[], scriptPath: string): { command: string; args: string[] } {
  const [command, ...rest] = shell;
  if (!command) throw new InputError('shell', '', 'a program to run the script with');
  return { command, args: rest.map((a) => (a === '{0}' ? scriptPath : a)) };
}

export interface ScriptRun {
  script: string;
  shell: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ScriptResult {
  exitCode: number;
  durationMs: number;
  cancelled: boolean;
  timedOut: boolean;
}

export async function runScript(run: ScriptRun): Promise<ScriptResult> {
  const dir = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), 'ctp-script-'));
  const file = path.join(dir, `${randomBytes(4).toString('hex')}.sh`);
  try {
    writeFileSync(file, run.script, { mode: 0o700 });
    const { command, args } = shellArgs(run.shell, file);
    const result = await exec(command, args, {
      cwd: run.cwd,
      env: run.env,
      maxCaptureBytes: 64 * 1024, // the output streams to the log; only a tail is worth keeping
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
    });
    return { exitCode: result.exitCode, durationMs: result.durationMs, cancelled: result.aborted, timedOut: result.timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
