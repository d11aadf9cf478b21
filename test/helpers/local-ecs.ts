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
import { ECSClient } from '@aws-sdk/client-ecs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { startLocalEcs, type LocalEcs, type LocalEcsOptions, type RegistryConfig } from '../../local/ecs/index.js';

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
 * The local stack's registry, found the one way every helper finds the stack (`local/stack.sh
 * env`, see stack.ts). Throws when the stack is not up: a test that needs it fails, never skips.
 */
export function localRegistry(): RegistryConfig {
  const stack = localStack();
  return { host: stack.registry, username: stack.username, password: stack.password };
}
