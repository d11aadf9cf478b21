import type { Logger } from '../core/logger.js';
import type { SourceLocation } from './source-location.js';
import { testTitle, type FailedTest, type FlakyTest } from './results.js';

/**
 * Annotations for failed (error) and flaky (warning) tests, deduplicated and capped. GitHub
 * shows at most 10 annotations of each level per step and drops the rest silently, so the cap
 * is applied here, the same failure reported twice (a parametrised test failing on one line for
 * every parameter, a rerun) becomes one annotation, and what is left out is said in the log.
 */
export const GITHUB_ANNOTATIONS_PER_STEP = 10;

/**
 * How many test annotations fit beside the step's own: by default GitHub's 10 per level less
 * the verdict's error and the tier's warnings (budget, no report), so those are never the ones
 * GitHub drops; an explicit number is taken as given.
 */
export function annotationLimits(annotate: number | 'github', ownErrors: number, ownWarnings: number): { errors: number; warnings: number } {
  if (annotate !== 'github') return { errors: annotate, warnings: annotate };
  return { errors: Math.max(0, GITHUB_ANNOTATIONS_PER_STEP - ownErrors), warnings: Math.max(0, GITHUB_ANNOTATIONS_PER_STEP - ownWarnings) };
}

export interface LocatedFailure {
  test: FailedTest;
  location?: SourceLocation;
}

export interface AnnotationPlan {
  level: 'error' | 'warning';
  title: string;
  message: string;
  location?: SourceLocation;
}

const TRACE_LINES = 12;
const MESSAGE_CHARS = 2_000;

function traceExcerpt(details: string, message: string): string {
  const lines = details.split('\n');
  // The trace usually repeats the message on its first line.
  if (lines[0] !== undefined && message && lines[0].includes(message)) lines.shift();
  const kept = lines.slice(0, TRACE_LINES).join('\n').trim();
  return lines.length > TRACE_LINES ? `${kept}\n…` : kept;
}

function failureMessage(message: string, details: string): string {
  const excerpt = traceExcerpt(details, message);
  const text = [message, excerpt].filter(Boolean).join('\n');
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}…` : text || '(no message in the report)';
}

export function planAnnotations(
  failures: readonly LocatedFailure[],
  flaky: readonly { test: FlakyTest; location?: SourceLocation }[],
  limits: { errors: number; warnings: number },
): { annotations: AnnotationPlan[]; omitted: { failures: number; flaky: number }; duplicates: number } {
  const annotations: AnnotationPlan[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let omittedFailures = 0;
  let errors = 0;
  for (const { test, location } of failures) {
    const key = `${location?.file ?? ''}:${location?.line ?? ''}:${test.message}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    if (errors >= limits.errors) {
      omittedFailures++;
      continue;
    }
    errors++;
    const verb = test.kind === 'error' ? 'errored' : 'failed';
    const attempts = test.attempts > 1 ? ` (all ${test.attempts} attempts)` : '';
    annotations.push({
      level: 'error',
      title: `${testTitle(test)} ${verb}${attempts}`,
      message: failureMessage(test.message, test.details),
      ...(location ? { location } : {}),
    });
  }
  let warnings = 0;
  let omittedFlaky = 0;
  for (const { test, location } of flaky) {
    if (warnings >= limits.warnings) {
      omittedFlaky++;
      continue;
    }
    warnings++;
    annotations.push({
      level: 'warning',
      title: `Flaky: ${testTitle(test)} passed after ${test.failedAttempts} failed attempt${test.failedAttempts === 1 ? '' : 's'}`,
      message: test.message || '(no message in the report)',
      ...(location ? { location } : {}),
    });
  }
  return { annotations, omitted: { failures: omittedFailures, flaky: omittedFlaky }, duplicates };
}

export function emitAnnotations(plan: ReturnType<typeof planAnnotations>, logger: Logger, totals: { failed: number; flaky: number }): void {
  for (const a of plan.annotations) {
    const properties = {
      title: a.title,
      ...(a.location ? { file: a.location.file, ...(a.location.line !== undefined ? { startLine: a.location.line } : {}) } : {}),
    };
    if (a.level === 'error') logger.error(a.message, properties);
    else logger.warning(a.message, properties);
  }
  const notes: string[] = [];
  if (plan.duplicates > 0)
    notes.push(`${plan.duplicates} duplicate failure${plan.duplicates === 1 ? '' : 's'} (same place, same message) folded into one annotation`);
  const unkept = totals.failed - plan.annotations.filter((a) => a.level === 'error').length - plan.duplicates;
  if (unkept > 0) notes.push(`${unkept} more failure${unkept === 1 ? '' : 's'} not annotated`);
  const flakyUnkept = totals.flaky - plan.annotations.filter((a) => a.level === 'warning').length;
  if (flakyUnkept > 0) notes.push(`${flakyUnkept} more flaky test${flakyUnkept === 1 ? '' : 's'} not annotated`);
  if (notes.length > 0) logger.info(`Annotations: ${notes.join('; ')} — the job summary and the JSON report list them all.`);
}
