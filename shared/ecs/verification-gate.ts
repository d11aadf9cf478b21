/**
 * The verification gate of a native deployment (issue 15): `verify-at` adds a PAUSE lifecycle
 * hook at one stage, so the deploy step ends with green running (and, after the test traffic
 * shift, on all test traffic) while production still runs blue. A later step verifies green and
 * resumes it: ContinueServiceDeployment CONTINUE, or ROLLBACK (resume-deployment.ts).
 *
 * ECS has no per-deployment configuration: the hook is part of the deploymentConfiguration sent
 * (the service keeps it). It is sent only because `verify-at` asks; its timeout action is ROLLBACK
 * so a gate nobody answers rolls the release back instead of waiting forever. A gate already
 * there at the same stage (an earlier verify-at) is replaced, never doubled.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';

export type VerifyStage = 'POST_SCALE_UP' | 'POST_TEST_TRAFFIC_SHIFT';

export interface VerificationGate {
  stage: VerifyStage;
  /** How long ECS waits at the gate before it rolls back (whole minutes, 1 to 1440). */
  timeoutInMinutes: number;
}

export const DEFAULT_VERIFY_TIMEOUT_MINUTES = 60;

type Json = Record<string, unknown>;

const isGateAt = (hook: Json, stage: VerifyStage) =>
  hook.targetType === 'PAUSE' && Array.isArray(hook.lifecycleStages) && hook.lifecycleStages.length === 1 && hook.lifecycleStages[0] === stage;

/** The configuration's lifecycle hooks with the gate's PAUSE hook (one a stage). */
export function withGateHook(config: Json, gate: VerificationGate): Json {
  const hooks = ((config.lifecycleHooks as Json[] | undefined) ?? []).filter((h) => !isGateAt(h, gate.stage));
  config.lifecycleHooks = [
    ...hooks,
    { targetType: 'PAUSE', lifecycleStages: [gate.stage], timeoutConfiguration: { timeoutInMinutes: gate.timeoutInMinutes, action: 'ROLLBACK' } },
  ];
  return config;
}

/**
 * A PAUSE hook the deploy did not ask for (left on the service by an earlier verify-at, or the
 * service's own): the deployment waits at it for an answer no one in this step will give.
 */
export function awaitingAnyPause(sd: ServiceDeployment | undefined): { hookId: string; stage: string } | undefined {
  if (sd?.status !== 'IN_PROGRESS') return undefined;
  const hook = (sd.lifecycleHookDetails ?? []).find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
  return hook?.hookId ? { hookId: hook.hookId, stage: sd.lifecycleStage ?? 'an unnamed stage' } : undefined;
}

/** The PAUSE hook the service deployment waits at, at the gate's stage, if it waits there now. */
export function awaitingGate(sd: ServiceDeployment | undefined, stage: VerifyStage): { hookId: string; stage: string } | undefined {
  // A hook's detail does not name its stage: the deployment's stage is the hook's.
  if (sd?.status !== 'IN_PROGRESS' || sd.lifecycleStage !== stage) return undefined;
  const hook = (sd.lifecycleHookDetails ?? []).find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
  return hook?.hookId ? { hookId: hook.hookId, stage } : undefined;
}
