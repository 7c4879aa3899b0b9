#!/usr/bin/env bash
# Do long commands delay the MySQL checks? COUNT MySQL checks at 1 s (default 4) against the
# lab's primary, on the daemon's 4-thread pool, while COMMANDS copies of `sleep SECONDS` run
# (default 1 × 90 s: a resync): once the previous way (ChildProcess on the checks' pool) and once
# as the daemon runs commands now (swift-subprocess), in one run. Prints runs against the 1 s
# grid, missed slots and result lateness for both, and the ratio.
#   bench/commands.sh [SECONDS] [COMMANDS] [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-90}
commands=${2:-1}
count=${3:-4}

source bench/use-lab.sh

echo "bench: building release binaries" >&2
swift build --package-path bench --scratch-path .build-bench -c release --product command-bench >/dev/null
.build-bench/release/command-bench "$LAB_PRIMARY_MYSQL_PORT" "$LAB_MYSQL_USER" "$LAB_MYSQL_PASSWORD_FILE" "$LAB_DB" \
  "$count" "$commands" "$seconds"
