import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, TagResourceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGitHubApi, startLocalGitHubApi } from '../../local/github-api/index.js';
import { type ActionResult, runBundle } from '../../local/runner/run-bundle.js';
import { TAG } from '../../shared/release/schema.js';
import { type LocalEcsEnv, withLocalEcs } from '../helpers/local-ecs.js';
import { seedRelease, type SeedRelease } from '../helpers/release-history.js';

/**
 * delivery-metrics through its bundle (dist/, Node 24), against the GitHub stand-in (GraphQL
 * validated against GitHub's schema) with a seeded history and a real git checkout, and against
 * the ECS emulator for the revision-tag fallback.
 *
 * Production's history, worked by hand (days before now; a release is opened at its time, its
 * service updated 1 min later, its closing status 5 min after opening; each release's commit is
 * committed 5 h before that closing status, in a linear history):
 *   base  day 40  success (before the window: only the base of r1's commits)
 *   r1…r12 days 28, 26, …, 6: successes except r5 (day 20: served, rolled back by an alarm, by
 *   ECS) and r8 (day 14: migration failed, served=no); r11's commit says `Hotfix: true`.
 * - releases: 12 finished in the window.
 * - deployment frequency: 10 successes / (30 d / 7) = 2.333… → 2.33 a week.
 * - change fail rate: r5 (rolled back automatically after serving), and r10, which r11 fixed
 *   forward (a success whose commit carries the marker fixes the release it replaced); served =
 *   10 successes + r5 = 11 (r8 never served: the pipeline working) → 2/11 = 0.1818… → 0.182.
 * - recovery: r5 served from its service update (+1 min) to its automatic rollback completing
 *   (+5 min): 4 min = 0.0667 h; r10 from its service update (+1 min) to r11's success two days
 *   later (+5 min): 48.0667 h → median of the two 24.0667 → 24.07.
 * - rework: r6 follows the change failure r5 before any other success; r11 carries the marker
 *   → 2/12 = 0.1667 → 0.167.
 * - lead time: each success counts its own commit at 5 h; r6 also counts r5's commit and r9 r8's
 *   (2 days + 5 h = 53 h each): twelve values, ten of 5 h → median 5.00.
 */
const REPO = 'acme/payments-api';
const TOKEN = 'ghs_metrics';
const DAY = 86_400_000;
const now = Date.now();
let github: LocalGitHubApi;
let workspace: string;
let ecsEnv: LocalEcsEnv | undefined;

