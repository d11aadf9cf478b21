import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './parallel.js';
import type { LocalStack } from './stack.js';

/**
 * Another private registry beside the stack's: Debian's docker-registry (the same binary the
 * stack runs) on a free loopback port, with its own htpasswd user, so a test can prove that
 * logins to two registries add up. `stop()` ends the process this started, by its pid.
 */
export interface SecondRegistry extends LocalStack {
  stop(): void;
}

export async function startSecondRegistry(baseImage: string): Promise<SecondRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-registry2-'));
  const port = await freePort();
  const username = 'second';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  execFileSync('htpasswd', ['-iBc', path.join(dir, 'htpasswd'), username], { input: password, stdio: ['pipe', 'ignore', 'ignore'] });
  writeFileSync(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: error }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      `auth: { htpasswd: { realm: second, path: ${path.join(dir, 'htpasswd')} } }`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  const registry = `127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 80; i++) {
    const status = await fetch(`http://${registry}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return { registry, username, password, baseImage, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`docker-registry did not answer on ${registry}`);
}

/** Pushes `image` to `registry` as `repo:tag` with a throw-away login, then removes the local tag. */
export function seedImage(second: LocalStack, image: string, repo: string): string {
  const config = mkdtempSync(path.join(tmpdir(), 'ctp-seed-config-'));
  const ref = `${second.registry}/${repo}`;
  try {
    execFileSync('docker', ['--config', config, 'login', '--username', second.username, '--password-stdin', second.registry], {
      input: second.password,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    execFileSync('docker', ['tag', image, ref]);
    execFileSync('docker', ['--config', config, 'push', ref], { stdio: 'ignore' });
    execFileSync('docker', ['rmi', ref], { stdio: 'ignore' });
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
  return ref;
}
