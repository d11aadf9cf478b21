/**
 * The running local stack as `local/stack.sh env` describes it: the one way the tests, the
 * benchmarks and the demo find the registry, its credentials and the base image, so no code
 * carries a path or a password of one machine.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LocalStackInfo {
  registry: string;
  username: string;
  password: string;
  baseImage: string;
}

const stackScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'stack.sh');

/** Reads the stack's variables; throws, saying how to start it, when it is not up. */
export function readLocalStack(): LocalStackInfo {
  const out = spawnSync('bash', [stackScript, 'env'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`the local stack is not up (run 'bash local/stack.sh up'): ${out.stderr.trim()}`);
  const vars: Record<string, string> = {};
  for (const line of out.stdout.split('\n')) {
    const m = /^export (\w+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!;
  }
  const need = (name: string) => {
    const value = vars[name];
    if (!value) throw new Error(`local/stack.sh env gave no ${name}`);
    return value;
  };
  return {
    registry: need('CTP_REGISTRY'),
    username: need('CTP_REGISTRY_USER'),
    password: readFileSync(need('CTP_REGISTRY_PASSWORD_FILE'), 'utf8').trim(),
    baseImage: need('CTP_BASE_IMAGE'),
  };
}

/** `local/stack.sh up` (idempotent), then the stack's variables. */
export function bringUpLocalStack(log: (line: string) => void): LocalStackInfo {
  log('local stack: bash local/stack.sh up');
  const up = spawnSync('bash', [stackScript, 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (up.status !== 0) throw new Error(`the local stack did not come up (local/stack.sh up exited ${up.status}):\n${up.stderr.trim()}`);
  return readLocalStack();
}
