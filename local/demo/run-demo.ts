/**
 * The whole pipeline on one machine, through the local workflow runner, against the sample app:
 *
 *   0. the first release (1.0.0) through pipeline.yml, to an empty service
 *   1. commit stage and test tiers of 1.1.0
 *   2. build and push of 1.1.0 to the local registry
 *   3. deploy of 1.1.0 to the local ECS in docker mode, under load, then its acceptance tier
 *   4. a broken release (1.2.0, fails its health check): detected and rolled back automatically,
 *      under load
 *   5. rollback.yml with `to: previous`, under load
 *
 * Each stage is checked against what it must do (the version served, zero failed requests, the
 * broken release never answering), and the result is a table of stages.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../runner/run-bundle.js';
import { runWorkflow, type JobRunResult, type RunWorkflowOptions, type WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import { fetchText, startLoad, type LoadReport, type RunningLoad } from './load-generator.js';
import { bringUpStack, startEcsEmulator, type LocalEcsHandle, type StackInfo } from './local-stack.js';
import type { StageRow } from './report-table.js';
import { createSampleService, type SampleService } from './sample-service.js';

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

/** A fresh clone of the sample app's repository: its sources, its workflows, the example deploy and rollback. */
export function prepareWorkspace(base: string): string {
  const workspace = path.join(base, 'sample-app');
  const build = path.join(SAMPLE_APP, 'build');
  cpSync(SAMPLE_APP, workspace, { recursive: true, filter: (p) => p !== build && !p.startsWith(`${build}/`) });
  const workflows = path.join(workspace, '.github/workflows');
  mkdirSync(workflows, { recursive: true });
  cpSync(path.join(SAMPLE_APP, 'workflows/commit-stage.yml'), path.join(workflows, 'commit-stage.yml'));
  cpSync(path.join(SAMPLE_APP, 'workflows/pipeline.yml'), path.join(workflows, 'pipeline.yml'));
  // The examples users copy, unchanged: the demo proves they run.
  cpSync(path.join(repoRoot, 'workflows-examples/deploy.yml'), path.join(workflows, 'deploy.yml'));
  cpSync(path.join(repoRoot, 'workflows-examples/rollback.yml'), path.join(workflows, 'rollback.yml'));
  git(workspace, 'init', '-q', '-b', 'main');
  return workspace;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@localhost', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/** A commit on main: the release's VERSION; its sha becomes github.sha. */
function commitRelease(workspace: string, version: string): string {
  writeFileSync(path.join(workspace, 'VERSION'), `${version}\n`);
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '--allow-empty', '-m', `release ${version}`);
  return git(workspace, 'rev-parse', 'HEAD');
}

