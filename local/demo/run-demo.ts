/**
 * The whole pipeline on one machine, through the local workflow runner, against the sample app:
 * the files of workflows-examples/ themselves (the ones users copy), with repository and
 * environment variables for the local stack (registry, build image and commands, clusters):
 *
 *   0. the first release (1.0.0) through pipeline.yml, to empty staging and production services
 *   1. commit stage and test tiers of 1.1.0
 *   2. build and push of 1.1.0 (from the commit stage's build output, as an artifact)
 *   3. deploy of 1.1.0 to staging under load, then its acceptance tier
 *   4. deploy of 1.1.0 to production under load
 *   5. a broken release (1.2.0, fails its health check): detected in staging and rolled back
 *      automatically, under load; production is never touched
 *   6. rollback.yml of production with `to: previous`, under load
 *   7. a 5xx release (1.3.0, passes its health check, answers half its requests with 500s):
 *      caught in staging by the alarm on the load balancer's 5xx count and rolled back, under
 *      load, with the number of failed requests it caused
 *   8. a release whose migration fails (1.4.0): the pre-deploy task exits 3 and staging is
 *      untouched (same version, same schema), under load; production is never touched
 *   9. a service on ECS's native CANARY strategy ("live", created running 1.1.0), released through
 *      pipeline-verified.yml (commit stage, image, deploy-verified.yml): 1.5.0 pauses with green on
 *      the test listener only, its acceptance tier passes there, then 10% of production → the
 *      canary's bake → 100%, under load with zero failed requests
 *  10. a release that passes its health checks but fails acceptance (1.6.0, its image lost the
 *      home page): rolled back from the paused gate, no production request ever answered by it
 *
 * Every release's migration (`bin/migrate`, the repository variable MIGRATION_COMMAND) runs as
 * the deploy's pre-deploy task, before the service moves, against the environment's data directory.
 *
 * Each stage is checked against what it must do (the version served, zero failed requests, the
 * broken release never answering), and the result is a table of stages.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../runner/run-bundle.js';
import { runWorkflow, type JobRunResult, type RunWorkflowOptions, type WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import { describeFailures, fetchText, startLoad, type LoadReport, type LoadResult, type RunningLoad } from './load-generator.js';
import { bringUpStack, startEcsEmulator, type LocalEcsHandle, type StackInfo } from './local-stack.js';
import type { StageRow } from './report-table.js';
import { createErrorsAlarm, createSampleService, type SampleService } from './sample-service.js';

export interface DemoOptions {
  /** Lines for the console: stage headers and each job's and step's start and end. */
  log?: (line: string) => void;
  /** The complete log of every workflow run (default: demo.log beside the demo's workspace). */
  logFile?: string;
  /** Keep the workspace afterwards (to look around); the emulator's containers are always removed. */
  keep?: boolean;
  /** Aborting stops the load and the emulator (removing its containers) at once, then calls onAborted. */
  signal?: AbortSignal;
  onAborted?: () => void;
}

export interface DemoResult {
  ok: boolean;
  rows: StageRow[];
  /** Load during each loaded stage, by stage name. */
  load: Record<string, LoadReport>;
  workspace: string;
  logFile: string;
  durationMs: number;
  /** Why the demo stopped before its end, in full. */
  error?: string;
}

const SAMPLE_APP = path.join(repoRoot, 'local/sample-app');

/** The workflows the demo runs: every one of workflows-examples/, copied as a user copies them. */
export const DEMO_WORKFLOWS = ['commit-stage.yml', 'pipeline.yml', 'deploy.yml', 'rollback.yml', 'pipeline-verified.yml', 'deploy-verified.yml'];

/**
 * The sample app's repository, as a user's would be: its sources with the example workflows
 * copied unchanged into .github/workflows/, a git repository whose commits are the releases.
 */
