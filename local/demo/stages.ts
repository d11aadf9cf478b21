/**
 * The demo's stages, as a table: each entry names its workflow (a file of workflows-examples/,
 * copied into the sample app's .github/workflows/), the release it commits, its event and inputs,
 * the load it puts on a service while a job runs, and what it must have done (its rows of the
 * stage table). A stage is added by adding an entry; the table and the page follow from it.
 */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InputValue, RunWorkflowOptions, WorkflowRunResult } from '../workflow-runner/run-workflow.js';
import {
  calledLog,
  calledSteps,
  type DemoWorld,
  dataDir,
  environmentOf,
  environmentsOf,
  finishLoad,
  healthy,
  type LoadTarget,
  loadRow,
  resultText,
  served,
  sumMs,
  versionServed,
} from './demo-world.js';
import { describeFailures, type LoadResult } from './load-generator.js';
import { deliveryMetricsStage } from './metrics-stage.js';
import { planRow } from './plan-row.js';
import { releaseRecordRows } from './release-records.js';
import type { StageRow } from './report-table.js';
import { createErrorsAlarm, createSampleService } from './sample-service.js';
import { type ReleaseChanges, SAMPLE_APP } from './workspace.js';

export interface DemoStage {
  /** The heading printed when it starts, and its section's title on the page. */
  title: string;
  /** The workflow it runs, a file of the sample app's .github/workflows/. */
  workflow: string;
  /** The release it commits first; without one it runs at the head of main. */
  release?: { version: string } & ReleaseChanges;
  event?: string;
  inputs?: Record<string, InputValue>;
  /** Set-up before the release is committed (a service, a migration); it may give run options of its own. */
  prepare?: (world: DemoWorld) => Promise<Partial<RunWorkflowOptions> | undefined>;
  /** Load on a service while a job runs, by job id. */
  load?: (world: DemoWorld) => Record<string, LoadTarget>;
  /** What it must have done: its rows of the table, each `ok` only if it did. */
  expect: (world: DemoWorld, run: WorkflowRunResult) => Promise<StageRow[]>;
}

const job = (run: WorkflowRunResult, id: string) => run.jobs.find((j) => j.id === id);

/** 0. The first release, to the empty services: nothing to put load on yet. */
const firstRelease: DemoStage = {
  title: '0. first release 1.0.0 through the pipeline, to staging and production',
  workflow: 'pipeline.yml',
  release: { version: '1.0.0' },
  prepare: async (world) => ({ environments: environmentsOf(world, '2') }),
  expect: async (world, run) => {
    const production = await versionServed(world.production.loadBalancerUrl);
    const staging = await versionServed(world.staging.loadBalancerUrl);
    return [
      {
        stage: '0. first release 1.0.0 (pipeline)',
        ok: run.conclusion === 'success' && production === '1.0.0' && staging === '1.0.0',
        result: run.conclusion === 'success' ? 'succeeded' : resultText(...run.jobs),
        durationMs: run.durationMs,
        ...served(production),
      },
    ];
  },
};

/** 1–4. A healthy release, deployed under load to staging, accepted, then to production. */
const healthyRelease: DemoStage = {
  title: '1–4. release 1.1.0: commit stage, tiers, image, staging under load, acceptance, production under load',
  workflow: 'pipeline.yml',
  release: { version: '1.1.0' },
  load: (world) => ({
    'deploy-staging': { stage: 'deploy 1.1.0 to staging', url: world.staging.loadBalancerUrl },
    'deploy-production': { stage: 'deploy 1.1.0 to production', url: world.production.loadBalancerUrl },
  }),
  expect: async (world, run) => {
    const loadStaging = await finishLoad(world, 'deploy 1.1.0 to staging');
    const loadProduction = await finishLoad(world, 'deploy 1.1.0 to production');
    const servedStaging = await versionServed(world.staging.loadBalancerUrl);
    const servedProduction = await versionServed(world.production.loadBalancerUrl);
    const tiers = [job(run, 'commit-stage'), job(run, 'integration'), job(run, 'functional')];
    const image = job(run, 'image');
    world.imageRef = image?.outputs['image-ref'] ?? '';
    const deployed = (id: string, version: string | undefined, load: typeof loadStaging) =>
      job(run, id)?.result === 'success' && version === '1.1.0' && healthy(load);
    return [
      {
        stage: '1. commit stage + test tiers 1.1.0',
        ok: tiers.every((j) => j?.result === 'success'),
        result: resultText(...tiers),
        durationMs: sumMs(...tiers),
      },
      {
        stage: '2. build + push 1.1.0',
        ok: image?.result === 'success' && /@sha256:[0-9a-f]{64}$/.test(world.imageRef),
        result: image?.result === 'success' ? `pushed ${world.imageRef.replace(/^.*@sha256:(.{12}).*$/, 'sha256:$1…')}` : resultText(image),
        durationMs: sumMs(image),
      },
      {
        stage: '3. deploy 1.1.0 to staging under load',
        ok: deployed('deploy-staging', servedStaging, loadStaging),
        result: resultText(job(run, 'deploy-staging')),
        durationMs: sumMs(job(run, 'deploy-staging')),
        ...served(servedStaging),
        ...loadRow(loadStaging),
      },
      {
        stage: '   acceptance tier against staging',
        ok: job(run, 'acceptance')?.result === 'success',
        result: resultText(job(run, 'acceptance')),
        durationMs: sumMs(job(run, 'acceptance')),
      },
      planRow(world, run, world.imageRef),
      {
        stage: '4. deploy 1.1.0 to production under load',
        ok: deployed('deploy-production', servedProduction, loadProduction),
        result: resultText(job(run, 'deploy-production')),
        durationMs: sumMs(job(run, 'deploy-production')),
        ...served(servedProduction),
        ...loadRow(loadProduction),
      },
    ];
  },
};

