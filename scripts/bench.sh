#!/usr/bin/env bash
# The benchmarks (docs/benchmarks.md says what each measures and how to read it), one at a time.
#   npm run bench                  all of them, in the order below
#   npm run bench -- api web       the ones named
#   npm run bench -- list          their names
# Extra settings go through the environment, e.g. AGENTS=2000 npm run bench -- agents.
set -euo pipefail
cd "$(dirname "$0")/.."

# name, what it measures (and how long it takes on the reference machine)
all=(
  "api      node page, summary, provider sync and 1,000 jobs vs bare Fastify, bulk upsert and raw pg-boss (~2 min)"
  "web      console: initial JavaScript, /nodes with 10,000 nodes in Chromium vs a static page (~2 min)"
  "agent    the agent's idle memory and CPU (~1.5 min)"
  "metrics  readings history: bytes per node, 30-day query, roll-ups over 10,000 nodes (~10 min)"
  "graph    a 30-day graph of 1,000 points drawn on the node page in Chromium vs uPlot alone (~1 min)"
  "constellations  plan of a 1,000-member constellation vs the same diff in memory (~1 min)"
  "reconciler  plan of 1,000 members, and a service-guarantee pass over 10,000 nodes in 100 constellations vs a bare read of the same rows (~2 min)"
  "ssh      uname -a on 200 nodes over SSH, Overmind vs ansible (~2 min)"
  "agents   10,000 connected agents on one API process vs a bare ws server (~8 min)"
  "ingest   10,000 agents' readings stored and rolled up, every one checked, vs COPY and a bare GROUP BY (~9 min)"
  "scaling  node page and 1,000 jobs with 1, 2 and 4 API/worker processes on one Postgres, CPU per request and job (~4 min)"
)
names=()
for line in "${all[@]}"; do names+=("${line%% *}"); done

if [ "${1:-}" = list ] || [ "${1:-}" = help ]; then
  printf '%s\n' "${all[@]}"
  exit 0
fi
chosen=("$@")
[ ${#chosen[@]} -eq 0 ] && chosen=("${names[@]}")
for name in "${chosen[@]}"; do
  if ! printf '%s\n' "${names[@]}" | grep -qx -- "$name"; then
    echo "bench: no benchmark named '$name'; one of: ${names[*]}" >&2
    exit 2
  fi
done

bash scripts/pnpm.sh install --frozen-lockfile
bash scripts/pnpm.sh run build
for name in "${chosen[@]}"; do
  echo "== bench $name ($(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  case "$name" in
    api) bash scripts/pnpm.sh --filter @overmind/bench run bench ;;
    web) bash scripts/pnpm.sh --filter @overmind/bench run bench:web ;;
    agent) bash scripts/pnpm.sh --filter @overmind/bench run bench:agent ;;
    metrics) bash scripts/pnpm.sh --filter @overmind/bench run bench:metrics ;;
    graph) bash scripts/pnpm.sh --filter @overmind/bench run bench:graph ;;
    constellations) bash scripts/pnpm.sh --filter @overmind/bench run bench:constellations ;;
    reconciler) bash scripts/pnpm.sh --filter @overmind/bench run bench:reconciler ;;
    ssh) bash bench/ssh-fanout/run.sh ;;
    agents) bash scripts/pnpm.sh --filter @overmind/bench run bench:agents ;;
    ingest) bash scripts/pnpm.sh --filter @overmind/bench run bench:ingest ;;
    scaling) bash scripts/pnpm.sh --filter @overmind/bench run bench:scaling ;;
  esac
done
