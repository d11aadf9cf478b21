// The local ECS emulator for the benchmarks that deploy against it (simulated tasks, a sped-up
// clock), with an ECS client pointed at it and a record of every request it answered. Kept apart
// from _lib.ts so the benchmarks that do not use the emulator do not load it and the AWS SDK.
//
//   const env = await startBenchEcs({ timeScale: 4, defaultBehaviour: { startMs: 10_000 } });
//   try { ... env.calls.filter((c) => c.operation === 'UpdateService') ... } finally { await env.stop(); }
import { ECSClient } from '@aws-sdk/client-ecs';
import { type LocalEcs, type LocalEcsOptions, startLocalEcs } from '../local/ecs/index.js';

/** One request the emulator answered: when (real time, ms) and which operation (e.g. `UpdateService`). */
export interface BenchCall {
  at: number;
  operation: string;
}

export interface BenchEcs {
  local: LocalEcs;
  ecs: ECSClient;
  /** Every request to the emulator, in the order it logged them. */
  calls: BenchCall[];
  /** Endpoint, region, dummy credentials and no retries: for any other SDK client the benchmark needs. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: LocalEcs['credentials'];
    maxAttempts: number;
  };
  /** Destroys the ECS client and stops the emulator (other clients are the benchmark's to destroy). */
  stop(): Promise<void>;
}

/** `operation` calls per minute among `calls` between `from` and `to` (real ms): a client's polling rate; 0 under two calls. */
export function callsPerMinute(calls: readonly BenchCall[], operation: string, from: number, to: number): number {
  const at = calls.filter((c) => c.operation === operation && c.at >= from && c.at <= to).map((c) => c.at);
  return at.length < 2 ? 0 : (at.length - 1) / ((at.at(-1)! - at[0]!) / 60_000);
}

/** Starts the emulator in simulated mode with `options` (its time scale, task behaviour, health checks...). */
export async function startBenchEcs(options: Omit<LocalEcsOptions, 'mode' | 'log'>): Promise<BenchEcs> {
  const calls: BenchCall[] = [];
  const local = await startLocalEcs({
    ...options,
    mode: 'simulated',
    log: (line) => calls.push({ at: Date.now(), operation: /\.(\w+) /.exec(line)?.[1] ?? line }),
  });
  const clientConfig = { endpoint: local.endpoint, region: local.region, credentials: local.credentials, maxAttempts: 1 };
  const ecs = new ECSClient(clientConfig);
  return {
    local,
    ecs,
    calls,
    clientConfig,
    async stop() {
      ecs.destroy();
      await local.stop();
    },
  };
}
