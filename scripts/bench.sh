#!/usr/bin/env bash
# Runs the benchmarks (see docs/benchmarks.md for results and how to read them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh run build
bash scripts/pnpm.sh --filter @overmind/bench run bench
