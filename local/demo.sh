#!/usr/bin/env bash
# The main job on one machine: installs what is missing, brings the local stack up, and runs the
# whole pipeline (local/demo.ts): commit stage and test tiers on the sample app, build and push,
# deploy to the local ECS in docker mode under load, a broken release rolled back automatically,
# the manual rollback workflow, and a release stopped by its failing migration (every release
# migrates first) — then a table of stages, versions and failed requests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash local/stack.sh up >/dev/null
exec npx tsx local/demo.ts "$@"
