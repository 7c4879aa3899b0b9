#!/usr/bin/env bash
# Checks a lossy path does not fool: lifeboatd runs on the lab while an nftables rule (a table of
# the bench's own, on loopback, only the lab primary's HTTP and MySQL ports, both directions)
# drops PERCENT % of the packets at random for MINUTES; the primary is up all the time. Prints
# the failovers decided, the check runs that failed (by reason) and the times a check of the
# primary was marked down. The table is removed at the end.
#   bench/loss.sh [PERCENT] [MINUTES] [--timings defaults|lab]
#   defaults: the service's default timings (interval 2 s, timeout 5 s, fall 3, fast_interval
#   200 ms); lab: examples/lab.toml's (interval 1 s, timeouts 900 ms / 1 s).
# The daemon is the debug build (what is measured is decisions, not speed).
set -euo pipefail
cd "$(dirname "$0")/.."
percent=10 minutes=10 timings=defaults positional=()
while (($#)); do
  case $1 in
    --timings) timings=$2; shift 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ ${#positional[@]} -ge 1 ]] && percent=${positional[0]}
[[ ${#positional[@]} -ge 2 ]] && minutes=${positional[1]}
echo "bench: building" >&2
swift build --product lifeboatd >/dev/null
swift build --product lifeboat >/dev/null
bin=$(swift build --show-bin-path)
source bench/use-lab.sh

work=$(mktemp -d /tmp/lifeboat-loss-bench.XXXXXX)
table=lifeboat_bench_loss_$$
pid=
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  nft delete table inet "$table" 2>/dev/null || true
  rm -f "$LAB_DIR/apache/standby/conf.d/lifeboat-readonly.conf"
  rm -rf "$work"
  if [[ $started_lab == yes ]]; then scripts/lab down; fi
}
trap cleanup EXIT
read -r dns_port http_port < <(free_ports)

# examples/lab.toml pointed at this lab; "defaults" drops its timings.
lab_config "$work/state" "127.0.0.1:$dns_port" "127.0.0.1:$http_port" >"$work/lifeboat.toml"
if [[ $timings == defaults ]]; then
  sed -i -e '/^interval = /d; /^fall = /d; /^rise = /d' -e 's/, timeout = "[0-9a-z]*"//' "$work/lifeboat.toml"
fi
LIFEBOAT_LOG_LEVEL=notice "$bin/lifeboatd" --config "$work/lifeboat.toml" 2>"$work/lifeboatd.log" &
pid=$!
api() { curl -sf "http://127.0.0.1:$http_port/api/v1/services/www"; }
until api 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d['phase']=='PRIMARY_ACTIVE' and d['primary']['state']=='up' and d['standby']['state']=='up' else 1)" 2>/dev/null; do sleep 0.2; done
metrics() { curl -sf "http://127.0.0.1:$http_port/metrics"; }
metrics >"$work/before.prom"

http=${LAB_PRIMARY_HTTP##*:} mysql=$LAB_PRIMARY_MYSQL_PORT
nft -f - <<NFT
table inet $table {
  chain output {
    type filter hook output priority 0;
    ip daddr 127.0.0.1 tcp dport { $http, $mysql } numgen random mod 100 < $percent drop
    ip saddr 127.0.0.1 tcp sport { $http, $mysql } numgen random mod 100 < $percent drop
  }
}
NFT
echo "bench: $percent % loss on ports $http and $mysql for $minutes min ($timings timings)" >&2
end=$((SECONDS + minutes * 60))
failbacks=0
while ((SECONDS < end)); do
  sleep 5
  # A false failover is counted from the journal; put the service back so the watch goes on.
  if api | python3 -c "import json,sys; sys.exit(0 if json.load(sys.stdin)['phase']=='STANDBY_ACTIVE' else 1)" 2>/dev/null; then
    "$bin/lifeboat" failback --force --reason "bench/loss.sh: a false failover" --config "$work/lifeboat.toml" >/dev/null 2>&1 || true
    failbacks=$((failbacks + 1))
  fi
done
nft delete table inet "$table"
metrics >"$work/after.prom"

python3 - "$work" "$percent" "$minutes" "$timings" "$failbacks" <<'PY'
import json, re, sys
work, percent, minutes, timings, failbacks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def runs(path):
    found = {}
    for line in open(path):
        m = re.match(r'lifeboat_check_runs_total\{check="([^"]+)",result="([^"]+)"\} (\d+)', line)
        if m: found[(m[1], m[2])] = int(m[3])
    return found
before, after = runs(f"{work}/before.prom"), runs(f"{work}/after.prom")
delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
try:
    records = [json.loads(l) for l in open(f"{work}/state/journal/www.jsonl") if l.strip()]
except FileNotFoundError:
    records = []  # nothing was ever journaled: no sequence started
failovers = sum(1 for r in records if "sequenceStarted" in r["entry"] and r["entry"]["sequenceStarted"]["direction"] == "failover")
downs = [l for l in open(f"{work}/lifeboatd.log") if "check.state" in l and "down" in l and "primary" in l]
print(f"loss on the lab primary's ports: {percent} % for {minutes} min, {timings} timings")
print(f"  failovers decided: {failovers} (failed back by the bench: {failbacks})")
print(f"  primary checks marked down: {len(downs)}")
for check in sorted({k[0] for k in delta if "primary" in k[0]}):
    total = sum(v for k, v in delta.items() if k[0] == check)
    failed = {k[1]: v for k, v in delta.items() if k[0] == check and k[1] != "ok" and v}
    print(f"  {check}: {total} runs, {sum(failed.values())} failed {failed if failed else ''}")
PY
