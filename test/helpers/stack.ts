import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../local/runner/run-bundle.js';

/** The running local stack (bash local/stack.sh up), as tests need it. */
export interface LocalStack {
  registry: string;
  username: string;
  password: string;
  baseImage: string;
}

let cached: LocalStack | undefined;

export function localStack(): LocalStack {
  if (cached) return cached;
  const out = spawnSync('bash', [path.join(repoRoot, 'local/stack.sh'), 'env'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`the local stack is not up (run 'bash local/stack.sh up'): ${out.stderr}`);
  const vars = Object.fromEntries(
    out.stdout
      .split('\n')
      .map((l) => /^export (\w+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  ) as Record<string, string>;
  cached = {
    registry: vars.CTP_REGISTRY!,
    username: vars.CTP_REGISTRY_USER!,
    password: readFileSync(vars.CTP_REGISTRY_PASSWORD_FILE!, 'utf8').trim(),
    baseImage: vars.CTP_BASE_IMAGE!,
  };
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

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
