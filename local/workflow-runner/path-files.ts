/**
 * The files a multi-line `path:` of upload-artifact or actions/cache names, found by the rules of
 * @actions/glob, which those actions use: one pattern a line, `!` lines excluding what earlier
 * lines matched, `*` `?` `[…]` within a segment and `**` across them, a matched directory taking
 * everything under it, hidden files (a segment starting with `.` below the search path) left out
 * when asked, relative patterns anchored at the job workspace (the actions resolve them against
 * the step's working directory, the workspace), `~` the home directory. Its own walk rather than
 * @actions/glob itself: that library writes `::debug::` lines to the process's stdout, which is
 * the local runner's console here, not a step's log.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { anchorPatterns } from '../../shared/test-report/report-files.js';

export interface FoundFiles {
  files: string[];
  /** The search paths (each pattern up to its first wildcard segment), absolute. */
  searchPaths: string[];
}

export function pathLines(value: string): string[] {
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l === '~' || l.startsWith('~/') ? path.join(homedir(), l.slice(1)) : l.replace(/^!~(?=\/|$)/, `!${homedir()}`)));
}

const WILDCARD = /[*?[]/;

/** One path segment's glob (`*`, `?`, `[…]`; also download-artifact's `pattern:` over artifact names, which hold no `/`). */
export function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[' && segment.indexOf(']', i + 1) > i + 1) {
      const end = segment.indexOf(']', i + 1);
      source += `[${segment
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Whether `segments` (a path below the root, split) match the pattern's segments, `**` spanning any number. */
function matches(pattern: string[], segments: string[]): boolean {
  if (pattern.length === 0) return segments.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') return segments.some((_, i) => matches(rest, segments.slice(i))) || matches(rest, []);
  if (segments.length === 0) return false;
  return segmentPattern(head!).test(segments[0]!) && matches(rest, segments.slice(1));
}

interface Pattern {
  negate: boolean;
  searchPath: string;
  /** The pattern's segments below the search path. */
  rest: string[];
}

function parsePattern(line: string): Pattern {
  const negate = line.startsWith('!');
  const body = path.normalize(negate ? line.slice(1) : line).replace(/\/$/, '');
  const parts = body.split('/');
  const firstWild = parts.findIndex((p) => WILDCARD.test(p));
  const fixed = firstWild < 0 ? parts : parts.slice(0, firstWild);
  return { negate, searchPath: fixed.join('/') || '/', rest: firstWild < 0 ? [] : parts.slice(firstWild) };
}

function walk(root: string, includeHidden: boolean): string[] {
  if (!existsSync(root)) return [];
  if (!statSync(root).isDirectory()) return [''];
  const out: string[] = [];
  const visit = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (!includeHidden && entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      // Symbolic links are followed, as the actions do (followSymbolicLinks: true).
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && existsSync(path.join(root, child)) && statSync(path.join(root, child)).isDirectory());
      if (isDir) {
        out.push(`${child}/`);
        visit(child);
      } else if (!entry.isSymbolicLink() || existsSync(path.join(root, child))) out.push(child);
    }
  };
  visit('');
  return out;
}

export async function findPathFiles(value: string, workspace: string, options: { includeHidden: boolean }): Promise<FoundFiles> {
  const patterns = anchorPatterns(pathLines(value), workspace).map(parsePattern);
  const found = new Set<string>();
  for (const pattern of patterns) {
    const candidates = pattern.negate ? [...found] : walk(pattern.searchPath, options.includeHidden).map((rel) => path.join(pattern.searchPath, rel));
    for (const candidate of candidates) {
      const rel = path.relative(pattern.searchPath, candidate);
      if (rel.startsWith('..')) continue;
      const segments = rel === '' ? [] : rel.split('/');
      // Implicit descendants: a pattern that matches a directory takes everything under it.
      const hit = matches([...pattern.rest, '**'], segments);
      if (!hit) continue;
      if (pattern.negate) found.delete(candidate);
      else if (!candidate.endsWith('/')) found.add(candidate);
    }
  }
  return { files: [...found].filter((f) => !f.endsWith('/')).sort(), searchPaths: [...new Set(patterns.filter((p) => !p.negate).map((p) => p.searchPath))] };
}
