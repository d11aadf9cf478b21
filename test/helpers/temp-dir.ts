/**
 * Each test file's temporary files in a folder of its own, removed when the file ends (a vitest
 * setup file, see vitest.config.ts). TMPDIR points there while the file runs, so every
 * `mkdtemp(tmpdir())` of a test, of the local runner (each run's workspace, temp and command
 * files) and of the actions it starts (they inherit TMPDIR) lands inside it. Without this a suite
 * run left ~1,500 folders in /tmp: vitest ends its fork workers without the `exit` event the
 * local runner's own clean-up waits for. `CTP_KEEP_RUNS=1` keeps them, as it keeps the runner's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const outer = process.env.TMPDIR;
const own = mkdtempSync(path.join(tmpdir(), 'ctp-test-file-'));
process.env.TMPDIR = own;

// Registered before any test file's hooks, so it runs after them (vitest runs after-hooks as a stack).
afterAll(() => {
  if (outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
  if (process.env.CTP_KEEP_RUNS !== '1') rmSync(own, { recursive: true, force: true });
});
