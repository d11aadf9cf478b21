/**
 * What the demo needs running, brought up by itself: the local stack (Docker, the htpasswd
 * registry, the busybox base image; `local/stack.sh up` is idempotent) and the ECS emulator in
 * docker mode, whose tasks are real containers behind a real local load balancer.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../runner/run-bundle.js';

export interface StackInfo {
  registry: string;
  username: string;
  password: string;
  baseImage: string;
}

export function bringUpStack(log: (line: string) => void): StackInfo {
  log('local stack: bash local/stack.sh up');
  const up = spawnSync('bash', [path.join(repoRoot, 'local/stack.sh'), 'up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (up.status !== 0) throw new Error(`the local stack did not come up (local/stack.sh up exited ${up.status}):\n${up.stderr.trim()}`);
  const env = spawnSync('bash', [path.join(repoRoot, 'local/stack.sh'), 'env'], { encoding: 'utf8' });
  if (env.status !== 0) throw new Error(`local/stack.sh env failed: ${env.stderr.trim()}`);
  const vars: Record<string, string> = {};
  for (const line of env.stdout.split('\n')) {
    const m = /^export (\w+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!;
  }
  const need = (name: string) => {
    const v = vars[name];
    if (!v) throw new Error(`local/stack.sh env gave no ${name}`);
    return v;
  };
  return {
    registry: need('CTP_REGISTRY'),
    username: need('CTP_REGISTRY_USER'),
    password: readFileSync(need('CTP_REGISTRY_PASSWORD_FILE'), 'utf8').trim(),
    baseImage: need('CTP_BASE_IMAGE'),
  };
}

/** The part of the ECS emulator's interface (local/ecs/index.ts) the demo uses. */
export interface LocalEcsHandle {
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  env(): Record<string, string>;
  configureTargetGroup(
    targetGroupArn: string,
    healthCheck: Partial<{ path: string; intervalMs: number; timeoutMs: number; healthyThreshold: number; unhealthyThreshold: number }>,
  ): void;
  loadBalancerUrl(cluster: string, service: string): string;
  stop(): Promise<void>;
}

interface LocalEcsModule {
  startLocalEcs(options: {
    mode: 'docker';
    registry: { host: string; username: string; password: string };
    deregistrationDelayMs?: number;
    healthCheck?: Partial<{ path: string; intervalMs: number; timeoutMs: number; healthyThreshold: number; unhealthyThreshold: number }>;
    log?: (line: string) => void;
  }): Promise<LocalEcsHandle>;
}

export async function startEcsEmulator(stack: StackInfo, log: (line: string) => void): Promise<LocalEcsHandle> {
  // Loaded by path at run time: the emulator is its own part of local/ and the demo only needs
  // the few calls above.
  const specifier: string = '../ecs/index.js';
  let mod: LocalEcsModule;
  try {
    mod = (await import(specifier)) as LocalEcsModule;
  } catch (e) {
    throw new Error(`the ECS emulator (local/ecs/index.ts) could not be loaded: ${(e as Error).message}`);
  }
  log('ECS emulator: docker mode (tasks are containers behind a local load balancer)');
  return mod.startLocalEcs({
    mode: 'docker',
    registry: { host: stack.registry, username: stack.username, password: stack.password },
    // The demo's releases answer in milliseconds: short delays keep the rollouts short without
    // changing what happens in them.
    deregistrationDelayMs: 2_000,
    healthCheck: { path: '/cgi-bin/health', intervalMs: 1_000, timeoutMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 },
  });
}
