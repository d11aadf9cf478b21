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
