#!/usr/bin/env bash
# Runs the API/queue and web console benchmarks (see docs/benchmarks.md for results and how to read
# them). The SSH fan-out benchmark is separate: bash bench/ssh-fanout/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh run build
bash scripts/pnpm.sh --filter @overmind/bench run bench
bash scripts/pnpm.sh --filter @overmind/bench run bench:web
