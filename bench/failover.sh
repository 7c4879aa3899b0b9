#!/usr/bin/env bash
# Failover timing on the lab: lifeboatd (release) runs examples/lab.toml (interval 1 s, fall 3,
# TTL 5 s) on this lab's ports with min_failover_interval 0. Each run breaks the primary and dig
# (every 20 ms) waits for the standby's address; it prints outage → DNS switched, outage →
# failover decided, and each step's duration from the journal; then the medians. Between runs:
# heal, `lifeboat failback --force`, wait until both sites are up again.
#   bench/failover.sh [RUNS] [--blackhole] [--fault refused|500] [--now-only]
#   (default 5 runs per fault and setting; --fault runs one fault, --now-only skips "before")
# Faults: "refused" (the primary's Apache stopped) and "500" (its page answers 500); with
# --blackhole instead: nftables drops every packet to the primary's HTTP and MySQL ports (a table
# of the bench's own, removed afterwards), so checks end by their timeout: detection is bounded by
# timeout × fall, not by fast_interval. Each fault runs with fast_interval 200 ms (now) and with
# fast_interval = interval (before fast_interval existed), one daemon after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5 blackhole=no only= settings=(200ms 1s)
while (($#)); do
  case $1 in
    --blackhole) blackhole=yes; shift ;;
    --fault) only=$2; shift 2 ;;
    --now-only) settings=(200ms); shift ;;
    *) runs=$1; shift ;;
  esac
done
if [[ $blackhole == yes ]]; then faults=(blackhole); elif [[ -n $only ]]; then faults=("$only"); else faults=(refused 500); fi

echo "bench: building release binaries" >&2
swift build -c release --product lifeboatd >/dev/null
swift build -c release --product lifeboat >/dev/null
bin=$(swift build -c release --show-bin-path)
source bench/use-lab.sh

work=$(mktemp -d /tmp/lifeboat-failover-bench.XXXXXX)
table=lifeboat_bench_blackhole_$$
pid=
stop_daemon() { if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
cleanup() {
  stop_daemon
  nft delete table inet "$table" 2>/dev/null || true
  scripts/lab heal >/dev/null 2>&1 || true
  rm -f "$LAB_DIR/apache/standby/conf.d/lifeboat-readonly.conf"
  rm -rf "$work"
  if [[ $started_lab == yes ]]; then scripts/lab down; fi
}
trap cleanup EXIT
read -r dns_port http_port < <(free_ports)

# examples/lab.toml describes the default lab; point it at this one (as the lab tests do).
config() {  # config FAST_INTERVAL
  lab_config "$work/state" "127.0.0.1:$dns_port" "127.0.0.1:$http_port" -e "s|min_failover_interval = \"0s\"|&\nfast_interval = \"$1\"|"
}
api() { curl -sf "http://127.0.0.1:$http_port/api/v1/services/www"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
wait_for() {  # wait_for SECONDS PYTHON-CONDITION
  local deadline=$((SECONDS + $1))
  until [[ $(api 2>/dev/null | field "$2" 2>/dev/null) == True ]]; do
    ((SECONDS < deadline)) || { echo "bench: timed out waiting for $2" >&2; tail -5 "$work/lifeboatd.log" >&2; exit 1; }
    sleep 0.1
  done
}
answer() { dig +short +time=1 +tries=1 -p "$dns_port" @127.0.0.1 www.example.com A; }

break_primary() {
  case $1 in
    refused) scripts/lab fault primary-http >/dev/null 2>&1 ;;
    500) scripts/lab fault primary-http-500 >/dev/null 2>&1 ;;
    blackhole)
      nft -f - <<NFT
table inet $table {
  chain output {
    type filter hook output priority 0;
    ip daddr 127.0.0.1 tcp dport { ${LAB_PRIMARY_HTTP##*:}, $LAB_PRIMARY_MYSQL_PORT } drop
  }
}
NFT
      ;;
  esac
}
heal_primary() {
  case $1 in
    refused) scripts/lab heal primary-http >/dev/null 2>&1 ;;
    500) scripts/lab heal primary-http-500 >/dev/null 2>&1 ;;
    blackhole) nft delete table inet "$table" ;;
  esac
}


