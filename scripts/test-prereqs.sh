#!/usr/bin/env bash
# Installs the real peers the test suite drives (sshd, ipmi_sim, libvirtd, Chromium, Nagios plugins,
# Prometheus' promtool, haproxy and socat for its runtime API, iproute2's ss) when they are missing. The OpenStack peer's
# packages are installed by the peer itself (start_openstack, from apps/api/test/openstack-peer.test.ts),
# which works around what Debian's OpenStack packages trip over on these machines. Needs root (or
# passwordless sudo) on Debian; fails loudly otherwise.
set -euo pipefail

packages=(
  openssh-server openssh-client openssl sudo
  openipmi ipmitool
  libvirt-daemon libvirt-clients libvirt-daemon-driver-qemu qemu-system-x86
  chromium fonts-liberation
  monitoring-plugins-basic
  ansible-core
  prometheus
  haproxy socat
  iproute2
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
