#!/usr/bin/env bash
# Cluster mode on the lab: three lifeboatd (release) of one cluster on 127.0.0.11-13 (site-a and
# site-b executors, site-c an observer; lease_ttl 5 s, quorum 2), on the lab's three etcd
# members, beside one standalone lifeboatd (the peer: Lifeboat without [cluster]), all from
# examples/lab.toml with min_failover_interval 0. It prints:
#   1. etcd traffic per instance per minute (gRPC calls the members handled, and bytes they
#      received, over 60 s of steady state, divided by three);
#   2. outage (the primary's Apache stopped) → every cluster DNS endpoint answers the standby,
#      median of RUNS, beside the standalone daemon's outage → DNS switched, and the ratio;
#   3. leader handover after kill -9 of the leader: until another site says it leads, median
#      of RUNS, against the lease TTL.
#   bench/cluster.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
echo "bench: building release binaries" >&2
swift build -c release --product lifeboatd >/dev/null
swift build -c release --product lifeboat >/dev/null
bin=$(swift build -c release --show-bin-path)
source bench/use-lab.sh
scripts/lab etcd up >/dev/null
eval "$(scripts/lab env)"

work=$(mktemp -d /tmp/lifeboat-cluster-bench.XXXXXX)
name="bench-$$"
sites=(site-a site-b site-c)
declare -A address=([site-a]=127.0.0.11 [site-b]=127.0.0.12 [site-c]=127.0.0.13 [alone]=127.0.0.1)
declare -A pid=()
declare -A dns_port=() http_port=()
for site in "${sites[@]}" alone; do read -r dns_port[$site] http_port[$site] < <(free_ports); done

stop() { if [[ -n ${pid[$1]:-} ]]; then kill "${pid[$1]}" 2>/dev/null || true; wait "${pid[$1]}" 2>/dev/null || true; pid[$1]=; fi; }
cleanup() {
  for site in "${sites[@]}" alone; do stop "$site"; done
  scripts/lab heal >/dev/null 2>&1 || true
  rm -f "$LAB_DIR/apache/standby/conf.d/lifeboat-readonly.conf"
  rm -rf "$work"
  if [[ $started_lab == yes ]]; then scripts/lab down; fi
}
trap cleanup EXIT

