/**
 * The CLI as engineers run it: prints the env to export, serves the SDK, keeps state, and exits
 * cleanly on SIGTERM / SIGINT.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand, ECSClient } from '@aws-sdk/client-ecs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

async function startCli(args: string[]) {
  const child = spawn(tsx, ['local/ecs/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('AWS_SECRET_ACCESS_KEY')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`CLI did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  return { child, env, stderr: () => stderr };
}

describe('local-ecs CLI', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints the env to export, serves the SDK and stops cleanly on ${signal}`, async () => {
      const { child, env, stderr } = await startCli(['--mode', 'simulated', '--time-scale', '10']);
      expect(Object.keys(env).sort()).toEqual(
        [
          'AWS_ACCESS_KEY_ID',
          'AWS_DEFAULT_REGION',
          'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
          'AWS_ENDPOINT_URL_CLOUDWATCH',
          'AWS_ENDPOINT_URL_ECR',
          'AWS_ENDPOINT_URL_ECS',
          'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
          'AWS_REGION',
          'AWS_SECRET_ACCESS_KEY',
        ].sort(),
      );
      // One endpoint for every service the emulator speaks.
      expect(env.AWS_ENDPOINT_URL_CLOUDWATCH).toBe(env.AWS_ENDPOINT_URL_ECS);
      expect(env.AWS_ENDPOINT_URL_ECS).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new ECSClient({
        endpoint: env.AWS_ENDPOINT_URL_ECS,
        region: env.AWS_REGION,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
      });
      await client.send(new CreateClusterCommand({ clusterName: 'from-cli' }));
      const out = await client.send(new DescribeClustersCommand({ clusters: ['from-cli'] }));
      expect(out.clusters?.[0]?.status).toBe('ACTIVE');
      client.destroy();
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stderr()).toContain(`${signal}: stopping`);
      expect(stderr()).toContain('[local-ecs] stopped');
    });
  }

  it.each([
    [['--mode', 'cloud'], '--mode must be simulated or docker'],
    [['--fault-5xx', '20'], '--fault-5xx is a share of calls between 0 and 1'],
  ])('refuses bad flags with a usage message: %j', async (args, message) => {
    const child = spawn(tsx, ['local/ecs/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('injects the faults its --fault-* flags ask for, on the chosen operations only', async () => {
    const { child, env } = await startCli(['--fault-throttle', '1', '--fault-operations', 'ListClusters']);
    const client = new ECSClient({
      endpoint: env.AWS_ENDPOINT_URL_ECS,
      region: env.AWS_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      await client.send(new CreateClusterCommand({ clusterName: 'faulty' }));
      const error = await client.send(new ListClustersCommand({})).catch((e: unknown) => e as Error);
      expect((error as Error).name).toBe('ThrottlingException');
    } finally {
      client.destroy();
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });
});
