/**
 * Test helper for anything that talks to ECS: starts the local emulator and hands back SDK
 * clients already pointed at it (dummy credentials), plus the env vars for running an action's
 * bundle in a child process.
 *
 *   const env = await withLocalEcs({ timeScale: 20 });
 *   afterAll(() => env.stop());
 *   await env.ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
 *   spawn('node', ['dist/ecs-rolling-deploy/index.js'], { env: { ...process.env, ...env.local.env() } });
 */
import { localStack } from './stack.js';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { startLocalEcs, type LocalEcs, type LocalEcsOptions, type RegistryConfig } from '../../local/ecs/index.js';
import { POLL_INTERVAL_ENV } from '../../shared/core/poll.js';

export interface LocalEcsEnv {
  local: LocalEcs;
  ecs: ECSClient;
  ecr: ECRClient;
  stop(): Promise<void>;
}

export async function withLocalEcs(options: LocalEcsOptions = {}): Promise<LocalEcsEnv> {
  const local = await startLocalEcs(options);
  const config = {
    endpoint: local.endpoint,
    region: local.region,
    credentials: local.credentials,
    // Fail fast in tests: the emulator is local, a retry only hides a bug.
    maxAttempts: 1,
  };
  const ecs = new ECSClient(config);
  const ecr = new ECRClient(config);
  return {
    local,
    ecs,
    ecr,
    async stop() {
      ecs.destroy();
      ecr.destroy();
      await local.stop();
    },
  };
}

/**
 * Registers one revision of `family` per image, in order (of a new family, revision n runs
 * images[n-1]): a single essential container `app` listening on 8080.
 */
export async function registerAppRevisions(ecs: ECSClient, family: string, images: readonly string[]): Promise<void> {
  for (const image of images) {
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        containerDefinitions: [{ name: 'app', image, essential: true, portMappings: [{ containerPort: 8080 }] }],
      }),
    );
  }
}

/**
 * The local stack's registry, found the one way every helper finds the stack (`local/stack.sh
 * env`, see stack.ts). Throws when the stack is not up: a test that needs it fails, never skips.
 */
export function localRegistry(): RegistryConfig {
  const stack = localStack();
  return { host: stack.registry, username: stack.username, password: stack.password };
}

/** The engine's default poll interval against AWS's ECS: every 2 s. */
const ECS_POLL_MS = 2_000;
/** The least real interval a test asks for: fast enough for 30x, light on a shared 2-core machine. */
const MIN_REAL_POLL_MS = 100;

/**
 * The action's poll interval at the emulator's pace: 2 s of emulated time (what the action polls
 * AWS at) in real milliseconds, never under 100 ms. At 30x that is 100 ms real (3 s emulated).
 */
export function emulatedPollIntervalMs(timeScale: number): number {
  return Math.max(MIN_REAL_POLL_MS, Math.round(ECS_POLL_MS / timeScale));
}

/**
 * The emulator, with env() also setting the action's poll interval at the emulator's pace
 * (COMMIT_TO_PROD_POLL_INTERVAL_MS), so a bundle run against a 30x clock polls every 3 emulated
 * seconds instead of every 60 (2 s real). The emulator's own clock says how fast it runs.
 */
export function pollingAtEmulatedPace(local: LocalEcs): LocalEcs {
  const pace = { [POLL_INTERVAL_ENV]: String(emulatedPollIntervalMs(local.clock.timeScale)) };
  return { ...local, env: () => ({ ...local.env(), ...pace }) };
}