config() {  # config SITE
  local site=$1 ip=${address[$1]}
  lab_config "$work/$site/state" "$ip:${dns_port[$site]}" "$ip:${http_port[$site]}"
  if [[ $site != alone ]]; then
    local endpoints
    endpoints=$(echo "$LAB_ETCD_ENDPOINTS" | sed 's/[^,]*/"&"/g; s/,/, /g')
    printf '\n[cluster]\nname = "%s"\nsite = "%s"\nrole = "%s"\netcd = [%s]\nlease_ttl = "5s"\nquorum = 2\nsource_address = "%s"\n' \
      "$name" "$site" "$([[ $site == site-c ]] && echo observer || echo executor)" "$endpoints" "$ip"
  fi
}
start() {  # start SITE
  mkdir -p "$work/$1"
  [[ -f $work/$1/lifeboat.toml ]] || config "$1" >"$work/$1/lifeboat.toml"
  "$bin/lifeboatd" --config "$work/$1/lifeboat.toml" 2>>"$work/$1/lifeboatd.log" &
  pid[$1]=$!
}
status() { curl -sf "http://${address[$1]}:${http_port[$1]}/api/v1/status"; }
check() {  # check SITE PYTHON-CONDITION-ON-r(report)-s(service www)
  status "$1" 2>/dev/null | python3 -c "import json,sys
r=json.load(sys.stdin); s=[x for x in r['services'] if x['name']=='www'][0]
print($2)" 2>/dev/null
}
wait_for() {  # wait_for SECONDS SITE CONDITION
  local deadline=$((SECONDS + $1))
  until [[ $(check "$2" "$3") == True ]]; do
    ((SECONDS < deadline)) || { echo "bench: timed out waiting for $2: $3" >&2; tail -5 "$work/$2/lifeboatd.log" >&2; exit 1; }
    sleep 0.1
  done
}
healthy="s['phase'] == 'PRIMARY_ACTIVE' and s['primary']['state'] == 'up' and s['standby']['state'] == 'up' and s.get('sequence') is None"
answer() { dig +short +time=1 +tries=1 -p "${dns_port[$1]}" "@${address[$1]}" www.example.com A; }
leader() { for site in "${sites[@]}"; do [[ -n ${pid[$site]:-} && $(check "$site" "r['cluster']['leading']") == True ]] && { echo "$site"; return; }; done; }
etcd_totals() {  # calls and received bytes, summed over the members
  for port in $(echo "$LAB_ETCD_ENDPOINTS" | tr ',' '\n' | sed 's|.*:||'); do curl -s "http://127.0.0.1:$port/metrics"; done |
    awk '/^grpc_server_handled_total/ {c += $2} /^etcd_network_client_grpc_received_bytes_total/ {b += $2} END {printf "%d %d\n", c, b}'
}
# Breaks the primary and prints the seconds from the first refusal until each SITE answers the standby.
outage() {  # outage SITE...
  first_refusal "${LAB_PRIMARY_HTTP##*:}" >"$work/refused" & local watcher=$!
  scripts/lab fault primary-http >/dev/null 2>&1 &
  local breaker=$! pending=("$@") switched=()
  while ((${#pending[@]})); do
    local next=()
    for site in "${pending[@]}"; do
      if [[ $(answer "$site") == 198.51.100.20 ]]; then switched+=("$(date +%s.%N)"); else next+=("$site"); fi
    done
    pending=("${next[@]}")
    sleep 0.02
  done
  wait "$breaker" "$watcher"
  python3 -c "import sys; t0=float(open('$work/refused').read()); ts=[float(x) for x in sys.argv[1:]]
print(f'{max(ts)-t0:.3f} {max(ts)-min(ts):.3f}')" "${switched[@]}"
}
# Seconds from the first refusal until the newest sequence started, from SITE's journal.
decided() {  # decided SITE
  python3 - "$work/$1/state/journal/www.jsonl" "$(cat "$work/refused")" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(f'{[r for r in records if "sequenceStarted" in r["entry"]][-1]["at"] - float(sys.argv[2]):.3f}')
PY
}
failback() {  # failback SITE (the leader, or the standalone daemon)
  scripts/lab heal primary-http >/dev/null 2>&1
  "$bin/lifeboat" failback --force --reason "bench" --config "$work/$1/lifeboat.toml" >/dev/null
}

results=$work/results
for site in "${sites[@]}"; do start "$site"; done
for site in "${sites[@]}"; do wait_for 60 "$site" "$healthy"; done
until [[ -n $(leader) ]]; do sleep 0.2; done

echo "bench: etcd traffic over 60 s of steady state" >&2
read -r calls0 bytes0 < <(etcd_totals)
sleep 60
read -r calls1 bytes1 < <(etcd_totals)
echo "traffic $(( (calls1 - calls0) / 3 )) $(( (bytes1 - bytes0) / 3 ))" >>"$results"

for run in $(seq "$runs"); do
  for site in "${sites[@]}"; do wait_for 90 "$site" "$healthy"; done
  sleep "0.$((RANDOM % 10))"
  read -r switched spread < <(outage "${sites[@]}")
  echo "cluster $switched $spread" >>"$results"
  echo "bench: cluster run $run: all three switched after $switched s (spread $spread s)" >&2
  lead=$(leader)
  wait_for 30 "$lead" "s['phase'] == 'STANDBY_ACTIVE'"
  echo "cluster-decided $(decided "$lead")" >>"$results"
  failback "$lead"
done
for site in "${sites[@]}"; do wait_for 90 "$site" "$healthy"; done

for run in $(seq "$runs"); do
  lead=$(leader)
  until [[ -n $lead ]]; do sleep 0.2; lead=$(leader); done
  killed=$(date +%s.%N)
  kill -9 "${pid[$lead]}"; wait "${pid[$lead]}" 2>/dev/null || true; pid[$lead]=
  until next=$(leader) && [[ -n $next ]]; do sleep 0.05; done
  took=$(python3 -c "import time; print(f'{time.time() - $killed:.3f}')")
  echo "handover $took" >>"$results"
  echo "bench: handover run $run: $lead killed, $next leads after $took s" >&2
  start "$lead"
  wait_for 60 "$lead" "$healthy"
done
for site in "${sites[@]}"; do stop "$site"; done

start alone
for run in $(seq "$runs"); do
  wait_for 90 alone "$healthy"
  sleep "0.$((RANDOM % 10))"
  read -r switched _ < <(outage alone)
  echo "alone $switched" >>"$results"
  echo "bench: standalone run $run: switched after $switched s" >&2
  wait_for 30 alone "s['phase'] == 'STANDBY_ACTIVE'"
  echo "alone-decided $(decided alone)" >>"$results"
  failback alone
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
def col(kind, i): return [float(r[i]) for r in rows if r[0] == kind]
calls, received = col("traffic", 1)[0], col("traffic", 2)[0]
cluster, spread, alone, handover = col("cluster", 1), col("cluster", 2), col("alone", 1), col("handover", 1)
cluster_decided, alone_decided = col("cluster-decided", 1), col("alone-decided", 1)
m = statistics.median
print("cluster mode on the lab: 3 sites (lease_ttl 5 s, quorum 2), interval 1 s, fall 3, fast_interval 200 ms")
print(f"  etcd traffic per instance per minute: {calls:.0f} calls, {received / 1024:.1f} KiB received by the members")
print(f"  outage -> all 3 DNS endpoints switched: median {m(cluster):.3f} s ({min(cluster):.3f}-{max(cluster):.3f}, {len(cluster)} runs), "
      f"spread between sites median {m(spread):.3f} s (max {max(spread):.3f}); decided median {m(cluster_decided):.3f} s")
print(f"  peer, standalone lifeboatd: outage -> DNS switched median {m(alone):.3f} s ({min(alone):.3f}-{max(alone):.3f}); "
      f"decided median {m(alone_decided):.3f} s; cluster/standalone {m(cluster) / m(alone):.2f}")
print(f"  leader handover after kill -9: median {m(handover):.3f} s ({min(handover):.3f}-{max(handover):.3f}, {len(handover)} runs); "
      f"handover/lease TTL {m(handover) / 5:.2f}")
PY