/** 5. A broken release: it must fail its health check in staging, be rolled back, never answer a request, and never reach production. */
const brokenRelease: DemoStage = {
  title: '5. release 1.2.0, broken (fails its health check): detected in staging and rolled back under load',
  workflow: 'pipeline.yml',
  release: { version: '1.2.0', brokenImage: true },
  load: (world) => ({ 'deploy-staging': { stage: 'deploy broken 1.2.0 to staging', url: world.staging.loadBalancerUrl } }),
  expect: async (world, run) => {
    const load = await finishLoad(world, 'deploy broken 1.2.0 to staging');
    const stagingServed = await versionServed(world.staging.loadBalancerUrl);
    const productionServed = await versionServed(world.production.loadBalancerUrl);
    const deploy = job(run, 'deploy-staging');
    const production = job(run, 'deploy-production');
    const rolledBack = deploy?.outputs.status === 'rolled-back' || deploy?.outputs['rolled-back'] === 'true';
    const brokenAnswered = load?.bodies['1.2.0'] ?? 0;
    return [
      {
        stage: '5. deploy broken 1.2.0 to staging under load',
        ok:
          deploy?.result === 'failure' &&
          rolledBack &&
          stagingServed === '1.1.0' &&
          brokenAnswered === 0 &&
          load?.failed === 0 &&
          production?.result === 'skipped' &&
          productionServed === '1.1.0',
        result: rolledBack
          ? `rolled back automatically; 1.2.0 answered ${brokenAnswered} requests; production ${production?.result ?? '?'}, on ${productionServed ?? '?'}`
          : `not rolled back (${resultText(deploy)})`,
        durationMs: sumMs(deploy),
        ...served(stagingServed),
        ...loadRow(load),
      },
    ];
  },
};

/** 6. The manual rollback of production, by the same automated path. */
const manualRollback: DemoStage = {
  title: '6. rollback.yml of production, to: previous, under load',
  workflow: 'rollback.yml',
  event: 'workflow_dispatch',
  inputs: { environment: 'production', to: 'previous', reason: 'demo: back to the release before 1.1.0' },
  load: (world) => ({ rollback: { stage: 'rollback.yml', url: world.production.loadBalancerUrl } }),
  expect: async (world, run) => {
    const load = await finishLoad(world, 'rollback.yml');
    const productionServed = await versionServed(world.production.loadBalancerUrl);
    const to = job(run, 'rollback')?.steps.find((s) => s.id === 'rollback')?.outputs.to;
    return [
      {
        stage: '6. rollback.yml of production to previous',
        ok: run.conclusion === 'success' && productionServed === '1.0.0' && load?.failed === 0,
        result: run.conclusion === 'success' ? `back on ${to?.replace(/^.*task-definition\//, '') ?? '?'}` : resultText(...run.jobs),
        durationMs: run.durationMs,
        ...served(productionServed),
        ...loadRow(load),
      },
    ];
  },
};

