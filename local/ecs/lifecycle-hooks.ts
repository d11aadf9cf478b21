/**
 * Lifecycle hooks of native deployments (deploymentConfiguration.lifecycleHooks), as ECS's
 * developer guide describes them: at each lifecycle stage a hook lists, ECS runs it and waits.
 *  - PAUSE: the hook waits (AWAITING_ACTION) for ContinueServiceDeployment (CONTINUE or ROLLBACK).
 *  - AWS_LAMBDA (the default targetType): ECS invokes the function; it answers `hookStatus`
 *    SUCCEEDED (go on), FAILED (roll back) or IN_PROGRESS (invoked again after `callBackDelay`
 *    seconds, default 30). No Lambda runs here: a local function registered for the hook's ARN
 *    (`ecs.hook(arn, fn)`) answers; an ARN with no function fails the hook, as an invocation of
 *    a function that does not exist fails.
 * Every hook has a timeout (timeoutConfiguration.timeoutInMinutes, default 1440) after which
 * ECS takes its action (default ROLLBACK); the hook is then TIMED_OUT.
 */
import { randomBytes } from 'node:crypto';

export type HookStatus = 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
export type HookAction = 'CONTINUE' | 'ROLLBACK';

/** What ECS sends a Lambda hook (the developer guide's payload). */
export interface HookInvocation {
  executionId: string;
  lifecycleStage: string;
  resourceArn: string;
  hookDetails?: unknown;
  executionDetails: {
    serviceArn: string;
    targetServiceRevisionArn: string;
    testTrafficWeights: Record<string, number>;
    productionTrafficWeights: Record<string, number>;
  };
}

/** What a Lambda hook answers. */
export interface HookResponse {
  hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  /** Seconds before ECS invokes an IN_PROGRESS hook again (default 30). */
  callBackDelay?: number;
  /** Passed back on the next invocation. */
  hookDetails?: unknown;
}

export type HookFunction = (event: HookInvocation) => HookResponse | Promise<HookResponse>;

export interface HookRun {
  hookId: string;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn?: string;
  stage: string;
  status: HookStatus;
  expiresAt: number;
  timeoutAction: HookAction;
  /** Lambda: when to invoke (again); the details it passes on. */
  invokeAt: number;
  details?: unknown;
  invoking: boolean;
  /** Set when the hook's outcome asks for a rollback. */
  rollbackReason?: string;
}

export interface LifecycleHookConfig {
  targetType?: string;
  hookTargetArn?: string;
  lifecycleStages?: string[];
  hookDetails?: unknown;
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: string };
}

const DEFAULT_TIMEOUT_MINUTES = 1440;
const DEFAULT_CALLBACK_SECONDS = 30;

/** The hooks of `hooks` that run at `stage`, as fresh runs. */
export function hookRunsFor(hooks: LifecycleHookConfig[], stage: string, now: number): HookRun[] {
  return hooks
    .filter((h) => h.lifecycleStages?.includes(stage))
    .map((h) => {
      const pause = h.targetType === 'PAUSE';
      return {
        hookId: `ecs-${pause ? 'pause' : 'lambda'}-${randomBytes(30).toString('base64url').slice(0, 40)}`,
        targetType: pause ? 'PAUSE' : 'AWS_LAMBDA',
        ...(!pause && h.hookTargetArn ? { targetArn: h.hookTargetArn } : {}),
        stage,
        status: pause ? 'AWAITING_ACTION' : 'IN_PROGRESS',
        expiresAt: now + (h.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000,
        timeoutAction: h.timeoutConfiguration?.action === 'CONTINUE' ? 'CONTINUE' : 'ROLLBACK',
        invokeAt: now,
        ...(h.hookDetails !== undefined ? { details: h.hookDetails } : {}),
        invoking: false,
      } satisfies HookRun;
    });
}

export class HookFunctions {
  private readonly functions = new Map<string, HookFunction>();

  /** `now`: the emulated clock, so callBackDelay follows timeScale. */
  constructor(private readonly now: () => number) {}

  register(arn: string, fn: HookFunction): void {
    this.functions.set(arn, fn);
  }

  /**
   * Moves the runs on: invokes due Lambda hooks (asynchronously; `changed` is called when an
   * answer arrives) and applies timeouts. Done when every run SUCCEEDED (or timed out with
   * CONTINUE); a run with `rollbackReason` asks for a rollback.
   */
  advance(runs: HookRun[], now: number, invocation: (run: HookRun) => HookInvocation, changed: () => void): 'done' | 'waiting' | { rollback: string } {
    for (const run of runs) {
      if (run.status === 'AWAITING_ACTION' || run.status === 'IN_PROGRESS') {
        if (now >= run.expiresAt) {
          run.status = 'TIMED_OUT';
          if (run.timeoutAction === 'ROLLBACK') run.rollbackReason = `Lifecycle hook ${run.hookId} at ${run.stage} timed out.`;
        } else if (run.targetType === 'AWS_LAMBDA' && !run.invoking && now >= run.invokeAt) {
          this.invoke(run, invocation(run), changed);
        }
      }
    }
    const failed = runs.find((r) => r.rollbackReason);
    if (failed?.rollbackReason) return { rollback: failed.rollbackReason };
    return runs.every((r) => r.status === 'SUCCEEDED' || r.status === 'TIMED_OUT') ? 'done' : 'waiting';
  }

  private invoke(run: HookRun, event: HookInvocation, changed: () => void): void {
    const fn = run.targetArn ? this.functions.get(run.targetArn) : undefined;
    if (!fn) {
      run.status = 'FAILED';
      run.rollbackReason = `Lifecycle hook ${run.hookId} at ${run.stage} failed: Function not found: ${run.targetArn ?? '(none)'}.`;
      return;
    }
    run.invoking = true;
    void (async () => {
      let answer: HookResponse | undefined;
      try {
        answer = await fn(event);
      } catch {
        answer = undefined;
      }
      run.invoking = false;
      if (run.status !== 'IN_PROGRESS') return;
      if (answer?.hookStatus === 'SUCCEEDED') run.status = 'SUCCEEDED';
      else if (answer?.hookStatus === 'IN_PROGRESS') {
        run.invokeAt = this.now() + (answer.callBackDelay ?? DEFAULT_CALLBACK_SECONDS) * 1000;
        if (answer.hookDetails !== undefined) run.details = answer.hookDetails;
      } else {
        // FAILED, an error, or no valid hookStatus: "Amazon ECS rolls back the deployment".
        run.status = 'FAILED';
        run.rollbackReason = `Lifecycle hook ${run.hookId} at ${run.stage} returned ${answer?.hookStatus ?? 'no valid hookStatus'}.`;
      }
      changed();
    })();
  }
}
