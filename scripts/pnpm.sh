#!/usr/bin/env bash
# Runs the pinned pnpm: the installed one when it is the right version, else through npx.
PNPM_VERSION=12.4.2
if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
  exec pnpm "$@"
fi
exec npx -y "pnpm@$PNPM_VERSION" "$@"
