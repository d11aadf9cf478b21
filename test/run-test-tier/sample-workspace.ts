import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../local/runner/run-bundle.js';

export const fixtures = path.join(repoRoot, 'test/fixtures/junit');

/** The source files the fixtures' stack traces and `file` attributes point at. */
const SOURCES = [
  'src/test/java/com/acme/payments/CalculatorTest.java',
  'src/main/java/com/acme/payments/RateRepository.java',
  'src/test/java/com/acme/payments/PaymentsApiIT.java',
  'src/test/java/com/acme/payments/LedgerTest.java',
  'tests/test_invoice.py',
  'tests/conftest.py',
  'web/src/cart.test.js',
  'src/price.test.ts',
  'ledger/ledger.go',
  'ledger/ledger_test.go',
  'shipping/rate_spec.rb',
];

/**
 * A workspace shaped like a real repository: the sources exist (so annotations resolve) and the
 * reports sit in `fixtures/`, for the test command to copy where the tool would write them —
 * reports must be written after the tier starts to count.
 */
export function sampleWorkspace(reports: readonly string[]): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'ctp-tier-ws-'));
  for (const source of SOURCES) {
    mkdirSync(path.dirname(path.join(workspace, source)), { recursive: true });
    writeFileSync(path.join(workspace, source), Array.from({ length: 120 }, (_, i) => `// line ${i + 1}`).join('\n'));
  }
  mkdirSync(path.join(workspace, 'fixtures'));
  for (const report of reports) copyFileSync(path.join(fixtures, report), path.join(workspace, 'fixtures', report));
  return workspace;
}

/** Dates the files in `fixtures/` an hour back, as a checkout would: only reports the tier writes count. */
export function ageFixtures(workspace: string): void {
  const old = new Date(Date.now() - 3_600_000);
  for (const name of readdirSync(path.join(workspace, 'fixtures'))) utimesSync(path.join(workspace, 'fixtures', name), old, old);
}
