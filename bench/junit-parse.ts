// Parse and summarise a generated 100,000-test JUnit report, as run-test-tier does, and measure
// time and peak memory (max RSS of a child process that does only that). Baseline in the same
// run: a child that only streams the file's bytes (the I/O floor). Targets (issue 5): at most
// 2 s and at most 300 MB peak, for a 100,000-test report.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, printTable, repoRoot, verdict } from './_lib.js';

const TESTS = Number(process.env.BENCH_TESTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PER_SUITE = 50;

/** A Surefire-shaped report: 40 properties per suite, 1% failures with JVM traces, 0.5% flaky, 2% skipped, suite output. */
async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n');
  const trace = (cls: string, method: string, line: number) =>
    `org.opentest4j.AssertionFailedError: expected: &lt;${line}&gt; but was: &lt;${line + 1}&gt;\n` +
    Array.from(
      { length: 18 },
      (_, i) => `\tat org.junit.platform.engine.support.hierarchical.NodeTestTask.executeRecursively(NodeTestTask.java:${100 + i})\n`,
    ).join('') +
    `\tat ${cls}.${method}(${cls.split('.').pop()}.java:${line})\n`;
  // Surefire copies the JVM's system properties into every suite: dozens of lines each.
  const properties = Array.from(
    { length: 40 },
    (_, i) => `      <property name="sun.property.${i}" value="/usr/lib/jvm/java-17-openjdk-amd64/lib/value-${i}"/>\n`,
  ).join('');
  for (let s = 0; s * PER_SUITE < TESTS; s++) {
    const cls = `com.acme.module${s % 40}.Feature${s}Test`;
    let body = `  <testsuite name="${cls}" tests="${PER_SUITE}" time="1.5">\n    <properties>\n${properties}    </properties>\n`;
    for (let t = 0; t < PER_SUITE && s * PER_SUITE + t < TESTS; t++) {
      const n = s * PER_SUITE + t;
      const method = `behavesCorrectlyInCase${t}`;
      const time = ((n * 7919) % 1000) / 1000;
      if (n % 100 === 7)
        body += `    <testcase name="${method}" classname="${cls}" time="${time}">\n      <failure message="expected: &lt;${t}&gt; but was: &lt;${t + 1}&gt;" type="org.opentest4j.AssertionFailedError">${trace(cls, method, 20 + t)}</failure>\n      <system-out>debug output for ${method}\n</system-out>\n    </testcase>\n`;
      else if (n % 200 === 13)
        body += `    <testcase name="${method}" classname="${cls}" time="${time}">\n      <flakyFailure message="Read timed out" type="java.net.SocketTimeoutException"><stackTrace>${trace(cls, method, 30 + t)}</stackTrace><system-out>retrying\n</system-out></flakyFailure>\n    </testcase>\n`;
      else if (n % 50 === 21) body += `    <testcase name="${method}" classname="${cls}" time="0"><skipped message="disabled on CI"/></testcase>\n`;
      else body += `    <testcase name="${method}" classname="${cls}" time="${time}"/>\n`;
    }
    body += `    <system-out><![CDATA[${'12:00:00.000 [main] INFO  com.acme.App - started in 0.4s\n'.repeat(5)}]]></system-out>\n  </testsuite>\n`;
    await write(body);
  }
  await write('</testsuites>\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

interface Sample {
  ms: number;
  maxRssBytes: number;
  total: number;
}

function measure(file: string, mode: 'parse' | 'fold' | 'read'): Sample {
  const r = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'bench/_junit-parse-child.ts'), file, mode], {
    encoding: 'utf8',
    cwd: repoRoot,
  });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Sample;
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-junit-'));
try {
  const file = path.join(dir, 'TEST-bench.xml');
  await generate(file);
  const size = statSync(file).size;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`report: ${TESTS.toLocaleString('en')} tests, ${mb(size)} (${file}); ${RUNS} runs each, medians; interleaved`);
  const read: Sample[] = [];
  const parse: Sample[] = [];
  const fold: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    read.push(measure(file, 'read'));
    parse.push(measure(file, 'parse'));
    fold.push(measure(file, 'fold'));
  }
  // The generated names are unique within a suite, so folding must not change the count.
  for (const [name, samples] of [
    ['parse', parse],
    ['fold', fold],
  ] as const)
    if (samples[0]!.total !== TESTS) throw new Error(`${name}: counted ${samples[0]!.total} tests, generated ${TESTS}`);
  const readMs = median(read.map((s) => s.ms));
  const parseMs = median(parse.map((s) => s.ms));
  const readRss = median(read.map((s) => s.maxRssBytes));
  const parseRss = median(parse.map((s) => s.maxRssBytes));
  const foldMs = median(fold.map((s) => s.ms));
  const foldRss = median(fold.map((s) => s.maxRssBytes));
  /** One row of the table; the baseline's own ratio is 1. */
  const row = (name: string, ms: number, rss: number) => [
    name,
    mb(size),
    `${ms.toFixed(0)} ms`,
    `${(size / 1024 / 1024 / (ms / 1000)).toFixed(0)} MB/s`,
    mb(rss),
    ms === readMs ? '1.00x' : `${(ms / readMs).toFixed(2)}x time, +${mb(rss - readRss)}`,
    '',
  ];
  printTable(
    ['run', 'report size', 'time', 'throughput', 'peak RSS', 'vs read-only', 'target'],
    [
      row('stream the bytes only (baseline)', readMs, readRss),
      row('parse + summarise', parseMs, parseRss),
      row('parse + summarise, fold-retries', foldMs, foldRss),
    ],
  );
  console.log(verdict(parseMs <= 2_000, `time ≤ 2 s: ${(parseMs / 1000).toFixed(2)} s for ${mb(size)}`));
  console.log(verdict(parseRss <= 300 * 1024 * 1024, `peak memory ≤ 300 MB: ${mb(parseRss)} (the child's whole RSS, tsx and Node included)`));
  console.log(verdict(foldMs <= 2_000, `fold-retries, time ≤ 2 s: ${(foldMs / 1000).toFixed(2)} s`));
  console.log(verdict(foldRss <= 300 * 1024 * 1024, `fold-retries, peak memory ≤ 300 MB: ${mb(foldRss)}`));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