/** What /version answers now, asked a few times: one version, or the set of them. */
async function versionServed(url: string): Promise<string | undefined> {
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    try {
      const r = await fetchText(`${url}/version`);
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
  let running: RunningLoad | undefined;
  let error: string | undefined;
  const workspace = prepareWorkspace(base);
  options.signal?.addEventListener(
    'abort',
    () => {
      void (async () => {
        await running?.stop();
        await ecs?.stop();
      })().finally(() => options.onAborted?.());
    },
    { once: true },
  );
  try {
    const stack: StackInfo = bringUpStack(say);
    ecs = await startEcsEmulator(stack, say);
    const sample: SampleService = await createSampleService(ecs, stack.registry);
    say(`service ${sample.cluster}/${sample.service} behind ${sample.loadBalancerUrl}`);

    const vars: Record<string, string> = {
      REGISTRY: stack.registry,
      // A user name is not a secret: as one, every 'ctp' in every log line would be masked.
      REGISTRY_USERNAME: stack.username,
      ECS_CLUSTER: sample.cluster,
      ECS_SERVICE: sample.service,
      AWS_REGION: ecs.region,
      AWS_ROLE_ARN: `arn:aws:iam::${ecs.accountId}:role/demo-deploy`,
      DEMO_URL: sample.loadBalancerUrl,
      DESIRED_COUNT: '',
      SAMPLE_APP_BROKEN: 'false',
    };
    const secrets = { REGISTRY_PASSWORD: stack.password };
    const noticed = new Set<string>();
    const common = (sha: string, extra: Partial<RunWorkflowOptions> = {}): RunWorkflowOptions => ({
      workspace,
      secrets,
      vars: { ...vars },
      localAws: ecs!.env(),
      github: { repository: 'acme/sample-app', sha, ref: 'refs/heads/main', defaultBranch: 'main', actor: 'demo' },
      onLog: (line) => {
        full(line);
        // Each notice once for the whole demo: the runs repeat them.
        if (line.startsWith('Notice:')) {
          if (!noticed.has(line)) say(`  ${line}`);
          noticed.add(line);
        } else if (/^(── job|\s{3}[▶✓✗○]|Warning:)/.test(line)) say(`  ${line}`);
      },
      ...extra,
    });
    /** Load on the load balancer for the life of the job `loadJob` (or the whole run). */
    const withLoad = (stage: string, loadJob: string | undefined, opts: RunWorkflowOptions): RunWorkflowOptions => ({
      ...opts,
      onJob: (event) => {
        if (loadJob === undefined || event.id !== loadJob || event.name.includes(' / ')) return;
        if (event.type === 'start') {
          say(`  load: GET ${sample.loadBalancerUrl}/version, 4 at a time, while ${event.name} runs`);
          running = startLoad(`${sample.loadBalancerUrl}/version`, { concurrency: 4, pauseMs: 20, maxRequests: 100_000, maxDurationMs: 6 * 60_000 });
        } else if (running) {
          const r = running;
          running = undefined;
          void r.stop().then((report) => (load[stage] = report));
        }
      },
    });
    const finishLoad = async (stage: string): Promise<LoadReport | undefined> => {
      if (running) {
        load[stage] = await running.stop();
        running = undefined;
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

    // 0. The first release, to the empty service: nothing to put load on yet.
    nextStage('\n== 0. first release 1.0.0 through the pipeline');
    const sha1 = commitRelease(workspace, '1.0.0');
    const first = await runWorkflow(pipelineFile, common(sha1, { vars: { ...vars, DESIRED_COUNT: '2' } }));
    const served0 = await versionServed(sample.loadBalancerUrl);
    rows.push({
      stage: '0. first release 1.0.0 (pipeline)',
      ok: first.conclusion === 'success' && served0 === '1.0.0',
      result: first.conclusion === 'success' ? 'succeeded' : resultText(...first.jobs),
      durationMs: first.durationMs,
      ...(served0 ? { versionServed: served0 } : {}),
    });

    // 1–3. A healthy release, deployed under load.
    nextStage('\n== 1–3. release 1.1.0: commit stage, tiers, image, deploy under load, acceptance');
    const sha2 = commitRelease(workspace, '1.1.0');
    const second = await runWorkflow(pipelineFile, withLoad('deploy 1.1.0', 'deploy', common(sha2)));
    const load2 = await finishLoad('deploy 1.1.0');
    const served2 = await versionServed(sample.loadBalancerUrl);
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
    const deploy2ok = j2.get('deploy')?.result === 'success' && served2 === '1.1.0' && load2?.failed === 0 && (load2?.sent ?? 0) > 0;
    rows.push({
      stage: '3. deploy 1.1.0 under load',
      ok: deploy2ok,
      result: resultText(j2.get('deploy')),
      durationMs: sumMs(j2.get('deploy')),
      ...(served2 ? { versionServed: served2 } : {}),
      ...(load2 ? { requestsSent: load2.sent, requestsFailed: load2.failed } : {}),
    });
    rows.push({
      stage: '   acceptance tier against 1.1.0',
      ok: j2.get('acceptance')?.result === 'success',
      result: resultText(j2.get('acceptance')),
      durationMs: sumMs(j2.get('acceptance')),
    });

    // 4. A broken release: it must fail its health check, be rolled back, and never answer a request.
    nextStage('\n== 4. release 1.2.0, broken (fails its health check): detected and rolled back under load');
    const sha3 = commitRelease(workspace, '1.2.0');
    const third = await runWorkflow(pipelineFile, withLoad('deploy broken 1.2.0', 'deploy', common(sha3, { vars: { ...vars, SAMPLE_APP_BROKEN: 'true' } })));
    const load3 = await finishLoad('deploy broken 1.2.0');
    const served3 = await versionServed(sample.loadBalancerUrl);
    const deploy3 = jobsById(third).get('deploy');
    const rolledBack = deploy3?.outputs.status === 'rolled-back' || deploy3?.outputs['rolled-back'] === 'true';
    const brokenAnswered = load3?.bodies['1.2.0'] ?? 0;
    rows.push({
      stage: '4. deploy broken 1.2.0 under load',
      ok: deploy3?.result === 'failure' && rolledBack && served3 === '1.1.0' && brokenAnswered === 0 && load3?.failed === 0,
      result: rolledBack ? `rolled back automatically; 1.2.0 answered ${brokenAnswered} requests` : `not rolled back (${resultText(deploy3)})`,
      durationMs: sumMs(deploy3),
      ...(served3 ? { versionServed: served3 } : {}),
      ...(load3 ? { requestsSent: load3.sent, requestsFailed: load3.failed } : {}),
    });

    // 5. The manual rollback, by the same automated path.
    nextStage('\n== 5. rollback.yml, to: previous, under load');
    const back = await runWorkflow(
      path.join(workspace, '.github/workflows/rollback.yml'),
      withLoad(
        'rollback.yml',
        'rollback',
        common(sha3, { event: 'workflow_dispatch', inputs: { environment: 'demo', to: 'previous', reason: 'demo: back to the release before 1.1.0' } }),
      ),
    );
    const load5 = await finishLoad('rollback.yml');
    const served5 = await versionServed(sample.loadBalancerUrl);
    rows.push({
      stage: '5. rollback.yml to previous',
      ok: back.conclusion === 'success' && served5 === '1.0.0' && load5?.failed === 0,
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
      ...(served5 ? { versionServed: served5 } : {}),
      ...(load5 ? { requestsSent: load5.sent, requestsFailed: load5.failed } : {}),
    });
  } catch (e) {
    error = (e as Error).message;
    rows.push({ stage: 'demo', ok: false, result: 'stopped (see below)' });
    full(String((e as Error).stack ?? e));
  } finally {
    if (running) await (running as RunningLoad).stop();
    if (ecs) await ecs.stop().catch((e: Error) => say(`stopping the ECS emulator: ${e.message}`));
    if (!options.keep) rmSync(workspace, { recursive: true, force: true });
  }
  return { ok: rows.length > 0 && rows.every((r) => r.ok), rows, load, workspace, logFile, durationMs: Date.now() - started, ...(error ? { error } : {}) };
}
