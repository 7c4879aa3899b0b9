#!/usr/bin/env bash
# DNS benchmark: Lifeboat (release) and NSD serve the same zone on loopback and answer the same
# query file, taking turns in this run (ROUNDS rounds of Lifeboat then NSD). Prints each round's
# QPS, latency, lost queries and server CPU per query, then the medians and the Lifeboat/NSD
# ratios; then RSS with the example zone and a 100,000-record zone, that zone's load time and
# the owner swap (override, serial+1, persisted, served) median/max; then the bytes a secondary
# gets per failover on that zone by IXFR and by a full transfer. Rate limiting is off in both.
#   bench/dns.sh [SECONDS] [--rounds N] [--cores 2]
# Default: one core each: the server pinned to CPU 0 (one Lifeboat UDP worker, NSD server-count 1),
# dnsperf to CPU 1; CPU per query = CPU 0's busy ticks / answers. With --cores 2: two Lifeboat UDP
# workers against NSD server-count 2, servers and dnsperf on both cores; CPU per query = both
# CPUs' busy ticks minus dnsperf's own CPU time, / answers.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=15 rounds=3 cores=1
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --cores) cores=$2; shift 2 ;;
    *) seconds=$1; shift ;;
  esac
done
[[ $cores == 1 || $cores == 2 ]] || { echo "bench: --cores is 1 or 2" >&2; exit 2; }
root=$PWD

