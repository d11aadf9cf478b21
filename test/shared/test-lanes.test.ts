/**
 * The lists in test/lanes.ts name test files by path: a file renamed or removed would silently
 * leave the fast lane (then running in the stack lane, slower, no guard) or stop starting first.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST_LANE, KNOWN_SLOW } from '../lanes.js';

const root = path.resolve(import.meta.dirname, '../..');

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('test lanes', () => {
  it('every fast-lane path is an existing test file, listed once', () => {
    const missing = FAST_LANE.filter((f) => !existsSync(path.join(root, f)) || !f.endsWith('.test.ts'));
    expect(missing).toEqual([]);
    expect(FAST_LANE.length).toBe(new Set(FAST_LANE).size);
  });

  it('every file that starts first is an existing test file of the stack lane', () => {
    const all = new Set(testFiles('test'));
    const named = Object.keys(KNOWN_SLOW);
    expect(named.filter((f) => !all.has(f))).toEqual([]);
    expect(named.filter((f) => FAST_LANE.includes(f))).toEqual([]);
    expect(Object.values(KNOWN_SLOW).every((s) => s > 0)).toBe(true);
  });
});
