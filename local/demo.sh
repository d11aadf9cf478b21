#!/usr/bin/env bash
# The main job on one machine: installs what is missing, brings the local stack up, and runs
# an action bundle through the local runner exactly as the Actions runner would.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash local/stack.sh up >/dev/null
echo "== smoke run: build-in-container bundle through the local runner"
npx tsx local/runner/cli.ts build-in-container --input image=ctp/busybox:latest --input 'run=echo "hello from $(uname -s)"'