need=()
command -v dnsperf >/dev/null || need+=(dnsperf)
command -v nsd >/dev/null || need+=(nsd)
if ((${#need[@]})); then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi

echo "bench: building release binaries" >&2
swift build -c release --product lifeboatd >/dev/null
swift build --package-path bench --scratch-path .build-bench -c release --product swap-bench >/dev/null

work=$(mktemp -d /tmp/lifeboat-bench.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done; pkill -KILL -f "$work/nsd.conf" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/zones" "$work/big" "$work/state"
cp zones/example.com.zone "$work/zones/"
echo token >"$work/token"

# The query mix: mostly www A, some AAAA, MX, TXT and NXDOMAIN.
{
  for _ in $(seq 70); do echo "www.example.com A"; done
  for _ in $(seq 10); do echo "www.example.com AAAA"; done
  for _ in $(seq 5); do echo "example.com MX"; done
  for _ in $(seq 5); do echo "example.com TXT"; done
  for i in $(seq 10); do echo "nope$i.example.com A"; done
} >"$work/queries"

config() {  # config PORT ZONES_DIR
  cat <<CONF
state_dir = "$work/state"
[dns]
listen = ["127.0.0.1:$1"]
zones_dir = "$2"
[dns.rrl]
responses_per_second = 0   # off, as NSD's rrl-ratelimit: 0 (dnsperf is one client)
[http]
listen = "127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token_file = "$work/token"
[[service]]
name = "www"
zone = "example.com."
owners = ["www.example.com."]
[service.primary]
addresses = ["203.0.113.10"]
checks = [ { type = "tcp", connect_to = "127.0.0.1:1" } ]
[service.standby]
addresses = ["198.51.100.20"]
checks = [ { type = "tcp", connect_to = "127.0.0.1:2" } ]
CONF
}

wait_answering() {  # wait_answering PORT NAME
  for _ in $(seq 400); do
    dig +short +time=1 +tries=1 -p "$1" @127.0.0.1 "$2" A 2>/dev/null | grep -q . && return 0
    sleep 0.05
  done
  echo "bench: no answer on port $1" >&2; return 1
}

# Busy ticks (user, nice, system, irq, softirq) of the CPUs the server runs on. Per-process
# accounting cannot compare the two alone: the kernel's packet work is softirq time, charged to no
# process. With one core, CPU 0 runs only the server; with two, dnsperf's own time is taken off.
if [[ $cores == 1 ]]; then server_cpus=0 client_cpus=1; else server_cpus=0,1 client_cpus=0,1; fi
cpu_ticks() {
  awk -v cores="$cores" '($1 == "cpu0") || (cores == 2 && $1 == "cpu1") { t += $2 + $3 + $4 + $7 + $8 } END { print t }' /proc/stat
}
process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

# measure NAME PORT ROUND: warm-up, then the timed run; prints one result line.
measure() {
  local name=$1 port=$2 round=$3
  taskset -c "$client_cpus" dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries" -c 4 -q 100 -l 2 >/dev/null 2>&1
  local before after client client_ticks=0
  before=$(cpu_ticks)
  taskset -c "$client_cpus" dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries" -c 4 -q 100 -l "$seconds" >"$work/$name.out" 2>&1 &
  client=$!
  if [[ $cores == 2 ]]; then  # dnsperf's CPU time, read just before it exits
    while kill -0 "$client" 2>/dev/null; do client_ticks=$(process_ticks "$client" 2>/dev/null || echo "$client_ticks"); sleep 0.2; done
  fi
  wait "$client"
  after=$(cpu_ticks)
  local completed lost qps latency
  completed=$(awk '/Queries completed:/ { print $3 }' "$work/$name.out")
  lost=$(awk '/Queries lost:/ { print $3 }' "$work/$name.out")
  qps=$(awk '/Queries per second:/ { print $4 }' "$work/$name.out")
  latency=$(awk '/Average Latency/ { gsub(/[(),]/, ""); print $4 * 1e6, $8 * 1e6 }' "$work/$name.out")
  local hz; hz=$(getconf CLK_TCK)
  local cpu_us; cpu_us=$(awk -v t=$((after - before - client_ticks)) -v hz="$hz" -v n="$completed" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  printf '%-5s %-9s %10.0f %8s %8s %9s %12s\n' "$round" "$name" "$qps" "${latency% *}" "${latency#* }" "$lost" "$cpu_us"
  echo "$qps ${latency% *} $cpu_us" >>"$work/$name.results"
}

cat >"$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@5302
  server-count: $cores
  minimal-responses: yes
  rrl-ratelimit: 0
  zonesdir: "$work/zones"
  pidfile: "$work/nsd.pid"
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
  database: ""
  username: ""
  logfile: "$work/nsd.log"
remote-control:
  control-enable: no
zone:
  name: example.com
  zonefile: example.com.zone
CONF
config 5301 "$work/zones" >"$work/lifeboat.toml"

echo "cores: $cores (Lifeboat UDP workers = NSD server-count = $cores), $rounds rounds of ${seconds} s"
echo "round server         QPS  avg µs  max µs      lost  CPU µs/query"
for round in $(seq "$rounds"); do
  taskset -c "$server_cpus" .build/release/lifeboatd --config "$work/lifeboat.toml" 2>"$work/lifeboatd.log" &
  lifeboat=$!; pids+=("$lifeboat")
  wait_answering 5301 www.example.com
  measure lifeboat 5301 "$round"
  example_rss=$(rss_kib "$lifeboat")
  kill -TERM "$lifeboat"; wait "$lifeboat" 2>/dev/null || true

  taskset -c "$server_cpus" nsd -d -c "$work/nsd.conf" &
  pids+=($!)
  wait_answering 5302 www.example.com
  measure nsd 5302 "$round"
  pkill -KILL -f "$work/nsd.conf" || true
  sleep 0.5
done

# Medians of each column, and the ratios.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for column in 1 2 3; do
  l=$(awk -v c=$column '{ print $c }' "$work/lifeboat.results" | median)
  n=$(awk -v c=$column '{ print $c }' "$work/nsd.results" | median)
  name=$(echo "QPS avg_latency_us cpu_us_per_query" | cut -d' ' -f$column)
  awk -v name="$name" -v l="$l" -v n="$n" 'BEGIN { printf "median %-17s lifeboat %9.2f  nsd %9.2f  ratio lifeboat/nsd %.2f\n", name, l, n, l / n }'
done

# Memory and load time with 100,000 records (50,000 names with A and AAAA), and an owner swap.
{
  sed -n '1,/^@.*AAAA/p' zones/example.com.zone
  awk 'BEGIN { for (i = 0; i < 50000; i++) printf "host%d 300 IN A 10.%d.%d.%d\nhost%d 300 IN AAAA 2001:db8::%x\n", i, int(i / 65536), int(i / 256) % 256, i % 256, i, i }'
  echo "www 30 IN A 203.0.113.10"
} >"$work/big/example.com.zone"
config 5303 "$work/big" >"$work/big.toml"
start=$(date +%s%N)
taskset -c 0 .build/release/lifeboatd --config "$work/big.toml" 2>"$work/big.log" &
big=$!; pids+=("$big")
wait_answering 5303 host49999.example.com
loaded=$(( ($(date +%s%N) - start) / 1000000 ))
big_rss=$(rss_kib "$big")
kill -TERM "$big"; wait "$big" 2>/dev/null || true
echo "RSS example zone: $((example_rss / 1024)) MiB; 100,000-record zone: $((big_rss / 1024)) MiB, start to first answer ${loaded} ms"
# The owner swap (override, serial+1 persisted with fsync, snapshot updated and served): on the
# example zone and on the 100,000-record one, to show it does not grow with the zone.
mkdir -p "$work/swapstate" "$work/smallswapstate"
.build-bench/release/swap-bench "$work/zones" "$work/smallswapstate" www.example.com. 21 2>/dev/null | sed 's/^/example zone: /'
.build-bench/release/swap-bench "$work/big" "$work/swapstate" www.example.com. 21 2>/dev/null | sed 's/^/100,000-record zone: /'

# Bytes a secondary receives per failover on the 100,000-record zone: the swaps above left the
# serial and the IXFR journal in swapstate; Lifeboat serves it with transfers allowed, and dig
# reports the size of an AXFR and of an IXFR from one change back.
sed -e "s|state_dir = \"$work/state\"|state_dir = \"$work/swapstate\"|" -e 's|^\[dns\]$|[dns]\nallow_transfer = ["127.0.0.1"]|' \
  "$work/big.toml" >"$work/xfr.toml"
taskset -c 0 .build/release/lifeboatd --config "$work/xfr.toml" 2>"$work/xfr.log" &
xfr=$!; pids+=("$xfr")
wait_answering 5303 host49999.example.com
serial=$(dig +short -p 5303 @127.0.0.1 example.com SOA | awk '{print $3}')
xfr_bytes() { dig +nocookie -p 5303 @127.0.0.1 example.com "$@" | sed -n 's/.*XFR size: .*bytes \([0-9]*\)).*/\1/p'; }
axfr=$(xfr_bytes AXFR)
ixfr=$(xfr_bytes IXFR=$((serial - 1)))
current=$(xfr_bytes IXFR="$serial")
kill -TERM "$xfr"; wait "$xfr" 2>/dev/null || true
awk -v a="$axfr" -v i="$ixfr" -v c="$current" 'BEGIN { printf "bytes to a secondary per failover, 100,000-record zone: IXFR %d, full zone (AXFR) %d, ratio %.5f; up-to-date IXFR %d\n", i, a, i / a, c }'
