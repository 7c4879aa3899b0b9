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
