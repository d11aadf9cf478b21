/**
 * The deadline of a deploy or a resume, decided in this one file: the `timeout` given, and with
 * `timeout: auto` what a native strategy's bakes and lifecycle hooks may take on top of it, never
 * past the longest a GitHub-hosted job runs.
 */
import { formatDuration } from '../core/duration.js';

/** `timeout: auto` before the bakes are added, and the default `timeout`. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

type Json = Record<string, unknown>;

export interface Deadline {
  /** Clock time by which everything is done. */
  at: number;
  /** What the bakes and hooks added (0: none). */
  extraMs: number;
  /** For the log when something was added, else undefined. */
  note: string | undefined;
}

/** `config`: the deployment configuration the service deploys with (the one sent, else its own). */
export function decideDeadline(startedAt: number, timeoutMs: number, coversBakes: boolean | undefined, config: Json | undefined): Deadline {
  const extraMs = coversBakes ? nativeWaitMs(config ?? {}) : 0;
  if (extraMs <= 0) return { at: startedAt + timeoutMs, extraMs: 0, note: undefined };
  const at = startedAt + Math.min(MAX_NATIVE_DEADLINE_MS, timeoutMs + extraMs);
  return {
    at,
    extraMs,
    note: `Deadline ${formatDuration(at - startedAt)}: ${formatDuration(timeoutMs)} plus ${formatDuration(extraMs)} of bakes and hook timeouts (timeout: auto, at most 6h).`,
  };
}

/** The longest a GitHub-hosted job may run: no deadline is stretched past it. */
export const MAX_NATIVE_DEADLINE_MS = 6 * 60 * 60_000;

/**
 * How long ECS may take beyond the rollout itself for a native strategy: the bake, the canary bake
 * or every linear step's bake, and each lifecycle hook's timeout at every stage it runs (the
 * production stages run once per traffic step). ECS's defaults where the configuration is silent.
 */
export function nativeWaitMs(config: Json): number {
  const strategy = config.strategy as string | undefined;
  if (strategy !== 'BLUE_GREEN' && strategy !== 'CANARY' && strategy !== 'LINEAR') return 0;
  const minute = 60_000;
  const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  let steps = 1;
  let stepBakes = 0;
  if (strategy === 'CANARY') {
    steps = 2;
    stepBakes = num((config.canaryConfiguration as Json | undefined)?.canaryBakeTimeInMinutes, 10);
  } else if (strategy === 'LINEAR') {
    const linear = (config.linearConfiguration as Json | undefined) ?? {};
    steps = Math.ceil(100 / num(linear.stepPercent, 10));
    stepBakes = (steps - 1) * num(linear.stepBakeTimeInMinutes, 6);
  }
  let hooks = 0;
  for (const hook of (config.lifecycleHooks as Json[] | undefined) ?? []) {
    const timeout = num((hook.timeoutConfiguration as Json | undefined)?.timeoutInMinutes, 1440);
    for (const stage of (hook.lifecycleStages as string[] | undefined) ?? [])
      hooks += timeout * (stage.includes('PRODUCTION_TRAFFIC_SHIFT') && stage !== 'POST_PRODUCTION_TRAFFIC_SHIFT' ? steps : 1);
  }
  return (num(config.bakeTimeInMinutes, 0) + stepBakes + hooks) * minute;
}
