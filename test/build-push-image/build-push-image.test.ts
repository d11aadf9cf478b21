import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { localStack, loggedInDockerConfig, uniqueName } from '../helpers/stack.js';
import { localLabels, registryConfigLabels, registryHeadDigest, registryManifest, registryTags, removeLocalImages } from './registry.js';

// End to end through the bundle: the real engine (classic builder: this machine has no buildx)
// and the local registry with htpasswd auth.
const stack = localStack();
const repos: string[] = [];
afterAll(() => {
  for (const repo of repos) removeLocalImages(`${stack.registry}/${repo}`);
});

function workspaceWith(dockerfile: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bpi-ws-'));
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function newRepo(): string {
  const repo = `bpi/${uniqueName('app')}`;
  repos.push(repo);
  return repo;
}

const SHA = 'c0ffee1234567890abcdef1234567890abcdef12';
const COMMIT_TIME = '2026-11-20T09:30:00+01:00';
const login = () => ({ 'registry-username': stack.username, 'registry-password': stack.password });
const event = (defaultBranch = 'main') => ({ repository: { default_branch: defaultBranch }, head_commit: { timestamp: COMMIT_TIME } });

describe('build-push-image against the local registry', () => {
  it('a push to the default branch: digest read back from the registry, OCI labels in the config, latest set, config dir removed by post', async () => {
    const repo = newRepo();
    const workspace = workspaceWith(`FROM ${stack.baseImage}\nARG GREETING\nRUN echo "$GREETING" > /greeting\nLABEL com.example.team=payments\n`);
    const r = await runBundle('build-push-image', {
      workspace,
      inputs: { image: `${stack.registry}/${repo}`, 'build-args': 'GREETING=hello=world', labels: 'com.example.owner=alice', ...login() },
      github: { ref: 'refs/heads/trunk', sha: SHA, repository: 'acme/payments-api', event: event('trunk') },
    });
    expect(r.exitCode, r.log).toBe(0);

    // The digest output is the registry's, for every pushed tag.
    const digest = r.outputs.digest!;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.outputs['image-ref']).toBe(`${stack.registry}/${repo}@${digest}`);
    expect(await registryTags(stack, repo)).toEqual(['c0ffee1', 'latest', 'trunk']);
    for (const tag of ['c0ffee1', 'trunk', 'latest']) expect(await registryHeadDigest(stack, repo, tag)).toBe(digest);
    expect(r.outputs.tags!.split('\n')).toEqual([`${stack.registry}/${repo}:c0ffee1`, `${stack.registry}/${repo}:trunk`, `${stack.registry}/${repo}:latest`]);
    expect(r.outputs['image-id']).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.outputs['image-id']).not.toBe(digest);

    // OCI labels, in the pushed config blob and in the local image.
    const manifest = await registryManifest(stack, repo, digest);
    const labels = await registryConfigLabels(stack, repo, manifest.body!.config!.digest);
    expect(labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/acme/payments-api',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-11-20T08:30:00.000Z',
      'org.opencontainers.image.version': 'c0ffee1',
      'org.opencontainers.image.title': 'payments-api',
      'com.example.owner': 'alice',
      'com.example.team': 'payments',
    });
    expect(localLabels(`${stack.registry}/${repo}:latest`)).toMatchObject({ 'org.opencontainers.image.revision': SHA });
    // The build argument reached the build whole (only the first `=` splits).
    expect(execFileSync('docker', ['run', '--rm', `${stack.registry}/${repo}@${digest}`, 'cat', '/greeting'], { encoding: 'utf8' }).trim()).toBe('hello=world');

    // Which builder ran, logged; the password never in the log.
    expect(r.log).toMatch(/Builder: the classic docker build \(buildx is not available .*; docker CLI \d+\.\S+ needs buildx for BuildKit\)/);
    expect(r.log).toContain(`Verified through the registry API: 3 tags → ${digest}`);
    expect(r.log).not.toContain(stack.password);
    expect(r.masks).toContain(stack.password);

    // Summary: image, tags, digest, size, build time, labels.
    for (const text of [
      `${stack.registry}/${repo}`,
      'c0ffee1, trunk, latest',
      digest,
      'in the registry (compressed)',
      'Build time',
      'org.opencontainers.image.revision',
    ]) {
      expect(r.summary).toContain(text);
    }

    // The private Docker config held the login until the post step removed it.
    const configDir = r.state['docker-config']!;
    expect(configDir).toContain(r.runnerTemp);
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.log).toContain(`Removed the private Docker config ${configDir}`);
    expect(existsSync(configDir)).toBe(false);
  });

  it('a feature branch push: sanitised branch tag and the short SHA, no latest', async () => {
    const repo = newRepo();
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
      inputs: { image: `${stack.registry}/${repo}`, ...login() },
      github: { ref: 'refs/heads/feature/Login#2', sha: SHA, event: event('main') },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(await registryTags(stack, repo)).toEqual(['c0ffee1', 'feature-Login-2']);
    expect(await registryHeadDigest(stack, repo, 'feature-Login-2')).toBe(r.outputs.digest);
    expect(r.log).toContain("skipped 'latest': only a push to the default branch 'main' is latest");
  });

  it("a fork's pull request from its main: pr-N and the head commit's SHA, never main or latest; the merge commit is the revision label", async () => {
    const repo = newRepo();
    const head = 'bead5e1234567890abcdef1234567890abcdef12';
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
      inputs: { image: `${stack.registry}/${repo}`, ...login() },
      github: {
        ref: 'refs/pull/12/merge',
        sha: SHA,
        eventName: 'pull_request',
        headRef: 'main',
        event: {
          number: 12,
          pull_request: { number: 12, head: { ref: 'main', sha: head, repo: { full_name: 'fork/payments-api' } }, base: { ref: 'main' } },
          repository: { default_branch: 'main' },
        },
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(await registryTags(stack, repo)).toEqual(['bead5e1', 'pr-12']);
    expect(r.log).toMatch(/skipped 'branch': a pull request build gets `pr` \(pr-12\)/);
    const manifest = await registryManifest(stack, repo, 'pr-12');
    expect(await registryConfigLabels(stack, repo, manifest.body!.config!.digest)).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'commit-to-prod.pull-request': '12',
      'commit-to-prod.pull-request.head': head,
    });
  });

  it('a failing build step fails the step with the build output, pushes nothing and leaves no container behind', async () => {
    const repo = newRepo();
    const marker = uniqueName('failing-step');
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\nRUN echo ${marker} && exit 3\n`),
      inputs: { image: `${stack.registry}/${repo}`, ...login() },
      github: { ref: 'refs/heads/main', sha: SHA, event: event('main') },
    });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.log).toContain(marker);
    expect(await registryTags(stack, repo)).toBeUndefined();
    const leftover = spawnSync('docker', ['ps', '-a', '--format', '{{.Command}}'], { encoding: 'utf8' }).stdout;
    expect(leftover).not.toContain(marker);
  });

  it('a v1.2.3 tag: semver, minor and major tags, no branch and no latest, version label 1.2.3', async () => {
    const repo = newRepo();
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
      inputs: { image: `${stack.registry}/${repo}`, ...login() },
      github: { ref: 'refs/tags/v1.2.3', sha: SHA, event: event('main') },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(await registryTags(stack, repo)).toEqual(['1', '1.2', '1.2.3', 'c0ffee1']);
    const manifest = await registryManifest(stack, repo, '1.2.3');
    expect(manifest.digest).toBe(r.outputs.digest);
    expect((await registryConfigLabels(stack, repo, manifest.body!.config!.digest))['org.opencontainers.image.version']).toBe('1.2.3');
  });

  it('a wrong password fails at login, naming registry and user, with no secret in the log and nothing pushed or built', async () => {
    const repo = newRepo();
    const wrong = 'not-the-password-5f2e9';
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\nRUN echo should-not-build\n`),
      inputs: { image: `${stack.registry}/${repo}`, 'registry-username': stack.username, 'registry-password': wrong },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(
      new RegExp(`^Registry ${stack.registry.replace(/\./g, '\\.')} refused the login of user '${stack.username}'`),
    );
    expect(r.log).not.toContain(wrong);
    expect(r.log).not.toContain('should-not-build');
    expect(await registryTags(stack, repo)).toBeUndefined();
    expect(r.post?.exitCode).toBe(0);
    expect(existsSync(r.state['docker-config']!)).toBe(false);
  });
});

