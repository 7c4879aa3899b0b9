# Sourced by the bench scripts (from the repository root): uses the lab that is up, or starts one
# and stops it at exit; then loads its variables (`scripts/lab env`).
started_lab=no
if ! scripts/lab env >/dev/null 2>&1; then scripts/lab up; started_lab=yes; fi
trap 'if [[ $started_lab == yes ]]; then scripts/lab down; fi' EXIT
eval "$(scripts/lab env)"

# Prints the time at which PORT on 127.0.0.1 first refuses a connection (polled every 5 ms):
# when a stopped Apache really stops answering (stopping takes a moment).
first_refusal() {
  python3 - "$1" <<'PY'
import socket, sys, time
while True:
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", int(sys.argv[1])))
    except ConnectionRefusedError:
        print(f"{time.time():.6f}")
        break
    finally:
        s.close()
    time.sleep(0.005)
PY
}

# Two free TCP ports on 127.0.0.1: "DNS HTTP".
free_ports() { python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])'; }

# examples/lab.toml pointed at this lab (as the lab tests do): state in STATE_DIR, DNS and the
# HTTP surface on DNS_ADDR and HTTP_ADDR (addr:port), min_failover_interval 0; any further
# arguments are more sed options applied in the same pass.
#   lab_config STATE_DIR DNS_ADDR HTTP_ADDR [-e EXPRESSION ...]
lab_config() {
  local state=$1 dns=$2 http=$3
  shift 3
  sed -e "s|state_dir = \"/tmp/lifeboat-lab/state\"|state_dir = \"$state\"|" \
      -e "s|zones_dir = \"../zones\"|zones_dir = \"$PWD/zones\"|" \
      -e "s|listen = \\[\"127.0.0.1:5353\"\\]|listen = [\"$dns\"]|" \
      -e "s|listen = \"127.0.0.1:8053\"|listen = \"$http\"|" \
      -e "s|min_failover_interval = \"10m\"|min_failover_interval = \"0s\"|" \
      -e "s|/tmp/lifeboat-lab/|$LAB_DIR/|g" \
      -e "s|127.0.0.1:8081|$LAB_PRIMARY_HTTP|g; s|127.0.0.1:8082|$LAB_STANDBY_HTTP|g; s|127.0.0.1:8083|$LAB_WITNESS_HTTP|g" \
      -e "s|port = 3307|port = $LAB_PRIMARY_MYSQL_PORT|; s|port = 3308|port = $LAB_STANDBY_MYSQL_PORT|" \
      "$@" examples/lab.toml
}
