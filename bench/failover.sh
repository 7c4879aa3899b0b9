#!/usr/bin/env bash
# Failover timing on the lab: lifeboatd (release) runs examples/lab.toml (interval 1 s, fall 3,
# TTL 5 s) with min_failover_interval 0 on free ports; RUNS times the primary's Apache is stopped
# and dig (every 20 ms) waits for the standby's address. Per run: outage → DNS switched, outage →
# failover decided, and each step's duration from the journal; then the medians. Between runs:
# heal, `lifeboat failback --force`, wait until both sites are up again.
#   bench/failover.sh [RUNS]   (default 5; needs scripts/lab, started if down)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
root=$PWD

echo "bench: building release binaries" >&2
swift build -c release --product lifeboatd >/dev/null
swift build -c release --product lifeboat >/dev/null
bin=$(swift build -c release --show-bin-path)
scripts/lab status >/dev/null 2>&1 || scripts/lab up >&2

work=$(mktemp -d /tmp/lifeboat-failover-bench.XXXXXX)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  scripts/lab heal >/dev/null 2>&1 || true
  rm -f /tmp/lifeboat-lab/apache/standby/conf.d/lifeboat-readonly.conf
  rm -rf "$work"
}
trap cleanup EXIT
read -r dns_port http_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
sed -e "s|state_dir = \"/tmp/lifeboat-lab/state\"|state_dir = \"$work/state\"|" \
    -e "s|zones_dir = \"../zones\"|zones_dir = \"$root/zones\"|" \
    -e "s|listen = \\[\"127.0.0.1:5353\"\\]|listen = [\"127.0.0.1:$dns_port\"]|" \
    -e "s|listen = \"127.0.0.1:8053\"|listen = \"127.0.0.1:$http_port\"|" \
    -e "s|min_failover_interval = \"10m\"|min_failover_interval = \"0s\"|" \
    examples/lab.toml >"$work/lifeboat.toml"
"$bin/lifeboatd" --config "$work/lifeboat.toml" 2>"$work/lifeboatd.log" &
pid=$!
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

# The newest sequence in the journal as JSON: its step durations (ms), and times from START.
last_sequence() {  # last_sequence START SWITCHED
  python3 - "$work/state/journal/www.jsonl" "$1" "$2" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
start, switched = float(sys.argv[2]), float(sys.argv[3])
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
print(json.dumps({"switched_s": round(switched - start, 3), "decided_s": round(seq["at"] - start, 3), "steps_ms": steps}))
PY
}

results=$work/results
failbacks=$work/failbacks
for run in $(seq "$runs"); do
  wait_for 30 "d['phase'] == 'PRIMARY_ACTIVE' and d['primary']['state'] == 'up' and d['standby']['state'] == 'up'"
  start=$(date +%s.%N)
  scripts/lab fault primary-http >/dev/null 2>&1
  until [[ $(answer) == 198.51.100.20 ]]; do sleep 0.02; done
  switched=$(date +%s.%N)
  wait_for 10 "d['phase'] == 'STANDBY_ACTIVE'"
  last_sequence "$start" "$switched" >>"$results"
  tail -1 "$results" | python3 -c 'import json,sys
d = json.load(sys.stdin)
steps = ", ".join(f"{k} {v}" for k, v in d["steps_ms"].items())
print("run: DNS switched after %.3f s (decided %.3f s); steps ms: %s" % (d["switched_s"], d["decided_s"], steps))' >&2
  scripts/lab heal primary-http >/dev/null 2>&1
  "$bin/lifeboat" failback --force --reason "bench run $run" --config "$work/lifeboat.toml" >/dev/null
  wait_for 60 "d['phase'] == 'PRIMARY_ACTIVE' and d.get('sequence') is None"
  last_sequence 0 0 >>"$failbacks"
done

python3 - "$results" "$failbacks" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
backs = [json.loads(line) for line in open(sys.argv[2])]
print(f"failover on the lab, {len(rows)} runs (interval 1 s, fall 3: detection needs 2-3 s of failed checks)")
print(f"  outage -> DNS answer switched: median {statistics.median(r['switched_s'] for r in rows):.3f} s "
      f"(min {min(r['switched_s'] for r in rows):.3f}, max {max(r['switched_s'] for r in rows):.3f}); target <= 4.0 s (fall x interval + 1 s)")
print(f"  outage -> failover decided:    median {statistics.median(r['decided_s'] for r in rows):.3f} s")
for name in rows[0]["steps_ms"]:
    values = [r["steps_ms"][name] for r in rows if name in r["steps_ms"]]
    print(f"  step {name:32s} median {statistics.median(values):7.1f} ms  (max {max(values):.1f})")
print(f"failback (forced, TTL 5 s + drain_grace 2 s), {len(backs)} runs")
for name in backs[0]["steps_ms"]:
    values = [r["steps_ms"][name] for r in backs if name in r["steps_ms"]]
    print(f"  step {name:32s} median {statistics.median(values):7.1f} ms  (max {max(values):.1f})")
PY
