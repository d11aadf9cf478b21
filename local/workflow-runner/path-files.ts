/**
 * The files a multi-line `path:` of upload-artifact or actions/cache names, found with
 * @actions/glob as those actions find them: one pattern a line, `!` lines excluding, directories
 * taking everything under them, relative patterns anchored at the job workspace (the actions
 * resolve them against the step's working directory, which is the workspace), `~` the home.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { anchorPatterns } from '../../shared/test-report/report-files.js';

export interface FoundFiles {
  files: string[];
  /** The search paths (patterns up to their first wildcard), absolute. */
  searchPaths: string[];
}

export function pathLines(value: string): string[] {
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l === '~' || l.startsWith('~/') ? path.join(homedir(), l.slice(1)) : l.replace(/^!~(?=\/|$)/, `!${homedir()}`)));
}

export async function findPathFiles(value: string, workspace: string, options: { includeHidden: boolean }): Promise<FoundFiles> {
  const glob = await import('@actions/glob');
  const patterns = anchorPatterns(pathLines(value), workspace);
  const globber = await glob.create(patterns.join('\n'), {
    followSymbolicLinks: true,
    implicitDescendants: true,
    matchDirectories: false,
    omitBrokenSymbolicLinks: true,
    excludeHiddenFiles: !options.includeHidden,
  });
  const files = [...new Set(await globber.glob())].sort();
  return { files, searchPaths: globber.getSearchPaths() };
}
