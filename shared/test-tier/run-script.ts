import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec } from '../core/exec.js';
import { scriptCommand } from '../core/shell.js';

/**
 * Runs a user's multi-line script on the runner as GitHub's own `run:` does: written to a file
 * byte for byte and handed to the shell (core/shell.ts) as a path — never `-c` with a string
 * built from inputs, never lines joined with `;`.
 */
export interface ScriptRun {
  script: string;
  shell: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called with the shell's process group once it has started (for the post step's cleanup). */
  onStart?: (processGroup: number) => void;
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
    const { command, args } = scriptCommand(run.shell, file);
    const result = await exec(command, args, {
      cwd: run.cwd,
      env: run.env,
      maxCaptureBytes: 64 * 1024, // the output streams to the log; only a tail is worth keeping
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {}),
      ...(run.onStart ? { onSpawn: run.onStart } : {}),
    });
    return { exitCode: result.exitCode, durationMs: result.durationMs, cancelled: result.aborted, timedOut: result.timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
