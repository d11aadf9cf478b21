import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBundle } from '../../local/runner/run-bundle.js';
import type { TierReport } from '../../shared/test-tier/report.js';
import { splitByTimings } from '../../shared/test-tier/shard.js';
import { fileSeconds, skewedSuite, writeSuite } from './generated-suite.js';

// Sharding through the bundle: the split is computed before the command runs, reaches it in
// three forms, and the report times each file for the next run's split.

function readReport(r: { outputs: Record<string, string> }): TierReport {
  return JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as TierReport;
}

/** Runs this shard's files and keeps what the command was handed, per shard. */
const SHARD_COMMAND = `rm -rf build/test-results
k=$(echo "$TEST_SHARD" | tr / -)
mkdir -p build/handed
cp "$TEST_SHARD_FILES" "build/handed/files-$k"
printf '%s' "$TEST_SHARD_FILE_LIST" > "build/handed/list-$k"
sh bin/run-tests.sh "$TEST_SHARD_FILES" build/test-results
`;

describe('run-test-tier: sharding by timings', () => {
  it('four shards cover every file once, balanced by the earlier run, each timing its files for the next', async () => {
    const suite = skewedSuite(24);
    const workspace = writeSuite(suite);
    // The default branch's unsharded run: its report times every file.
    const full = await runBundle('run-test-tier', {
      workspace,
      inputs: {
        tier: 'unit',
        run: 'find tests -name "*.test.sh" | sort > all.txt\nsh bin/run-tests.sh all.txt build/test-results\n',
        reports: 'build/test-results/*.xml',
      },
    });
    expect(full.exitCode).toBe(0);
    const fullReport = readReport(full);
    expect(fullReport.files).toEqual(Object.fromEntries(suite.map((f) => [f.path, Math.round(fileSeconds(f) * 1000) / 1000])));
    mkdirSync(path.join(workspace, 'timings'));
    copyFileSync(full.outputs.report!, path.join(workspace, 'timings/unit.json'));

    const shards: TierReport[] = [];
    for (let k = 1; k <= 4; k++) {
      const r = await runBundle('run-test-tier', {
        workspace,
        inputs: {
          tier: 'unit',
          run: SHARD_COMMAND,
          reports: 'build/test-results/*.xml',
          shard: `${k}/4`,
          'test-files': 'tests/**/*.test.sh',
          timings: 'timings/*.json',
        },
      });
      expect(r.exitCode, r.log).toBe(0);
      const handed = readFileSync(path.join(workspace, `build/handed/files-${k}-4`), 'utf8')
        .trim()
        .split('\n');
      expect(readFileSync(path.join(workspace, `build/handed/list-${k}-4`), 'utf8').split(' ')).toEqual(handed);
      expect(readFileSync(r.outputs['shard-files']!, 'utf8').trim().split('\n')).toEqual(handed);
      const report = readReport(r);
      // Each shard ran its own files, and timed them for the next split.
      expect(Object.keys(report.files)).toEqual(handed);
      expect(report.counts.total).toBe(handed.length * 2);
      expect(report.shard).toMatchObject({ index: k, total: 4, files: handed.length, suiteFiles: 24, timedFiles: 24 });
      expect(r.summary).toMatch(new RegExp(`Shard</td><td>${k}/4: ${handed.length} of 24 test files; expected [^<]+ \\(an even split: [^)]+\\), took`));
      shards.push(report);
    }
    const all = shards.flatMap((s) => Object.keys(s.files)).sort();
    expect(all).toEqual(suite.map((f) => f.path));
    // The same split every runner computes from the same timings.
    const timings = new Map(Object.entries(fullReport.files));
    const expected = splitByTimings(
      suite.map((f) => f.path),
      timings,
      4,
    );
    expect(shards.map((s) => Object.keys(s.files))).toEqual(expected.shards.map((s) => s.files));
    const total = suite.reduce((sum, f) => sum + fileSeconds(f), 0);
    for (const s of shards) {
      expect(s.shard?.idealSeconds).toBeCloseTo(total / 4, 2);
      expect(s.shard?.expectedSeconds).toBeLessThanOrEqual((total / 4) * 1.15);
    }
  });

  it('hands Surefire class names for -Dtest, and times Surefire reports (classname only) by file', async () => {
    const workspace = writeSuite([]);
    const classes = ['com/acme/LedgerTest', 'com/acme/PaymentsTest', 'com/acme/web/CartTest'];
    for (const c of classes) {
      mkdirSync(path.dirname(path.join(workspace, `src/test/java/${c}.java`)), { recursive: true });
      writeFileSync(path.join(workspace, `src/test/java/${c}.java`), `class ${path.basename(c)} {}\n`);
    }
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: {
        tier: 'unit',
        // Surefire writes one report per class, naming the class only.
        run: `echo "$TEST_SHARD_CLASSES" > classes.txt
mkdir -p target/surefire-reports
for c in $(echo "$TEST_SHARD_CLASSES" | tr , ' '); do
  printf '<testsuite name="%s"><testcase classname="%s" name="works" time="1.5"/><testcase classname="%s" name="also" time="0.25"/></testsuite>' "$c" "$c" "$c" > "target/surefire-reports/TEST-$c.xml"
done
`,
        reports: 'target/surefire-reports/TEST-*.xml',
        shard: '1/1',
        'test-files': 'src/test/java/**/*Test.java',
      },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(readFileSync(path.join(workspace, 'classes.txt'), 'utf8').trim()).toBe('com.acme.LedgerTest,com.acme.PaymentsTest,com.acme.web.CartTest');
    expect(readReport(r).files).toEqual(Object.fromEntries(classes.map((c) => [`src/test/java/${c}.java`, 1.75])));
  });

  it('a shard that gets no files runs no command and passes with a warning (4 shards, 2 files)', async () => {
    const workspace = writeSuite(skewedSuite(2));
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'unit', run: 'touch ran\nsh bin/run-tests.sh "$TEST_SHARD_FILES" build/test-results', shard: '3/4', 'test-files': 'tests/*.test.sh' },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(existsSync(path.join(workspace, 'ran'))).toBe(false);
    expect(r.outputs).toMatchObject({ total: '0', failed: '0' });
    expect(r.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: 'Shard 3/4 got no test files (2 files over 4 shards): the test command was not run. Fewer shards would do.',
      }),
    ]);
    expect(readReport(r).shard).toMatchObject({ index: 3, total: 4, files: 0 });
  });

  it('no timings yet (a cache miss): every file counts the same, and the run says so', async () => {
    const workspace = writeSuite(skewedSuite(8));
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'unit', run: SHARD_COMMAND, shard: '2/2', 'test-files': 'tests/*.test.sh', timings: 'timings/**/*.json' },
    });
    expect(r.exitCode, r.log).toBe(0);
    expect(r.log).toContain('No timings matched `timings` (timings/**/*.json)');
    expect(readReport(r).shard).toMatchObject({ files: 4, timedFiles: 0, expectedSeconds: 4 });
  });

  it('a timings file that is neither a tier report nor JUnit XML is an input error, before the command runs', async () => {
    const workspace = writeSuite(skewedSuite(2));
    mkdirSync(path.join(workspace, 'timings'));
    writeFileSync(path.join(workspace, 'timings/unit.xml'), '<testsuite><testcase name="a"');
    const r = await runBundle('run-test-tier', {
      workspace,
      inputs: { tier: 'unit', run: 'touch ran', shard: '1/2', 'test-files': 'tests/*.test.sh', timings: 'timings/*' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations[0]!.message).toMatch(
      /^Input 'timings' has an invalid value "timings\/\*": expected earlier tier JSON reports or JUnit XML files \(Malformed JUnit XML in .*unit\.xml/,
    );
    expect(existsSync(path.join(workspace, 'ran'))).toBe(false);
  });

  const bad: { inputs: Record<string, string>; message: RegExp }[] = [
    { inputs: { shard: '5/4', 'test-files': 'tests/*' }, message: /^Input 'shard' has an invalid value "5\/4": expected K\/N with whole numbers 1 ≤ K ≤ N/ },
    { inputs: { shard: 'two of four', 'test-files': 'tests/*' }, message: /^Input 'shard' has an invalid value "two of four"/ },
    { inputs: { shard: '1/2' }, message: /^Input 'test-files' is required: expected the whole suite's test files when `shard` is set/ },
    {
      inputs: { shard: '1/2', 'test-files': 'tests/*.test.sh\nspec/**/*.spec.js' },
      message: /^Input 'test-files' has an invalid value "spec\/\*\*\/\*\.spec\.js": expected a glob that matches the suite's test files/,
    },
    { inputs: { 'test-files': 'tests/*' }, message: /^Input 'test-files' .*to be used together with `shard`/ },
    { inputs: { timings: 'timings/*.json' }, message: /^Input 'timings' .*to be used together with `shard` and `test-files`/ },
  ];
  it.each(bad)('bad input $inputs fails before the command runs', async ({ inputs, message }) => {
    const workspace = writeSuite(skewedSuite(2));
    const r = await runBundle('run-test-tier', { workspace, inputs: { tier: 'unit', run: 'touch ran', ...inputs } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations).toHaveLength(1);
    expect(r.annotations[0]!.message).toMatch(message);
    expect(existsSync(path.join(workspace, 'ran'))).toBe(false);
  });
});
