/**
 * What the demo needs running, brought up by itself: the local stack (Docker, the htpasswd
 * registry, the busybox base image; `local/stack.sh up` is idempotent) and the ECS emulator in
 * docker mode, whose tasks are real containers behind a real local load balancer.
 */
import { docker } from '../ecs/docker-cli.js';
import { bringUpLocalStack, type LocalStackInfo } from '../stack-env.js';

export type StackInfo = LocalStackInfo;

export function bringUpStack(log: (line: string) => void): StackInfo {
  return bringUpLocalStack(log);
}

/** The ids of the engine's images of `repository` (every tag, and those pulled by digest). */
export async function localImageIds(repository: string): Promise<string[]> {
  const r = await docker(['image', 'ls', '--quiet', '--no-trunc', repository], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`docker image ls ${repository} failed: ${r.stderr.trim()}`);
  return [...new Set(r.stdout.split('\n').filter(Boolean))];
}

/**
 * Removes the images of `repository` the demo added to the engine (built by its image jobs, pulled
 * by its tasks), with their untagged parents: each run builds new ones, and a machine that ran
 * the demo a few dozen times held hundreds of them, which every later build's cache lookup walks.
 * They stay in the registry. Best effort: says what it could not remove.
 */
export async function removeImagesAddedSince(repository: string, before: readonly string[], log: (line: string) => void): Promise<void> {
  const added = (await localImageIds(repository)).filter((id) => !before.includes(id));
  if (added.length === 0) return;
  const r = await docker(['image', 'rm', '--force', ...added], { timeoutMs: 120_000 });
  log(`removed ${added.length} local image(s) of ${repository} this run added${r.code === 0 ? '' : ` (not all: ${r.stderr.trim().split('\n').at(-1)})`}`);
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
  /** The test listener of a service whose load balancer has advancedConfiguration. */
  testListenerUrl(cluster: string, service: string): string;
  /** Green's share (0..100) of the service's production and test traffic now. */
  traffic(cluster: string, service: string): { productionGreen: number; testGreen: number };
  /** The dimensions the service's load balancer publishes its AWS/ApplicationELB metrics under. */
  elbDimensions(cluster: string, service: string): { TargetGroup: string; LoadBalancer: string };
  stop(): Promise<void>;
}

interface LocalEcsModule {
  startLocalEcs(options: {
    mode: 'docker';
    registry: { host: string; username: string; password: string };
    deregistrationDelayMs?: number;
    healthCheck?: Partial<{ path: string; intervalMs: number; timeoutMs: number; healthyThreshold: number; unhealthyThreshold: number }>;
    bakeMinuteMs?: number;
    log?: (line: string) => void;
  }): Promise<LocalEcsHandle>;
}

export async function startEcsEmulator(stack: StackInfo, log: (line: string) => void, bakeMinuteMs?: number): Promise<LocalEcsHandle> {
  // Loaded by path at run time: the emulator is its own part of local/ and the demo only needs
  // the few calls above.
  const specifier: string = '../ecs/index.js';
  let mod: LocalEcsModule;
  try {
    mod = (await import(specifier)) as LocalEcsModule;
  } catch (e) {
    throw new Error(`the ECS emulator (local/ecs/index.ts) could not be loaded: ${(e as Error).message}`);
  }
  log(
    `ECS emulator: docker mode (tasks are containers behind a local load balancer)${bakeMinuteMs === undefined ? '' : `; a minute of a native bake lasts ${bakeMinuteMs / 1000} s`}`,
  );
  return mod.startLocalEcs({
    mode: 'docker',
    registry: { host: stack.registry, username: stack.username, password: stack.password },
    // The demo's releases answer in milliseconds: short delays keep the rollouts short without
    // changing what happens in them.
    deregistrationDelayMs: 2_000,
    healthCheck: { path: '/cgi-bin/health', intervalMs: 1_000, timeoutMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 2 },
    ...(bakeMinuteMs === undefined ? {} : { bakeMinuteMs }),
  });
}
