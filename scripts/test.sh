#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the real peers the tests drive (Debian
# packages), the dependencies, then typechecks, builds and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/test-prereqs.sh
bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh run typecheck
bash scripts/pnpm.sh run build
bash scripts/pnpm.sh exec vitest run "$@"
