# Sourced by the bench scripts (from the repository root): uses the lab that is up, or starts one
# and stops it at exit; then loads its variables (`scripts/lab env`).
started_lab=no
if ! scripts/lab env >/dev/null 2>&1; then scripts/lab up; started_lab=yes; fi
trap 'if [[ $started_lab == yes ]]; then scripts/lab down; fi' EXIT
eval "$(scripts/lab env)"