/**
 * 7. A release that passes its health check but answers half its requests with 500s: only the
 * alarm on staging's load balancer (5xx answers of its targets) catches it; the deploy watches it
 * through the rollout and a bake, and rolls back. The figure: requests it failed.
 */
function alarmedRelease(): DemoStage {
  let alarm = '';
  const stage = 'deploy 5xx 1.3.0 to staging';
  return {
    title: '7. release 1.3.0, answers 500 on half its requests (health check passes): caught by its alarm in staging, rolled back under load',
    workflow: 'pipeline.yml',
    release: { version: '1.3.0', errorsImage: true },
    prepare: async (world) => {
      alarm = await createErrorsAlarm(world.ecs, world.staging);
      const staging = environmentOf(world, world.staging, 'staging');
      return { environments: { ...environmentsOf(world), staging: { vars: { ...staging.vars, DEPLOY_ALARMS: alarm, BAKE_TIME: '30s' } } } };
    },
    // Every request runs a CGI here (a shell per request): two at a time keep busybox httpd
    // within what it answers on a shared 2-core machine.
    load: (world) => ({ 'deploy-staging': { stage, url: world.staging.loadBalancerUrl, path: '/cgi-bin/version', concurrency: 2 } }),
    expect: async (world, run) => {
      const load = await finishLoad(world, stage);
      const stagingServed = await versionServed(world.staging.loadBalancerUrl);
      const deploy = job(run, 'deploy-staging');
      const production = job(run, 'deploy-production');
      const rolledBack = deploy?.outputs.status === 'rolled-back';
      // The step's failure (in the called deploy workflow's step log) names the alarm and its metric.
      const namedAlarm = JSON.stringify(deploy ?? {}).includes(`alarm ${alarm}: HTTPCode_Target_5XX_Count > 5 for 10 seconds`);
      const failed500 = load?.failures['HTTP 500'] ?? 0;
      const { 'HTTP 500': _500, ...otherFailures } = load?.failures ?? {};
      const others = describeFailures(otherFailures);
      return [
        {
          stage: '7. deploy 5xx 1.3.0 to staging under load',
          ok:
            deploy?.result === 'failure' &&
            rolledBack &&
            namedAlarm &&
            stagingServed === '1.1.0' &&
            failed500 > 0 &&
            load?.failed === failed500 &&
            production?.result === 'skipped',
          result: rolledBack
            ? `caught by alarm ${alarm}${namedAlarm ? '' : ' (not named in the failure!)'} and rolled back: ${failed500} requests answered 500 while it served${others ? ` (and failed otherwise: ${others})` : ''}; production ${production?.result ?? '?'}`
            : `not rolled back (${resultText(deploy)})`,
          durationMs: sumMs(deploy),
          ...served(stagingServed),
          ...loadRow(load),
        },
      ];
    },
  };
}

/** 8. A failing migration stops a release before the service moves: same version, same schema. */
function failingMigration(): DemoStage {
  const before = { version: undefined as string | undefined, schema: undefined as string | undefined };
  const stage = 'deploy 1.4.0 (failing migration) to staging';
  return {
    title: '8. release 1.4.0 with a failing migration: stopped before staging moves, under load',
    workflow: 'pipeline.yml',
    release: { version: '1.4.0' },
    prepare: async (world) => {
      before.version = await versionServed(world.staging.loadBalancerUrl);
      before.schema = await versionServed(world.staging.loadBalancerUrl, '/cgi-bin/schema');
      // A healthy image (whatever an earlier stage did to the Dockerfile), with a migration that fails.
      cpSync(path.join(SAMPLE_APP, 'Dockerfile'), path.join(world.workspace, 'Dockerfile'));
      writeFileSync(
        path.join(world.workspace, 'migrations/003-add-email.sh'),
        '# Schema 3: visits get an email column; this one fails, as a migration meeting unexpected data does.\necho "003: column visits.email already exists" >&2\nexit 1\n',
      );
      return undefined;
    },
    load: (world) => ({ 'deploy-staging': { stage, url: world.staging.loadBalancerUrl } }),
    expect: async (world, run) => {
      const load = await finishLoad(world, stage);
      const stagingServed = await versionServed(world.staging.loadBalancerUrl);
      const schema = await versionServed(world.staging.loadBalancerUrl, '/cgi-bin/schema');
      const deploy = job(run, 'deploy-staging');
      const production = job(run, 'deploy-production');
      // The deploy step's log: the migration's lines as they came ("| migrate: FAILED: …"), then
      // "The pre-deploy task … stopped with exit code 3 (…). … was not updated …".
      const failure = calledLog(deploy);
      const exitCode = /stopped with exit code (\d+)/.exec(failure)?.[1];
      const migrateLine = /migrate: FAILED: [^\n]*/.exec(failure)?.[0];
      return [
        {
          stage: '8. 1.4.0 with a failing migration to staging',
          ok:
            deploy?.result === 'failure' &&
            exitCode === '3' &&
            migrateLine !== undefined &&
            stagingServed === before.version &&
            schema === before.schema &&
            before.schema === '2' &&
            (load?.bodies['1.4.0'] ?? 0) === 0 &&
            load?.failed === 0 &&
            production?.result === 'skipped',
          result:
            exitCode !== undefined
              ? `migration exit ${exitCode} (${migrateLine ?? 'no migrate line'}); staging untouched on ${stagingServed ?? '?'}, schema ${schema ?? '?'}; production ${production?.result ?? '?'}`
              : `no failed migration (${resultText(deploy)})`,
          durationMs: sumMs(deploy),
          ...served(stagingServed),
          ...loadRow(load),
        },
      ];
    },
  };
}

