import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The JUnit reports a tier produced: the files its globs match (relative to the directory the
 * tests ran in), minus any written before the tier started. Those are left over from an earlier
 * tier in the same job (unit reports still in `target/surefire-reports` when the integration
 * tier runs) or from an earlier run on a self-hosted runner, and counting them would report
 * tests this tier never ran.
 */

export interface FoundReports {
  files: string[];
  /** Files that matched but predate the tier. */
  stale: string[];
}

/** Anchors relative patterns at `directory`; `!` exclusions keep their `!`. */
export function anchorPatterns(patterns: readonly string[], directory: string): string[] {
  return patterns.map((pattern) => {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const anchored = path.isAbsolute(body) ? body : path.join(directory, body);
    return `${negated ? '!' : ''}${anchored}`;
  });
}

export async function findReports(patterns: readonly string[], directory: string, notBefore: number): Promise<FoundReports> {
  const glob = await import('@actions/glob');
  const globber = await glob.create(anchorPatterns(patterns, directory).join('\n'), { matchDirectories: false, followSymbolicLinks: true });
  const matched = [...new Set(await globber.glob())].sort();
  const files: string[] = [];
  const stale: string[] = [];
  // File times have a coarser grain than Date.now() on some filesystems: allow a second.
  const cutoff = notBefore - 1_000;
  for (const file of matched) {
    const info = await stat(file);
    (info.mtimeMs >= cutoff ? files : stale).push(file);
  }
  return { files, stale };
}
