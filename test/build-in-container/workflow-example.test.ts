import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readActionManifest, repoRoot, runBundle } from '../../local/runner/run-bundle.js';
import { localStack, uniqueName } from '../helpers/stack.js';

// The example users copy (the talk's maven:3 + `mvn -B clean package`) must use the action as
// action.yml declares it, and its step must work: it runs here with the example's own inputs,
// in a stand-in for maven:3 built FROM the local busybox (nothing can be pulled here) whose
// `mvn` downloads into the repository MAVEN_OPTS names unless the cache already has it.
// (@actions/workflow-parser cannot be loaded under vitest: it imports its JSON schema without
// an import attribute.)
type Workflow = { on: unknown; jobs: Record<string, { 'runs-on': string; steps: { uses?: string; with?: Record<string, string> }[] }> };

const file = path.join(repoRoot, 'workflows-examples/build-in-container.yml');
const workflow = parseYaml(readFileSync(file, 'utf8')) as Workflow;
const step = Object.values(workflow.jobs)
  .flatMap((j) => j.steps)
  .find((s) => s.uses?.includes('/actions/build-in-container@'));
const stack = localStack();
const fakeMaven = `ctp-bic-fake-maven-${uniqueName('m').toLowerCase()}:3`;
const repository = `acme/${uniqueName('bic-example').toLowerCase()}`;
const dirs: string[] = [];

const FAKE_MVN = `#!/bin/sh
set -e
repo=$(echo "$MAVEN_OPTS" | sed -n 's/.*-Dmaven.repo.local=\\([^ ]*\\).*/\\1/p')
[ -n "$repo" ] || repo="$HOME/.m2/repository"
echo "[INFO] mvn $*"
dep="$repo/org/example/lib/1.0/lib-1.0.jar"
if [ -f "$dep" ]; then echo "[INFO] lib-1.0.jar found in $repo"; else mkdir -p "$(dirname "$dep")"; echo lib > "$dep"; echo "Downloaded lib-1.0.jar into $repo"; fi
rm -rf target && mkdir -p target && echo jar > target/app-1.0.jar
echo "[INFO] BUILD SUCCESS"
`;

beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bic-maven-'));
  writeFileSync(path.join(dir, 'mvn'), FAKE_MVN, { mode: 0o755 });
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${stack.baseImage}\nCOPY mvn /usr/local/bin/mvn\nUSER 1000:1000\n`);
  const r = spawnSync('docker', ['build', '--quiet', '--tag', fakeMaven, dir], { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`docker build failed: ${r.stderr}`);
});

afterAll(() => {
  spawnSync('docker', ['rmi', '--force', fakeMaven]);
  const slug = repository.replace(/[^a-z0-9_.-]+/g, '-');
  const volumes = execFileSync('docker', ['volume', 'ls', '--quiet', '--filter', `name=ctp-cache-${slug}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  if (volumes.length) spawnSync('docker', ['volume', 'rm', '--force', ...volumes]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('workflows-examples/build-in-container.yml', () => {
  it('builds in maven:3 with `mvn -B clean package` and the maven cache, using only declared inputs', () => {
    expect(workflow.on).toBeDefined();
    for (const job of Object.values(workflow.jobs)) expect(job['runs-on']).toBeTruthy();
    const inputs = step?.with ?? {};
    expect(inputs.image).toBe('maven:3');
    expect(inputs.run).toContain('mvn -B clean package');
    expect(inputs.caches).toBe('maven');
    const declared = readActionManifest('build-in-container').inputs ?? {};
    for (const name of Object.keys(inputs)) expect(declared, name).toHaveProperty(name);
  });

  it("its step builds the jar as the runner's user; the next job, on a fresh runner, finds the dependency through actions/cache", async () => {
    // Each job is a fresh hosted runner: its own HOME, an engine with no cache volume. The
    // example's actions/cache step is played by a stand-in that does what actions/cache does
    // with `path`: restore copies the saved tree into place before the build, save copies it
    // away after the job (to a store outside both runners).
    const cacheStep = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.uses?.startsWith('actions/cache@'));
    expect(cacheStep?.with?.path).toBe('~/.m2/repository');
    expect(cacheStep?.with?.key).toContain("hashFiles('**/pom.xml')");
    const store = mkdtempSync(path.join(tmpdir(), 'bic-actions-cache-store-'));
    dirs.push(store);
    const saved = path.join(store, 'm2-repository');
    const run = async () => {
      const workspace = mkdtempSync(path.join(tmpdir(), 'bic-example-ws-'));
      const home = mkdtempSync(path.join(tmpdir(), 'bic-runner-home-'));
      dirs.push(workspace, home);
      const cachePath = cacheStep!.with!.path!.replace(/^~(?=\/)/, home);
      if (existsSync(saved)) cpSync(saved, cachePath, { recursive: true }); // restore
      const r = await runBundle('build-in-container', { inputs: { ...step!.with!, image: fakeMaven }, workspace, github: { repository }, env: { HOME: home } });
      // The action names the directory to cache: the one actions/cache's `path` points at.
      expect(r.outputs['cache-paths']).toBe(cachePath);
      expect(r.log).toContain(`save it with actions/cache, path ${cachePath}`);
      if (r.exitCode === 0) {
        // Owned by the runner's user, so actions/cache can read it (and restore over it).
        const dep = statSync(path.join(cachePath, 'org/example/lib/1.0/lib-1.0.jar'));
        expect([dep.uid, dep.gid]).toEqual([process.getuid!(), process.getgid!()]);
        rmSync(saved, { recursive: true, force: true });
        cpSync(cachePath, saved, { recursive: true }); // save
      }
      return r;
    };
    const first = await run();
    expect(first.exitCode, first.log).toBe(0);
    expect(first.log).toContain('[INFO] mvn -B clean package');
    expect(first.log).toContain('Downloaded lib-1.0.jar into /__ctp/home/.m2/repository');
    expect(first.log).toMatch(/app-1\.0\.jar/); // `ls -l target/*.jar`
    const jar = statSync(path.join(first.workspace, 'target/app-1.0.jar'));
    expect([jar.uid, jar.gid]).toEqual([process.getuid!(), process.getgid!()]);

    const second = await run();
    expect(second.exitCode, second.log).toBe(0);
    expect(second.log).toContain('[INFO] lib-1.0.jar found in /__ctp/home/.m2/repository');
    expect(second.log).not.toContain('Downloaded');
  });
});
