import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { inheritRunnerLogins } from '../../shared/docker/config.js';
import { DOCKER_HUB_AUTH_KEY, findCredentials } from '../../shared/docker/credentials.js';
import { makeCredentialHelper, type TestCredentialHelper } from '../helpers/credential-helper.js';
import { seedImage, startSecondRegistry, type SecondRegistry } from '../helpers/second-registry.js';
import { localStack, uniqueName } from '../helpers/stack.js';
import { registryHeadDigest, removeLocalImages } from './registry.js';

// Logins add up: the step's private Docker config starts from the runner's (auths, credHelpers,
// credsStore), and the read-back finds credentials as the Docker CLI does. Against the real
// engine, the stack's registry and a second docker-registry with its own htpasswd user; the
// credential helper is a real program speaking the helper protocol.
const stack = localStack();
let second: SecondRegistry;
let baseOnSecond: string;
const repos: string[] = [];
let helper: TestCredentialHelper;
const withHelper = () => `${helper.binDir}:${process.env.PATH ?? ''}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

function configDir(config: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-runner-docker-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

function workspaceWith(dockerfile: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-logins-ws-'));
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

beforeAll(async () => {
  second = await startSecondRegistry(stack.baseImage);
  baseOnSecond = seedImage(second, stack.baseImage, `base/${uniqueName('busybox')}`);
  helper = makeCredentialHelper();
}, 60_000);
afterAll(() => {
  second?.stop();
  for (const repo of repos) removeLocalImages(`${stack.registry}/${repo}`);
  removeLocalImages(baseOnSecond);
});

describe('finding credentials in a Docker config', () => {
  it("Docker Hub's index key, keys with a scheme, and nothing for an unknown registry", async () => {
    const dir = configDir({
      auths: { [DOCKER_HUB_AUTH_KEY]: { auth: b64('hubuser:hubpass') }, 'https://ghcr.io': { auth: b64('gh:tok:with:colons') } },
    });
    expect(await findCredentials(dir, 'docker.io')).toEqual({ username: 'hubuser', password: 'hubpass', from: `auths (${DOCKER_HUB_AUTH_KEY})` });
    expect(await findCredentials(dir, 'ghcr.io')).toMatchObject({ username: 'gh', password: 'tok:with:colons' });
    expect(await findCredentials(dir, 'quay.io')).toBeUndefined();
  });

  it('asks a credHelpers entry or the credsStore with the server URL, on stdin; a store hides the file', async () => {
    process.env.PATH = withHelper();
    helper.add(DOCKER_HUB_AUTH_KEY, 'hub-from-helper', 'hub-secret');
    helper.add('ghcr.io', '<token>', 'refresh-token');
    const dir = configDir({ credHelpers: { 'index.docker.io': helper.name } });
    expect(await findCredentials(dir, 'docker.io')).toEqual({ username: 'hub-from-helper', password: 'hub-secret', from: `credHelpers (${helper.name})` });
    expect(helper.calls()).toContain(`get ${DOCKER_HUB_AUTH_KEY}`);
    const store = configDir({ credsStore: helper.name, auths: { 'quay.io': { auth: b64('file:only') } } });
    // An identity token is no password for Basic auth; with a store, the file's entry is not read (as the CLI).
    expect(await findCredentials(store, 'ghcr.io')).toBeUndefined();
    expect(await findCredentials(store, 'quay.io')).toBeUndefined();
    expect(await findCredentials(store, 'docker.io')).toMatchObject({ username: 'hub-from-helper', from: `credsStore (${helper.name})` });
  });

  it("inherits the runner's logins except the step's own registry; a credsStore becomes credHelpers entries", async () => {
    process.env.PATH = withHelper();
    helper.add('https://registry.example.com', 'u', 's');
    const ambient = configDir({
      auths: { [stack.registry]: { auth: b64('old:login') }, 'ghcr.io': { auth: b64('gh:t') }, 'registry.example.com': {} },
      credHelpers: { 'public.ecr.aws': 'ecr-login' },
      credsStore: helper.name,
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
    });
    const mine = mkdtempSync(path.join(tmpdir(), 'ctp-private-'));
    const inherited = await inheritRunnerLogins(mine, { ambientDir: ambient, ownRegistry: stack.registry });
    const written = JSON.parse(readFileSync(path.join(mine, 'config.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(written.auths!)).toEqual(['ghcr.io', 'registry.example.com']);
    // Everything the store lists (the earlier test put Docker Hub and ghcr.io in it) now resolves through it by name.
    expect(written.credHelpers).toEqual({
      'public.ecr.aws': 'ecr-login',
      'registry.example.com': helper.name,
      'index.docker.io': helper.name,
      'ghcr.io': helper.name,
    });
    expect(written).not.toHaveProperty('credsStore');
    expect(inherited.auths).toEqual(['ghcr.io']);
    expect(inherited.warnings).toEqual([]);
  });
});

describe('build-push-image with the runner’s logins', () => {
  it('a FROM on a second private registry, logged in by an earlier step, builds beside the step’s own login', async () => {
    // The "earlier step": a real docker login into the runner's config (DOCKER_CONFIG).
    const runnerConfig = mkdtempSync(path.join(tmpdir(), 'ctp-runner-docker-'));
    execFileSync('docker', ['--config', runnerConfig, 'login', '--username', second.username, '--password-stdin', second.registry], {
      input: second.password,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const before = readFileSync(path.join(runnerConfig, 'config.json'), 'utf8');
    const repo = `logins/${uniqueName('from-second')}`;
    repos.push(repo);
    removeLocalImages(baseOnSecond);
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${baseOnSecond}\nRUN echo built > /built\n`),
      inputs: { image: `${stack.registry}/${repo}`, tags: 'v1', 'registry-username': stack.username, 'registry-password': stack.password },
      env: { DOCKER_CONFIG: runnerConfig },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`Kept the runner's Docker logins beside this step's: ${second.registry}.`);
    expect(await registryHeadDigest(stack, repo, 'v1')).toBe(r.outputs.digest);
    // Our login went to the private config, which the post step removed; the runner's is untouched.
    expect(readFileSync(path.join(runnerConfig, 'config.json'), 'utf8')).toBe(before);
    expect(existsSync(r.state['docker-config']!)).toBe(false);
  });

  it('without a login input, pushes and reads back through a credential helper; with one, nothing is stored in the runner’s credsStore', async () => {
    helper.add(stack.registry, stack.username, stack.password);
    helper.add(second.registry, second.username, second.password);
    const repo = `logins/${uniqueName('helper')}`;
    repos.push(repo);
    const helperConfig = configDir({ credHelpers: { [stack.registry]: helper.name } });
    const viaHelper = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\nRUN echo h > /h\n`),
      inputs: { image: `${stack.registry}/${repo}`, tags: 'h1' },
      env: { DOCKER_CONFIG: helperConfig, PATH: withHelper() },
    });
    expect(viaHelper.exitCode, viaHelper.log).toBe(0);
    expect(viaHelper.log).toContain(`Reading the manifest back as '${stack.username}', from the Docker config's credHelpers (${helper.name}).`);
    expect(await registryHeadDigest(stack, repo, 'h1')).toBe(viaHelper.outputs.digest);

    // A runner whose logins live in a credsStore: the FROM on the second registry resolves
    // through it, our own login does not land in it.
    const storeConfig = configDir({ auths: { [second.registry]: {} }, credsStore: helper.name });
    const callsBefore = helper.calls().length;
    removeLocalImages(baseOnSecond);
    const viaStore = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${baseOnSecond}\nRUN echo s > /s\n`),
      inputs: { image: `${stack.registry}/${repo}`, tags: 's1', 'registry-username': stack.username, 'registry-password': stack.password },
      env: { DOCKER_CONFIG: storeConfig, PATH: withHelper() },
    });
    expect(viaStore.exitCode, viaStore.log).toBe(0);
    const calls = helper.calls().slice(callsBefore);
    expect(calls).toContain('list ');
    expect(calls).toContain(`get ${second.registry}`);
    expect(calls.filter((c) => c.startsWith('store'))).toEqual([]);
    expect(viaStore.log).not.toContain(stack.password);
  });
});
