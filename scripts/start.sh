#!/usr/bin/env bash
# Quick start: install, build, and run Overmind (API, workers and web console) on an embedded
# Postgres under ./.overmind. Environment variables in the README's configuration table apply.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh run build
exec node apps/api/bin/overmind.js start
