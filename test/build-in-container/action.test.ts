import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { localStack, loggedInDockerConfig, uniqueName } from '../helpers/stack.js';

// build-in-container through its bundle and the local runner, against the real Docker engine.
// Every run gets its own GITHUB_RUN_ID, which the action puts on its containers as a label:
// that is how each test proves that nothing was left behind (or never started).
const stack = localStack();
const RUN_LABEL = 'commit-to-prod.run-id';
const images: string[] = [];
const volumesPrefix = uniqueName('bic-cache');
const dirs: string[] = [];

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function buildImage(tag: string, dockerfile: string): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'bic-image-'));
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  const r = spawnSync('docker', ['build', '--quiet', '--tag', tag, dir], { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`docker build ${tag} failed: ${r.stderr}`);
  images.push(tag);
}

function workspace(mode = 0o755): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bic-ws-'));
  chmodSync(dir, mode);
  dirs.push(dir);
  return dir;
}

/** Containers of this run that exist now (running or stopped). */
function containersOf(runId: string): string[] {
  return docker('ps', '--all', '--quiet', '--filter', `label=${RUN_LABEL}=${runId}`).split('\n').filter(Boolean);
}

/** Containers of this run that were ever created since `sinceMs`, from the engine's event log. */
function containersCreatedSince(runId: string, sinceMs: number): string[] {
  return docker(
    'events',
    '--since',
    (sinceMs / 1000 - 1).toFixed(3),
    '--until',
    (Date.now() / 1000).toFixed(3),
    '--filter',
    `label=${RUN_LABEL}=${runId}`,
    '--filter',
    'event=create',
    '--format',
    '{{.Actor.Attributes.name}}',
  )
    .split('\n')
    .filter(Boolean);
}

const userImage = `ctp-bic-user-${uniqueName('t').toLowerCase()}:1`;

beforeAll(() => {
  // An image whose own USER is not the runner's: files must still come out as the runner's.
  buildImage(userImage, `FROM ${stack.baseImage}\nUSER 1000:1000\n`);
});

