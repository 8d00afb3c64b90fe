#!/usr/bin/env bash
# SSH fan-out benchmark: 200 targets on 20 loopback sshd, Overmind's command runner vs ssh2 alone (and OpenSSH, ansible).
# Usage: bash bench/ssh-fanout/run.sh [servers=20] [records-per-server=10] [no-ansible]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v ansible >/dev/null; then
  # ansible-core ships the `ansible` CLI and the command module; the `ansible` package adds only collections.
  echo "ssh-fanout: installing ansible-core for the comparison" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ansible-core >/dev/null \
    || { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends ansible-core >/dev/null; }
fi

cd "$root/bench"
exec bash "$root/scripts/pnpm.sh" exec tsx ssh-fanout/fanout.ts "$@"
