/**
 * The conformance layer in every test file (a vitest setup file, see vitest.config.ts): every
 * exchange with the ECS/ECR/CloudWatch/Logs emulator and the GitHub API stand-in that this file's
 * tests cause is judged against AWS's and GitHub's published models (local/conformance). A
 * violation fails the test that caused it, naming the operation, the path in the body and the
 * rule. Per-service counts of the exchanges checked go to .tmp/conformance/counts.jsonl.
 *
 * A test that sends a request the model forbids, on purpose, declares it:
 *
 *   await refusedByModel(() => expect(ecs.send(new CreateServiceCommand({ ... }))).rejects.toThrow(...));
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { activeChecker, ConformanceChecker, setActiveChecker } from '../../local/conformance/checker.js';
import { formatViolation, type Violation } from '../../local/conformance/violation.js';

/** Runs `fn`, whose requests deliberately break the model: they must be refused, and are not violations. */
export function refusedByModel<T>(fn: () => Promise<T>): Promise<T> {
  const checker = activeChecker();
  if (!checker) throw new Error('the conformance layer is not installed (test/helpers/conformance.ts is a vitest setup file)');
  return checker.refusing(fn);
}

function fail(violations: Violation[], when: string): void {
  if (violations.length === 0) return;
  const log = process.env.CTP_CONFORMANCE_LOG;
  if (log)
    appendFileSync(
      log,
      violations.map((v) => `${JSON.stringify({ file: expect.getState().testPath, test: expect.getState().currentTestName, ...v })}\n`).join(''),
    );
  const shown = violations.slice(0, 20).map((v) => `  ${formatViolation(v)}`);
  const more = violations.length > shown.length ? `\n  … and ${violations.length - shown.length} more` : '';
  throw new Error(`${violations.length} exchange(s) with the stand-ins break the published models ${when}:\n${shown.join('\n')}${more}`);
}

let checker: ConformanceChecker;

beforeAll(() => {
  checker = new ConformanceChecker().install();
  setActiveChecker(checker);
});

afterEach(() => {
  fail(checker.drain(), 'in this test');
});

afterAll(() => {
  checker.uninstall();
  setActiveChecker(undefined);
  const file = expect.getState().testPath ?? '(unknown)';
  if (Object.keys(checker.counts).length > 0) {
    const dir = path.resolve('.tmp', 'conformance');
    mkdirSync(dir, { recursive: true });
    appendFileSync(path.join(dir, 'counts.jsonl'), `${JSON.stringify({ file: path.relative(process.cwd(), file), counts: checker.counts })}\n`);
  }
  fail(checker.drain(), 'outside any test (set-up, tear-down or a late answer)');
});
