import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILE_SECONDS, readTimings, splitByTimings, surefireClasses } from '../../shared/test-tier/shard.js';
import { parseShard } from '../../shared/test-tier/shard-spec.js';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('parseShard', () => {
  it('accepts K/N', () => expect(parseShard('2/4')).toEqual({ index: 2, total: 4 }));
  it.each(['5/4', '0/4', 'a/b', '1/0', '', '2'])('rejects %j naming the input', (given) => {
    expect(() => parseShard(given)).toThrow(`Input 'shard' has an invalid value ${JSON.stringify(given)}: expected K/N`);
  });
});

describe('splitByTimings', () => {
  it('covers every file exactly once and is the same for any input order (many seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const n = 1 + Math.floor(r() * 60);
      const files = Array.from({ length: n }, (_, i) => `t/f${i}.test.js`);
      const timings = new Map(files.filter(() => r() < 0.8).map((f) => [f, Math.round(r() * 100) / 10] as const));
      const total = 1 + Math.floor(r() * 8);
      const a = splitByTimings(files, timings, total);
      const shuffled = [...files].sort(() => r() - 0.5);
      const b = splitByTimings(shuffled, new Map([...timings].reverse()), total);
      expect(b).toEqual(a);
      const all = a.shards.flatMap((s) => s.files).sort();
      expect(all).toEqual([...files].sort());
      expect(a.shards).toHaveLength(total);
    }
  });

  it('puts the longest files on separate shards and balances the rest', () => {
    const timings = new Map([
      ['a', 10],
      ['b', 9],
      ['c', 1],
      ['d', 1],
    ]);
    const { shards } = splitByTimings(['d', 'c', 'b', 'a'], timings, 2);
    expect(shards.map((s) => s.files)).toEqual([
      ['a', 'd'],
      ['b', 'c'],
    ]);
    expect(shards.map((s) => s.expectedSeconds)).toEqual([11, 10]);
  });

  it('gives files without a timing the median, or the default when nothing is known', () => {
    const s = splitByTimings(
      ['a', 'b', 'c', 'new'],
      new Map([
        ['a', 1],
        ['b', 3],
        ['c', 8],
      ]),
      2,
    );
    expect(s.assumedSeconds).toBe(3);
    expect(s.untimed).toEqual(['new']);
    expect(s.shards.flatMap((x) => x.files).sort()).toEqual(['a', 'b', 'c', 'new']);
    expect(splitByTimings(['x', 'y'], new Map(), 3).assumedSeconds).toBe(DEFAULT_FILE_SECONDS);
    expect(splitByTimings(['x'], new Map(), 3).shards.filter((x) => x.files.length === 0)).toHaveLength(2);
  });
});

describe('readTimings', () => {
  it('reads file attributes, Surefire classnames, odd times and our JSON report', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shard-'));
    await writeFile(
      path.join(dir, 'jest.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="3" failures="0" errors="0" time="3.5">
  <testsuite name="a" errors="0" failures="0" skipped="0" timestamp="2024-01-01T00:00:00" time="3.5" tests="3">
    <testcase classname="a one" name="a one" time="1.5" file="${dir}/src/a.test.js"></testcase>
    <testcase classname="a two" name="a two" time="2" file="./src/a.test.js"></testcase>
    <testcase classname="b" name="b" file="src/b.test.js"></testcase>
  </testsuite>
</testsuites>`,
    );
    await writeFile(
      path.join(dir, 'TEST-com.acme.FooTest.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.FooTest" time="1,234.5" tests="2" errors="0" skipped="0" failures="0">
  <testcase name="slow" classname="com.acme.FooTest" time="1,234.5"/>
  <testcase name="fast" classname="com.acme.FooTest" time="0.5"/>
</testsuite>`,
    );
    await writeFile(path.join(dir, 'tier.json'), JSON.stringify({ files: { 'src/c.test.js': 4.25 } }));
    const testFiles = ['src/a.test.js', 'src/b.test.js', 'src/c.test.js', 'src/test/java/com/acme/FooTest.java'];
    const t = await readTimings(
      ['jest.xml', 'TEST-com.acme.FooTest.xml', 'tier.json'].map((f) => path.join(dir, f)),
      testFiles,
      dir,
    );
    expect(Object.fromEntries(t)).toEqual({ 'src/a.test.js': 3.5, 'src/b.test.js': 0, 'src/c.test.js': 4.25, 'src/test/java/com/acme/FooTest.java': 1235 });
    expect(surefireClasses(testFiles)).toEqual(['com.acme.FooTest']);
  });
});

describe('readTimings: one run adds up, two runs do not', () => {
  it('sums a file over the XML files of a run; a later JSON report replaces a file’s time; classname keys find their file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'shard-'));
    const suite = (name: string, time: number) =>
      `<testsuite name="${name}"><testcase classname="${name}" name="t" file="src/a.test.ts" time="${time}"/></testsuite>`;
    // vitest with two projects: two reports, each with part of src/a.test.ts.
    await writeFile(path.join(dir, 'node.xml'), suite('node', 2));
    await writeFile(path.join(dir, 'browser.xml'), suite('browser', 3));
    await writeFile(path.join(dir, 'a-main.json'), JSON.stringify({ files: { 'src/b.test.ts': 9, 'com.acme.FooTest': 4 } }));
    await writeFile(path.join(dir, 'b-main.json'), JSON.stringify({ files: { 'src/b.test.ts': 7, 'src/c.test.ts': 'slow' } }));
    const testFiles = ['src/a.test.ts', 'src/b.test.ts', 'src/c.test.ts', 'src/test/java/com/acme/FooTest.java'];
    const t = await readTimings(
      ['node.xml', 'browser.xml', 'a-main.json', 'b-main.json'].map((f) => path.join(dir, f)),
      testFiles,
      dir,
    );
    expect(Object.fromEntries(t)).toEqual({ 'src/a.test.ts': 5, 'src/b.test.ts': 7, 'src/test/java/com/acme/FooTest.java': 4 });
  });
});
