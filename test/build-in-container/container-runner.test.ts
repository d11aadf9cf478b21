import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImagePullError, newContainerName, removeContainers, runInContainer } from '../../shared/container/runner.js';
import { MemoryLogger } from '../helpers/memory-logger.js';
import { localStack, uniqueName } from '../helpers/stack.js';
import { execFileSync } from 'node:child_process';

// The shared runner called directly (as run-test-tier does), with a MemoryLogger.
const stack = localStack();
const workspace = mkdtempSync(path.join(tmpdir(), 'runner-ws-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const job = (script: string) => ({
  name: newContainerName('ctp-test'),
  image: stack.baseImage,
  pull: 'missing' as const,
  script,
  shell: ['sh', '-e'],
  workspace,
});

describe('runInContainer', () => {
  it('says a silent build is still running, with the time elapsed', async () => {
    const logger = new MemoryLogger();
    const result = await runInContainer({ ...job('sleep 3\necho done'), forwardContext: false }, { logger, quietNoticeMs: 1_000, hostEnv: {} });
    expect(result.exitCode).toBe(0);
    expect(result.tail).toEqual(['done']);
    expect(logger.text).toMatch(/… still running in ctp\/busybox:latest \(\d(\.\d)?s elapsed, no output for 1s\)/);
  });

  it('refuses an absent image under pull `never` without starting anything', async () => {
    const logger = new MemoryLogger();
    const spec = { ...job('true'), image: `ctp-absent-${uniqueName('img').toLowerCase()}:1`, pull: 'never' as const };
    const error = await runInContainer(spec, { logger, hostEnv: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImagePullError);
    expect((error as Error).message).toMatch(/is not present on this runner, and pull is `never`/);
  });

  it('removeContainers removes every container with the label, running or not', async () => {
    const label = `commit-to-prod.container=${uniqueName('leftover')}`;
    for (const cmd of [['sleep', '60'], ['true']]) {
      execFileSync('docker', ['run', '-d', '--label', label, '--entrypoint', cmd[0]!, stack.baseImage, ...cmd.slice(1)], { stdio: 'ignore' });
    }
    const logger = new MemoryLogger();
    expect(await removeContainers(label, logger)).toBe(2);
    expect(execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8' }).trim()).toBe('');
    expect(await removeContainers(label, logger)).toBe(0);
  });
});

describe('runInContainer without a usable Docker', () => {
  it('says the engine is unreachable, as a user error', async () => {
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    try {
      const error = await runInContainer({ ...job('true') }, { logger: new MemoryLogger(), hostEnv: {} }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('UserError');
      expect((error as Error).message).toMatch(/^The Docker engine is not reachable from this runner: .*nonexistent/);
    } finally {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    }
  });

  it('says the docker CLI is missing, as a user error', async () => {
    const previous = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const error = await runInContainer({ ...job('true') }, { logger: new MemoryLogger(), hostEnv: {} }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/docker CLI is not on this runner's PATH/);
    } finally {
      process.env.PATH = previous;
    }
  });
});
