#!/bin/sh
# Installs the Overmind agent on this node: the bundle, an `overmind-agent` command and the systemd
# unit; enrols with a one-time join token (from a file or stdin, never the command line) and starts
# the service. Needs Node.js 20 or newer. See apps/agent/README.md.
#
#   install.sh --url https://overmind.example.com --token-file /root/join-token [--user USER]
#              [--bundle overmind-agent.mjs] [--ca-file ca.pem] [--force-enroll]
#   printf '%s\n' "$TOKEN" | install.sh --url https://overmind.example.com
#
# Every path can be moved with an environment variable (a test installs into a temporary prefix):
#   OVERMIND_AGENT_PREFIX (default empty: the real /), OVERMIND_AGENT_LIB_DIR, OVERMIND_AGENT_BIN_DIR,
#   OVERMIND_AGENT_UNIT_DIR, OVERMIND_AGENT_CONFIG_DIR, OVERMIND_AGENT_STATE_DIR,
#   OVERMIND_AGENT_NODE (the node binary), OVERMIND_AGENT_SYSTEMD (auto | yes | no).
set -eu

die() {
  printf 'overmind-agent install: %s\n' "$*" >&2
  exit 1
}
say() {
  printf 'overmind-agent install: %s\n' "$*"
}

url=''
token_file=''
user='root'
bundle=''
ca_file=''
force_enroll=''
while [ $# -gt 0 ]; do
  case $1 in
    --url | --token-file | --user | --bundle | --ca-file)
      [ $# -ge 2 ] || die "$1 needs a value"
      case $1 in
        --url) url=$2 ;;
        --token-file) token_file=$2 ;;
        --user) user=$2 ;;
        --bundle) bundle=$2 ;;
        --ca-file) ca_file=$2 ;;
      esac
      shift 2
      ;;
    --force-enroll) force_enroll=1; shift ;;
    --token) die '--token would put the token on a command line: use --token-file FILE or stdin' ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
[ -n "$url" ] || die 'give the address of Overmind with --url URL'
url=${url%/}

prefix=${OVERMIND_AGENT_PREFIX:-}
lib_dir=${OVERMIND_AGENT_LIB_DIR:-$prefix/usr/local/lib/overmind-agent}
bin_dir=${OVERMIND_AGENT_BIN_DIR:-$prefix/usr/local/bin}
unit_dir=${OVERMIND_AGENT_UNIT_DIR:-$prefix/etc/systemd/system}
config_dir=${OVERMIND_AGENT_CONFIG_DIR:-$prefix/etc/overmind-agent}
state_dir=${OVERMIND_AGENT_STATE_DIR:-$prefix/var/lib/overmind-agent}
node_bin=${OVERMIND_AGENT_NODE:-node}
systemd=${OVERMIND_AGENT_SYSTEMD:-auto}

# ---- Node.js 20 or newer ----
node_path=$(command -v "$node_bin" 2>/dev/null) || node_path=''
[ -n "$node_path" ] || die "Node.js 20 or newer is needed and \`$node_bin\` is not on PATH. Install it from your distribution (Debian 13, Ubuntu 24.04: apt-get install nodejs) or from https://nodejs.org/en/download (NodeSource packages for older releases), then run this again."
node_version=$("$node_path" -e 'process.stdout.write(process.versions.node)' 2>/dev/null) || node_version='unknown'
case $node_version in
  [2-9][0-9].* | [1-9][0-9][0-9]*.*) ;;
  *) die "Node.js 20 or newer is needed; $node_path is $node_version. Install a newer one (https://nodejs.org/en/download, or NodeSource packages), then run this again." ;;
esac

# ---- the token: a file or stdin, never argv ----
token=''
if [ -n "$token_file" ]; then
  [ -r "$token_file" ] || die "cannot read the token file $token_file"
elif [ ! -t 0 ]; then
  token=$(cat)
fi
enrolled=''
[ -f "$state_dir/identity.json" ] && enrolled=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# ---- the bundle: a local copy, or downloaded and checked against the release's SHA-256 ----
sha256_of() {
  "$node_path" -e 'const h=require("crypto").createHash("sha256");require("fs").createReadStream(process.argv[1]).on("data",d=>h.update(d)).on("end",()=>console.log(h.digest("hex")))' "$1"
}
fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL ${ca_file:+--cacert "$ca_file"} -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q ${ca_file:+--ca-certificate="$ca_file"} -O "$2" "$1"
  else
    die 'neither curl nor wget is installed: install one, or give a local copy with --bundle FILE'
  fi
}
if [ -n "$bundle" ]; then
  [ -r "$bundle" ] || die "cannot read the bundle $bundle"
  cp "$bundle" "$tmp/overmind-agent.mjs"
else
  fetch "$url/api/v1/agent/release" "$tmp/release.json" || die "cannot download $url/api/v1/agent/release"
  fetch "$url/api/v1/agent/download" "$tmp/overmind-agent.mjs" || die "cannot download $url/api/v1/agent/download"
  expected=$("$node_path" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).sha256)' "$tmp/release.json") || die 'the release description is not JSON with a sha256'
  actual=$(sha256_of "$tmp/overmind-agent.mjs")
  [ "$expected" = "$actual" ] || die "the downloaded bundle's SHA-256 is $actual, the release says $expected: not installing it"
  say "downloaded the agent (SHA-256 $actual)"
