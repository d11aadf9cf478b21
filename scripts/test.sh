#!/usr/bin/env bash
# All tests: installs what is missing, brings the local stack up, then typecheck, the dist/
# freshness check and the vitest suites (unit, integration against real Docker and the
# registry, end to end through the local runner). Extra arguments go to vitest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash local/stack.sh up >/dev/null
echo "== typecheck"
npx tsc --noEmit -p tsconfig.json
echo "== dist/ matches the sources"
node scripts/bundle.mjs --check
echo "== tests"
mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-results.json "$@" || status=$?
# One plain closing line that any log reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest-results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit $status