function commitAt(time: number, message: string): string {
  const date = new Date(time).toISOString();
  writeFileSync(path.join(workspace, 'version'), message);
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    GIT_COMMITTER_DATE: date,
    GIT_AUTHOR_DATE: date,
  };
  execFileSync('git', ['-C', workspace, 'add', 'version'], { env });
  execFileSync('git', ['-C', workspace, 'commit', '-q', '-m', message], { env });
  return execFileSync('git', ['-C', workspace, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
}

function release(day: number, index: number, extra: Partial<SeedRelease> = {}, message = `release ${index}`): void {
  const opened = now - day * DAY;
  const sha = commitAt(opened + 5 * 60_000 - 5 * 3_600_000, message);
  seedRelease(github, REPO, { environment: 'production', sha, at: new Date(opened), ...extra });
}

beforeAll(async () => {
  github = await startLocalGitHubApi({ token: TOKEN, withoutDeploymentsTokens: ['ghs_readonly_nodeploy'] });
  workspace = mkdtempSync(path.join(tmpdir(), 'ctp-metrics-ws-'));
  execFileSync('git', ['-C', workspace, 'init', '-q', '-b', 'main']);
  release(40, 0);
  for (let i = 1; i <= 12; i++) {
    const day = 30 - 2 * i;
    if (i === 5) release(day, i, { outcome: 'rolled-back', cause: 'alarm-rollback', by: 'ecs', served: 'yes' });
    else if (i === 8) release(day, i, { outcome: 'failed', cause: 'failed-migration', served: 'no' });
    else release(day, i, {}, i === 11 ? 'fix the checkout\n\nHotfix: true' : `release ${i}`);
  }
  for (let i = 0; i < 3; i++) seedRelease(github, REPO, { environment: 'staging', sha: 'c'.repeat(40), at: new Date(now - (i + 1) * DAY) });
  github.addEnvironment(REPO, 'qa');
});
afterAll(async () => {
  await github?.stop();
  await ecsEnv?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

function metrics(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionResult> {
  return runBundle('delivery-metrics', {
    inputs: { 'github-token': TOKEN, environment: 'production', window: '30d', ...inputs },
    env,
    github: { repository: REPO, apiUrl: github.url },
    workspace,
    timeoutMs: 60_000,
  });
}

describe('delivery-metrics (bundle)', () => {
  it('computes the five numbers of a seeded history, writes the report and the summary, and logs its progress', async () => {
    const before = github.requests.length;
    const result = await metrics({ 'rework-marker': '/^Hotfix: true$/m' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs).toMatchObject({
      releases: '12',
      'deployment-frequency': '2.33',
      'change-failure-rate': '0.182',
      'recovery-time-median-hours': '24.07',
      'rework-rate': '0.167',
      'lead-time-median-hours': '5.00',
    });
    // One GraphQL page holds the whole history; every commit came from the checkout.
    expect(github.requests.slice(before)).toEqual(['POST /graphql']);
    expect(result.log).toMatch(/GitHub: page 1: 13 deployment\(s\) back to .*; 13 release\(s\) so far/);
    expect(result.log).toMatch(/commits: \d+ from the history, 0 from the API, 0 unknown/);
    const report = JSON.parse(readFileSync(result.outputs['report-file']!, 'utf8'));
    expect(report.overall.audit).toHaveLength(12);
    expect(report.overall.audit.find((r: { status: string }) => r.status === 'stopped-before-serving')).toMatchObject({ cause: 'failed-migration' });
    expect(result.summary).toContain('Delivery metrics: production (30d)');
    expect(result.summary).toContain(`Read from GitHub deployments of ${REPO}`);
  });

  it('says "no releases in this window" for an environment with none, without failing', async () => {
    const result = await metrics({ environment: 'qa' });
    expect(result.exitCode, result.log).toBe(0);
    expect(result.outputs.releases).toBe('0');
    expect(result.log).toContain('No releases in this window');
  });

  it.each([
    [{ window: '30x' }, /Input 'window' has an invalid value "30x": expected a whole number of hours, days or weeks/],
    [{ environment: 'production, prod' }, /Input 'environment': acme\/payments-api has no environment "prod"/],
    [{ 'github-token': 'ghs_readonly_nodeploy' }, /Input 'github-token': the token may not read deployments of acme\/payments-api.*deployments: read/],
    [{ 'rework-marker': '/(unclosed/' }, /Input 'rework-marker' has an invalid value/],
    [{ 'github-token': '' }, /Input 'github-token' is required: expected .*or `service` and `cluster`/],
  ])('refuses bad input %j naming the input', async (inputs, message) => {
    const result = await metrics(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(message);
  });

  it('without a token, reads the ECS revision tags of the service and says what they cannot give', async () => {
    ecsEnv = await withLocalEcs({ timeScale: 50 });
    const { ecs } = ecsEnv;
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    let arn = '';
    for (let i = 1; i <= 4; i++) {
      const started = new Date(now - (10 - i) * DAY).toISOString();
      const out = await ecs.send(
        new RegisterTaskDefinitionCommand({ family: 'payments-api', containerDefinitions: [{ name: 'app', image: `acme/app:${i}` }] }),
      );
      arn = out.taskDefinition!.taskDefinitionArn!;
      const outcome = i === 3 ? 'rolled-back' : 'succeeded';
      await ecs.send(
        new TagResourceCommand({
          resourceArn: arn,
          tags: [
            { key: TAG.kind, value: 'deploy' },
            { key: TAG.outcome, value: outcome },
            { key: TAG.environment, value: 'production' },
            { key: TAG.service, value: 'payments-api' },
            { key: TAG.startedAt, value: started },
            { key: TAG.finishedAt, value: new Date(Date.parse(started) + 300_000).toISOString() },
            { key: TAG.served, value: 'yes' },
            { key: TAG.sha, value: String(i).repeat(40) },
            ...(i === 3
              ? [
                  { key: TAG.cause, value: 'alarm-rollback' },
                  { key: TAG.rolledBackBy, value: 'ecs' },
                ]
              : []),
          ],
        }),
      );
    }
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'payments-api', taskDefinition: arn, desiredCount: 1 }));
    const before = github.requests.length;
    const result = await metrics({ 'github-token': '', service: 'payments-api', cluster: 'prod', 'aws-region': ecsEnv.local.region }, ecsEnv.local.env());
    expect(result.exitCode, result.log).toBe(0);
    expect(github.requests.length).toBe(before);
    // 3 successes in 30 days → 0.70 a week; the one rolled back served: 1 of 4.
    expect(result.outputs).toMatchObject({ releases: '4', 'deployment-frequency': '0.70', 'change-failure-rate': '0.250' });
    expect(result.log).toContain('No github-token: reading the ECS revision tags of payments-api');
    expect(result.log).toMatch(/ECS: 4 revision\(s\) of payments-api, 4 release\(s\) in the tags/);
    expect(result.log).toContain('counts once, at its last release');
    expect(result.summary).toContain('the ECS revision tags of prod/payments-api');
  });
});
