/**
 * The conformance layer for a process that runs stand-ins outside vitest (the emulator's CLI, the
 * demo): every violation goes, as one JSON line, to the file named by CTP_CONFORMANCE_REPORT
 * (the test set-up gives each test file one, and children inherit it), or is kept for `summary()`.
 */
import { appendFileSync } from 'node:fs';
import { ConformanceChecker, setActiveChecker } from './checker.js';
import type { Exchange } from './exchanges.js';
import { ensureOracles } from './oracles.js';
import { formatViolation, type Violation } from './violation.js';

export const REPORT_ENV = 'CTP_CONFORMANCE_REPORT';

export interface ProcessChecker {
  readonly counts: Record<string, number>;
  readonly violations: Violation[];
  /** One line per service with its count, then every violation. */
  summary(): string;
}

/** Installs a checker in this process (oracles installed if missing). */
export function installProcessChecker(report = process.env[REPORT_ENV]): ProcessChecker {
  ensureOracles();
  const checker = new ConformanceChecker();
  const violations: Violation[] = [];
  checker.install();
  setActiveChecker(checker);
  const observe = checker.observe.bind(checker);
  checker.observe = (exchange: Exchange) => {
    const found = observe(exchange);
    checker.drain();
    violations.push(...found);
    if (report && found.length > 0) appendFileSync(report, found.map((v) => `${JSON.stringify({ pid: process.pid, ...v })}\n`).join(''));
    return found;
  };
  return {
    counts: checker.counts,
    violations,
    summary: () => {
      const counts =
        Object.entries(checker.counts)
          .map(([service, n]) => `${service}: ${n}`)
          .join(', ') || 'none';
      const lines = violations.slice(0, 50).map((v) => `  ${formatViolation(v)}`);
      return `conformance: exchanges checked ${counts}; ${violations.length} violation(s)${lines.length ? `\n${lines.join('\n')}` : ''}`;
    },
  };
}
