/**
 * Vitest global set-up: installs the pinned oracles the conformance layer judges the stand-ins by
 * (local/conformance/oracles.ts), once per run, before any test file. A missing oracle fails the
 * run; nothing is skipped.
 */
import { ensureOracles } from '../../local/conformance/oracles.js';

export default function setup(): void {
  ensureOracles();
}
