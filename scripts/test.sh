#!/usr/bin/env bash
# All tests: installs what is missing, brings the local stack up, then lint and format, then the
# vitest suites (unit, integration against real Docker and the registry, end to end through the
# local runner, the run pages in Chromium) with the typecheck and the dist/ freshness check running
# beside them, then every action's step summary of the run rendered as GitHub renders it. Extra
# arguments go to vitest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash local/stack.sh up >/dev/null
# Debian's docker-compose 1.29 (the stack's compose: bookworm has no v2) imports `distutils` for
# find_executable and LooseVersion, and setuptools' shim answers that import by loading setuptools
# and pkg_resources: half of each call's CPU (0.55 → 0.28 s of user time for `docker-compose
# version`), over 60 calls a run. Python 3.11's own distutils serves the same functions; the
# runner hands this to steps (local/runner/run-bundle.ts HOST_ENV). Only where the system Python
# still has its own distutils (3.12 removed it, and then the shim is the only one there is).
if /usr/bin/python3 -S -c 'import distutils.spawn, distutils.version' 2>/dev/null; then export SETUPTOOLS_USE_DISTUTILS=stdlib; fi
echo "== lint and format (Biome)"
# The installed binaries, not npx: npx starts npm first (~0.4 s each, three times in a row).
bin=node_modules/.bin
"$bin/biome" ci .
# The typecheck and the dist/ check read the sources; the tests run the bundles committed in dist/.
# Neither needs the other, so both checks run in the background beside the tests (each into its
# own log), and their verdicts are printed once the tests end: the suite is mostly waiting (on
# Docker, the registry, emulated ECS time), and these two fill that wait instead of coming first.
mkdir -p .tmp
started=$SECONDS
node node_modules/typescript7/bin/tsc --noEmit -p tsconfig.json >.tmp/typecheck.log 2>&1 &
typecheck=$!
# One bundling process, not one per core: beside the tests the cores are busy anyway, and a second
# process loads ncc and TypeScript and warms its JIT again (on a quiet machine: 40 CPU-s in 32 s
# with one process, 50 CPU-s in 30 s with two).
node scripts/bundle.mjs --check --jobs=1 >.tmp/check-dist.log 2>&1 &
checkdist=$!
echo "== tests (the typecheck and the dist/ check run beside them)"
# Every action's step summary of this run is kept here (local/runner/run-bundle.ts), then checked below.
rm -rf .tmp/summaries
export CTP_SUMMARY_DIR="$PWD/.tmp/summaries"
status=0
"$bin/vitest" run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json "$@" || status=$?
echo "== step summaries as GitHub renders them"
"$bin/tsx" test/summaries/check-summaries.ts "$CTP_SUMMARY_DIR" || status=$((status == 0 ? 1 : status))
pre=0
wait $typecheck || pre=1
echo "== typecheck ($([ $pre = 0 ] && echo passed || echo FAILED))"
cat .tmp/typecheck.log
wait $checkdist || pre=$((pre + 2))
echo "== dist/ matches the sources ($([ $((pre & 2)) = 0 ] && echo yes || echo NO))"
cat .tmp/check-dist.log
[ $pre = 0 ] || status=$((status == 0 ? 1 : status))
# The ten slowest files of this run, for whoever makes the suite faster (issue: a suite run often).
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest-results.json", "utf8"));
  const files = r.testResults.map((f) => [(f.endTime - f.startTime) / 1000, f.assertionResults.length, require("path").relative(process.cwd(), f.name)]);
  files.sort((a, b) => b[0] - a[0]);
  console.log("== the ten slowest files (s, tests, file)");
  for (const [s, n, name] of files.slice(0, 10)) console.log(`${s.toFixed(1).padStart(7)} ${String(n).padStart(4)}  ${name}`);
' || true
echo "== everything in $((SECONDS - started)) s after lint"
# One plain closing line that any log reader understands. A skipped test fails the run: a test
# that cannot run here is a defect to fix, and a green run with skips would hide it.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest-results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (skipped > 0) {
    const names = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "pending" || a.status === "skipped" || a.status === "todo").map((a) => `${f.name}: ${a.fullName}`));
    console.error(`${skipped} test(s) skipped; every test must run here:\n  ${names.join("\n  ")}`);
    process.exit(1);
  }
' || status=$((status == 0 ? 1 : status))
exit $status
