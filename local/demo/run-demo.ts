/**
 * The whole pipeline on one machine, through the local workflow runner, against the sample app:
 * the files of workflows-examples/ themselves (the ones users copy), with repository and
 * environment variables for the local stack (registry, build image and commands, clusters). The
 * stages are the table in stages.ts:
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
 *  11. delivery-metrics.yml over the last day: the five DORA numbers of staging and production
 *      from the release records the stages left, checked against the numbers worked out by hand
 *      from those records (metrics-stage.ts)
 *
 * Every release's migration (`bin/migrate`, the repository variable MIGRATION_COMMAND) runs as
 * the deploy's pre-deploy task, before the service moves, against the environment's data directory.
 *
 * Every run gets a GITHUB_TOKEN and github.api_url pointing at the GitHub REST stand-in
 * (local/github-api), up for the whole demo: each deploy, resume and rollback writes its GitHub
 * deployment and statuses there as on GitHub (rollback `to: previous` reads them), and the last
 * stage checks each environment's records (release-records.ts).
 *
 * Each stage is checked against what it must do (the version served, zero failed requests, the
 * broken release never answering); the result is a table of stages and a page (demo-page.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalGitHubApi, startLocalGitHubApi } from '../github-api/index.js';
import { type RunWorkflowOptions, runWorkflow, type WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import { DEMO_REPOSITORY, dataDir, type DemoWorld, logTo, repositoryVars, runOptions, withLoad } from './demo-world.js';
import { writeDemoPage, type StagePage } from './demo-page.js';
import type { LoadReport } from './load-generator.js';
import { bringUpStack, type LocalEcsHandle, localImageIds, removeImagesAddedSince, startEcsEmulator } from './local-stack.js';
import type { StageRow } from './report-table.js';
import { createSampleService } from './sample-service.js';
import { type DemoStage, demoStages } from './stages.js';
import { commitRelease, prepareWorkspace } from './workspace.js';

export { DEMO_WORKFLOWS, prepareWorkspace } from './workspace.js';

export interface DemoOptions {
  /** Lines for the console: stage headers and each job's and step's start and end. */
  log?: (line: string) => void;
  /** The complete log of every workflow run (default: demo.log beside the demo's workspace). */
  logFile?: string;
  /** Keep the workspace and the images the run added afterwards (to look around); the emulator's containers are always removed. */
  keep?: boolean;
  /** Aborting stops the load and the emulator (removing its containers) at once, then calls onAborted. */
  signal?: AbortSignal;
  onAborted?: () => void;
  /**
   * How long a minute of ECS's native bakes lasts on the emulator, in ms (LocalEcsOptions.bakeMinuteMs).
   * Default 60 000: `npm run demo` shows the canary's one-minute bake as ECS would. The e2e test
   * shortens it: the bake still happens (10% of production on 1.5.0, counted), it just does not last
   * a wall-clock minute of the suite.
   */
  bakeMinuteMs?: number;
}

export interface DemoResult {
  ok: boolean;
  rows: StageRow[];
  /** Each environment's GitHub release records, newest first, as `<cluster> <version> <kind>: <closing state> [<fields>]`. */
  releaseRecords: Record<string, string[]>;
  /** Load during each loaded stage, by stage name. */
  load: Record<string, LoadReport>;
  workspace: string;
  logFile: string;
  /** The demo's page: the stage table, each stage's charts and run (demo-page.ts). */
  page: string;
  durationMs: number;
  /** Why the demo stopped before its end, in full. */
  error?: string;
}

interface Held {
  /** The sample app's image repository on the local registry, and the ids of its images before the run. */
  images?: { repository: string; before: string[] };
  ecs?: LocalEcsHandle;
  github?: LocalGitHubApi;
  world?: DemoWorld;
}