export function prepareWorkspace(base: string): string {
  const workspace = path.join(base, 'sample-app');
  const build = path.join(SAMPLE_APP, 'build');
  cpSync(SAMPLE_APP, workspace, { recursive: true, filter: (p) => p !== build && !p.startsWith(`${build}/`) });
  const workflows = path.join(workspace, '.github/workflows');
  mkdirSync(workflows, { recursive: true });
  for (const file of DEMO_WORKFLOWS) cpSync(path.join(repoRoot, 'workflows-examples', file), path.join(workflows, file));
  git(workspace, 'init', '-q', '-b', 'main');
  return workspace;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@localhost', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** A commit on main: the release's VERSION (and, for the bad release, a broken image); its sha becomes github.sha. */
function commitRelease(workspace: string, version: string, options: { brokenImage?: boolean; errorsImage?: boolean; noHomePage?: boolean } = {}): string {
  writeFileSync(path.join(workspace, 'VERSION'), `${version}\n`);
  const dockerfile = path.join(workspace, 'Dockerfile');
  if (options.brokenImage) {
    // A change no test before the deploy sees: the image's default makes it fail its health check.
    writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('ARG BROKEN=false', 'ARG BROKEN=true'));
  }
  if (options.errorsImage) {
    // The broken default fixed, and a new one no test sees: half the answers are 500s, while the
    // health check passes.
    writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('ARG BROKEN=true', 'ARG BROKEN=false').replace('ARG ERRORS=false', 'ARG ERRORS=true'));
  }
  if (options.noHomePage) {
    // A clean-up line in the image that takes the home page with it: the health check, /version
    // and every test before the deploy still pass; only the acceptance tier asks for the page.
    writeFileSync(dockerfile, readFileSync(dockerfile, 'utf8').replace('# bin/migrate (the deploy', 'RUN rm -f /app/www/*.html\n# bin/migrate (the deploy'));
  }
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '--allow-empty', '-m', `release ${version}`);
  return git(workspace, 'rev-parse', 'HEAD');
}