/**
 * Production's answers on the live service by where its traffic stood when each came back:
 * `before` the first production shift (green on the test listener only), at each green share
 * ("10", "100"), and `after` the deployment ended (the emulator reports no shares once it has).
 */
function answersByShare() {
  const answers = new Map<string, Record<string, number>>();
  let shifted = false;
  return {
    answers,
    onResult: (world: DemoWorld) => (r: LoadResult) => {
      const share = world.ecs.traffic(world.live!.cluster, world.live!.service).productionGreen;
      if (share > 0) shifted = true;
      const phase = share > 0 ? String(share) : shifted ? 'after' : 'before';
      const counts = answers.get(phase) ?? {};
      counts[r.body] = (counts[r.body] ?? 0) + 1;
      answers.set(phase, counts);
    },
  };
}

/** pipeline-verified.yml deploys to `production`: here, the live service and its test listener. */
function liveOptions(world: DemoWorld): Partial<RunWorkflowOptions> {
  const live = world.live!;
  return {
    vars: { ...world.vars, CANARY_BAKE_TIME: '1m' },
    environments: {
      ...environmentsOf(world),
      production: { vars: { ...environmentOf(world, live, 'live').vars, TEST_LISTENER_URL: live.testListenerUrl! } },
      'production-plan': environmentOf(world, live, 'live-plan'),
    },
  };
}

/** Set up as an operator would: "live" created running 1.1.0 (the image of stage 2), on CANARY with a blue and a green target group and a test listener. */
async function createLiveService(world: DemoWorld): Promise<void> {
  const live = await createSampleService(world.ecs, world.stack.registry, 'live', dataDir(world.base, 'live'), {
    strategy: 'CANARY',
    image: world.imageRef,
    desiredCount: 2,
    canaryPercent: 10,
    canaryBakeTimeInMinutes: 1,
    bakeTimeInMinutes: 0,
  });
  world.live = live;
  world.say(`service ${live.cluster}/${live.service} (CANARY): production listener ${live.loadBalancerUrl}, test listener ${live.testListenerUrl}`);
  for (let i = 0; i < 120 && (await versionServed(live.loadBalancerUrl)) !== '1.1.0'; i++) await new Promise((r) => setTimeout(r, 500));
}

