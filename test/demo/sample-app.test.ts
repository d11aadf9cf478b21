import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchText } from '../../local/demo/load-generator.js';
import { repoRoot } from '../../local/runner/run-bundle.js';
import { localStack, uniqueName } from '../helpers/stack.js';

const source = path.join(repoRoot, 'local/sample-app');
const user = `${process.getuid!()}:${process.getgid!()}`;

function copyApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-sample-'));
  const build = path.join(source, 'build');
  cpSync(source, dir, { recursive: true, filter: (p) => p !== build && !p.startsWith(`${build}/`) });
  return dir;
}

/** Runs a command of the sample app in ctp/busybox, as the build and test tiers do. */
function inBusybox(dir: string, ...command: string[]) {
  return spawnSync('docker', ['run', '--rm', '-u', user, '-v', `${dir}:${dir}`, '-w', dir, localStack().baseImage, ...command], { encoding: 'utf8' });
}

interface Suite {
  name: string;
  tests: number;
  failures: number;
  cases: { name: string; failure?: string }[];
}

/** Reads a JUnit report with a real XML parser: it must be well-formed, and say what it claims. */
function readReport(file: string): Suite {
  const suite: Suite = { name: '', tests: 0, failures: 0, cases: [] };
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    if (tag.name === 'testsuite') Object.assign(suite, { name: a.name, tests: Number(a.tests), failures: Number(a.failures) });
    if (tag.name === 'testcase') suite.cases.push({ name: a.name! });
    if (tag.name === 'failure') {
      suite.cases.at(-1)!.failure = a.message ?? '';
    }
  });
  parser.write(readFileSync(file, 'utf8')).close();
  return suite;
}

