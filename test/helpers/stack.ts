import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readLocalStack, type LocalStackInfo } from '../../local/stack-env.js';

/** The running local stack (bash local/stack.sh up), as tests need it. */
export type LocalStack = LocalStackInfo;

let cached: LocalStack | undefined;

export function localStack(): LocalStack {
  cached ??= readLocalStack();
  return cached;
}

/** A private Docker config directory logged in to the local registry (password on stdin). */
export function loggedInDockerConfig(stack = localStack()): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-docker-config-'));
  execFileSync('docker', ['--config', dir, 'login', '--username', stack.username, '--password-stdin', stack.registry], {
    input: stack.password,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  return dir;
}

/** Kept here for the files that import it from this module; it lives in parallel.ts. */
export { uniqueName } from './parallel.js';