describe('build-push-image without its own credentials', () => {
  it("pushes with the runner's existing Docker login and reads the digest back with it; post has nothing to remove", async () => {
    const repo = newRepo();
    const dockerConfig = loggedInDockerConfig(stack);
    try {
      const r = await runBundle('build-push-image', {
        workspace: workspaceWith(`FROM ${stack.baseImage}\n`),
        inputs: { image: `${stack.registry}/${repo}`, tags: 'short-sha' },
        env: { DOCKER_CONFIG: dockerConfig },
        github: { sha: SHA },
      });
      expect(r.exitCode, r.log).toBe(0);
      expect(r.log).toContain('no login: the runner\u2019s own Docker config');
      expect(await registryHeadDigest(stack, repo, 'c0ffee1')).toBe(r.outputs.digest);
      expect(r.state['docker-config']).toBeUndefined();
      expect(r.post?.log).toContain('No private Docker config to remove');
      expect(existsSync(dockerConfig)).toBe(true);
    } finally {
      rmSync(dockerConfig, { recursive: true, force: true });
    }
  });

  it('builds a named stage from a Dockerfile elsewhere in the workspace without pushing or logging in', async () => {
    const repo = newRepo();
    const workspace = workspaceWith('', {
      'docker/app.Dockerfile': `FROM ${stack.baseImage} AS build\nRUN echo build > /stage\nFROM ${stack.baseImage} AS runtime\nRUN echo runtime > /stage\nFROM runtime AS debug\nRUN echo debug > /stage\n`,
      'app/README': 'context',
    });
    const r = await runBundle('build-push-image', {
      workspace,
      inputs: { image: `${stack.registry}/${repo}`, context: 'app', file: 'docker/app.Dockerfile', target: 'runtime', push: 'false' },
      github: { sha: SHA },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs.digest ?? '').toBe('');
    expect(r.outputs.tags).toBe('');
    expect(execFileSync('docker', ['run', '--rm', r.outputs['image-id']!, 'cat', '/stage'], { encoding: 'utf8' }).trim()).toBe('runtime');
    expect(await registryTags(stack, repo)).toBeUndefined();
    expect(r.summary).toContain('not pushed');
  });
});

describe('the created label without a push event', () => {
  it('comes from the checked-out commit, so rebuilding one commit gives the same label', async () => {
    const workspace = workspaceWith(`FROM ${stack.baseImage}\n`);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', workspace, ...args], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'a',
          GIT_AUTHOR_EMAIL: 'a@example.com',
          GIT_COMMITTER_NAME: 'a',
          GIT_COMMITTER_EMAIL: 'a@example.com',
          GIT_COMMITTER_DATE: '2026-03-04T05:06:07Z',
          GIT_AUTHOR_DATE: '2026-03-04T05:06:07Z',
        },
      }).trim();
    git('init', '-q');
    git('add', 'Dockerfile');
    git('commit', '-q', '-m', 'image');
    const sha = git('rev-parse', 'HEAD');
    const repo = newRepo();
    const r = await runBundle('build-push-image', {
      workspace,
      inputs: { image: `${stack.registry}/${repo}`, push: 'false', tags: 'sha' },
      github: { sha, event: { repository: { default_branch: 'main' } } },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`created from git show ${sha.slice(0, 7)}`);
    expect(localLabels(r.outputs['image-id']!)).toMatchObject({
      'org.opencontainers.image.created': '2026-03-04T05:06:07.000Z',
      'org.opencontainers.image.revision': sha,
    });
  });
});

