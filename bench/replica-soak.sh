#!/usr/bin/env bash
# Does a GET on the standby break replication? On the lab (scripts/lab up), for SECONDS
# (default 600): every second the primary saves a node as Drupal's node_save() does (the node
# row, then cache_clear_all: {cache_page} and the node's {cache_field} entry deleted), the
# standby is asked for its front page (what a standby HTTP check does: Drupal renders and
# caches it), then the primary's front page is visited (Drupal caches the same keys there).
# With the replica read_only the standby's cache writes fail silently and replication holds;
# writable (--writable), the primary's INSERT of a key the standby already wrote stops the
# replica with error 1062, as on the real site.
#
#   bench/replica-soak.sh [SECONDS] [--writable]
#
# Prints one line a minute and the outcome; exit 0 when replication held, 1 when it broke
# (it stops at the first break), 2 when the lab is not up. The lab's read_only is put back as
# it was; a broken replica is left for `scripts/lab resync`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600 writable=no
for arg in "$@"; do
  case $arg in
    --writable) writable=yes ;;
    *[!0-9]*|"") echo "usage: bench/replica-soak.sh [SECONDS] [--writable]" >&2; exit 2 ;;
    *) seconds=$arg ;;
  esac
done
eval "$(scripts/lab env)" || exit 2
sql() { mariadb --defaults-file="$LAB_DIR/mysql/$1/client.cnf" -N drupal -e "$2"; }
field() { mariadb --defaults-file="$LAB_DIR/mysql/standby/client.cnf" -e 'SHOW SLAVE STATUS\G' | awk -v k="$1:" '$1 == k { $1 = ""; print substr($0, 2) }'; }
get() { curl -s -o /dev/null -w '%{http_code}' -H 'Host: www.example.com' "http://$1/"; }

before=$(sql standby 'SELECT @@GLOBAL.read_only')
[[ $writable == yes ]] && sql standby 'SET GLOBAL read_only = OFF'
restore() { sql standby "SET GLOBAL read_only = $before" || true; }
trap restore EXIT
echo "replica-soak: ${seconds}s, standby read_only=$(sql standby 'SELECT @@GLOBAL.read_only')"

started=$SECONDS broke="" rounds=0 standby_errors=0
while (( SECONDS - started < seconds )); do
  tick=$SECONDS
  sql primary "UPDATE main_node SET changed = UNIX_TIMESTAMP() WHERE nid = 1; DELETE FROM main_cache_page; DELETE FROM main_cache_field WHERE cid = 'field:node:1'"
  sleep 0.2  # let the deletes reach the replica, as they would between two visits
  [[ $(get "$LAB_STANDBY_HTTP") == 200 ]] || standby_errors=$((standby_errors + 1))
  [[ $(get "$LAB_PRIMARY_HTTP") == 200 ]] || { echo "replica-soak: the primary did not answer" >&2; exit 2; }
  rounds=$((rounds + 1))
  sleep 0.3
  if [[ $(field Slave_SQL_Running) != Yes ]]; then broke=$(field Last_SQL_Error); break; fi
  (( rounds % 60 == 0 )) && echo "replica-soak: $((SECONDS - started))s, $rounds rounds, replication $(field Slave_IO_Running)/$(field Slave_SQL_Running), lag $(field Seconds_Behind_Master)"
  while (( SECONDS == tick )); do sleep 0.05; done
done
if [[ -n $broke ]]; then
  echo "replica-soak: replication BROKE after $((SECONDS - started))s ($rounds rounds): $broke"
  exit 1
fi
echo "replica-soak: replication held for ${seconds}s ($rounds rounds, standby non-200 answers: $standby_errors)"