# The newest sequence in the journal as JSON: its step durations (ms), and times from START.
last_sequence() {  # last_sequence START SWITCHED LABEL
  python3 - "$work/state/journal/www.jsonl" "$1" "$2" "$3" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
start, switched, label = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
seq = [r for r in records if "sequenceStarted" in r["entry"]][-1]
sid = seq["entry"]["sequenceStarted"]["id"]
names = []
for step in seq["entry"]["sequenceStarted"]["steps"]:
    (kind, value), = step.items()
    names.append(kind if not value else f"{kind}:{list(value.values())[0]}")
began, ended = {}, {}
for r in records:
    e = r["entry"]
    if "stepStarted" in e and e["stepStarted"]["sequence"] == sid: began[e["stepStarted"]["index"]] = r["at"]
    if "stepFinished" in e and e["stepFinished"]["sequence"] == sid: ended[e["stepFinished"]["index"]] = r["at"]
steps = {names[i]: round((ended[i] - began[i]) * 1000, 1) for i in began if i in ended}
print(json.dumps({"label": label, "switched_s": round(switched - start, 3), "decided_s": round(seq["at"] - start, 3), "steps_ms": steps}))
PY
}

results=$work/results
for setting in "${settings[@]}"; do
  stop_daemon
  rm -rf "$work/state"
  config "$setting" >"$work/lifeboat.toml"
  "$bin/lifeboatd" --config "$work/lifeboat.toml" 2>>"$work/lifeboatd.log" &
  pid=$!
  for fault in "${faults[@]}"; do
    for run in $(seq "$runs"); do
      wait_for 60 "d['phase'] == 'PRIMARY_ACTIVE' and d['primary']['state'] == 'up' and d['standby']['state'] == 'up'"
      sleep "0.$((RANDOM % 10))"  # start at a random point of the check cycle
      # The outage starts when the primary stops answering as it should: at once for a 500 page
      # or the blackhole; for a stopped Apache, when its port first refuses (stopping takes time).
      rm -f "$work/refused"
      watcher=
      if [[ $fault == refused ]]; then first_refusal "${LAB_PRIMARY_HTTP##*:}" >"$work/refused" & watcher=$!; fi
      start=$(date +%s.%N)
      break_primary "$fault" &
      breaker=$!
      until [[ $(answer) == 198.51.100.20 ]]; do sleep 0.02; done
      switched=$(date +%s.%N)
      wait "$breaker"
      if [[ -n $watcher ]]; then wait "$watcher"; start=$(cat "$work/refused"); fi
      wait_for 20 "d['phase'] == 'STANDBY_ACTIVE'"
      last_sequence "$start" "$switched" "$fault fast_interval=$setting" >>"$results"
      tail -1 "$results" | python3 -c 'import json,sys
d = json.load(sys.stdin)
steps = ", ".join(f"{k} {v}" for k, v in d["steps_ms"].items())
print("%s: DNS switched after %.3f s (decided %.3f s); steps ms: %s" % (d["label"], d["switched_s"], d["decided_s"], steps))' >&2
      heal_primary "$fault"
      "$bin/lifeboat" failback --force --reason "bench run $run" --config "$work/lifeboat.toml" >/dev/null
      wait_for 60 "d['phase'] == 'PRIMARY_ACTIVE' and d.get('sequence') is None"
    done
  done
done

python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
labels = list(dict.fromkeys(r["label"] for r in rows))
print(f"failover on the lab (interval 1 s, fall 3, check timeouts 900 ms / 1 s), {len(rows)} runs")
print(f"  {'fault and setting':34s} {'outage -> DNS switched (median, min-max)':44s} decided")
for label in labels:
    mine = [r for r in rows if r["label"] == label]
    sw = [r["switched_s"] for r in mine]
    print(f"  {label:34s} {statistics.median(sw):6.3f} s ({min(sw):.3f}-{max(sw):.3f}, {len(sw)} runs)"
          f"{'':14s} {statistics.median(r['decided_s'] for r in mine):6.3f} s")
for fault in dict.fromkeys(l.split()[0] for l in labels):
    now = [r["switched_s"] for r in rows if r["label"] == f"{fault} fast_interval=200ms"]
    before = [r["switched_s"] for r in rows if r["label"] == f"{fault} fast_interval=1s"]
    if now and before:
        print(f"  {fault}: median now/before {statistics.median(now) / statistics.median(before):.2f}")
names = list(dict.fromkeys(n for r in rows for n in r["steps_ms"]))
for name in names:
    values = [r["steps_ms"][name] for r in rows if name in r["steps_ms"]]
    print(f"  step {name:32s} median {statistics.median(values):7.1f} ms  (max {max(values):.1f})")
PY
