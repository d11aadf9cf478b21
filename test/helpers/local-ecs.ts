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
import { readFileSync } from 'node:fs';
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
 * The local stack's registry (see local/stack.sh), read from CTP_* env or the shared state dir.
 * Returns undefined when the stack is not up.
 */
export function localRegistry(): RegistryConfig | undefined {
  const stateDir = process.env.CTP_STATE_DIR ?? '/work/main/.local-state';
  const passwordFile = process.env.CTP_REGISTRY_PASSWORD_FILE ?? `${stateDir}/registry/password`;
  try {
    return {
      host: process.env.CTP_REGISTRY ?? '127.0.0.1:5000',
      username: process.env.CTP_REGISTRY_USER ?? 'ctp',
      password: readFileSync(passwordFile, 'utf8').trim(),
    };
  } catch {
    return undefined;
  }
}