afterAll(() => {
  for (const image of images) spawnSync('docker', ['rmi', '--force', image]);
  const volumes = docker('volume', 'ls', '--quiet', '--filter', `name=ctp-cache-${volumesPrefix}`).split('\n').filter(Boolean);
  if (volumes.length) spawnSync('docker', ['volume', 'rm', '--force', ...volumes]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('build-in-container', () => {
  it("runs as the runner's uid:gid by default (not the image's USER), so the build's files belong to the runner", async () => {
    const ws = workspace();
    const runId = uniqueName('own');
    const r = await runBundle('build-in-container', {
      inputs: { image: userImage, run: 'mkdir -p out/deep\necho built > out/deep/artifact.jar\nid -u > out/uid\n' },
      workspace: ws,
      github: { runId },
    });
    expect(r.log).toContain('The build succeeded');
    expect(r.exitCode).toBe(0);
    for (const file of ['out', 'out/deep', 'out/deep/artifact.jar']) {
      const s = statSync(path.join(ws, file));
      expect([file, s.uid, s.gid]).toEqual([file, process.getuid!(), process.getgid!()]);
    }
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.outputs['image-id']).toBe(docker('image', 'inspect', '--format', '{{.Id}}', userImage));
    expect(Number(r.outputs['duration-seconds'])).toBeGreaterThan(0);
    expect(r.summary).toContain('Build in container: succeeded');
    expect(r.summary).toContain(r.outputs['image-id']);
    expect(containersOf(runId)).toEqual([]);
  });

  it('runs as an explicit uid:gid, with a HOME and RUNNER_TEMP that user can write', async () => {
    const ws = workspace(0o777);
    const r = await runBundle('build-in-container', {
      inputs: { image: userImage, user: '1234:1234', run: 'echo x > made-by-1234\necho h > "$HOME/probe"\necho t > "$RUNNER_TEMP/probe"\nid > id.txt\n' },
      workspace: ws,
      github: { runId: uniqueName('uid') },
    });
    expect(r.exitCode, r.log).toBe(0);
    const s = statSync(path.join(ws, 'made-by-1234'));
    expect([s.uid, s.gid]).toEqual([1234, 1234]);
    expect(readFileSync(path.join(ws, 'id.txt'), 'utf8')).toMatch(/^uid=1234 gid=1234/);
  });

  it('fails the step with the exit code of a failing command in the middle of the script; later lines do not run', async () => {
    const runId = uniqueName('fail');
    const r = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, run: 'echo first-line-ran\nsh -c "echo compiling; exit 7"\necho third-line-ran\n' },
      github: { runId },
    });
    expect(r.exitCode).toBe(7);
    expect(r.outputs['exit-code']).toBe('7');
    expect(r.log).toContain('first-line-ran');
    expect(r.log).not.toContain('third-line-ran');
    expect(r.annotations.some((a) => a.level === 'error' && /failed with exit code 7/.test(a.message))).toBe(true);
    expect(r.summary).toContain('failed (exit code 7)');
    expect(r.summary).toMatch(/Last \d+ lines of output[\s\S]*compiling/);
    expect(containersOf(runId)).toEqual([]);
  });

  it('hands the script to the shell byte for byte: quotes, $, backslashes, backticks, UTF-8, no trailing newline', async () => {
    const ws = workspace();
    const script = [
      'cp "$0" received.sh',
      `printf '%s|' 'it'"'"'s' "\\$HOME" '$HOME' \`echo back\` "a\\\\b" 'tab\there' > printed.txt`,
      '# ümlaut ✓ \\ trailing backslash \\',
    ].join('\n');
    const r = await runBundle('build-in-container', { inputs: { image: stack.baseImage, run: script }, workspace: ws, github: { runId: uniqueName('bytes') } });
    expect(r.exitCode, r.log).toBe(0);
    expect(readFileSync(path.join(ws, 'received.sh'), 'utf8')).toBe(script);
    expect(readFileSync(path.join(ws, 'printed.txt'), 'utf8')).toBe("it's|$HOME|$HOME|back|a\\b|tab\there|");
  });

  it('runs the script with the flags given in `shell`, `{0}` standing for the script file', async () => {
    const r = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, shell: 'sh -u {0}', run: 'echo "before $NOT_SET_ANYWHERE"\necho after-unset\n' },
      github: { runId: uniqueName('shell') },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.log).toMatch(/NOT_SET_ANYWHERE/);
    expect(r.log).not.toContain('after-unset');
  });

  it('says clearly when the shell is not in the image, or docker refuses an option', async () => {
    const noBash = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, shell: 'bash -eo pipefail', run: 'echo hi' },
      github: { runId: uniqueName('nobash') },
    });
    expect(noBash.exitCode).toBe(1);
    expect(noBash.log).toMatch(/Could not start `bash` in ctp\/busybox:latest: is it installed in the image\? \(input 'shell' is "bash -eo pipefail"/);
    const badValue = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, options: '--cpus lots', run: 'echo hi' },
      github: { runId: uniqueName('badcpus') },
    });
    expect(badValue.exitCode).toBe(1);
    expect(badValue.log).toMatch(/Docker could not start the build container: .*lots/);
  });

  it('forwards env (values with `=`), pass-env (even multi-line) and the GitHub context, with paths rewritten', async () => {
    const ws = workspace();
    mkdirSync(path.join(ws, 'sub'));
    const runId = uniqueName('env');
    const event = { ref: 'refs/heads/main', head_commit: { message: 'fix: "quotes" & $dollars' } };
    const r = await runBundle('build-in-container', {
      inputs: {
        image: stack.baseImage,
        'working-directory': 'sub',
        env: 'PLAIN=hello\nWITH_EQ=a=b==c\n# a comment\nEMPTY=\nQUOTED="in quotes" \'and\' #not-a-comment $HOME',
        'pass-env': 'FROM_RUNNER, MULTI',
        run: [
          'env > env.txt',
          'pwd > pwd.txt',
          'printf %s "$MULTI" > multi.txt',
          'cat "$GITHUB_EVENT_PATH" > event.json',
          'echo "from-build=yes" >> "$GITHUB_OUTPUT"',
          'echo "### written by the build" >> "$GITHUB_STEP_SUMMARY"',
          'touch "$RUNNER_TEMP/writable" "$HOME/writable"',
        ].join('\n'),
      },
      env: { FROM_RUNNER: 'r1', MULTI: 'line1\nline2', NOT_PASSED: 'stays-on-the-runner' },
      github: { runId, sha: 'feedfacefeedfacefeedfacefeedfacefeedface', repository: 'acme/env-check', event },
      workspace: ws,
    });
    expect(r.exitCode, r.log).toBe(0);
    const env = Object.fromEntries(
      readFileSync(path.join(ws, 'sub/env.txt'), 'utf8')
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env).toMatchObject({
      PLAIN: 'hello',
      WITH_EQ: 'a=b==c',
      EMPTY: '',
      QUOTED: `"in quotes" 'and' #not-a-comment $HOME`,
      FROM_RUNNER: 'r1',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_SHA: 'feedfacefeedfacefeedfacefeedfacefeedface',
      GITHUB_REPOSITORY: 'acme/env-check',
      GITHUB_RUN_ID: runId,
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: '/__ctp/temp',
      HOME: '/__ctp/home',
    });
    for (const name of [
      'NOT_PASSED',
      'GITHUB_STATE',
      'INPUT_RUN',
      'RUNNER_TOOL_CACHE',
      'GITHUB_ACTION_PATH',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
    ])
      expect(env).not.toHaveProperty(name);
    expect(readFileSync(path.join(ws, 'sub/pwd.txt'), 'utf8').trim()).toBe(path.join(ws, 'sub'));
    expect(readFileSync(path.join(ws, 'sub/multi.txt'), 'utf8')).toBe('line1\nline2');
    expect(JSON.parse(readFileSync(path.join(ws, 'sub/event.json'), 'utf8'))).toEqual(event);
    expect(r.outputs['from-build']).toBe('yes');
    expect(r.summary).toContain('### written by the build');
    // Values never travel on docker's command line.
    expect(r.log).not.toMatch(/\[command\]docker run.*(hello|a=b==c|line1)/);
  });

  it('keeps a cache preset and a cache path between runs, writable by a non-root build user', async () => {
    const key = volumesPrefix;
    const inputs = { image: stack.baseImage, user: '1234:1234', caches: 'maven\n/opt/tool-cache', 'cache-key': key, 'cache-storage': 'volume' };
    const first = await runBundle('build-in-container', {
      inputs: {
        ...inputs,
        run: 'test ! -e "$HOME/.m2/repository/stored"\necho "$MAVEN_OPTS" > opts.txt\necho from-first-run > "$HOME/.m2/repository/stored"\necho tool > /opt/tool-cache/t\n',
      },
      workspace: workspace(0o777),
      github: { runId: uniqueName('cache1') },
    });
    expect(first.exitCode, first.log).toBe(0);
    expect(readFileSync(path.join(first.workspace, 'opts.txt'), 'utf8').trim()).toBe('-Dmaven.repo.local=/__ctp/home/.m2/repository');
    expect(first.log).toMatch(/Cache maven: created volume ctp-cache-/);

    const second = await runBundle('build-in-container', {
      inputs: { ...inputs, run: 'cat "$HOME/.m2/repository/stored" /opt/tool-cache/t > found.txt\n' },
      workspace: workspace(0o777),
      github: { runId: uniqueName('cache2') },
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(readFileSync(path.join(second.workspace, 'found.txt'), 'utf8')).toBe('from-first-run\ntool\n');
    expect(second.log).toMatch(/Cache maven: reusing volume ctp-cache-/);
  });

  it('refuses an image that is no reference (`--privileged`) as an input error, with no docker call made', async () => {
    // A `docker` first on PATH that records every call: it must never run.
    const bin = mkdtempSync(path.join(tmpdir(), 'bic-docker-spy-'));
    dirs.push(bin);
    const calls = path.join(bin, 'calls');
    writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 99\n`, { mode: 0o755 });
    for (const image of ['--privileged', '-v/:/host']) {
      const r = await runBundle('build-in-container', {
        inputs: { image, run: 'echo hi' },
        env: { PATH: `${bin}:${process.env.PATH ?? ''}` },
        github: { runId: uniqueName('badimage') },
      });
      expect(r.exitCode).toBe(1);
      expect(r.log).toContain(`Input 'image' has an invalid value ${JSON.stringify(image)}: expected an image reference`);
      expect(r.log).toMatch(/starts with `-`, which docker would read as an option/);
    }
    expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').toBe('');
  });

  it('stops and removes the container when the timeout passes', async () => {
    const runId = uniqueName('timeout');
    const r = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, run: 'echo started\nsleep 60\necho not-reached', timeout: '2s' },
      github: { runId },
    });
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(/exceeded its time limit of 2s \(input 'timeout'\)/);
    expect(r.log).not.toContain('not-reached');
    expect(r.durationMs).toBeLessThan(30_000);
    expect(containersCreatedSince(runId, Date.now() - 60_000)).toHaveLength(1);
    expect(containersOf(runId)).toEqual([]);
  });

  it('stops and removes the container when the job is cancelled (SIGTERM)', async () => {
    const runId = uniqueName('cancel');
    const r = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, run: 'echo started-sleeping\nsleep 60\necho not-reached' },
      github: { runId },
      cancel: { whenLogMatches: /^started-sleeping$/, signal: 'SIGTERM' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(/received SIGTERM/);
    expect(r.log).toMatch(/was cancelled/);
    expect(r.log).not.toContain('not-reached');
    expect(r.durationMs).toBeLessThan(30_000);
    expect(containersOf(runId)).toEqual([]);
  });

  it('the post step removes a container a killed main left behind', async () => {
    const runId = uniqueName('killed');
    // The runner SIGKILLs main at 4 s: no chance to clean up, so post has to.
    const r = await runBundle('build-in-container', {
      inputs: { image: stack.baseImage, run: 'echo started\nsleep 120' },
      github: { runId },
      timeoutMs: 4_000,
      // Post's own: on a loaded machine its docker calls can take more than main's 4 s, and a post
      // killed there reports exit 1 (seen once in a full run under a profiler).
      postTimeoutMs: 60_000,
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.log).toMatch(/Removed 1 container\(s\) left behind/);
    expect(containersOf(runId)).toEqual([]);
  });

  describe('a private image in the local registry', () => {
    const image = `${stack.registry}/${uniqueName('bic-private').toLowerCase()}:1`;
    beforeAll(() => {
      buildImage(image, `FROM ${stack.baseImage}\nRUN echo private-marker > /marker\n`);
      const config = loggedInDockerConfig(stack);
      try {
        execFileSync('docker', ['--config', config, 'push', image], { stdio: 'ignore' });
      } finally {
        rmSync(config, { recursive: true, force: true });
      }
      docker('rmi', image); // so the action has to pull it
    });

    it('fails clearly without credentials', async () => {
      const runId = uniqueName('priv-no');
      const started = Date.now();
      const r = await runBundle('build-in-container', { inputs: { image, run: 'cat /marker' }, github: { runId } });
      expect(r.exitCode).toBe(1);
      expect(r.log).toContain(`Could not pull image ${image} from ${stack.registry}`);
      expect(r.log).toContain('set `registry-username` and `registry-password`');
      expect(containersCreatedSince(runId, started)).toEqual([]);
    });

    it('runs with registry-username / registry-password, the password masked and never saved', async () => {
      const r = await runBundle('build-in-container', {
        inputs: { image, run: 'cat /marker', 'registry-username': stack.username, 'registry-password': stack.password },
        github: { runId: uniqueName('priv-yes') },
      });
      expect(r.exitCode, r.log).toBe(0);
      expect(r.log).toContain('private-marker');
      expect(r.log).toContain(`Logged in to ${stack.registry} as ${stack.username}.`);
      expect(r.masks).toContain(stack.password);
      expect(r.log).not.toContain(stack.password);
      expect(JSON.stringify(r.state)).not.toContain(stack.password);
      // The private Docker config was removed by main; post has nothing left to remove.
      expect(r.state['docker-config']).toBeDefined();
      expect(() => statSync(r.state['docker-config']!)).toThrow();
      expect(r.post?.exitCode).toBe(0);
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an unknown cache preset', { caches: 'maven\nsbt' }, /Input 'caches' has an invalid value .*"sbt" is neither a preset \(maven, gradle, npm, pip\)/],
    ['a malformed env line', { env: 'GOOD=1\nNO_EQUALS_SIGN' }, /Input 'env' has an invalid value "NO_EQUALS_SIGN": expected one `KEY=VALUE` per line/],
    ['--entrypoint in options', { options: '--entrypoint /bin/sh' }, /Input 'options' .*`--entrypoint` is not allowed/],
    ['-v in options', { options: '--cpus 1 -v /:/host' }, /Input 'options' .*`-v` is not allowed: the action sets the mounts/],
    ['--user in options', { options: '--user=0:0' }, /Input 'options' .*`--user=0:0` is not allowed: the action sets the user/],
    ['a timeout of `5 minutes`', { timeout: '5 minutes' }, /Input 'timeout' has an invalid value "5 minutes": expected a duration such as `90s`/],
    ['a working directory outside the workspace', { 'working-directory': '../..' }, /Input 'working-directory' .*inside the workspace/],
    ['a password without a username', { 'registry-password': 'hunter2-secret' }, /Input 'registry-username' is required: expected both/],
    ["a volume over the workspace's runner files", { volumes: '/tmp:/__ctp/home' }, /Input 'volumes' .*a target other than the workspace/],
  ])('refuses %s before any container starts', async (_what, bad, message) => {
    const runId = uniqueName('bad');
    const started = Date.now();
    const r = await runBundle('build-in-container', { inputs: { image: stack.baseImage, run: 'echo should-not-run', ...bad }, github: { runId } });
    expect(r.exitCode).toBe(1);
    expect(r.log).toMatch(message);
    expect(r.log).not.toContain('[command]docker');
    expect(r.log).not.toContain('hunter2-secret');
    expect(containersCreatedSince(runId, started)).toEqual([]);
  });
});
