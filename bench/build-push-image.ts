// What build-push-image costs over doing the same by hand: for one Dockerfile whose last layer
// changes every run, the action (through the local runner, bundle under Node 24: read inputs,
// login, build, push 3 tags, read every tag back through the registry API, summary, post step)
// against the bare commands a shell step would run (docker login --password-stdin, docker build,
// docker push ×3), interleaved so machine noise hits both alike. The classic builder commits one
// image per `--label` (a container each), so the same commands with the action's five OCI labels
// are measured too: that is the fair baseline for the action's own cost. Target: the action adds
// at most 500 ms per run over it (medians) — verified digest, summary and post step included.
//
// Then BuildKit's cache mounts, through the action with the engine's BuildKit (Debian's docker
// 20.10 CLI first on PATH, as a runner with that CLI would have): a `RUN --mount=type=cache`
// step that fills its cache with 128 MiB of dependencies unless they are there, cold (a new
// cache id each run) against warm (the id the cold run just filled), with a new build argument
// each time so the step itself always runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBundle } from '../local/runner/run-bundle.js';
import { localStack, uniqueName } from '../test/helpers/stack.js';
import { median, printTable, verdict } from './_lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const stack = localStack();
const workspace = mkdtempSync(path.join(tmpdir(), 'bench-bpi-'));
const repos: string[] = [];

function dockerfile(stamp: string): void {
  writeFileSync(
    path.join(workspace, 'Dockerfile'),
    `FROM ${stack.baseImage}\nRUN echo ${stamp} > /stamp && dd if=/dev/urandom of=/blob bs=64k count=16 2>/dev/null\n`,
  );
}

const LABELS = [
  'source=https://github.com/acme/app',
  'revision=0123456789abcdef0123456789abcdef01234567',
  'created=2026-01-01T00:00:00.000Z',
  'version=0123456',
  'title=app',
].flatMap((l) => ['--label', `org.opencontainers.image.${l}`]);

