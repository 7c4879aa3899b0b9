#!/usr/bin/env bash
# Probe benchmark: 1,000 HTTP checks at 1 s against the lab's static page (Apache), then 200
# MySQL checks at 1 s against the lab's primary MariaDB, each for SECONDS (default 60), through
# Lifeboat's ProbeScheduler (bench/Sources/probe-bench). Prints CPU of the checking process,
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