/** The stack, the emulator, the GitHub stand-in and the staging and production services: the world every stage runs in. */
async function setUpWorld(base: string, workspace: string, say: (line: string) => void, held: Held, bakeMinuteMs: number | undefined): Promise<DemoWorld> {
  // A token as GitHub hands a run (ghs_…): the stand-in accepts it and writes as github-actions[bot].
  const githubToken = `ghs_${randomBytes(18).toString('hex')}`;
  const github = await startLocalGitHubApi({ token: githubToken });
  held.github = github;
  say(`GitHub API stand-in at ${github.url} (the release records of ${DEMO_REPOSITORY})`);
  const stack = bringUpStack(say);
  const repository = `${stack.registry}/sample-app`;
  held.images = { repository, before: await localImageIds(repository) };
  const ecs = await startEcsEmulator(stack, say, bakeMinuteMs);
  held.ecs = ecs;
  const staging = await createSampleService(ecs, stack.registry, 'staging', dataDir(base, 'staging'));
  const production = await createSampleService(ecs, stack.registry, 'production', dataDir(base, 'production'));
  for (const s of [staging, production]) say(`service ${s.cluster}/${s.service} behind ${s.loadBalancerUrl}`);
  const vars = repositoryVars(stack, ecs, staging);
  return {
    base,
    workspace,
    stack,
    ecs,
    github,
    githubToken,
    staging,
    production,
    vars,
    say,
    load: {},
    answers: {},
    running: new Map(),
    imageRef: '',
    head: '',
    commits: {},
    releaseRecords: {},
  };
}

/** One stage: its set-up, its release, its workflow run under its load, and its rows. */
async function runStage(world: DemoWorld, stage: DemoStage, common: () => RunWorkflowOptions): Promise<StagePage> {
  world.say(`\n== ${stage.title}`);
  const own = (await stage.prepare?.(world)) ?? {};
  if (stage.release) {
    const { version, ...changes } = stage.release;
    world.head = commitRelease(world.workspace, version, changes);
    world.commits[version] = world.head;
  }
  const options: RunWorkflowOptions = {
    ...common(),
    ...(stage.event ? { event: stage.event } : {}),
    ...(stage.inputs ? { inputs: stage.inputs } : {}),
    ...own,
  };
  const targets = stage.load?.(world) ?? {};
  const run: WorkflowRunResult = await runWorkflow(path.join(world.workspace, '.github/workflows', stage.workflow), withLoad(world, targets, options));
  const rows = await stage.expect(world, run);
  const loads = Object.values(targets).map((t) => ({ name: t.stage, answers: world.answers[t.stage] ?? [] }));
  return { title: stage.title, workflow: stage.workflow, rows, run, loads };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const say = options.log ?? ((line: string) => console.log(line));
  const base = mkdtempSync(path.join(tmpdir(), 'ctp-demo-'));
  const logFile = options.logFile ?? path.join(base, 'demo.log');
  writeFileSync(logFile, '');
  const full = logTo(logFile);
  const workspace = prepareWorkspace(base);
  const held: Held = {};
  const stopLoads = () => Promise.all([...(held.world?.running.values() ?? [])].map((l) => l.stop()));
  options.signal?.addEventListener('abort', () => void Promise.all([stopLoads(), held.ecs?.stop(), held.github?.stop()]).finally(() => options.onAborted?.()), {
    once: true,
  });
  const stages: StagePage[] = [];
  let error: string | undefined;
  try {
    const world = await setUpWorld(base, workspace, say, held, options.bakeMinuteMs);
    held.world = world;
    const noticed = new Set<string>();
    for (const stage of demoStages()) {
      if (options.signal?.aborted) throw new Error('stopped by a signal');
      stages.push(await runStage(world, stage, () => runOptions(world, full, noticed)));
    }
  } catch (e) {
    error = (e as Error).message;
    stages.push({ title: 'the demo stopped', rows: [{ stage: 'demo', ok: false, result: 'stopped (see below)' }], loads: [] });
    full(String((e as Error).stack ?? e));
  } finally {
    await stopLoads();
    if (held.ecs) await held.ecs.stop().catch((e: Error) => say(`stopping the ECS emulator: ${e.message}`));
    if (held.github) await held.github.stop().catch((e: Error) => say(`stopping the GitHub API stand-in: ${e.message}`));
    // Once no task runs them any more.
    if (held.images && !options.keep) {
      const { repository, before } = held.images;
      await removeImagesAddedSince(repository, before, say).catch((e: Error) => say(`removing the run's images: ${e.message}`));
    }
  }
  const rows = stages.flatMap((s) => s.rows);
  const ok = rows.length > 0 && rows.every((r) => r.ok);
  const durationMs = Date.now() - started;
  let page: string;
  try {
    // Before the workspace goes: the page reads each job's `needs` from its workflow file there.
    page = await writeDemoPage(path.join(base, 'demo.html'), { ok, durationMs, stages, ...(error ? { error } : {}) });
  } finally {
    if (!options.keep) rmSync(workspace, { recursive: true, force: true });
  }
  return {
    ok,
    rows,
    releaseRecords: held.world?.releaseRecords ?? {},
    load: held.world?.load ?? {},
    workspace,
    logFile,
    page,
    durationMs,
    ...(error ? { error } : {}),
  };
}
