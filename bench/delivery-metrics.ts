// delivery-metrics over a year of 10,000 releases (RELEASES) in the GitHub stand-in, read through
// GraphQL 100 deployments (with their statuses) per request, commits from a real checkout of
// 10,000 commits: GitHub requests made (the GITHUB_TOKEN's budget is 1,000 an hour), wall time
// (target under a minute) and peak memory. Measured twice: in this process (read, then compute),
// and end to end through the action's bundle under Node 24 as a runner runs it. The baseline is
// what the REST API would take for the same history (deployment-history.ts: a page of 100
// deployments, then one request per deployment for its statuses), counted, not run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalGitHubApi } from '../local/github-api/index.js';
import { runBundle } from '../local/runner/run-bundle.js';
import { silentLogger } from '../shared/core/logger.js';
import { openGitHubClient } from '../shared/github/client.js';
import { openCommitSource } from '../shared/metrics/commit-source.js';
import { computeMetrics } from '../shared/metrics/compute.js';
import { readGitHubReleases } from '../shared/metrics/read-github.js';
import { parseWindow } from '../shared/metrics/window.js';
import { seedRelease } from '../test/helpers/release-history.js';
import { printTable, verdict } from './_lib.js';

const RELEASES = Number(process.env.BENCH_RELEASES ?? 10_000);
const TOKEN = 'ghs_bench';
const REPOSITORY = 'acme/bench';
const YEAR = 365 * 86_400_000;
const now = Date.now();

/** A linear history of one commit per release, written with git fast-import (seconds, not minutes). */
function checkout(times: readonly number[]): { dir: string; shas: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctp-bench-metrics-'));
  execFileSync('git', ['-C', dir, 'init', '-q', '-b', 'main']);
  const lines: string[] = [];
  times.forEach((t, i) => {
    const message = i % 97 === 0 ? `fix ${i}\n\nHotfix: true\n` : `change ${i}\n`;
    lines.push(
      'commit refs/heads/main',
      `mark :${i + 1}`,
      `committer dev <dev@example.com> ${Math.floor(t / 1000)} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
    );
    if (i > 0) lines.push(`from :${i}`);
    lines.push(`M 644 inline version`, `data ${String(i).length}`, String(i), '');
  });
  execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: lines.join('\n') });
  execFileSync('git', ['-C', dir, 'checkout', '-q', 'main']);
  const shas = execFileSync('git', ['-C', dir, 'rev-list', '--reverse', 'main'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .trim()
    .split('\n');
  return { dir, shas };
}

const github = await startLocalGitHubApi({ token: TOKEN });
const opened = Array.from({ length: RELEASES }, (_, i) => now - YEAR + Math.floor(((i + 0.5) * YEAR) / RELEASES));
const seeding = performance.now();
const { dir, shas } = checkout(opened.map((t) => t - 3 * 3_600_000));
opened.forEach((t, i) => {
  const failed = i % 20 === 7;
  const migration = i % 50 === 11;
  seedRelease(github, REPOSITORY, {
    environment: 'production',
    sha: shas[i]!,
    at: new Date(t),
    ...(failed ? { outcome: 'rolled-back', cause: 'alarm-rollback', by: 'ecs', served: 'yes' } : {}),
    ...(migration ? { outcome: 'failed', cause: 'failed-migration', served: 'no' } : {}),
  });
});
const seedMs = performance.now() - seeding;

// In this process: read, then compute.
const rss0 = process.memoryUsage().rss;
const started = performance.now();
const client = await openGitHubClient({ token: TOKEN, apiUrl: github.url, logger: silentLogger, readOnly: true });
const window = parseWindow('365d', new Date(now + 1_000));
const read = await readGitHubReleases(client, {
  repository: REPOSITORY,
  environments: ['production'],
  window,
  identity: 'github-actions[bot]',
  inputNames: { token: 'github-token', environment: 'environment' },
  logger: silentLogger,
});
const readMs = performance.now() - started;
const commits = await openCommitSource({ workspace: dir, client, repository: REPOSITORY, logger: silentLogger });
const report = await computeMetrics(read.releases, { window, environments: ['production'], commits, reworkMarker: /^Hotfix: true$/m });
const totalMs = performance.now() - started;
const peakRss = process.resourceUsage().maxRSS * 1024;

// End to end through the bundle (its own process, Node 24), as a runner runs it.
const before = github.requests.length;
const action = await runBundle('delivery-metrics', {
  inputs: { 'github-token': TOKEN, environment: 'production', window: '365d', 'rework-marker': '/^Hotfix: true$/m' },
  github: { repository: REPOSITORY, apiUrl: github.url },
  workspace: dir,
  timeoutMs: 300_000,
});
const bundleRequests = github.requests.length - before;
if (action.exitCode !== 0) console.log(action.log);

const restRequests = Math.ceil(RELEASES / 100) + RELEASES;
const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MiB`;
console.log(
  `${RELEASES} releases over a year (seeded in ${(seedMs / 1000).toFixed(1)} s); ${read.releases.length} read, ${report.overall.current.releases} counted; ` +
    `commits: ${commits.stats.fromHistory} from the history, ${commits.stats.fromApi} from the API`,
);
printTable(
  ['delivery-metrics, 10,000 releases', 'GitHub requests', 'wall time', 'memory', 'target'],
  [
    ['baseline: REST (100 a page + statuses each)', restRequests, '–', '–', verdict(restRequests <= 1_000, '≤ 1,000 requests')],
    [
      'in process: read (GraphQL) + compute',
      client.requests.length,
      `${(totalMs / 1000).toFixed(1)} s (read ${(readMs / 1000).toFixed(1)} s)`,
      `peak rss ${mib(peakRss)} (+${mib(Math.max(0, process.memoryUsage().rss - rss0))}, stand-in included)`,
      verdict(client.requests.length <= 1_000 && totalMs < 60_000, '≤ 1,000 requests, < 60 s'),
    ],
    [
      `the action's bundle (exit ${action.exitCode})`,
      bundleRequests,
      `${(action.durationMs / 1000).toFixed(1)} s`,
      '–',
      verdict(action.exitCode === 0 && bundleRequests <= 1_000 && action.durationMs < 60_000, '≤ 1,000 requests, < 60 s'),
    ],
  ],
);
console.log(
  `outputs: ${Object.entries(action.outputs)
    .filter(([k]) => k !== 'report-file')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`,
);
await github.stop();
rmSync(dir, { recursive: true, force: true });
