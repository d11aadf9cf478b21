import type { CheckRunAnnotation } from '../github/check-run.js';
import type { SourceLocation } from '../test-report/source-location.js';
import type { TierReport } from '../test-tier/report.js';

/**
 * Every failure (level `failure`) and every flaky test (level `warning`) of a tier's report as a
 * check-run annotation — not the 10 per level a step may write. GitHub places an annotation on a
 * file and line only, so a test whose location is unknown is annotated on its JUnit report, line
 * 1, where it can still be found from the check run's list. Not folded: each failed test is its
 * own annotation, as each is its own test.
 */

const TITLE_CHARS = 255;
/** GitHub allows 64 KB each; a readable excerpt keeps 50 annotations a small request. */
const MESSAGE_CHARS = 4_000;
const DETAILS_CHARS = 16_000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function place(location: SourceLocation | undefined, report: string): { path: string; start_line: number; end_line: number } {
  const line = location?.line !== undefined && location.line >= 1 ? location.line : 1;
  return { path: location?.file ?? report, start_line: line, end_line: line };
}

/** A flaky entry carries a location when the report records one (failures always may). */
type Located = { location?: SourceLocation };

export function checkRunAnnotations(report: TierReport): CheckRunAnnotation[] {
  const annotations: CheckRunAnnotation[] = [];
  for (const f of report.failures) {
    const verb = f.kind === 'error' ? 'errored' : 'failed';
    const attempts = f.attempts > 1 ? ` (all ${f.attempts} attempts)` : '';
    const message = f.message || f.details.split('\n', 1)[0] || '(no message in the report)';
    annotations.push({
      ...place(f.location, f.report),
      annotation_level: 'failure',
      title: cut(`${f.title} ${verb}${attempts}`, TITLE_CHARS),
      message: cut(message, MESSAGE_CHARS),
      ...(f.details && f.details !== message ? { raw_details: cut(f.details, DETAILS_CHARS) } : {}),
    });
  }
  for (const f of report.flaky) {
    const location = (f as Located).location;
    annotations.push({
      ...place(location, f.report),
      annotation_level: 'warning',
      title: cut(`Flaky: ${f.title} passed after ${f.failedAttempts} failed attempt${f.failedAttempts === 1 ? '' : 's'}`, TITLE_CHARS),
      message: cut(f.message || '(no message in the report)', MESSAGE_CHARS),
    });
  }
  return annotations;
}
