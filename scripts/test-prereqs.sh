#!/usr/bin/env bash
# Installs the real peers the test suite drives (sshd, ipmi_sim, libvirtd, Chromium, Nagios plugins)
# when they are missing. Needs root (or passwordless sudo) on Debian; fails loudly otherwise.
set -euo pipefail

packages=(
  openssh-server openssh-client openssl sudo
  openipmi ipmitool
  libvirt-daemon libvirt-clients libvirt-daemon-driver-qemu qemu-system-x86
  chromium fonts-liberation
  monitoring-plugins-basic
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "test-prereqs: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "test-prereqs: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