/** 9. A service on ECS's native canary strategy, its release verified on the test listener, then 10% → bake → 100%. */
function canaryRelease(): DemoStage {
  const shares = answersByShare();
  const stage = 'canary 1.5.0 to live';
  return {
    title:
      '9. release 1.5.0 to "live" (native CANARY) through pipeline-verified.yml: acceptance on green via the test listener, then 10% → bake → 100%, under load',
    workflow: 'pipeline-verified.yml',
    release: { version: '1.5.0' },
    prepare: async (world) => {
      await createLiveService(world);
      // The fixed migration (schema 3) replaces stage 8's failing one.
      writeFileSync(
        path.join(world.workspace, 'migrations/003-add-email.sh'),
        '# Schema 3: visits get an email column.\nset -eu\nprintf \'time referrer email\\n\' >"$1/visits.columns"\necho "003: added visits.email"\n',
      );
      return liveOptions(world);
    },
    load: (world) => ({ 'deploy-production': { stage, url: world.live!.loadBalancerUrl, onResult: shares.onResult(world) } }),
    expect: async (world, run) => {
      const load = await finishLoad(world, stage);
      const liveServed = await versionServed(world.live!.loadBalancerUrl);
      const deploy = job(run, 'deploy-production');
      const steps = calledSteps(deploy);
      const atGate = shares.answers.get('before') ?? {};
      const atCanary = shares.answers.get('10') ?? {};
      const canarySent = Object.values(atCanary).reduce((a, b) => a + b, 0);
      const canaryShare = canarySent > 0 ? (atCanary['1.5.0'] ?? 0) / canarySent : 0;
      return [
        {
          stage: '9. canary 1.5.0 to live (verified)',
          ok:
            deploy?.result === 'success' &&
            steps.find((st) => st.id === 'deploy')?.outputs.status === 'paused' &&
            steps.find((st) => st.id === 'continue')?.outputs.status === 'succeeded' &&
            liveServed === '1.5.0' &&
            healthy(load) &&
            (atGate['1.1.0'] ?? 0) > 0 &&
            atGate['1.5.0'] === undefined &&
            (atCanary['1.5.0'] ?? 0) > 0 &&
            (atCanary['1.1.0'] ?? 0) > 0 &&
            canaryShare > 0.02 &&
            canaryShare < 0.3,
          result:
            deploy?.result === 'success'
              ? `paused at the gate, acceptance passed on the test listener; at 10%: 1.5.0 answered ${atCanary['1.5.0'] ?? 0} of ${canarySent} production requests (${(100 * canaryShare).toFixed(1)}%), then all`
              : resultText(deploy),
          durationMs: sumMs(deploy),
          ...served(liveServed),
          ...loadRow(load),
        },
      ];
    },
  };
}

/** 10. A release that passes its health checks but fails acceptance on green is rolled back from the gate. */
function rejectedRelease(): DemoStage {
  const shares = answersByShare();
  const stage = 'rejected 1.6.0 to live';
  return {
    title: '10. release 1.6.0 (health checks pass, home page gone): fails acceptance on the test listener, rolled back from the gate, under load',
    workflow: 'pipeline-verified.yml',
    release: { version: '1.6.0', noHomePage: true },
    prepare: async (world) => liveOptions(world),
    load: (world) => ({ 'deploy-production': { stage, url: world.live!.loadBalancerUrl, onResult: shares.onResult(world) } }),
    expect: async (world, run) => {
      const load = await finishLoad(world, stage);
      const liveServed = await versionServed(world.live!.loadBalancerUrl);
      const testListener = await versionServed(world.live!.testListenerUrl!);
      const deploy = job(run, 'deploy-production');
      const rollback = calledSteps(deploy).find((st) => st.id === 'rollback');
      const acceptanceFailure = /test_home_page_names_the_version \([^)]*\): ([^\n]*)/.exec(calledLog(deploy))?.[1];
      const rejectedAnswered = load?.bodies['1.6.0'] ?? 0;
      return [
        {
          stage: '10. 1.6.0 failing acceptance to live',
          ok:
            deploy?.result === 'failure' &&
            acceptanceFailure !== undefined &&
            rollback?.outputs.status === 'rolled-back' &&
            rejectedAnswered === 0 &&
            load?.failed === 0 &&
            (load?.sent ?? 0) > 0 &&
            liveServed === '1.5.0' &&
            testListener === '1.5.0' &&
            [...shares.answers.keys()].every((phase) => phase === 'before'),
          result:
            rollback?.outputs.status === 'rolled-back'
              ? `acceptance failed on green (${acceptanceFailure ?? 'no acceptance failure found'}); rolled back from the gate: 1.6.0 answered ${rejectedAnswered} production requests`
              : // The first job of the run that did not succeed: the deploy's own, or the one it needed.
                `not rolled back from the gate (${resultText(...run.jobs.filter((j) => j.result !== 'success'), deploy)})`,
          durationMs: sumMs(deploy),
          ...served(liveServed),
          ...loadRow(load),
        },
        // The last release of the demo: every environment's GitHub record is complete now.
        ...releaseRecordRows(world),
      ];
    },
  };
}

/** The stages in order (fresh closures each demo: stages 7–11 keep what they saw between set-up and check). */
export function demoStages(): DemoStage[] {
  return [
    firstRelease,
    healthyRelease,
    brokenRelease,
    manualRollback,
    alarmedRelease(),
    failingMigration(),
    canaryRelease(),
    rejectedRelease(),
    deliveryMetricsStage(),
  ];
}
