#!/usr/bin/env bash
# Probe benchmark: 1,000 HTTP checks at 1 s against the lab's static page (Apache), then 200
# MySQL checks at 1 s against the lab's primary MariaDB, each for SECONDS (default 60), through
# Lifeboat's ProbeScheduler (bench/Sources/probe-bench); then 1,000 MySQL checks with 100 on a
# blackholed port, the previous way (pool) and now (MariaDBLoop). Prints CPU of the checking process,
# lateness of run starts (p50/p99/max), failures, RSS, and new MariaDB connections per minute.
#   bench/probes.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

source bench/use-lab.sh

echo "bench: building release binaries" >&2
swift build --package-path bench --scratch-path .build-bench -c release --product probe-bench >/dev/null
bench=.build-bench/release/probe-bench

"$bench" http "$LAB_WITNESS_HTTP" "http://bench.lab/static.txt" 1000 "$seconds"

connections() {
  mariadb --defaults-file="$LAB_DIR/mysql/primary/client.cnf" -N -e "SHOW GLOBAL STATUS LIKE 'Connections'" | awk '{ print $2 }'
}
before=$(connections)
"$bench" mysql "$LAB_PRIMARY_MYSQL_PORT" "$LAB_MYSQL_USER" "$LAB_MYSQL_PASSWORD_FILE" "$LAB_DB" 200 "$seconds"
after=$(connections)
# Minus the one connection `connections` itself made; the run includes a 2 s warm-up.
awk -v d=$((after - before - 1)) -v s="$seconds" 'BEGIN { printf "MariaDB: %d new connections during %d s of 200 checks (%.1f per minute after the first 200)\n", d, s + 2, (d - 200) * 60 / s }'

# 1,000 MySQL checks at 1 s, 100 of them on a blackholed port (an nftables drop rule on loopback,
# in a table of this bench's own, removed at exit), timeout 2 s: the previous way (blocking calls
# on the daemon's 4-thread pool) and now (MariaDBLoop), one after the other. Lateness and failures
# are the 900 healthy checks'; the goal is p99 lateness < 50 ms and CPU < 25 % of one core.
silent_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
table=lifeboat_bench_probes_$$
nft -f - <<NFT
table inet $table {
  chain output {
    type filter hook output priority 0;
    ip daddr 127.0.0.1 tcp dport $silent_port drop
  }
}
NFT
trap 'nft delete table inet '"$table"' 2>/dev/null || true; if [[ $started_lab == yes ]]; then scripts/lab down; fi' EXIT
for connector in pool loop; do
  "$bench" mysql-silent "$LAB_PRIMARY_MYSQL_PORT" "$silent_port" "$LAB_MYSQL_USER" "$LAB_MYSQL_PASSWORD_FILE" "$LAB_DB" 100 "$connector" 1000 "$seconds"
done