fi

# ---- files ----
mkdir -p "$lib_dir" "$bin_dir" "$config_dir" "$state_dir"
chmod 700 "$state_dir"
install -m 0755 "$tmp/overmind-agent.mjs" "$lib_dir/overmind-agent.mjs"
cat >"$tmp/overmind-agent" <<WRAPPER
#!/bin/sh
: "\${OVERMIND_AGENT_CONFIG_DIR:=$config_dir}"
: "\${OVERMIND_AGENT_STATE_DIR:=$state_dir}"
export OVERMIND_AGENT_CONFIG_DIR OVERMIND_AGENT_STATE_DIR
exec "$node_path" "$lib_dir/overmind-agent.mjs" "\$@"
WRAPPER
install -m 0755 "$tmp/overmind-agent" "$bin_dir/overmind-agent"
agent="$bin_dir/overmind-agent"
say "installed $("$agent" version) in $lib_dir, command $agent"

# ---- enrolment ----
if [ -n "$enrolled" ] && [ -z "$force_enroll" ]; then
  say "already enrolled ($state_dir/identity.json): keeping the identity (--force-enroll makes a new one)"
else
  force=''
  [ -n "$force_enroll" ] && force='--force'
  if [ -n "$token_file" ]; then
    "$agent" enroll --url "$url" --token-file "$token_file" --user "$user" ${ca_file:+--ca-file "$ca_file"} $force
  elif [ -n "$token" ]; then
    printf '%s\n' "$token" | "$agent" enroll --url "$url" --token - --user "$user" ${ca_file:+--ca-file "$ca_file"} $force
  else
    die 'give the join token with --token-file FILE or on stdin'
  fi
fi
if [ "$user" != "$(id -un)" ] && [ "$(id -u)" -eq 0 ]; then
  chown -R "$user:" "$state_dir"
fi

# ---- the unit (written in any case: ready if systemd comes) ----
# systemd's own PATH finds a node in /usr/bin or /usr/local/bin; any other (nvm, /opt) is named whole.
case $node_path in
  /usr/bin/node | /usr/local/bin/node) exec_node='/usr/bin/env node' ;;
  *) exec_node=$node_path ;;
esac
mkdir -p "$unit_dir"
cat >"$unit_dir/overmind-agent.service" <<UNIT
# The Overmind agent (apps/agent/README.md). install.sh writes this unit with the user and paths it
# was given; this copy is what it writes by default.
[Unit]
Description=Overmind agent
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=$user
ExecStart=$exec_node $lib_dir/overmind-agent.mjs run
Restart=always
RestartSec=5
# 78: the server refused the agent for good (revoked, unknown key, no common protocol version) or it
# is not enrolled: restarting cannot help, an operator must (see \`overmind-agent status\`).
RestartPreventExitStatus=78
# SIGTERM: the agent closes its connection and kills the process groups of its runs.
TimeoutStopSec=30
StateDirectory=overmind-agent
StateDirectoryMode=0700
ConfigurationDirectory=overmind-agent
UMask=0022
# Modest hardening only: the agent runs chef-solo and commands that change the whole system (packages,
# /etc, services, sudo), so the file system, privileges and namespaces stay open.
LockPersonality=yes
SystemCallArchitectures=native
ProtectKernelLogs=yes

[Install]
WantedBy=multi-user.target
UNIT

# ---- start: systemd when it runs, else in the background ----
if [ "$systemd" = auto ]; then
  if [ -d /run/systemd/system ]; then systemd=yes; else systemd=no; fi
fi
started=1
if [ "$systemd" = yes ]; then
  if [ -z "$prefix" ] && [ -z "${OVERMIND_AGENT_UNIT_DIR:-}" ]; then
    systemctl daemon-reload
    systemctl enable overmind-agent.service >/dev/null 2>&1
    systemctl restart overmind-agent.service
    say 'the overmind-agent service is enabled and started (journalctl -u overmind-agent for its log)'
  else
    say "wrote $unit_dir/overmind-agent.service (not the system's unit directory: not starting it)"
    started=''
  fi
else
  pid_file="$state_dir/agent.pid"
  log_file="$state_dir/agent.log"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    kill "$(cat "$pid_file")" 2>/dev/null || true
    i=0
    while kill -0 "$(cat "$pid_file")" 2>/dev/null && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  fi
  [ "$user" = "$(id -un)" ] || say "no systemd here: the agent runs as $(id -un), not $user"
  nohup "$agent" run >>"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  say "no systemd here: started \`overmind-agent run\` in the background (pid $(cat "$pid_file"), log $log_file); it will not start again at boot on its own"
fi

# ---- how it went ----
[ -n "$started" ] || exit 0
i=0
while [ $i -lt 20 ]; do
  if "$agent" status >/dev/null 2>&1; then break; fi
  sleep 1
  i=$((i + 1))
done
"$agent" status || say 'not connected yet: see `overmind-agent status` and the log (an agent enrolled without a node waits for an operator to approve it)'
