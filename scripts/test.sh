#!/usr/bin/env bash
# All tests: installs what is missing, brings the local stack up, then lint and format, typecheck, the dist/
# freshness check and the vitest suites (unit, integration against real Docker and the
# registry, end to end through the local runner, the run pages in Chromium), then every action's
# step summary of the run rendered as GitHub renders it. Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash local/stack.sh up >/dev/null
echo "== lint and format (Biome)"
npx biome ci .
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== dist/ matches the sources"
node scripts/bundle.mjs --check
echo "== tests"
mkdir -p .tmp
# Every action's step summary of this run is kept here (local/runner/run-bundle.ts), then checked below.
rm -rf .tmp/summaries
export CTP_SUMMARY_DIR="$PWD/.tmp/summaries"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json "$@" || status=$?
echo "== step summaries as GitHub renders them"
npx tsx test/summaries/check-summaries.ts "$CTP_SUMMARY_DIR" || status=$((status == 0 ? 1 : status))
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
