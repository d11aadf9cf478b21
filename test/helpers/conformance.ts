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
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { activeChecker, ConformanceChecker, setActiveChecker } from '../../local/conformance/checker.js';
import { REPORT_ENV } from '../../local/conformance/process-checker.js';
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
// Stand-ins this file runs as child processes (the emulator's CLI) report here (process-checker.ts).
let reportDir: string;
let reportFile: string;
let reportRead = 0;

/** Violations child processes reported since the last call. */
function childViolations(): Violation[] {
  if (!existsSync(reportFile)) return [];
  const text = readFileSync(reportFile, 'utf8');
  const fresh = text.slice(reportRead);
  reportRead = text.length;
  return fresh
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Violation);
}

beforeAll(() => {
  checker = new ConformanceChecker().install();
  setActiveChecker(checker);
  reportDir = mkdtempSync(path.join(tmpdir(), 'ctp-conformance-'));
  reportFile = path.join(reportDir, 'violations.jsonl');
  process.env[REPORT_ENV] = reportFile;
});

afterEach(() => {
  fail([...checker.drain(), ...childViolations()], 'in this test');
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
  const late = [...checker.drain(), ...childViolations()];
  delete process.env[REPORT_ENV];
  rmSync(reportDir, { recursive: true, force: true });
  fail(late, 'outside any test (set-up, tear-down or a late answer)');
});
