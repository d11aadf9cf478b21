/**
 * What the demo's stages share: the local stack, the ECS emulator and the sample app's services,
 * the repository's and environments' variables every run gets, the load put on a service while a
 * job runs (and every answer it got, for the page's charts), and what one stage leaves for a later
 * one (the image it pushed, the service it created).
 */
import { appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { LocalGitHubApi } from '../github-api/index.js';
import type { JobRunResult, RunWorkflowOptions } from '../workflow-runner/run-workflow.js';
import { fetchText, startLoad, type LoadReport, type LoadResult, type RunningLoad } from './load-generator.js';
import type { LocalEcsHandle, StackInfo } from './local-stack.js';
import type { StageRow } from './report-table.js';
import type { SampleService } from './sample-service.js';

/** Load on an environment's load balancer for the life of one job (the deploy or the rollback). */
export interface LoadTarget {
  /** The name the load is reported under (DemoResult.load, the page's chart). */
  stage: string;
  url: string;
  /** Default /version. */
  path?: string;
  /** Requests in flight at once; default 4. */
  concurrency?: number;
  timeoutMs?: number;
  onResult?: (result: LoadResult) => void;
}

/** The sample app's repository as GitHub knows it: github.repository of every run, and where its release records are. */
export const DEMO_REPOSITORY = 'acme/sample-app';

export interface DemoWorld {
  base: string;
  workspace: string;
  stack: StackInfo;
  ecs: LocalEcsHandle;
  /**
   * The GitHub REST stand-in every run talks to (github.api_url), and the token it accepts, given
   * to each run as GITHUB_TOKEN (github.token): every deploy, resume and rollback records its GitHub
   * deployment and statuses there, as on GitHub.
   */
  github: LocalGitHubApi;
  githubToken: string;
  staging: SampleService;
  production: SampleService;
  vars: Record<string, string>;
  say: (line: string) => void;
  /** The load each stage put on, once it stopped, and every answer it got, in order. */
  load: Record<string, LoadReport>;
  answers: Record<string, LoadResult[]>;
  running: Map<string, RunningLoad>;
  /** What earlier stages left: the image pushed in stage 2, the live service, the alarm. */
  imageRef: string;
  live?: SampleService;
  /** The head of main: the commit the last release made. */
  head: string;
  /** Each release's commit, by version (how a release record, which names a commit, is told apart). */
  commits: Record<string, string>;
  /** Each environment's GitHub release records as the last stage read them, newest first (release-records.ts recordLine). */
  releaseRecords: Record<string, string[]>;
}

/** Each environment's "database": a host directory its tasks mount at /data, world-writable like /tmp (the app runs as uid 10001). */
export function dataDir(base: string, environment: string): string {
  const dir = path.join(base, `data-${environment}`);
  mkdirSync(dir);
  chmodSync(dir, 0o1777);
  return dir;
}

/**
 * Repository variables: what differs on one machine from the examples' defaults (the talk's
 * Maven build and ECR), read by the examples themselves.
 */
export function repositoryVars(stack: StackInfo, ecs: LocalEcsHandle, staging: SampleService): Record<string, string> {
  return {
    IMAGE_REGISTRY: stack.registry,
    IMAGE_REPOSITORY: 'sample-app',
    // A user name is not a secret: as one, every 'ctp' in every log line would be masked.
    REGISTRY_USERNAME: stack.username,
    AWS_REGION: ecs.region,
    AWS_PUSH_ROLE_ARN: `arn:aws:iam::${ecs.accountId}:role/sample-app-push`,
    STAGING_URL: staging.loadBalancerUrl,
    BUILD_IMAGE: 'ctp/busybox:latest',
    BUILD_COMMAND: 'sh build.sh',
    BUILD_OUTPUT: 'build',
    // The commit stage shards the unit tier: each shard runs the files it is handed.
    UNIT_TEST_FILES: 'test/unit/*.sh',
    UNIT_TEST_COMMAND: 'sh test/run.sh unit "$TEST_SHARD_FILES"',
    UNIT_TEST_REPORTS: 'build/test-reports/TEST-*.xml',
    INTEGRATION_TEST_COMMAND: 'sh test/run.sh integration',
    FUNCTIONAL_TEST_COMMAND: 'sh test/run.sh functional',
    ACCEPTANCE_TEST_COMMAND: 'sh test/run.sh acceptance',
    TEST_REPORTS: 'build/test-reports/TEST-*.xml',
    // Each release's migration, run by the deploy before the service moves (pre-deploy-command).
    MIGRATION_COMMAND: 'bin/migrate',
  };
}

/** An environment's variables: its own cluster and its own deploy role. */
export function environmentOf(world: DemoWorld, service: SampleService, name: string, desiredCount = ''): { vars: Record<string, string> } {
  return {
    vars: {
      ECS_CLUSTER: service.cluster,
      ECS_SERVICE: service.service,
      AWS_REGION: world.ecs.region,
      AWS_DEPLOY_ROLE_ARN: `arn:aws:iam::${world.ecs.accountId}:role/sample-app-deploy-${name}`,
      DESIRED_COUNT: desiredCount,
    },
  };
}

/**
 * Staging, production, and production-plan: where the pipeline's plan-production job runs before
 * the approval (no reviewers, production's variables, on GitHub a role that may only read).
 */
export function environmentsOf(world: DemoWorld, desiredCount = ''): Record<string, { vars: Record<string, string> }> {
  return {
    staging: environmentOf(world, world.staging, 'staging', desiredCount),
    production: environmentOf(world, world.production, 'production', desiredCount),
    'production-plan': environmentOf(world, world.production, 'production-plan', desiredCount),
  };
}

/** The options every run gets: the repository, its variables and secrets, the local AWS, the log. */
export function runOptions(world: DemoWorld, full: (line: string) => void, noticed: Set<string>): RunWorkflowOptions {
  return {
    workspace: world.workspace,
    secrets: { REGISTRY_PASSWORD: world.stack.password, GITHUB_TOKEN: world.githubToken },
    vars: world.vars,
    environments: environmentsOf(world),
    stateDir: path.join(world.base, 'runner-state'),
    localAws: world.ecs.env(),
    github: { repository: DEMO_REPOSITORY, sha: world.head, ref: 'refs/heads/main', defaultBranch: 'main', actor: 'demo', apiUrl: world.github.url },
    onLog: (line) => {
      full(line);
      // Each notice once for the whole demo: the runs repeat them.
      const shown = line.replace(/^\[[^\]]*\] /, '');
      if (shown.startsWith('Notice:')) {
        if (!noticed.has(shown)) world.say(`  ${shown}`);
        noticed.add(shown);
      } else if (/^(── job|\s{3}[▶✓✗○]|Warning:)/.test(shown)) world.say(`  ${line}`);
    },
  };
}

