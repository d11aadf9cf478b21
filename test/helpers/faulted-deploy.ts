/**
 * One ecs-rolling-deploy run (through its bundle) against the local emulator while the emulator
 * injects API faults, and the check that matters under faults: that what the action reported is
 * what ECS then shows. Shared by the fault test (a fixed seed) and bench/ecs-faults.ts (N runs).
 *
 * A healthy release must succeed and a crash-looping one be rolled back; whatever happens, a
 * reported `succeeded` must mean the service runs the reported revision, and `rolled-back` that
 * it runs the previous one again.
 */
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import type { FaultCounts, FaultOptions, LocalEcs } from '../../local/ecs/index.js';
import { runBundle } from '../../local/runner/run-bundle.js';
import { uniqueName } from './stack.js';

export type ReleaseKind = 'healthy' | 'crash-looping';

export interface FaultedRun {
  kind: ReleaseKind;
  status: string;
  exitCode: number;
  /** The outcome this release should have: succeeded (healthy) or rolled-back (crash-looping). */
  expected: 'succeeded' | 'rolled-back';
  /** What the action reported matches what ECS shows afterwards. */
  truthful: boolean;
  /** Why it is not truthful, or what ECS showed. */
  detail: string;
  faults: FaultCounts;
  durationMs: number;
  log: string;
}

export async function faultedDeploy(local: LocalEcs, ecs: ECSClient, kind: ReleaseKind, faults: FaultOptions): Promise<FaultedRun> {
  const cluster = uniqueName('fc');
  const service = 'svc';
  const family = uniqueName('ff');
  const image = `acme/${family}:1`;
  const next = `acme/${family}:2`;
  if (kind === 'crash-looping') local.simulate(next, { exitCode: 3, exitAfterMs: 200 });
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const td = await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image, essential: true }] }));
  const previous = td.taskDefinition!.taskDefinitionArn!;
  await ecs.send(
    new CreateServiceCommand({
      cluster,
      serviceName: service,
      taskDefinition: previous,
      desiredCount: 2,
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 },
    }),
  );
  await settle(ecs, cluster, service);

  const before = local.faultCounts();
  local.setFaults(faults);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof runBundle>>;
  try {
    result = await runBundle('ecs-rolling-deploy', {
      inputs: { cluster, service, 'container-images': `app=${next}`, 'max-failed-tasks': '2', 'circuit-breaker': 'false' },
      env: local.env(),
      timeoutMs: 180_000,
    });
  } finally {
    local.setFaults({});
  }
  const durationMs = Date.now() - started;
  const after = local.faultCounts();
  const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as keyof FaultCounts]])) as unknown as FaultCounts;

  const status = result.outputs.status ?? '(none)';
  const now = await settle(ecs, cluster, service);
  const primary = now.deployments?.find((d) => d.status === 'PRIMARY');
  const shows = `ECS shows ${primary?.taskDefinition?.split('/').at(-1) ?? '?'} ${primary?.rolloutState ?? '?'} ${primary?.runningCount ?? 0}/${now.desiredCount ?? 0}`;
  const reported = result.outputs['task-definition-arn'];
  let truthful = true;
  let detail = shows;
  if (status === 'succeeded' && (primary?.taskDefinition !== reported || primary?.rolloutState !== 'COMPLETED')) {
    truthful = false;
    detail = `reported succeeded on ${reported}, but ${shows}`;
  } else if (status === 'rolled-back' && primary?.taskDefinition !== previous) {
    truthful = false;
    detail = `reported rolled-back to ${previous}, but ${shows}`;
  } else if ((result.exitCode === 0) !== (status === 'succeeded' || status === 'started')) {
    truthful = false;
    detail = `exit code ${result.exitCode} with status ${status}`;
  }
  return {
    kind,
    status,
    exitCode: result.exitCode,
    expected: kind === 'healthy' ? 'succeeded' : 'rolled-back',
    truthful,
    detail,
    faults: delta,
    durationMs,
    log: result.log,
  };
}

/** The service once ECS is done with it: one deployment, COMPLETED or FAILED, nothing pending. */
async function settle(ecs: ECSClient, cluster: string, service: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services![0]!;
    const d = s.deployments ?? [];
    if (d.length === 1 && d[0]!.rolloutState !== 'IN_PROGRESS' && d[0]!.runningCount === s.desiredCount) return s;
    if (Date.now() > until) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}
