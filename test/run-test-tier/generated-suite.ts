import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A generated test suite and the little runner that runs it, for the sharding tests and the
 * sharded commit-stage workflow: each test file lists its cases (`case <name> <seconds> pass|fail|flaky`)
 * and the runner, given a file of paths (`$TEST_SHARD_FILES`), writes one JUnit report per file
 * with the `file` attribute, as vitest or pytest do. POSIX sh and awk, so it runs on the runner
 * and in the busybox image alike.
 */

export const SUITE_RUNNER = `#!/bin/sh
# usage: run-tests.sh <file listing test files> <report directory>
set -e
list="$1"
out="$2"
mkdir -p "$out"
status=0
while IFS= read -r f; do
  [ -n "$f" ] || continue
  name=$(echo "$f" | tr '/.' '__')
  awk -v file="$f" '
    BEGIN { print "<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?>"; print "<testsuite name=\\"" file "\\">" }
    $1 == "case" {
      printf "  <testcase classname=\\"%s\\" name=\\"%s\\" file=\\"%s\\" time=\\"%s\\">", file, $2, file, $3
      if ($4 == "fail") printf "<failure message=\\"%s failed\\">%s failed</failure>", $2, $2
      if ($4 == "flaky") printf "<flakyFailure message=\\"%s wobbled\\"/>", $2
      print "</testcase>"
    }
    END { print "</testsuite>" }' "$f" > "$out/TEST-$name.xml"
  if grep -q ' fail$' "$f"; then status=1; fi
done < "$list"
exit $status
`;

export interface SuiteFile {
  path: string;
  cases: { name: string; seconds: number; fails?: boolean; flaky?: boolean }[];
}

/** Skewed times: a few files take most of the time, as in real suites. */
export function skewedSuite(count: number, options: { failing?: readonly number[] } = {}): SuiteFile[] {
  return Array.from({ length: count }, (_, i) => {
    const heavy = i % 7 === 0;
    const seconds = heavy ? 4 + (i % 5) : 0.1 + (i % 3) * 0.2;
    return {
      path: `tests/f${String(i).padStart(3, '0')}.test.sh`,
      cases: [
        { name: 'first', seconds: Math.round(seconds * 600) / 1000 },
        { name: 'second', seconds: Math.round(seconds * 400) / 1000, ...(options.failing?.includes(i) ? { fails: true } : {}) },
      ],
    };
  });
}

/** Writes the suite and the runner (`bin/run-tests.sh`) into `workspace` (a new one by default). */
export function writeSuite(files: readonly SuiteFile[], workspace = mkdtempSync(path.join(tmpdir(), 'ctp-suite-'))): string {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(workspace, file.path)), { recursive: true });
    writeFileSync(
      path.join(workspace, file.path),
      file.cases.map((c) => `case ${c.name} ${c.seconds} ${c.fails ? 'fail' : c.flaky ? 'flaky' : 'pass'}\n`).join(''),
    );
  }
  mkdirSync(path.join(workspace, 'bin'), { recursive: true });
  writeFileSync(path.join(workspace, 'bin/run-tests.sh'), SUITE_RUNNER);
  chmodSync(path.join(workspace, 'bin/run-tests.sh'), 0o755);
  return workspace;
}

export const fileSeconds = (file: SuiteFile) => file.cases.reduce((sum, c) => sum + c.seconds, 0);
