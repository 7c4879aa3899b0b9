#!/usr/bin/env bash
# A dump-refreshed standby's refresh, as its visitors live through it: Lifeboat's refresh
# (scratch database, verify, one RENAME TABLE; `lifeboat refresh --now` on lifeboatd, release)
# beside the peer it replaces — the seed document's cron pipeline straight into the live
# database (`scripts/lab refresh`) — on the same lab and the same data, one after the other.
# The lab's standby is made a dump copy (`scripts/lab standby dump`) and the primary's database is
# grown by ROWS rows of a Drupal 7 field table (about 1 KB each); a visitor requests node 1 of the
# standby every 20 ms throughout. Prints each way's duration, the visits that failed or showed no
# node, and the slowest visit; then the ratios. Afterwards the extra table is dropped and the
# standby is a replica again (`scripts/lab resync`).
#   bench/refresh.sh [ROWS]     (default 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}

echo "bench: building release binaries" >&2
swift build -c release --product lifeboatd >/dev/null
swift build -c release --product lifeboat >/dev/null
bin=$(swift build -c release --show-bin-path)
source bench/use-lab.sh

work=$(mktemp -d /tmp/lifeboat-refresh-bench.XXXXXX)
pid=
sql() { mariadb --defaults-file="$LAB_DIR/mysql/$1/client.cnf" drupal "${@:2}"; }
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  sql primary -e "DROP TABLE IF EXISTS main_field_data_body" 2>/dev/null || true
  scripts/lab resync >/dev/null 2>&1 || true
  rm -rf "$work"
  if [[ $started_lab == yes ]]; then scripts/lab down; fi
}
trap cleanup EXIT
read -r dns_port http_port < <(free_ports)

scripts/lab standby dump >/dev/null 2>&1
echo "bench: growing the primary's database by $rows rows" >&2
sql primary <<SQL
CREATE TABLE main_field_data_body (entity_type VARCHAR(128) NOT NULL DEFAULT '', bundle VARCHAR(128) NOT NULL DEFAULT '',
  deleted TINYINT NOT NULL DEFAULT 0, entity_id INT UNSIGNED NOT NULL, revision_id INT UNSIGNED DEFAULT NULL,
  language VARCHAR(32) NOT NULL DEFAULT '', delta INT UNSIGNED NOT NULL, body_value LONGTEXT, body_summary LONGTEXT,
  body_format VARCHAR(255) DEFAULT NULL, PRIMARY KEY (entity_type, entity_id, deleted, delta, language));
INSERT INTO main_field_data_body (entity_type, bundle, entity_id, revision_id, language, delta, body_value, body_format)
  SELECT 'node', 'article', seq, seq, 'und', 0, REPEAT(MD5(seq), 30), 'filtered_html' FROM seq_1_to_$rows;
ANALYZE TABLE main_field_data_body \G
SQL
bytes=$(sql primary -N -e "SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'drupal'")

lab_config "$work/state" "127.0.0.1:$dns_port" "127.0.0.1:$http_port" \
  -e 's|replication = true|lag_query = "SELECT UNIX_TIMESTAMP() - MAX(changed) FROM main_node"|' \
  -e '/^resync = /d' -e 's|max_lag = "30s"|max_lag = "25h"|' >"$work/lifeboat.toml"
cat >>"$work/lifeboat.toml" <<EOF

[service.refresh]
command = ["$LAB_REFRESH"]
schedule = "every 24h"
timeout = "30m"
EOF
"$bin/lifeboatd" --config "$work/lifeboat.toml" 2>>"$work/lifeboatd.log" &
pid=$!
api() { curl -sf "http://127.0.0.1:$http_port/api/v1/services/www"; }
until api 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d['primary']['state'] == 'up' and d['standby']['state'] == 'up' else 1)" 2>/dev/null; do
  kill -0 "$pid" || { tail -5 "$work/lifeboatd.log" >&2; exit 1; }
  sleep 0.2
done

# Visits node 1 on the standby every 20 ms until $work/stop exists; prints "visits failed worst_ms".
visitor() {
  python3 - "$LAB_STANDBY_HTTP" "$work/stop" <<'PY'
import http.client, os, sys, time
host, port = sys.argv[1].split(":")
visits = failed = 0
worst = 0.0
while not os.path.exists(sys.argv[2]):
    started = time.monotonic()
    try:
        c = http.client.HTTPConnection(host, int(port), timeout=30)
        c.request("GET", f"/node/1?visit={visits}", headers={"Host": "www.example.com"})
        r = c.getresponse(); body = r.read().decode("utf-8", "replace"); c.close()
        ok = r.status == 200 and "<article>" in body
    except Exception:
        ok = False
    worst = max(worst, (time.monotonic() - started) * 1000)
    visits += 1
    failed += 0 if ok else 1
    time.sleep(0.02)
print(visits, failed, round(worst, 1))
PY
}

measure() {  # measure LABEL COMMAND...: runs the refresh with the visitor beside it
  local label=$1 started ended out
  shift
  rm -f "$work/stop"
  visitor >"$work/$label.visits" &
  local visitor_pid=$!
  sleep 0.5
  started=$(date +%s.%N)
  "$@"
  ended=$(date +%s.%N)
  sleep 0.5
  touch "$work/stop"
  wait "$visitor_pid"
  read -r visits failed worst <"$work/$label.visits"
  printf '%s %.2f %s %s %s\n' "$label" "$(echo "$ended - $started" | bc)" "$visits" "$failed" "$worst" >>"$work/results"
}

lifeboat_refresh() {
  local before
  before=$(api | python3 -c "import json,sys; d=json.load(sys.stdin)['refresh']; print((d.get('last') or {}).get('finished', ''))")
  "$bin/lifeboat" refresh --now --url "http://127.0.0.1:$http_port" --token-file "$LAB_TOKEN_FILE" >/dev/null
  until api | python3 -c "import json,sys; d=json.load(sys.stdin)['refresh']; l=d.get('last') or {}; sys.exit(0 if l.get('finished', '') != sys.argv[1] else 1)" "$before"; do
    sleep 0.05
  done
  api | python3 -c "import json,sys; l=json.load(sys.stdin)['refresh']['last']; sys.exit(0 if l['success'] else print('lifeboat refresh failed:', l['message']) or 1)"
}
cron_refresh() { scripts/lab refresh >/dev/null 2>&1 || echo "bench: the cron-way load failed (see README: ERROR 1062 under visits)" >&2; }

echo "bench: $((bytes / 1048576)) MiB in the primary's database; Lifeboat's refresh, then the cron way" >&2
measure lifeboat lifeboat_refresh
measure cron cron_refresh
python3 - "$work/results" "$bytes" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
print(f"refresh of {int(sys.argv[2]) / 1048576:.0f} MiB, a visitor on the standby every 20 ms:")
for label, name in (("lifeboat", "lifeboat (scratch + RENAME)"), ("cron", "cron way (live load)      ")):
    seconds, visits, failed, worst = rows[label]
    print(f"  {name}  {float(seconds):7.2f} s   visits {visits:>5}   failed or empty {failed:>5}   slowest visit {float(worst):8.1f} ms")
l, c = rows["lifeboat"], rows["cron"]
print(f"  ratio lifeboat/cron: time {float(l[0]) / float(c[0]):.2f}, failed visits {int(l[2])}/{int(c[2])}, slowest visit {float(l[3]) / max(float(c[3]), 0.1):.2f}")
PY
