/**
 * What lets a test file run beside other files, and beside other worktrees' test runs on the same
 * Docker engine and registry (rules in test/README.md, "Running beside other files").
 */
import net from 'node:net';

/**
 * A name no other test file or run will use: `<prefix>-<time>-<random>`, lowercase letters, digits
 * and dashes, so it is valid for Docker containers, images, tags, volumes, networks and registry
 * repositories (give a lowercase prefix).
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A TCP port on 127.0.0.1 that the OS just handed out and that is free again, for the rare server
 * whose port must be known before it starts (a config file, a command line). Prefer listening on
 * port 0 and reading the port back: between this call and the bind, another process could take it.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
