import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { localStack, uniqueName } from '../helpers/stack.js';
import { registryConfigLabels, registryManifest, removeLocalImages } from './registry.js';

// BuildKit builds through the bundle. This machine's own docker CLI (28.x) has no buildx, so it
// builds classically; Debian's docker.io client (20.10, /usr/bin/docker) has BuildKit built in
// and reaches the engine's BuildKit with DOCKER_BUILDKIT=1. A runner whose `docker` is that
// client is made by putting a directory first on PATH whose `docker` records its arguments and
// runs /usr/bin/docker: so the tests also see every argument the action passed.
const stack = localStack();
const DEBIAN_DOCKER = '/usr/bin/docker';
const repos: string[] = [];
let bin: string;
let argvLog: string;
const buildkitPath = () => `${bin}:${process.env.PATH ?? ''}`;
const login = () => ({ 'registry-username': stack.username, 'registry-password': stack.password });

function workspaceWith(dockerfile: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bk-ws-'));
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

function newRepo(): string {
  const repo = `bk/${uniqueName('app')}`;
  repos.push(repo);
  return repo;
}

/** Every regular file in `dir`, recursively; gzip-compressed ones unpacked, so a scan sees their bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  const out: { file: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const st = statSync(file);
    if (st.isDirectory()) out.push(...filesUnder(file));
    else if (st.isFile()) {
      const raw = readFileSync(file);
      out.push({ file, bytes: raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw });
    }
  }
  return out;
}

beforeAll(() => {
  expect(existsSync(DEBIAN_DOCKER), 'Debian docker.io client').toBe(true);
  bin = mkdtempSync(path.join(tmpdir(), 'ctp-bk-bin-'));
  argvLog = path.join(bin, 'argv.log');
  writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec ${DEBIAN_DOCKER} "$@"\n`);
  chmodSync(path.join(bin, 'docker'), 0o755);
});
afterAll(() => {
  for (const repo of repos) removeLocalImages(`${stack.registry}/${repo}`);
});

describe('build-push-image with the engine’s BuildKit', () => {
  it('builds with an env secret and a file secret that are in no argument, log line, layer or history entry', async () => {
    const repo = newRepo();
    const envSecret = `env-secret-${uniqueName('v')}`;
    const fileSecret = `file-secret-${uniqueName('v')}`;
    const nonce = uniqueName('nonce');
    const workspace = workspaceWith(
      [
        `FROM ${stack.baseImage}`,
        // A secret's value is not part of BuildKit's cache key: a step of its own makes this build new.
        `RUN echo ${nonce} > /nonce`,
        // Only digests of the secrets enter the image: proof they were readable, not the values.
        'RUN --mount=type=secret,id=token,required=true sha256sum /run/secrets/token | cut -c1-64 > /token.sha',
        'RUN --mount=type=secret,id=netrc,required=true sha256sum /run/secrets/netrc | cut -c1-64 > /netrc.sha && ls /run/secrets > /listed',
        '',
      ].join('\n'),
      { 'netrc.txt': fileSecret },
    );
    writeFileSync(argvLog, '');
    const r = await runBundle('build-push-image', {
      workspace,
      inputs: { image: `${stack.registry}/${repo}`, tags: 'v1', secrets: 'id=token,env=BUILD_TOKEN\nid=netrc,src=netrc.txt', ...login() },
      env: { PATH: buildkitPath(), BUILD_TOKEN: envSecret },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toMatch(
      /Builder: docker build with the engine's BuildKit \(buildx is not available .*docker CLI 20\.10\.\d+\S* has BuildKit built in \(DOCKER_BUILDKIT=1\)\)/,
    );
    expect(r.log).toContain('Build secrets (values masked, passed as files, in no layer): token, netrc');

    const ref = `${stack.registry}/${repo}:v1`;
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const inImage = (file: string) => execFileSync('docker', ['run', '--rm', '--entrypoint', 'cat', ref, file], { encoding: 'utf8' }).trim();
    expect(inImage('/token.sha')).toBe(sha(envSecret));
    expect(inImage('/netrc.sha')).toBe(sha(fileSecret));

    for (const secret of [envSecret, fileSecret]) {
      expect(r.log).not.toContain(secret);
      expect(r.post?.log ?? '').not.toContain(secret);
      expect(readFileSync(argvLog, 'utf8')).not.toContain(secret);
    }
    // Every layer and the config (history included), from docker save, unpacked.
    const saved = mkdtempSync(path.join(tmpdir(), 'ctp-bk-save-'));
    execFileSync('docker', ['save', '--output', path.join(saved, 'image.tar'), ref]);
    mkdirSync(path.join(saved, 'x'));
    execFileSync('tar', ['-xf', path.join(saved, 'image.tar'), '-C', path.join(saved, 'x')]);
    const layerTars = filesUnder(path.join(saved, 'x')).filter((f) => /layer\.tar$|blobs\/sha256\//.test(f.file));
    expect(layerTars.length).toBeGreaterThan(0);
    // The scan can see file contents: the nonce the build wrote is found in a layer.
    expect(filesUnder(path.join(saved, 'x')).some(({ bytes }) => bytes.includes(`${nonce}\n`))).toBe(true);
    for (const { file, bytes } of filesUnder(path.join(saved, 'x'))) {
      for (const secret of [envSecret, fileSecret]) expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
    const history = execFileSync('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', ref], { encoding: 'utf8' });
    expect(history).toMatch(/sha256sum \/run\/secrets\/token/);
    for (const secret of [envSecret, fileSecret]) expect(history).not.toContain(secret);
    // The private secret files are gone.
    expect(readdirSync(path.dirname(r.state['docker-config'] ?? r.runnerTemp)).filter((n) => n.startsWith('ctp-build-secrets-'))).toEqual([]);
  });

  it('RUN --mount=type=cache is warm on the next build; cache-to inline puts the cache in the image, cache-from imports it', async () => {
    const repo = newRepo();
    const id = uniqueName('cache');
    const dockerfile = [
      `FROM ${stack.baseImage}`,
      'ARG STAMP',
      `RUN --mount=type=cache,id=${id},target=/cache ls /cache > /seen && echo "$STAMP" > /cache/"$STAMP"`,
      '',
    ].join('\n');
    const run = (stamp: string, extra: Record<string, string> = {}) =>
      runBundle('build-push-image', {
        workspace: workspaceWith(dockerfile),
        inputs: { image: `${stack.registry}/${repo}`, tags: stamp, 'build-args': `STAMP=${stamp}`, ...login(), ...extra },
        env: { PATH: buildkitPath() },
      });
    const cold = await run('one', { 'cache-to': 'type=inline' });
    expect(cold.exitCode, cold.log).toBe(0);
    const warm = await run('two', { 'cache-from': `type=registry,ref=${stack.registry}/${repo}:one` });
    expect(warm.exitCode, warm.log).toBe(0);
    const seen = (tag: string) =>
      execFileSync('docker', ['run', '--rm', '--entrypoint', 'cat', `${stack.registry}/${repo}:${tag}`, '/seen'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
    expect(seen('one')).toEqual([]);
    expect(seen('two')).toEqual(['one']);
    // Inline cache: BuildKit's cache metadata travels in the pushed image's config.
    const manifest = await registryManifest(stack, repo, 'one');
    const res = await fetch(`http://${stack.registry}/v2/${repo}/blobs/${manifest.body!.config!.digest}`, {
      headers: { authorization: `Basic ${Buffer.from(`${stack.username}:${stack.password}`).toString('base64')}` },
    });
    expect(await res.text()).toContain('moby.buildkit.cache.v0');
    expect(warm.log).toMatch(new RegExp(`importing cache manifest from ${stack.registry}/${repo}:one`));
    expect(await registryConfigLabels(stack, repo, manifest.body!.config!.digest)).toHaveProperty('org.opencontainers.image.revision');
  });

  it('forwards an SSH agent for RUN --mount=type=ssh', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bk-ssh-'));
    const socket = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
      const repo = newRepo();
      const r = await runBundle('build-push-image', {
        workspace: workspaceWith(`FROM ${stack.baseImage}\nRUN --mount=type=ssh test -S "$SSH_AUTH_SOCK" && echo agent > /ssh\n`),
        inputs: { image: `${stack.registry}/${repo}`, tags: 'ssh', ssh: 'default', push: 'false' },
        env: { PATH: buildkitPath(), SSH_AUTH_SOCK: socket },
      });
      expect(r.exitCode, r.log).toBe(0);
      expect(execFileSync('docker', ['run', '--rm', '--entrypoint', 'cat', r.outputs['image-id']!, '/ssh'], { encoding: 'utf8' }).trim()).toBe('agent');
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('refuses what this builder cannot do, naming the inputs, before building', async () => {
    const buildkit = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
      inputs: {
        image: `${stack.registry}/${newRepo()}`,
        tags: 'x',
        provenance: 'mode=max',
        'cache-to': `type=registry,ref=${stack.registry}/c:1,mode=max`,
        ...login(),
      },
      env: { PATH: buildkitPath() },
    });
    expect(buildkit.exitCode).toBe(1);
    expect(buildkit.log).toMatch(/Input 'provenance' \(mode=max\) and Input 'cache-to' \(type=registry,ref=\S+: type=registry export .*\) needs buildx/);
    expect(buildkit.log).not.toMatch(/Build with/);

    // The machine's own docker (28.x, no buildx) builds classically: secrets need BuildKit.
    const classic = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
      inputs: { image: `${stack.registry}/${newRepo()}`, tags: 'x', secrets: 'id=t,env=T', push: 'false' },
      env: { T: 'value' },
    });
    expect(classic.exitCode).toBe(1);
    expect(classic.log).toMatch(/Input 'secrets' \(id=t\) needs BuildKit .* the classic docker build/);
    const unset = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
      inputs: { image: `${stack.registry}/${newRepo()}`, secrets: 'id=t,env=NOT_SET_ANYWHERE' },
    });
    expect(unset.exitCode).toBe(1);
    expect(unset.log).toMatch(/Input 'secrets'.*NOT_SET_ANYWHERE is not set/);
  });
});
