import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../../local/runner/run-bundle.js';
import { localStack } from '../helpers/stack.js';
import type { TierReport } from '../../shared/test-tier/report.js';

// The tests run inside a container through the shared container runner (the one
// build-in-container uses): the workspace mounted at the same path, the runner's user, and the
// Compose stack's network when there is one.

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-tier-container-'));
  cpSync(path.join(repoRoot, 'test/fixtures/compose'), path.join(dir, 'stack'), { recursive: true });
  mkdirSync(path.join(dir, 'reports'));
  return dir;
}

const containersNamed = (name: string) =>
  execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}', '--filter', `label=commit-to-prod.container=${name}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

describe('run-test-tier: container-image', () => {
  const image = localStack().baseImage;

  it('runs the tests in the image with the workspace at the same path, and reads the reports they wrote', async () => {
    const ws = workspace();
    const r = await runBundle('run-test-tier', {
      workspace: ws,
      inputs: {
        tier: 'unit',
        'container-image': image,
        env: 'GREETING=hello from the job',
        run: [
          'echo "inside: $(pwd) as $(id -u):$(id -g), tier=$TEST_TIER, greeting=$GREETING"',
          'test -f /.dockerenv',
          `printf '<testsuite name="in.container"><testcase classname="in.container" name="sees the workspace" time="0.1"/><testcase classname="in.container" name="is skipped" time="0"><skipped/></testcase></testsuite>' > reports/TEST-container.xml`,
        ].join('\n'),
        reports: 'reports/*.xml',
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain(`inside: ${ws} as ${process.getuid!()}:${process.getgid!()}, tier=unit, greeting=hello from the job`);
    expect(r.log).toMatch(/▸ unit tests in ctp\/busybox:latest/);
    expect(r.outputs).toMatchObject({ passed: '1', skipped: '1', total: '2' });
    expect(statSync(path.join(ws, 'reports/TEST-container.xml')).uid).toBe(process.getuid!());
    expect(containersNamed(r.state.container!)).toEqual([]);
  });

  it("joins the Compose stack's network: services are reached by name", async () => {
    const ws = workspace();
    const r = await runBundle('run-test-tier', {
      workspace: ws,
      inputs: {
        tier: 'integration',
        'container-image': image,
        'compose-file': 'stack/stack.yml',
        'compose-services': 'api',
        run: [
          'echo "api at $STACK_API_8080"',
          'body=$(wget -q -O- "http://$STACK_API_8080/payments")',
          `printf '<testsuite name="it"><testcase classname="it.Api" name="payments: %s" time="0.1"/></testsuite>' "$(echo "$body" | tr -d '"<>&')" > reports/TEST-it.xml`,
        ].join('\n'),
        reports: 'reports/*.xml',
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain('api at api:8080');
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as TierReport;
    expect(report.slowest[0]!.name).toBe('payments: [{id:1,amount:100}]');
  });

  it('an image that is not there and may not be pulled fails clearly, before the stack starts', async () => {
    const ws = workspace();
    const r = await runBundle('run-test-tier', {
      workspace: ws,
      inputs: { tier: 'integration', 'container-image': 'ctp-test/no-such-image:1', pull: 'never', run: 'touch ran', 'compose-file': 'stack/stack.yml' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.at(-1)?.message).toBe('Image ctp-test/no-such-image:1 is not present on this runner, and pull is `never`.');
    expect(r.log).not.toMatch(/Starting the stack/);
  });

  it('a `sleep 600` under `budget: 3s`: the container is stopped, the step fails in seconds, no container is left', async () => {
    const ws = workspace();
    const started = Date.now();
    const r = await runBundle('run-test-tier', {
      workspace: ws,
      inputs: {
        tier: 'unit',
        'container-image': image,
        budget: '3s',
        run: `printf '<testsuite name="c"><testcase classname="c" name="ran first" time="0.1"/></testsuite>' > reports/TEST-c.xml\nsleep 600`,
        reports: 'reports/*.xml',
      },
      post: false,
    });
    expect(r.exitCode, r.log).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.annotations.find((a) => a.level === 'error')?.message).toMatch(/^The unit tests were stopped at the 3s budget/);
    expect(r.outputs).toMatchObject({ passed: '1', total: '1', 'budget-exceeded': 'true' });
    // Checked without the post step: the main step itself left nothing behind.
    expect(containersNamed(r.state.container!)).toEqual([]);
  });

  it('killed outright while the container runs: the post step removes the container', async () => {
    const ws = workspace();
    const r = await runBundle('run-test-tier', {
      workspace: ws,
      inputs: { tier: 'unit', 'container-image': image, run: 'echo container-started\nsleep 60' },
      cancel: { whenLogMatches: /^container-started$/, signal: 'SIGKILL' },
    });
    expect(r.signal).toBe('SIGKILL');
    const name = r.state.container!;
    expect(name).toMatch(/^ctp-test-unit-/);
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.log).toMatch(/Removed 1 container\(s\) left behind/);
    expect(containersNamed(name)).toEqual([]);
  });
});
