import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localStack, loggedInDockerConfig, uniqueName } from '../helpers/stack.js';

// The real engine and registry that `bash local/stack.sh up` started (CI starts them first).
describe('local stack', () => {
  const stack = localStack();
  const configs: string[] = [];
  afterAll(() => {
    for (const c of configs) rmSync(c, { recursive: true, force: true });
  });

  it('runs a container from the locally built base image', () => {
    const out = execFileSync('docker', ['run', '--rm', stack.baseImage, 'sh', '-c', 'echo hello from $(uname -s)'], { encoding: 'utf8' });
    expect(out.trim()).toBe('hello from Linux');
  });

  it('pushes to the registry with credentials, and the registry serves the manifest back', async () => {
    const config = loggedInDockerConfig(stack);
    configs.push(config);
    const repo = `${stack.registry}/${uniqueName('stack-test')}`;
    execFileSync('docker', ['tag', stack.baseImage, `${repo}:v1`]);
    try {
      const push = execFileSync('docker', ['--config', config, 'push', `${repo}:v1`], { encoding: 'utf8' });
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(push)?.[1];
      expect(digest).toBeDefined();
      const auth = Buffer.from(`${stack.username}:${stack.password}`).toString('base64');
      const res = await fetch(`http://${repo.replace(stack.registry, `${stack.registry}/v2`)}/manifests/v1`, {
        method: 'HEAD',
        headers: { authorization: `Basic ${auth}`, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('docker-content-digest')).toBe(digest);
    } finally {
      execFileSync('docker', ['rmi', `${repo}:v1`], { stdio: 'ignore' });
    }
  });

  it('refuses a push without credentials, and the API answers 401 without auth', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'ctp-no-auth-'));
    configs.push(empty);
    const repo = `${stack.registry}/${uniqueName('stack-noauth')}`;
    execFileSync('docker', ['tag', stack.baseImage, `${repo}:v1`]);
    try {
      const push = spawnSync('docker', ['--config', empty, 'push', `${repo}:v1`], { encoding: 'utf8' });
      expect(push.status).not.toBe(0);
      expect(push.stderr + push.stdout).toMatch(/no basic auth credentials|unauthorized/);
    } finally {
      execFileSync('docker', ['rmi', `${repo}:v1`], { stdio: 'ignore' });
    }
    const res = await fetch(`http://${stack.registry}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic realm="ctp-local"');
  });

  it('refuses a wrong password at login', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bad-login-'));
    configs.push(dir);
    const login = spawnSync('docker', ['--config', dir, 'login', '--username', stack.username, '--password-stdin', stack.registry], {
      input: 'not-the-password',
      encoding: 'utf8',
    });
    expect(login.status).not.toBe(0);
    expect(login.stderr).toMatch(/unauthorized|401/i);
  });
});