export function logTo(file: string): (line: string) => void {
  return (line) => appendFileSync(file, `${line}\n`);
}

/** Puts load on a job's environment from the job's start to its end, keeping every answer. */
export function withLoad(world: DemoWorld, byJob: Record<string, LoadTarget>, options: RunWorkflowOptions): RunWorkflowOptions {
  return {
    ...options,
    onJob: (event) => {
      const target = byJob[event.id];
      if (!target || event.name.includes(' / ')) return;
      if (event.type === 'start') {
        const url = `${target.url}${target.path ?? '/version'}`;
        const concurrency = target.concurrency ?? 4;
        world.say(`  load: GET ${url}, ${concurrency} at a time, while ${event.name} runs`);
        const answers: LoadResult[] = [];
        world.answers[target.stage] = answers;
        const onResult = (r: LoadResult) => {
          answers.push(r);
          target.onResult?.(r);
        };
        // Each worker pauses 50 ms between requests: with 4 at a time ~60 requests a second through
        // the load balancer, so a gap of 100 ms in service still fails several of them. At 20 ms
        // (~150 a second) the load alone took ~0.4 of one of the machine's two cores for as long as
        // a deploy ran, CPU that the rollout under test and the rest of the suite needed (issue 29).
        const options = { concurrency, pauseMs: 50, maxRequests: 100_000, maxDurationMs: 6 * 60_000, onResult };
        world.running.set(target.stage, startLoad(url, target.timeoutMs ? { ...options, timeoutMs: target.timeoutMs } : options));
      } else {
        const r = world.running.get(target.stage);
        world.running.delete(target.stage);
        if (r) void r.stop().then((report) => (world.load[target.stage] = report));
      }
    },
  };
}

/** The load of a stage once it has stopped (the stop started by the job's end may still be settling). */
export async function finishLoad(world: DemoWorld, stage: string): Promise<LoadReport | undefined> {
  const r = world.running.get(stage);
  if (r) {
    world.running.delete(stage);
    world.load[stage] = await r.stop();
  }
  for (let i = 0; i < 100 && !world.load[stage]; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return world.load[stage];
}

/** What /version (or another path) answers now, asked a few times: one answer, or the set of them. */
export async function versionServed(url: string, servedPath = '/version'): Promise<string | undefined> {
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    try {
      const r = await fetchText(`${url}${servedPath}`);
      seen.add(r.status === 200 ? r.body : `HTTP ${r.status}`);
    } catch (e) {
      seen.add((e as NodeJS.ErrnoException).code ?? 'error');
    }
  }
  return seen.size ? [...seen].sort().join(' + ') : undefined;
}

export function sumMs(...jobs: (JobRunResult | undefined)[]): number {
  return jobs.reduce((t, j) => t + (j?.durationMs ?? 0), 0);
}

export function resultText(...jobs: (JobRunResult | undefined)[]): string {
  for (const job of jobs) {
    if (!job) return 'did not run';
    if (job.result !== 'success') return `${job.id} ${job.result}${job.message ? `: ${job.message.split('\n')[0]}` : ''}`;
  }
  return 'succeeded';
}

export function healthy(r: LoadReport | undefined): boolean {
  return r !== undefined && r.failed === 0 && r.sent > 0;
}

/** The load columns of a stage's row. */
export function loadRow(report: LoadReport | undefined): Partial<StageRow> {
  return report ? { requestsSent: report.sent, requestsFailed: report.failed, ...(report.failed > 0 ? { failureKinds: { ...report.failures } } : {}) } : {};
}

export function served(version: string | undefined): Partial<StageRow> {
  return version ? { versionServed: version } : {};
}

/** Steps of the workflow a job called, and their log and failure lines as one text. */
export function calledSteps(job: JobRunResult | undefined) {
  return (job?.called?.jobs ?? []).flatMap((j) => j.steps);
}

export function calledLog(job: JobRunResult | undefined): string {
  return (job?.called?.jobs ?? [])
    .flatMap((j) => [j.message, ...j.steps.flatMap((st) => [st.log, st.message])])
    .filter(Boolean)
    .join('\n');
}
