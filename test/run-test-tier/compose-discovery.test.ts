import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import { COMPOSE_VERSION } from '../../shared/compose/install.js';

// A runner without Docker Compose: PATH holds docker and the usual tools but no docker-compose,
// and the "release" is served from a local HTTP server (nothing can be downloaded here). The
// served binary hands over to Debian's docker-compose, so the stack really comes up.
const RELEASE = `#!/bin/sh\n# stand-in for the docker-compose ${COMPOSE_VERSION} release\nexec /usr/bin/docker-compose "$@"\n`;
const sha = createHash('sha256').update(RELEASE).digest('hex');
let server: Server;
let base = '';
let downloads: string[] = [];
let servedSum = sha;

beforeAll(async () => {
  server = createServer((req, res) => {
    downloads.push(req.url ?? '');
    if (req.url === `/v${COMPOSE_VERSION}/docker-compose-linux-x86_64`) res.end(RELEASE);
    else if (req.url === `/v${COMPOSE_VERSION}/docker-compose-linux-x86_64.sha256`) res.end(`${servedSum} *docker-compose-linux-x86_64\n`);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Every program in /usr/bin except docker-compose, plus docker from /usr/local/bin. */
function pathWithoutCompose(): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'ctp-bin-'));
  for (const name of readdirSync('/usr/bin')) if (name !== 'docker-compose') symlinkSync(path.join('/usr/bin', name), path.join(bin, name));
  return `/usr/local/bin:${bin}`;
}

function workspace(): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'ctp-tier-install-'));
  mkdirSync(path.join(ws, 'stack'));
  writeFileSync(
    path.join(ws, 'stack/stack.yml'),
    'version: "3.8"\nservices:\n  idle:\n    image: ctp/busybox:latest\n    init: true\n    command: ["sleep", "3600"]\n',
  );
  return ws;
}

const run = `echo '<testsuite name="s"><testcase classname="a" name="b"/></testsuite>' > TEST-ok.xml`;

describe('run-test-tier: Docker Compose missing on the runner', () => {
  it('installs the pinned release once, verifies its checksum, and reuses it from the tool cache', async () => {
    downloads = [];
    servedSum = sha;
    const runnerTemp = path.join(mkdtempSync(path.join(tmpdir(), 'ctp-runner-')), 'temp');
    mkdirSync(runnerTemp);
    const env = { PATH: pathWithoutCompose(), COMPOSE_DOWNLOAD_URL: base };
    const first = await runBundle('run-test-tier', {
      workspace: workspace(),
      runnerTemp,
      env,
      inputs: { tier: 'integration', run, 'compose-file': 'stack/stack.yml' },
    });
    expect(first.exitCode, first.log).toBe(0);
    expect(first.log).toContain(`▸ Installing docker-compose ${COMPOSE_VERSION} (neither \`docker compose\` nor \`docker-compose\` is on this runner)`);
    expect(first.log).toContain(`Checksum verified: sha256 ${sha}.`);
    expect(first.log).toMatch(/Stack ready in [\d.]+s: idle running\./);
    expect(downloads).toEqual([`/v${COMPOSE_VERSION}/docker-compose-linux-x86_64`, `/v${COMPOSE_VERSION}/docker-compose-linux-x86_64.sha256`]);

    const second = await runBundle('run-test-tier', {
      workspace: workspace(),
      runnerTemp,
      env,
      inputs: { tier: 'integration', run, 'compose-file': 'stack/stack.yml' },
    });
    expect(second.exitCode, second.log).toBe(0);
    expect(second.log).toMatch(new RegExp(`Using docker-compose ${COMPOSE_VERSION.replace(/\./g, '\\.')} from the tool cache`));
    expect(downloads).toHaveLength(2);
  });

  it('refuses a download that does not match its published checksum, before anything starts', async () => {
    downloads = [];
    servedSum = 'f'.repeat(64);
    const ws = workspace();
    const r = await runBundle('run-test-tier', {
      workspace: ws,
      env: { PATH: pathWithoutCompose(), COMPOSE_DOWNLOAD_URL: base },
      inputs: { tier: 'integration', run: 'touch ran', 'compose-file': 'stack/stack.yml' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.at(-1)?.message).toBe(
      `The Docker Compose download from ${base}/v${COMPOSE_VERSION}/docker-compose-linux-x86_64 does not match its published checksum (expected ${'f'.repeat(64)}, got ${sha}); not installing it.`,
    );
    expect(readdirSync(ws)).not.toContain('ran');
  });
});

describe('run-test-tier: the Docker Compose plugin', () => {
  it('is preferred when docker has it', async () => {
    // A CLI plugin in a private Docker config: it answers docker's metadata probe and hands
    // everything else to Debian's docker-compose, so `docker compose …` really works.
    const config = mkdtempSync(path.join(tmpdir(), 'ctp-docker-plugins-'));
    mkdirSync(path.join(config, 'cli-plugins'));
    const plugin = path.join(config, 'cli-plugins', 'docker-compose');
    writeFileSync(
      plugin,
      `#!/bin/sh\nif [ "$1" = docker-cli-plugin-metadata ]; then echo '{"SchemaVersion":"0.1.0","Vendor":"commit-to-prod tests","Version":"v2.99.0-test","ShortDescription":"Compose stand-in"}'; exit 0; fi\nshift\nexec /usr/bin/docker-compose "$@"\n`,
    );
    chmodSync(plugin, 0o755);
    const r = await runBundle('run-test-tier', {
      workspace: workspace(),
      env: { DOCKER_CONFIG: config },
      inputs: { tier: 'integration', run, 'compose-file': 'stack/stack.yml' },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain('Docker Compose: the docker compose plugin 1.29.2.');
    expect(r.log).toMatch(/\[command\]docker compose -p ctp-integration-\S+ -f \S+stack\.yml up -d --remove-orphans/);
    expect(r.log).toMatch(/\[command\]docker compose -p ctp-integration-\S+ -f \S+ down --volumes --remove-orphans/);
  });
});
