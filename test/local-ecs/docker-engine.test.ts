/**
 * The emulator's health-check exec through the Engine API on the daemon's socket
 * (local/ecs/docker-engine.ts), against the real daemon: exit codes as `docker exec` reports them,
 * a command past its timeout and a stopped container are failed checks, and a socket that is not
 * the CLI's daemon (or a daemon not on a Unix socket) leaves the caller on the docker CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerOk } from '../../local/ecs/docker-cli.js';
import { ELSEWHERE, engineExec, engineSocket } from '../../local/ecs/docker-engine.js';
import { localStack, uniqueName } from '../helpers/stack.js';

const name = uniqueName('engine-exec');
let socket: string;

beforeAll(async () => {
  socket = engineSocket()!;
  await dockerOk(['run', '--detach', '--name', name, '--network', 'none', localStack().baseImage, 'sleep', '300']);
}, 60_000);

afterAll(async () => {
  await dockerOk(['rm', '--force', name]);
});

describe('engineExec', () => {
  it('answers the exit code of the command, as docker exec does', async () => {
    expect(await engineExec(socket, name, ['true'], 10_000)).toBe(0);
    expect(await engineExec(socket, name, ['sh', '-c', 'exit 3'], 10_000)).toBe(3);
    // A command that is not in the image: the exit code docker exec gives it.
    expect(await engineExec(socket, name, ['no-such-command'], 10_000)).toBe(126);
  });

  it('a command past its timeout, or a stopped container, is a failed check (undefined)', async () => {
    const started = Date.now();
    expect(await engineExec(socket, name, ['sleep', '30'], 500)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await engineExec(socket, name, ['true'], 10_000)).toBe(0);
    // A stopped container: the daemon refuses the exec (409).
    await dockerOk(['stop', '--time', '0', name]);
    expect(await engineExec(socket, name, ['true'], 10_000)).toBeUndefined();
    await dockerOk(['start', name]);
  });

  it("answers ELSEWHERE where the socket is not the docker CLI's daemon: nothing listens, or it has no such container", async () => {
    expect(await engineExec('/nonexistent/docker.sock', name, ['true'], 10_000)).toBe(ELSEWHERE);
    expect(await engineExec(socket, `${name}-gone`, ['true'], 10_000)).toBe(ELSEWHERE);
  });

  it('uses the Unix socket DOCKER_HOST names, and none for a daemon over TCP or SSH', () => {
    expect(engineSocket({})).toBe('/var/run/docker.sock');
    expect(engineSocket({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe('/run/user/1000/docker.sock');
    expect(engineSocket({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBeUndefined();
    expect(engineSocket({ DOCKER_HOST: 'ssh://me@host' })).toBeUndefined();
  });
});
