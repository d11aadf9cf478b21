import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/core/errors.js';
import { createDockerConfig, dockerLogin, removeDockerConfig } from '../../shared/docker/config.js';
import { localStack } from '../helpers/stack.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { fakeClock } from '../helpers/fake-clock.js';

// Against the real registry with htpasswd auth.
describe('docker login into a private config', () => {
  const stack = localStack();

  it('logs in with the password on stdin, writing only to the private config', async () => {
    const dir = createDockerConfig();
    try {
      const logger = new MemoryLogger();
      await dockerLogin(dir, { registry: stack.registry, username: stack.username, password: stack.password }, { logger });
      const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
      expect(Object.keys(config.auths)).toContain(stack.registry);
      expect(logger.text).toContain(`Logged in to ${stack.registry} as ${stack.username}.`);
    } finally {
      removeDockerConfig(dir);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('a refused login names the registry and the user, not the password, and is not retried', async () => {
    const dir = createDockerConfig();
    const logger = new MemoryLogger();
    const clock = fakeClock();
    try {
      const error = await dockerLogin(dir, { registry: stack.registry, username: 'mallory', password: 'wrong-pass-123' }, { logger, clock }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(new RegExp(`^Registry ${stack.registry.replace(/\./g, '\\.')} refused the login of user 'mallory'`));
      expect((error as Error).message).not.toContain('wrong-pass-123');
      expect(clock.sleeps.length).toBe(0);
    } finally {
      removeDockerConfig(dir);
    }
  });

  it('retries a registry that does not answer, then says so', async () => {
    const dir = createDockerConfig();
    const logger = new MemoryLogger();
    const clock = fakeClock();
    try {
      await expect(dockerLogin(dir, { registry: '127.0.0.1:1', username: 'u', password: 'p-secret-1' }, { logger, attempts: 3, clock })).rejects.toThrow(
        /Could not log in to registry 127\.0\.0\.1:1 as 'u' after 3 attempts/,
      );
      expect(clock.sleeps.length).toBe(2);
      expect(logger.annotations.filter((a) => a.level === 'warning')).toHaveLength(2);
    } finally {
      removeDockerConfig(dir);
    }
  });
});