describe('the sample app', () => {
  let app: string;
  beforeAll(() => {
    app = copyApp();
    writeFileSync(path.join(app, 'VERSION'), '2.3.4\n');
    const build = inBusybox(app, 'sh', 'build.sh');
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  });

  it('builds in ctp/busybox: the package is stamped with VERSION and belongs to the runner’s user', () => {
    expect(readFileSync(path.join(app, 'build/site/www/version'), 'utf8')).toBe('2.3.4\n');
    expect(readFileSync(path.join(app, 'build/site/www/index.html'), 'utf8')).toContain('version 2.3.4');
    expect(execFileSync('stat', ['-c', '%u:%g', path.join(app, 'build/site/www/version')], { encoding: 'utf8' }).trim()).toBe(user);
  });

  it('refuses a VERSION that is not a version', () => {
    const bad = copyApp();
    writeFileSync(path.join(bad, 'VERSION'), '1.0; rm -rf /\n');
    const r = inBusybox(bad, 'sh', 'build.sh');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("build: VERSION '1.0; rm -rf /' is not a version");
  });

  it.each(['unit', 'integration', 'functional'])('runs its %s tier in ctp/busybox and writes Surefire-style JUnit XML', (tier) => {
    const r = inBusybox(app, 'sh', 'test/run.sh', tier);
    expect(r.status).toBe(0);
    const reports = readdirSync(path.join(app, 'build/test-reports')).filter((f) => f.startsWith(`TEST-sample-app.${tier}.`));
    expect(reports.length).toBeGreaterThan(0);
    for (const report of reports) {
      const suite = readReport(path.join(app, 'build/test-reports', report));
      expect(report).toBe(`TEST-${suite.name}.xml`);
      expect(suite.failures).toBe(0);
      expect(suite.tests).toBe(suite.cases.length);
      expect(suite.tests).toBeGreaterThan(0);
    }
  });

  it('reports a failing test in the XML (message escaped) and fails the tier', () => {
    const broken = copyApp();
    inBusybox(broken, 'sh', 'build.sh');
    writeFileSync(path.join(broken, 'test/unit/zz.sh'), 'test_compares_markup() {\n  assert_eq "<b>&" "<i>"\n}\ntest_passes() {\n  true\n}\n');
    const r = inBusybox(broken, 'sh', 'test/run.sh', 'unit');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('1 test(s) failed in tier unit');
    const suite = readReport(path.join(broken, 'build/test-reports/TEST-sample-app.unit.zz.xml'));
    expect(suite).toMatchObject({ tests: 2, failures: 1 });
    expect(suite.cases).toEqual([{ name: 'test_compares_markup', failure: "expected '<i>' but was '<b>&'" }, { name: 'test_passes' }]);
  });

  describe('its image', () => {
    const tag = `ctp-test/${uniqueName('sample-app')}`;
    const containers: string[] = [];
    beforeAll(() => {
      for (const [name, broken] of [
        ['ok', 'false'],
        ['broken', 'true'],
      ] as const) {
        execFileSync(
          'docker',
          [
            'build',
            '-q',
            '--no-cache',
            '-t',
            `${tag}:${name}`,
            '--build-arg',
            `VERSION=5.0.${broken === 'true' ? 1 : 0}`,
            '--build-arg',
            `BROKEN=${broken}`,
            app,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
      }
    });
    afterAll(() => {
      if (containers.length) spawnSync('docker', ['rm', '-f', ...containers]);
      // --no-prune: the untagged parent layers stay. The demo's image job builds the same Dockerfile
      // (with the cache) at the same time in the suite and can take these layers for its own;
      // removed under it, its build would fail. Suspected, not proven, behind the demo's image-job
      // failures in two clean-clone CI runs: a demo run alone has also failed its image job once.
      spawnSync('docker', ['rmi', '-f', '--no-prune', `${tag}:ok`, `${tag}:broken`]);
    });

    async function start(name: string): Promise<string> {
      const id = execFileSync('docker', ['run', '-d', '-p', '127.0.0.1::8080', `${tag}:${name}`], { encoding: 'utf8' }).trim();
      containers.push(id);
      const port = execFileSync('docker', ['port', id, '8080'], { encoding: 'utf8' }).trim().split('\n')[0]!.split(':').at(-1);
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 50; i++) {
        try {
          await fetchText(`${base}/version`);
          return base;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`${name} did not start`);
    }

    it('serves /version and a passing health check; a BROKEN=true release serves but fails its health check', async () => {
      const ok = await start('ok');
      expect(await fetchText(`${ok}/version`)).toEqual({ status: 200, body: '5.0.0' });
      expect(await fetchText(`${ok}/cgi-bin/health`)).toEqual({ status: 200, body: 'ok 5.0.0' });
      const broken = await start('broken');
      expect(await fetchText(`${broken}/version`)).toEqual({ status: 200, body: '5.0.1' });
      expect(await fetchText(`${broken}/cgi-bin/health`)).toEqual({ status: 503, body: 'unhealthy 5.0.1' });
      expect(execFileSync('docker', ['inspect', '-f', '{{.Config.User}}', `${tag}:ok`], { encoding: 'utf8' }).trim()).toBe('10001:10001');
    });

    it('migrates a shared data directory with bin/migrate (as its own user), serves the schema it reads, and a failing migration exits 3', async () => {
      const data = mkdtempSync(path.join(tmpdir(), 'ctp-sample-data-'));
      // World-writable like /tmp: the tasks run as uid 10001, the host directory is the operator's.
      chmodSync(data, 0o1777);
      const migrate = spawnSync('docker', ['run', '--rm', '-v', `${data}:/data`, `${tag}:ok`, 'bin/migrate'], { encoding: 'utf8' });
      expect(migrate.stderr).toBe('');
      expect(migrate.stdout).toContain('migrate: done, schema at version 2');
      expect(migrate.status).toBe(0);
      expect(readFileSync(path.join(data, 'schema-version'), 'utf8')).toBe('2\n');
      const id = execFileSync('docker', ['run', '-d', '-p', '127.0.0.1::8080', '-v', `${data}:/data:ro`, `${tag}:ok`], { encoding: 'utf8' }).trim();
      containers.push(id);
      const port = execFileSync('docker', ['port', id, '8080'], { encoding: 'utf8' }).trim().split('\n')[0]!.split(':').at(-1);
      let schema: { status: number; body: string } | undefined;
      for (let i = 0; i < 50 && !schema; i++)
        schema = await fetchText(`http://127.0.0.1:${port}/cgi-bin/schema`).catch(() => new Promise((r) => setTimeout(r, 100)).then(() => undefined));
      expect(schema).toEqual({ status: 200, body: '2' });

      const broken = path.join(data, '..', `${path.basename(data)}-003-broken.sh`);
      writeFileSync(broken, 'echo "003: column email already exists" >&2\nexit 1\n');
      const failing = spawnSync(
        'docker',
        ['run', '--rm', '-v', `${data}:/data`, '-v', `${broken}:/app/migrations/003-add-email.sh:ro`, `${tag}:ok`, 'bin/migrate'],
        { encoding: 'utf8' },
      );
      expect(failing.status).toBe(3);
      expect(failing.stderr).toContain('migrate: FAILED: 003-add-email.sh exited 1; schema stays at version 2');
      expect(readFileSync(path.join(data, 'schema-version'), 'utf8')).toBe('2\n');
    });

    it('passes its acceptance tier against the healthy release and fails it against the broken one', async () => {
      const ok = await start('ok');
      const pass = spawnSync('sh', ['test/run.sh', 'acceptance'], {
        cwd: app,
        env: { ...process.env, BASE_URL: ok, EXPECTED_VERSION: '5.0.0' },
        encoding: 'utf8',
      });
      expect(pass.stdout).toContain('✓ sample-app.acceptance.release test_environment_is_healthy');
      expect(pass.stdout).toContain('✓ sample-app.acceptance.release test_home_page_names_the_version');
      expect(pass.status).toBe(0);
      const broken = await start('broken');
      const fail = spawnSync('sh', ['test/run.sh', 'acceptance'], {
        cwd: app,
        env: { ...process.env, BASE_URL: broken, EXPECTED_VERSION: '5.0.1' },
        encoding: 'utf8',
      });
      expect(fail.status).toBe(1);
      expect(fail.stdout).toContain('✗ sample-app.acceptance.release test_environment_is_healthy');
    });
  });
});