/** What /version (or another path) answers now, asked a few times: one answer, or the set of them. */
async function versionServed(url: string, servedPath = '/version'): Promise<string | undefined> {
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

function jobsById(result: WorkflowRunResult): Map<string, JobRunResult> {
  return new Map(result.jobs.map((j) => [j.id, j]));
}

function sumMs(...jobs: (JobRunResult | undefined)[]): number {
  return jobs.reduce((t, j) => t + (j?.durationMs ?? 0), 0);
}

function resultText(...jobs: (JobRunResult | undefined)[]): string {
  for (const job of jobs) {
    if (!job) return 'did not run';
    if (job.result !== 'success') return `${job.id} ${job.result}${job.message ? `: ${job.message.split('\n')[0]}` : ''}`;
  }
  return 'succeeded';
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const say = options.log ?? ((line: string) => console.log(line));
  const base = mkdtempSync(path.join(tmpdir(), 'ctp-demo-'));
  const logFile = options.logFile ?? path.join(base, 'demo.log');
  writeFileSync(logFile, '');
  const full = (line: string) => appendFileSync(logFile, `${line}\n`);
  const rows: StageRow[] = [];
  const load: Record<string, LoadReport> = {};
  let ecs: LocalEcsHandle | undefined;
  /** Load running now, by stage: stopped when its job ends, or all at once on an abort. */
  const loads = new Map<string, RunningLoad>();
  const stopLoads = () => Promise.all([...loads.values()].map((l) => l.stop()));
  let error: string | undefined;
  const workspace = prepareWorkspace(base);
  options.signal?.addEventListener(
    'abort',
    () => {
      void (async () => {
        await stopLoads();
        await ecs?.stop();
      })().finally(() => options.onAborted?.());
    },
    { once: true },
  );
  try {
    const stack: StackInfo = bringUpStack(say);
    ecs = await startEcsEmulator(stack, say);
    // Each environment's "database": a host directory its tasks mount at /data, world-writable
    // like /tmp (the app runs as uid 10001), prepared as an instance's user data would.
    const dataDir = (environment: string) => {
      const dir = path.join(base, `data-${environment}`);
      mkdirSync(dir);
      chmodSync(dir, 0o1777);
      return dir;
    };
    const staging: SampleService = await createSampleService(ecs, stack.registry, 'staging', dataDir('staging'));
    const production: SampleService = await createSampleService(ecs, stack.registry, 'production', dataDir('production'));
    for (const s of [staging, production]) say(`service ${s.cluster}/${s.service} behind ${s.loadBalancerUrl}`);

    // Repository variables: what differs on one machine from the examples' defaults (the talk's
    // Maven build and ECR), read by the examples themselves.
    const vars: Record<string, string> = {
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
    // Environment variables: each environment its own cluster and its own deploy role.
    const environment = (service: SampleService, name: string, desiredCount = '') => ({
      vars: {
        ECS_CLUSTER: service.cluster,
        ECS_SERVICE: service.service,
        AWS_REGION: ecs!.region,
        AWS_DEPLOY_ROLE_ARN: `arn:aws:iam::${ecs!.accountId}:role/sample-app-deploy-${name}`,
        DESIRED_COUNT: desiredCount,
      },
    });
    const environments = (desiredCount = '') => ({
      staging: environment(staging, 'staging', desiredCount),
      production: environment(production, 'production', desiredCount),
    });
    const secrets = { REGISTRY_PASSWORD: stack.password };
    const noticed = new Set<string>();
    const stateDir = path.join(base, 'runner-state');
    const common = (sha: string, extra: Partial<RunWorkflowOptions> = {}): RunWorkflowOptions => ({
      workspace,
      secrets,
      vars,
      environments: environments(),
      stateDir,
      localAws: ecs!.env(),
      github: { repository: 'acme/sample-app', sha, ref: 'refs/heads/main', defaultBranch: 'main', actor: 'demo' },
      onLog: (line) => {
        full(line);
        // Each notice once for the whole demo: the runs repeat them.
        const shown = line.replace(/^\[[^\]]*\] /, '');
        if (shown.startsWith('Notice:')) {
          if (!noticed.has(shown)) say(`  ${shown}`);
          noticed.add(shown);
        } else if (/^(── job|\s{3}[▶✓✗○]|Warning:)/.test(shown)) say(`  ${line}`);
      },
      ...extra,
    });
    /** Load on an environment's load balancer for the life of a job (the deploy or the rollback). */
    /** `path` (default /version) and `concurrency` (default 4) of the load on one job's environment. */
    const withLoad = (
      byJob: Record<string, { stage: string; url: string; path?: string; concurrency?: number; timeoutMs?: number; onResult?: (result: LoadResult) => void }>,
      opts: RunWorkflowOptions,
    ): RunWorkflowOptions => ({
      ...opts,
      onJob: (event) => {
        const target = byJob[event.id];
        if (!target || event.name.includes(' / ')) return;
        if (event.type === 'start') {
          const url = `${target.url}${target.path ?? '/version'}`;
          const concurrency = target.concurrency ?? 4;
          say(`  load: GET ${url}, ${concurrency} at a time, while ${event.name} runs`);
          loads.set(
            target.stage,
            startLoad(url, {
              concurrency,
              pauseMs: 20,
              maxRequests: 100_000,
              maxDurationMs: 6 * 60_000,
              ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}),
              ...(target.onResult ? { onResult: target.onResult } : {}),
            }),
          );
        } else {
          const r = loads.get(target.stage);
          loads.delete(target.stage);
          if (r) void r.stop().then((report) => (load[target.stage] = report));
        }
      },
    });
    const finishLoad = async (stage: string): Promise<LoadReport | undefined> => {
      const r = loads.get(stage);
      if (r) {
        loads.delete(stage);
        load[stage] = await r.stop();
      }
      // The stop started by the job's end may still be settling.
      for (let i = 0; i < 100 && !load[stage]; i++) await new Promise((r) => setTimeout(r, 20));
      return load[stage];
    };
    const pipelineFile = path.join(workspace, '.github/workflows/pipeline.yml');
    const nextStage = (title: string) => {
      if (options.signal?.aborted) throw new Error('stopped by a signal');
      say(title);
    };
    const loadRow = (report: LoadReport | undefined) =>
      report ? { requestsSent: report.sent, requestsFailed: report.failed, ...(report.failed > 0 ? { failureKinds: { ...report.failures } } : {}) } : {};
    const served = (version: string | undefined) => (version ? { versionServed: version } : {});

    // 0. The first release, to the empty services: nothing to put load on yet.
    nextStage('\n== 0. first release 1.0.0 through the pipeline, to staging and production');
    const sha1 = commitRelease(workspace, '1.0.0');
    const first = await runWorkflow(pipelineFile, common(sha1, { environments: environments('2') }));
    const served0 = await versionServed(production.loadBalancerUrl);
    const staging0 = await versionServed(staging.loadBalancerUrl);
    rows.push({
      stage: '0. first release 1.0.0 (pipeline)',
      ok: first.conclusion === 'success' && served0 === '1.0.0' && staging0 === '1.0.0',
      result: first.conclusion === 'success' ? 'succeeded' : resultText(...first.jobs),
      durationMs: first.durationMs,
      ...served(served0),
    });

    // 1–4. A healthy release, deployed under load to staging, accepted, then to production.
    nextStage('\n== 1–4. release 1.1.0: commit stage, tiers, image, staging under load, acceptance, production under load');
    const sha2 = commitRelease(workspace, '1.1.0');
    const second = await runWorkflow(
      pipelineFile,
      withLoad(
        {
          'deploy-staging': { stage: 'deploy 1.1.0 to staging', url: staging.loadBalancerUrl },
          'deploy-production': { stage: 'deploy 1.1.0 to production', url: production.loadBalancerUrl },
        },
        common(sha2),
      ),
    );
    const loadStaging = await finishLoad('deploy 1.1.0 to staging');
    const loadProduction = await finishLoad('deploy 1.1.0 to production');
    const servedStaging = await versionServed(staging.loadBalancerUrl);
    const servedProduction = await versionServed(production.loadBalancerUrl);
    const j2 = jobsById(second);
    rows.push({
      stage: '1. commit stage + test tiers 1.1.0',
      ok: [j2.get('commit-stage'), j2.get('integration'), j2.get('functional')].every((j) => j?.result === 'success'),
      result: resultText(j2.get('commit-stage'), j2.get('integration'), j2.get('functional')),
      durationMs: sumMs(j2.get('commit-stage'), j2.get('integration'), j2.get('functional')),
    });
    const imageRef = j2.get('image')?.outputs['image-ref'] ?? '';
    rows.push({
      stage: '2. build + push 1.1.0',
      ok: j2.get('image')?.result === 'success' && /@sha256:[0-9a-f]{64}$/.test(imageRef),
      result: j2.get('image')?.result === 'success' ? `pushed ${imageRef.replace(/^.*@sha256:(.{12}).*$/, 'sha256:$1…')}` : resultText(j2.get('image')),
      durationMs: sumMs(j2.get('image')),
    });
    const healthy = (r: LoadReport | undefined) => r !== undefined && r.failed === 0 && r.sent > 0;
    rows.push({
      stage: '3. deploy 1.1.0 to staging under load',
      ok: j2.get('deploy-staging')?.result === 'success' && servedStaging === '1.1.0' && healthy(loadStaging),
      result: resultText(j2.get('deploy-staging')),
      durationMs: sumMs(j2.get('deploy-staging')),
      ...served(servedStaging),
      ...loadRow(loadStaging),
    });
    rows.push({
      stage: '   acceptance tier against staging',
      ok: j2.get('acceptance')?.result === 'success',
      result: resultText(j2.get('acceptance')),
      durationMs: sumMs(j2.get('acceptance')),
    });
    rows.push({
      stage: '4. deploy 1.1.0 to production under load',
      ok: j2.get('deploy-production')?.result === 'success' && servedProduction === '1.1.0' && healthy(loadProduction),
      result: resultText(j2.get('deploy-production')),
      durationMs: sumMs(j2.get('deploy-production')),
      ...served(servedProduction),
      ...loadRow(loadProduction),
    });

    // 5. A broken release: it must fail its health check in staging, be rolled back, never
    // answer a request, and never reach production.
    nextStage('\n== 5. release 1.2.0, broken (fails its health check): detected in staging and rolled back under load');
    const sha3 = commitRelease(workspace, '1.2.0', { brokenImage: true });
    const third = await runWorkflow(
      pipelineFile,
      withLoad({ 'deploy-staging': { stage: 'deploy broken 1.2.0 to staging', url: staging.loadBalancerUrl } }, common(sha3)),
    );
    const load3 = await finishLoad('deploy broken 1.2.0 to staging');
    const served3 = await versionServed(staging.loadBalancerUrl);
    const production3 = await versionServed(production.loadBalancerUrl);
    const j3 = jobsById(third);
    const deploy3 = j3.get('deploy-staging');
    const rolledBack = deploy3?.outputs.status === 'rolled-back' || deploy3?.outputs['rolled-back'] === 'true';
    const brokenAnswered = load3?.bodies['1.2.0'] ?? 0;
    rows.push({
      stage: '5. deploy broken 1.2.0 to staging under load',
      ok:
        deploy3?.result === 'failure' &&
        rolledBack &&
        served3 === '1.1.0' &&
        brokenAnswered === 0 &&
        load3?.failed === 0 &&
        j3.get('deploy-production')?.result === 'skipped' &&
        production3 === '1.1.0',
      result: rolledBack
        ? `rolled back automatically; 1.2.0 answered ${brokenAnswered} requests; production ${j3.get('deploy-production')?.result ?? '?'}, on ${production3 ?? '?'}`
        : `not rolled back (${resultText(deploy3)})`,
      durationMs: sumMs(deploy3),
      ...served(served3),
      ...loadRow(load3),
    });

    // 6. The manual rollback of production, by the same automated path.
    nextStage('\n== 6. rollback.yml of production, to: previous, under load');
    const back = await runWorkflow(
      path.join(workspace, '.github/workflows/rollback.yml'),
      withLoad(
        { rollback: { stage: 'rollback.yml', url: production.loadBalancerUrl } },
        common(sha3, { event: 'workflow_dispatch', inputs: { environment: 'production', to: 'previous', reason: 'demo: back to the release before 1.1.0' } }),
      ),
    );
    const load6 = await finishLoad('rollback.yml');
    const served6 = await versionServed(production.loadBalancerUrl);
    rows.push({
      stage: '6. rollback.yml of production to previous',
      ok: back.conclusion === 'success' && served6 === '1.0.0' && load6?.failed === 0,
      result:
        back.conclusion === 'success'
          ? `back on ${
              jobsById(back)
                .get('rollback')
                ?.steps.find((s) => s.id === 'rollback')
                ?.outputs.to?.replace(/^.*task-definition\//, '') ?? '?'
            }`
          : resultText(...back.jobs),
      durationMs: back.durationMs,
      ...served(served6),
      ...loadRow(load6),
    });

    // 7. A release that passes its health check but answers half its requests with 500s: only the
    // alarm on staging's load balancer (5xx answers of its targets) catches it; the deploy
    // watches it through the rollout and a bake, and rolls back. The figure: requests it failed.
    nextStage('\n== 7. release 1.3.0, answers 500 on half its requests (health check passes): caught by its alarm in staging, rolled back under load');
    const alarm = await createErrorsAlarm(ecs, staging);
    const sha4 = commitRelease(workspace, '1.3.0', { errorsImage: true });
    const stagingWithAlarm = environment(staging, 'staging');
    const fourth = await runWorkflow(
      pipelineFile,
      withLoad(
        // Every request runs a CGI here (a shell per request): two at a time keep busybox httpd
        // within what it answers on a shared 2-core machine.
        {
          'deploy-staging': { stage: 'deploy 5xx 1.3.0 to staging', url: staging.loadBalancerUrl, path: '/cgi-bin/version', concurrency: 2 },
        },
        common(sha4, {
          environments: { ...environments(), staging: { vars: { ...stagingWithAlarm.vars, DEPLOY_ALARMS: alarm, BAKE_TIME: '30s' } } },
        }),
      ),
    );
    const load7 = await finishLoad('deploy 5xx 1.3.0 to staging');
    const served7 = await versionServed(staging.loadBalancerUrl);
    const j7 = jobsById(fourth);
    const deploy7 = j7.get('deploy-staging');
    const rolledBack7 = deploy7?.outputs.status === 'rolled-back';
    // The step's failure (in the called deploy workflow's step log) names the alarm and its metric.
    const namedAlarm = JSON.stringify(deploy7 ?? {}).includes(`alarm ${alarm}: HTTPCode_Target_5XX_Count > 5 for 10 seconds`);
    const failed500 = load7?.failures['HTTP 500'] ?? 0;
    const { 'HTTP 500': _500, ...otherFailures7 } = load7?.failures ?? {};
    const others7 = describeFailures(otherFailures7);
    rows.push({
      stage: '7. deploy 5xx 1.3.0 to staging under load',
      ok:
        deploy7?.result === 'failure' &&
        rolledBack7 &&
        namedAlarm &&
        served7 === '1.1.0' &&
        failed500 > 0 &&
        load7?.failed === failed500 &&
        j7.get('deploy-production')?.result === 'skipped',
      result: rolledBack7
        ? `caught by alarm ${alarm}${namedAlarm ? '' : ' (not named in the failure!)'} and rolled back: ${failed500} requests answered 500 while it served${others7 ? ` (and failed otherwise: ${others7})` : ''}; production ${j7.get('deploy-production')?.result ?? '?'}`
        : `not rolled back (${resultText(deploy7)})`,
      durationMs: sumMs(deploy7),
      ...served(served7),
      ...loadRow(load7),
    });
    // ── 8. A failing migration stops a release, service untouched ──────────────────────────
    nextStage('\n== 8. release 1.4.0 with a failing migration: stopped before staging moves, under load');
    const stagingBefore = await versionServed(staging.loadBalancerUrl);
    const schemaBefore = await versionServed(staging.loadBalancerUrl, '/cgi-bin/schema');
    // A healthy image (whatever an earlier stage did to the Dockerfile), with a migration that fails.
    cpSync(path.join(SAMPLE_APP, 'Dockerfile'), path.join(workspace, 'Dockerfile'));
    writeFileSync(
      path.join(workspace, 'migrations/003-add-email.sh'),
      '# Schema 3: visits get an email column; this one fails, as a migration meeting unexpected data does.\necho "003: column visits.email already exists" >&2\nexit 1\n',
    );
    const sha8 = commitRelease(workspace, '1.4.0');
    const migration = await runWorkflow(
      pipelineFile,
      withLoad({ 'deploy-staging': { stage: 'deploy 1.4.0 (failing migration) to staging', url: staging.loadBalancerUrl } }, common(sha8)),
    );
    const load8 = await finishLoad('deploy 1.4.0 (failing migration) to staging');
    const served8 = await versionServed(staging.loadBalancerUrl);
    const schema8 = await versionServed(staging.loadBalancerUrl, '/cgi-bin/schema');
    const j8 = jobsById(migration);
    const deploy8 = j8.get('deploy-staging');
    // The deploy step's log: the migration's lines as they came ("| migrate: FAILED: …"), then
    // "The pre-deploy task … stopped with exit code 3 (…). … was not updated …".
    const failure8 = (deploy8?.called?.jobs ?? [])
      .flatMap((j) => [j.message, ...j.steps.flatMap((st) => [st.log, st.message])])
      .filter(Boolean)
      .join('\n');
    const exitCode8 = /stopped with exit code (\d+)/.exec(failure8)?.[1];
    const migrateLine = /migrate: FAILED: [^\n]*/.exec(failure8)?.[0];
    rows.push({
      stage: '8. 1.4.0 with a failing migration to staging',
      ok:
        deploy8?.result === 'failure' &&
        exitCode8 === '3' &&
        migrateLine !== undefined &&
        served8 === stagingBefore &&
        schema8 === schemaBefore &&
        schemaBefore === '2' &&
        (load8?.bodies['1.4.0'] ?? 0) === 0 &&
        load8?.failed === 0 &&
        j8.get('deploy-production')?.result === 'skipped',
      result:
        exitCode8 !== undefined
          ? `migration exit ${exitCode8} (${migrateLine ?? 'no migrate line'}); staging untouched on ${served8 ?? '?'}, schema ${schema8 ?? '?'}; production ${j8.get('deploy-production')?.result ?? '?'}`
          : `no failed migration (${resultText(deploy8)})`,
      durationMs: sumMs(deploy8),
      ...served(served8),
      ...loadRow(load8),
    });
    // ── end of stage 8 ──────────────────────────────────────────────────────────────────────

    // ── 9. A service on ECS's native canary strategy, its release verified on the test listener ──
    nextStage(
      '\n== 9. release 1.5.0 to "live" (native CANARY) through pipeline-verified.yml: acceptance on green via the test listener, then 10% → bake → 100%, under load',
    );
    // Set up as an operator would: created running 1.1.0 (the image of stage 2), on CANARY with a
    // blue and a green target group and a test listener.
    const live = await createSampleService(ecs, stack.registry, 'live', dataDir('live'), {
      strategy: 'CANARY',
      image: imageRef,
      desiredCount: 2,
      canaryPercent: 10,
      canaryBakeTimeInMinutes: 1,
      bakeTimeInMinutes: 0,
    });
    say(`service ${live.cluster}/${live.service} (CANARY): production listener ${live.loadBalancerUrl}, test listener ${live.testListenerUrl}`);
    for (let i = 0; i < 120 && (await versionServed(live.loadBalancerUrl)) !== '1.1.0'; i++) await new Promise((r) => setTimeout(r, 500));
    const liveEnvironments = () => ({
      ...environments(),
      // pipeline-verified.yml deploys to `production`: here, the live service and its test listener.
      production: { vars: { ...environment(live, 'live').vars, TEST_LISTENER_URL: live.testListenerUrl! } },
    });
    const verifiedVars = { ...vars, CANARY_BAKE_TIME: '1m' };
    /**
     * Production's answers by where its traffic stood when each came back: `before` the first
     * production shift (green on the test listener only), at each green share ("10", "100"), and
     * `after` the deployment ended (the emulator reports no shares once it has).
     */
    const byShare = () => {
      const answers = new Map<string, Record<string, number>>();
      let shifted = false;
      return {
        answers,
        onResult: (r: LoadResult) => {
          const share = ecs!.traffic(live.cluster, live.service).productionGreen;
          if (share > 0) shifted = true;
          const phase = share > 0 ? String(share) : shifted ? 'after' : 'before';
          const counts = answers.get(phase) ?? {};
          counts[r.body] = (counts[r.body] ?? 0) + 1;
          answers.set(phase, counts);
        },
      };
    };
    const calledSteps = (job: JobRunResult | undefined) => (job?.called?.jobs ?? []).flatMap((j) => j.steps);
    const stepLogs = (job: JobRunResult | undefined) =>
      (job?.called?.jobs ?? [])
        .flatMap((j) => [j.message, ...j.steps.flatMap((st) => [st.log, st.message])])
        .filter(Boolean)
        .join('\n');
    // The fixed migration (schema 3) replaces stage 8's failing one.
    writeFileSync(
      path.join(workspace, 'migrations/003-add-email.sh'),
      '# Schema 3: visits get an email column.\nset -eu\nprintf \'time referrer email\\n\' >"$1/visits.columns"\necho "003: added visits.email"\n',
    );
    const verifiedFile = path.join(workspace, '.github/workflows/pipeline-verified.yml');
    const shares9 = byShare();
    const sha9 = commitRelease(workspace, '1.5.0');
    const canary = await runWorkflow(
      verifiedFile,
      withLoad(
        { 'deploy-production': { stage: 'canary 1.5.0 to live', url: live.loadBalancerUrl, onResult: shares9.onResult } },
        common(sha9, { vars: verifiedVars, environments: liveEnvironments() }),
      ),
    );
    const load9 = await finishLoad('canary 1.5.0 to live');
    const served9 = await versionServed(live.loadBalancerUrl);
    const deploy9 = jobsById(canary).get('deploy-production');
    const steps9 = calledSteps(deploy9);
    const gate9 = steps9.find((st) => st.id === 'deploy');
    const continued9 = steps9.find((st) => st.id === 'continue');
    const atGate9 = shares9.answers.get('before') ?? {};
    const atCanary9 = shares9.answers.get('10') ?? {};
    const canarySent = Object.values(atCanary9).reduce((a, b) => a + b, 0);
    const canaryShare = canarySent > 0 ? (atCanary9['1.5.0'] ?? 0) / canarySent : 0;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    rows.push({
      stage: '9. canary 1.5.0 to live (verified)',
      ok:
        deploy9?.result === 'success' &&
        gate9?.outputs.status === 'paused' &&
        continued9?.outputs.status === 'succeeded' &&
        served9 === '1.5.0' &&
        healthy(load9) &&
        (atGate9['1.1.0'] ?? 0) > 0 &&
        atGate9['1.5.0'] === undefined &&
        (atCanary9['1.5.0'] ?? 0) > 0 &&
        (atCanary9['1.1.0'] ?? 0) > 0 &&
        canaryShare > 0.02 &&
        canaryShare < 0.3,
      result:
        deploy9?.result === 'success'
          ? `paused at the gate, acceptance passed on the test listener; at 10%: 1.5.0 answered ${atCanary9['1.5.0'] ?? 0} of ${canarySent} production requests (${pct(canaryShare)}), then all`
          : resultText(deploy9),
      durationMs: sumMs(deploy9),
      ...served(served9),
      ...loadRow(load9),
    });

    // ── 10. A release that fails acceptance on green is rolled back from the gate ───────────
    nextStage('\n== 10. release 1.6.0 (health checks pass, home page gone): fails acceptance on the test listener, rolled back from the gate, under load');
    const shares10 = byShare();
    const sha10 = commitRelease(workspace, '1.6.0', { noHomePage: true });
    const rejected = await runWorkflow(
      verifiedFile,
      withLoad(
        { 'deploy-production': { stage: 'rejected 1.6.0 to live', url: live.loadBalancerUrl, onResult: shares10.onResult } },
        common(sha10, { vars: verifiedVars, environments: liveEnvironments() }),
      ),
    );
    const load10 = await finishLoad('rejected 1.6.0 to live');
    const served10 = await versionServed(live.loadBalancerUrl);
    const testListener10 = await versionServed(live.testListenerUrl!);
    const deploy10 = jobsById(rejected).get('deploy-production');
    const steps10 = calledSteps(deploy10);
    const rollback10 = steps10.find((st) => st.id === 'rollback');
    const acceptanceFailure = /test_home_page_names_the_version \([^)]*\): ([^\n]*)/.exec(stepLogs(deploy10))?.[1];
    const rejectedAnswered = load10?.bodies['1.6.0'] ?? 0;
    rows.push({
      stage: '10. 1.6.0 failing acceptance to live',
      ok:
        deploy10?.result === 'failure' &&
        acceptanceFailure !== undefined &&
        rollback10?.outputs.status === 'rolled-back' &&
        rejectedAnswered === 0 &&
        load10?.failed === 0 &&
        (load10?.sent ?? 0) > 0 &&
        served10 === '1.5.0' &&
        testListener10 === '1.5.0' &&
        [...shares10.answers.keys()].every((phase) => phase === 'before'),
      result:
        rollback10?.outputs.status === 'rolled-back'
          ? `acceptance failed on green (${acceptanceFailure ?? 'no acceptance failure found'}); rolled back from the gate: 1.6.0 answered ${rejectedAnswered} production requests`
          : `not rolled back from the gate (${resultText(deploy10)})`,
      durationMs: sumMs(deploy10),
      ...served(served10),
      ...loadRow(load10),
    });
  } catch (e) {
    error = (e as Error).message;
    rows.push({ stage: 'demo', ok: false, result: 'stopped (see below)' });
    full(String((e as Error).stack ?? e));
  } finally {
    await stopLoads();
    if (ecs) await ecs.stop().catch((e: Error) => say(`stopping the ECS emulator: ${e.message}`));
    if (!options.keep) rmSync(workspace, { recursive: true, force: true });
  }
  return { ok: rows.length > 0 && rows.every((r) => r.ok), rows, load, workspace, logFile, durationMs: Date.now() - started, ...(error ? { error } : {}) };
}
