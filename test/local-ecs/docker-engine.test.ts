/**
 * The emulator's container calls through the Engine API on the daemon's socket
 * (local/ecs/docker-engine.ts), against the real daemon: exec exit codes as `docker exec` reports
 * them, wait, stop, inspect, remove and the labelled list as the CLI's commands do; the socket is
 * used only when it is the daemon the docker CLI talks to, and where it is not, a docker-mode
 * emulator runs, checks, stops and removes its containers through the CLI alone.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateClusterCommand, DescribeTasksCommand, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerOk } from '../../local/ecs/docker-cli.js';
import {
  cliEngine,
  engineContainersLabelled,
  engineExec,
  engineInspect,
  engineRemove,
  engineSocket,
  engineStop,
  engineWait,
} from '../../local/ecs/docker-engine.js';
import { LABEL } from '../../local/ecs/runners/docker.js';
import { localRegistry, withLocalEcs } from '../helpers/local-ecs.js';
import { localStack, uniqueName } from '../helpers/stack.js';
import { waitFor } from './wait.js';

const name = uniqueName('engine-exec');
const label = `ctp-engine-test=${name}`;
const started: string[] = [];
let socket: string;
let daemonId: string;

async function runDetached(containerName: string, ...command: string[]): Promise<string> {
  started.push(containerName);
  return (await dockerOk(['run', '--detach', '--name', containerName, '--label', label, '--network', 'none', localStack().baseImage, ...command])).trim();
}

beforeAll(async () => {
  socket = engineSocket()!;
  daemonId = (await dockerOk(['info', '--format', '{{.ID}}'])).trim();
  await runDetached(name, 'sleep', '300');
}, 60_000);

afterAll(async () => {
  await docker(['rm', '--force', ...started]);
});

describe('engineExec', () => {
  it('answers the exit code of the command, as docker exec does', async () => {
    expect(await engineExec(socket, name, ['true'], 10_000)).toBe(0);
    expect(await engineExec(socket, name, ['sh', '-c', 'exit 3'], 10_000)).toBe(3);
    // A command that is not in the image: the exit code docker exec gives it.
    expect(await engineExec(socket, name, ['no-such-command'], 10_000)).toBe(126);
  });

  it('a command past its timeout, a stopped or removed container, or no daemon is a failed check (undefined)', async () => {
    const begun = Date.now();
    expect(await engineExec(socket, name, ['sleep', '30'], 500)).toBeUndefined();
    expect(Date.now() - begun).toBeLessThan(10_000);
    expect(await engineExec(socket, name, ['true'], 10_000)).toBe(0);
    // A stopped container: the daemon refuses the exec (409).
    await dockerOk(['stop', '--time', '0', name]);
    expect(await engineExec(socket, name, ['true'], 10_000)).toBeUndefined();
    await dockerOk(['start', name]);
    expect(await engineExec(socket, `${name}-gone`, ['true'], 10_000)).toBeUndefined();
    expect(await engineExec('/nonexistent/docker.sock', name, ['true'], 10_000)).toBeUndefined();
  });
});

describe('the container calls after docker run', () => {
  it('wait answers the exit code once the container has exited; an aborted wait answers undefined', async () => {
    const exiting = await runDetached(`${name}-exits`, 'sh', '-c', 'sleep 1; exit 7');
    expect(await engineWait(socket, exiting, new AbortController().signal)).toBe(7);
    const abort = new AbortController();
    const waiting = engineWait(socket, name, abort.signal);
    abort.abort();
    expect(await waiting).toBeUndefined();
    expect(await engineWait(socket, `${name}-gone`, new AbortController().signal)).toBeUndefined();
  });

  it('stop, inspect and remove do what docker stop, inspect and rm --force --volumes do', async () => {
    const id = await runDetached(`${name}-stops`, 'sleep', '300');
    const before = await engineInspect(socket, id, 10_000);
    expect(before?.State).toMatchObject({ Running: true });
    expect(before?.Id).toBe(id);
    expect(await engineStop(socket, id, 0, 30_000)).toBe(true);
    // No grace: SIGKILL at once, 137.
    const after = await engineInspect(socket, id, 10_000);
    expect(after?.State).toMatchObject({ Running: false, ExitCode: 137 });
    // Stopping a stopped container is no error, as with the CLI.
    expect(await engineStop(socket, id, 0, 30_000)).toBe(true);
    expect(await engineContainersLabelled(socket, label, 10_000)).toContain(id);
    expect(await engineRemove(socket, id, 30_000)).toBe(true);
    expect(await engineInspect(socket, id, 10_000)).toBeUndefined();
    expect((await docker(['inspect', id])).code).not.toBe(0);
    expect(await engineContainersLabelled(socket, label, 10_000)).not.toContain(id);
    // Removing what is gone is done.
    expect(await engineRemove(socket, id, 30_000)).toBe(true);
  });
});

describe("the socket is used only when it is the docker CLI's daemon", () => {
  it('answers the socket when its daemon has the ID docker info gave, and nothing otherwise', async () => {
    expect(await cliEngine(daemonId)).toBe(socket);
    expect(await cliEngine('NOT:THE:CLI:DAEMON')).toBeUndefined();
    expect(await cliEngine('')).toBeUndefined();
    expect(await cliEngine(daemonId, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toBeUndefined();
  });

  it('uses the Unix socket DOCKER_HOST names, and none for a daemon over TCP or SSH', () => {
    expect(engineSocket({})).toBe('/var/run/docker.sock');
    expect(engineSocket({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe('/run/user/1000/docker.sock');
    expect(engineSocket({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toBeUndefined();
    expect(engineSocket({ DOCKER_HOST: 'ssh://me@host' })).toBeUndefined();
  });

  it('where the socket is another daemon, a docker-mode emulator runs, checks, stops and removes its containers through the CLI', async () => {
    // The CLI reaches the real daemon through its --host flag (a wrapper first on PATH), while
    // DOCKER_HOST names a socket whose "daemon" has another ID: as with a docker context the CLI
    // uses and a /var/run/docker.sock of another daemon. Every request to that socket is kept.
    const dir = await mkdtemp(path.join(tmpdir(), 'ctp-engine-elsewhere-'));
    const otherSocket = path.join(dir, 'other.sock');
    const asked: string[] = [];
    const other = http.createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/info' ? JSON.stringify({ ID: 'ANOTHER:DAEMON' }) : '{"message":"not here"}');
    });
    await new Promise<void>((resolve) => other.listen(otherSocket, resolve));
    // Not a daemon at all: a server that answers /info with something other than JSON.
    const notDocker = http.createServer((_req, res) => res.end('<html>hello</html>'));
    const notDockerSocket = path.join(dir, 'not-docker.sock');
    await new Promise<void>((resolve) => notDocker.listen(notDockerSocket, resolve));
    expect(await cliEngine(daemonId, { DOCKER_HOST: `unix://${notDockerSocket}` })).toBeUndefined();
    notDocker.close();
    const realDocker = (await dockerOk(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}'])).trim() || `unix://${socket}`;
    const wrapper = path.join(dir, 'bin', 'docker');
    const whichDocker = (process.env.PATH ?? '')
      .split(':')
      .map((d) => path.join(d, 'docker'))
      .find((f) => existsSync(f));
    await mkdir(path.dirname(wrapper), { recursive: true });
    await writeFile(wrapper, `#!/bin/sh\nexec ${JSON.stringify(whichDocker)} --host ${JSON.stringify(realDocker)} "$@"\n`);
    await chmod(wrapper, 0o755);
    const saved = { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST };
    process.env.PATH = `${path.dirname(wrapper)}:${process.env.PATH}`;
    process.env.DOCKER_HOST = `unix://${otherSocket}`;
    const env = await withLocalEcs({ mode: 'docker', timeScale: 10, registry: localRegistry() });
    let instance: string | undefined;
    try {
      await env.ecs.send(new CreateClusterCommand({ clusterName: 'cli' }));
      await env.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'cli-only',
          containerDefinitions: [
            {
              name: 'app',
              image: localStack().baseImage,
              essential: true,
              command: ['sleep', '300'],
              healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, timeout: 5, retries: 1 },
            },
          ],
        }),
      );
      const taskArn = (await env.ecs.send(new RunTaskCommand({ cluster: 'cli', taskDefinition: 'cli-only' }))).tasks?.[0]?.taskArn ?? '';
      const describe = async () => (await env.ecs.send(new DescribeTasksCommand({ cluster: 'cli', tasks: [taskArn] }))).tasks?.[0];
      await waitFor(async () => ((await describe())?.healthStatus === 'HEALTHY' ? true : undefined), 60_000, 200);
      const containers = (await dockerOk(['ps', '--quiet', '--filter', `label=${LABEL}.task=${taskArn.split('/').at(-1)}`])).trim();
      expect(containers).not.toBe('');
      instance = (await dockerOk(['inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, containers])).trim();
      await env.ecs.send(new StopTaskCommand({ cluster: 'cli', task: taskArn }));
      await waitFor(async () => ((await describe())?.lastStatus === 'STOPPED' ? true : undefined), 60_000, 200);
      // The exit code came from `docker inspect`, and the container is gone (`docker rm`).
      expect((await describe())?.containers?.[0]?.exitCode).toBe(137);
      expect((await docker(['inspect', containers])).code).not.toBe(0);
    } finally {
      await env.stop();
      process.env.PATH = saved.PATH;
      if (saved.DOCKER_HOST === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved.DOCKER_HOST;
      other.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(instance).toMatch(/^[0-9a-f]{8}$/);
    expect((await dockerOk(['ps', '--all', '--quiet', '--filter', `label=${LABEL}=${instance}`])).trim()).toBe('');
    // The other socket was asked who it is, and nothing else.
    expect(asked).toEqual(['GET /info']);
  }, 120_000);
});