describe('build-push-image when the job is cancelled', () => {
  it('stops the build, pushes nothing, and the post step still removes the login', async () => {
    const repo = newRepo();
    const r = await runBundle('build-push-image', {
      workspace: workspaceWith(`FROM ${stack.baseImage}\nRUN echo build-started && sleep 60\n`),
      inputs: { image: `${stack.registry}/${repo}`, ...login() },
      github: { sha: SHA },
      cancel: { whenLogMatches: /build-started/, signal: 'SIGINT' },
      timeoutMs: 40_000,
    });
    expect(r.exitCode).toBe(1);
    expect(r.durationMs).toBeLessThan(30_000);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(/The build was cancelled/);
    expect(await registryTags(stack, repo)).toBeUndefined();
    expect(r.post?.exitCode).toBe(0);
    expect(existsSync(r.state['docker-config']!)).toBe(false);
  });
});

describe('build-push-image refuses bad input before building', () => {
  const cases: { name: string; inputs: Record<string, string>; github?: Record<string, unknown>; dockerfile?: boolean; error: RegExp }[] = [
    {
      name: 'a tag that is illegal after templating',
      inputs: { tags: 'release-{{short-sha}}/x' },
      error: /^Input 'tags' has an invalid value "release-\{\{short-sha\}\}\/x": expected a legal Docker tag after templating \(it became "release-c0ffee1\/x"/,
    },
    { name: 'an unknown placeholder', inputs: { tags: 'v{{version}}' }, error: /^Input 'tags' .*found \{\{version\}\}/ },
    {
      name: 'an unreadable Dockerfile',
      inputs: { file: 'docker/Missing.Dockerfile' },
      error: /^Input 'file' has an invalid value "docker\/Missing\.Dockerfile": expected a readable Dockerfile \(.*ENOENT\)/,
    },
    {
      name: 'a build stage the Dockerfile lacks',
      inputs: { target: 'prod' },
      error: /^Input 'target' has an invalid value "prod": expected a stage of Dockerfile \(it has `base`\)/,
    },
    {
      name: 'an ECR host without a region',
      inputs: { image: '123456789012.dkr.ecr.amazonaws.com/payments-api' },
      error: /^Input 'aws-region' is required: expected an AWS region: the registry host 123456789012\.dkr\.ecr\.amazonaws\.com is treated as ECR/,
    },
    {
      name: 'registry-type ecr for a host without a region',
      inputs: { 'registry-type': 'ecr' },
      error: /^Input 'aws-region' is required: .*\(`registry-type: ecr`\)/,
    },
    { name: 'a password without a username', inputs: { 'registry-password': 'lonely-secret-77' }, error: /^Input 'registry-username' is required/ },
    { name: 'a tag in the image', inputs: { image: `${'127.0.0.1:5000'}/app:v1` }, error: /^Input 'image' has an invalid value "127\.0\.0\.1:5000\/app:v1"/ },
    {
      name: 'buildx-only inputs without buildx',
      inputs: { platforms: 'linux/amd64,linux/arm64', 'cache-to': 'type=inline' },
      error:
        /^Input 'platforms' \(linux\/amd64, linux\/arm64\) and Input 'cache-to' \(type=inline\) needs BuildKit \(buildx, or a docker CLI before 23 with BuildKit built in\)/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const repo = newRepo();
      const workspace = workspaceWith(`FROM ${stack.baseImage} AS base\nRUN echo should-not-build\n`);
      const r = await runBundle('build-push-image', {
        workspace,
        inputs: { image: `${stack.registry}/${repo}`, ...c.inputs },
        github: { sha: SHA },
      });
      expect(r.exitCode).toBe(1);
      const error = r.annotations.find((a) => a.level === 'error')?.message ?? '';
      expect(error, r.log).toMatch(c.error);
      expect(r.log).not.toContain('should-not-build');
      expect(r.log).not.toContain('lonely-secret-77');
      expect(await registryTags(stack, repo)).toBeUndefined();
    });
  }
});
