import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../../local/runner/run-bundle.js';
import type { TierReport } from '../../shared/test-tier/report.js';

// Real Compose stacks on the real engine (Debian's docker-compose 1.29, or the plugin), from
// images built FROM ctp/busybox:latest. Each test asserts the project is gone afterwards with
// `docker ps` and `docker network ls`, whatever the tests did.

function workspaceWithStack(): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'ctp-tier-compose-'));
  cpSync(path.join(repoRoot, 'test/fixtures/compose'), path.join(workspace, 'stack'), { recursive: true });
  mkdirSync(path.join(workspace, 'reports'));
  return workspace;
}

function leftovers(project: string): { containers: string[]; networks: string[]; volumes: string[] } {
  const list = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  return {
    containers: list(['ps', '-a', '--format', '{{.Names}}', '--filter', `label=com.docker.compose.project=${project}`]),
    networks: list(['network', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.compose.project=${project}`]),
    volumes: list(['volume', 'ls', '--format', '{{.Name}}', '--filter', `label=com.docker.compose.project=${project}`]),
  };
}

function projectFromLog(log: string): string {
  const match = /compose project (ctp-[a-z0-9_-]+)/.exec(log);
  if (!match) throw new Error(`no compose project in the log:\n${log}`);
  return match[1]!;
}

/** A test command that calls the stack's API through its published port and writes a JUnit report of what it saw. */
const apiTests = (expectAmount: number) => `
body=$(wget -q -O- "http://$STACK_API_8080/payments")
echo "GET /payments -> $body"
if echo "$body" | grep -q '"amount":${expectAmount}'; then
  result='<testcase classname="it.PaymentsApi" name="lists payments" time="0.2"/>'
else
  result="<testcase classname=\\"it.PaymentsApi\\" name=\\"lists payments\\" time=\\"0.2\\"><failure message=\\"unexpected body\\">$body</failure></testcase>"
fi
printf '<testsuite name="it.PaymentsApi">%s</testsuite>' "$result" > reports/TEST-api.xml
grep -q '<failure' reports/TEST-api.xml && exit 1 || true
`;

describe('run-test-tier: a Compose stack for the tier', () => {
  it('comes up healthy, the tests run against it, and it is gone afterwards with its volumes', async () => {
    const workspace = workspaceWithStack();
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'integration', run: apiTests(100), reports: 'reports/*.xml', 'compose-file': 'stack/stack.yml' },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ passed: '1', failed: '0', total: '1' });
    expect(r.log).not.toMatch(/▸ Logs of/);
    expect(r.log).toMatch(/Stack: \d\/3 ready — api (starting|healthy), data running, queue running/);
    expect(r.log).toMatch(/Stack ready in [\d.]+s: api healthy, data running, queue running\./);
    expect(r.log).toMatch(/GET \/payments -> \[\{"id":1,"amount":100\}\]/);
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as TierReport;
    expect(report.stack?.services).toEqual([
      { service: 'api', state: 'running', health: 'healthy' },
      { service: 'data', state: 'running' },
      { service: 'queue', state: 'running' },
    ]);
    expect(r.summary).toMatch(/api: healthy, data: running, queue: running \(compose project ctp-integration-4242-[a-f0-9]+, ready in [\d.]+s\)/);
    const project = report.stack!.project;
    expect(leftovers(project)).toEqual({ containers: [], networks: [], volumes: [] });
    // Main tore it down, so post has nothing to do.
    expect(r.post?.log ?? '').not.toMatch(/tearing it down now/);
  });

  it('is gone afterwards when the tests fail too', async () => {
    const workspace = workspaceWithStack();
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'integration', run: apiTests(999), reports: 'reports/*.xml', 'compose-file': 'stack/stack.yml', 'compose-services': 'api' },
    });
    expect(r.exitCode, r.log).toBe(1);
    expect(r.outputs, r.log).toMatchObject({ failed: '1', total: '1' });
    // compose-services: api and what it depends on, not `data`.
    expect(r.log, r.log).toMatch(/Stack ready in [\d.]+s: api healthy, queue running\./);
    expect(r.annotations.at(-1)?.message, r.log).toBe('1 of 1 integration test failed. The test command exited with code 1.');
    // The stack's logs, kept before the teardown deletes them.
    // (compose interleaves the services' lines in no fixed order)
    const logs = r.log.split('▸ Logs of api, queue')[1] ?? '';
    expect(logs, r.log).toContain('api: ready on 8080');
    expect(logs, r.log).toContain('queue: listening on 5672');
    expect(leftovers(projectFromLog(r.log))).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('an unhealthy service fails the tier before the tests, with its logs, and nothing is left', async () => {
    const workspace = workspaceWithStack();
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'acceptance', run: 'touch ran', 'compose-file': 'stack/unhealthy.yml', 'compose-timeout': '60s' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.at(-1)?.message).toMatch(/^The stack is not healthy: db is unhealthy after [\d.]+s; its logs are above\.$/);
    expect(r.log).toMatch(/▸ Logs of db[\s\S]*db: FATAL: could not open data directory/);
    expect(r.summary).toMatch(/<h3>❌ acceptance tests did not complete<\/h3>\n<p>The stack is not healthy: db is unhealthy/);
    expect(readdirNames(workspace)).not.toContain('ran');
    expect(leftovers(projectFromLog(r.log))).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('cancelled while the tests run: torn down before the step ends', async () => {
    const workspace = workspaceWithStack();
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'integration', run: 'echo tests-started\nsleep 60', 'compose-file': 'stack/stack.yml', 'compose-services': 'queue' },
      cancel: { whenLogMatches: /^tests-started$/, signal: 'SIGINT' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.durationMs).toBeLessThan(40_000);
    expect(r.log).toMatch(/Tearing down the stack/);
    expect(leftovers(projectFromLog(r.log))).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('killed outright (SIGKILL): the post step tears down what main left', async () => {
    const workspace = workspaceWithStack();
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'integration', run: 'echo tests-started\nsleep 60', 'compose-file': 'stack/stack.yml', 'compose-services': 'queue' },
      cancel: { whenLogMatches: /^tests-started$/, signal: 'SIGKILL' },
    });
    expect(r.signal).toBe('SIGKILL');
    const project = projectFromLog(r.log);
    expect(r.state['compose-project']).toBe(project);
    expect(r.post?.exitCode).toBe(0);
    expect(r.post?.log).toMatch(new RegExp(`did not tear down compose project ${project}`));
    expect(leftovers(project)).toEqual({ containers: [], networks: [], volumes: [] });
  });

  it('an unknown service is refused before anything starts', async () => {
    const workspace = workspaceWithStack();
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'integration', run: 'touch ran', 'compose-file': 'stack/stack.yml', 'compose-services': 'api, postgres' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.at(-1)?.message).toBe(
      `Input 'compose-services' names 'postgres', which is not in ${path.join(workspace, 'stack/stack.yml')}: expected some of queue, api, data.`,
    );
    expect(readdirNames(workspace)).not.toContain('ran');
  });
});

function readdirNames(dir: string): string[] {
  return execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