function bare(labels: string[]): number {
  const repo = `${stack.registry}/bench/${uniqueName('bare')}`;
  repos.push(repo);
  dockerfile(uniqueName('s'));
  const config = mkdtempSync(path.join(tmpdir(), 'bench-bpi-config-'));
  const started = process.hrtime.bigint();
  const run = (args: string[], input?: string) => {
    const r = spawnSync('docker', ['--config', config, ...args], { input, stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  };
  run(['login', '--username', stack.username, '--password-stdin', stack.registry], stack.password);
  run(['build', ...labels, '--tag', `${repo}:a`, '--tag', `${repo}:b`, '--tag', `${repo}:c`, workspace]);
  for (const t of ['a', 'b', 'c']) run(['push', `${repo}:${t}`]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  rmSync(config, { recursive: true, force: true });
  return ms;
}

// BENCH_BASELINE_ROOT: a tree with another version's actions/ and dist/ (e.g. `git archive main
// actions dist | tar -x -C DIR`), measured interleaved with this one, so a change's cost is seen
// against the version before it under the same machine load.
const baselineRoot = process.env.BENCH_BASELINE_ROOT;

async function action(root?: string): Promise<number> {
  const repo = `${stack.registry}/bench/${uniqueName('action')}`;
  repos.push(repo);
  dockerfile(uniqueName('s'));
  const started = process.hrtime.bigint();
  const r = await runBundle('build-push-image', {
    workspace,
    inputs: { image: repo, 'registry-username': stack.username, 'registry-password': stack.password, tags: 'short-sha\nbranch\nlatest' },
    github: { ref: 'refs/heads/main', event: { repository: { default_branch: 'main' } } },
    ...(root ? { root } : {}),
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.log}`);
  return ms;
}

const DEBIAN_DOCKER = '/usr/bin/docker';
const bkBin = mkdtempSync(path.join(tmpdir(), 'bench-bpi-bin-'));
symlinkSync(DEBIAN_DOCKER, path.join(bkBin, 'docker'));

async function cacheMountBuild(cacheId: string): Promise<number> {
  const stamp = uniqueName('s');
  writeFileSync(
    path.join(workspace, 'Dockerfile'),
    [
      `FROM ${stack.baseImage}`,
      'ARG STAMP',
      `RUN --mount=type=cache,id=${cacheId},target=/deps sh -c 'if [ ! -f /deps/complete ]; then dd if=/dev/urandom of=/deps/lib.jar bs=1M count=128 2>/dev/null && touch /deps/complete; fi; ls -l /deps > /deps.txt; echo "$STAMP" > /stamp'`,
      '',
    ].join('\n'),
  );
  const started = process.hrtime.bigint();
  const r = await runBundle('build-push-image', {
    workspace,
    inputs: { image: `${stack.registry}/bench/${uniqueName('mount')}`, tags: 'x', 'build-args': `STAMP=${stamp}`, push: 'false' },
    env: { PATH: `${bkBin}:${process.env.PATH ?? ''}` },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.log}`);
  if (!r.log.includes("Builder: docker build with the engine's BuildKit")) throw new Error(`not built with BuildKit:\n${r.log}`);
  if (r.outputs['image-id']) spawnSync('docker', ['image', 'rm', '--force', r.outputs['image-id']], { stdio: 'ignore' });
  return ms;
}

const bareTimes: number[] = [];
const labelledTimes: number[] = [];
const actionTimes: number[] = [];
const baselineTimes: number[] = [];
const coldTimes: number[] = [];
const warmTimes: number[] = [];
try {
  bare([]); // warm the base image's layers into the page cache
  for (let i = 0; i < RUNS; i++) {
    bareTimes.push(bare([]));
    labelledTimes.push(bare(LABELS));
    actionTimes.push(await action());
    if (baselineRoot) baselineTimes.push(await action(baselineRoot));
  }
  for (let i = 0; i < RUNS; i++) {
    const id = uniqueName('bench-deps');
    coldTimes.push(await cacheMountBuild(id));
    warmTimes.push(await cacheMountBuild(id));
  }
} finally {
  rmSync(bkBin, { recursive: true, force: true });
  for (const repo of repos) {
    const refs = spawnSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repo], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    if (refs.length) spawnSync('docker', ['image', 'rm', '--force', ...refs], { stdio: 'ignore' });
  }
  rmSync(workspace, { recursive: true, force: true });
}
const b = median(bareTimes);
const l = median(labelledTimes);
const a = median(actionTimes);
console.log(`${RUNS} runs each, medians; build + push of 3 tags to ${stack.registry} (classic builder)`);
printTable(
  ['what', 'median', 'over bare', 'ratio', 'target'],
  [
    ['bare docker login/build/push ×3', `${b.toFixed(0)} ms`, '', '1.00x', ''],
    ['the same with the 5 OCI --label flags', `${l.toFixed(0)} ms`, `+${(l - b).toFixed(0)} ms`, `${(l / b).toFixed(2)}x`, 'baseline for the action'],
    [
      'build-push-image (verified digest, summary, post)',
      `${a.toFixed(0)} ms`,
      `+${(a - b).toFixed(0)} ms`,
      `${(a / b).toFixed(2)}x`,
      verdict(a - l <= 500, `≤ +500 ms over labelled (+${(a - l).toFixed(0)} ms, ${(a / l).toFixed(2)}x)`),
    ],
    ...(baselineRoot
      ? [
          [
            `the same action from ${baselineRoot}`,
            `${median(baselineTimes).toFixed(0)} ms`,
            `+${(median(baselineTimes) - b).toFixed(0)} ms`,
            `${(median(baselineTimes) / b).toFixed(2)}x`,
            `this version: ${a - median(baselineTimes) >= 0 ? '+' : ''}${(a - median(baselineTimes)).toFixed(0)} ms against it`,
          ],
        ]
      : []),
  ],
);
const cold = median(coldTimes);
const warm = median(warmTimes);
console.log('');
console.log(`${RUNS} runs each, medians; build-push-image (push: false) with the engine's BuildKit, RUN --mount=type=cache filling 128 MiB when cold`);
printTable(
  ['what', 'median', 'ratio'],
  [
    ['cold cache mount (new id)', `${cold.toFixed(0)} ms`, '1.00x'],
    ['warm cache mount (same id)', `${warm.toFixed(0)} ms`, `${(warm / cold).toFixed(2)}x (${(cold - warm).toFixed(0)} ms saved)`],
  ],
);
