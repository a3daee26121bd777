#!/usr/bin/env bash
# Soak and fault-injection run: MINUTES of connections against every backend kind, then checks
# that nothing leaked.
#
#   scripts/soak.sh MINUTES [--bin-dir=DIR] [--out=DIR] [DRIVER-OPTIONS...]
#   scripts/soak.sh 3                   what CI runs
#   scripts/soak.sh 60                  an hour, by hand
#
# Builds the release wsgate and wsgate-testcmd (unless --bin-dir names a directory that has
# them), then runs scripts/soak/driver.py (Python 3, standard library only): one wsgate per
# backend kind on 127.0.0.1 (program in line and byte mode, --echo, --tcp, --dir with programs
# that crash, exit early, ignore SIGTERM, fork or flood) and one with a 64-descriptor limit
# that is flooded until accept fails. Clients open and close at a steady rate; some vanish
# mid-frame, stop reading or reset. Afterwards: descriptors back to their start-up count, no
# zombie or orphan, RSS within 10 % of its warm level, no unexpected ERROR line in the logs.
# Driver options: --rate=N (connections/s, default 30), --workers=N (in flight, default 48),
# --seed=N, --pretend-leak (self-test: the run must fail). Logs go to --out (default
# .build/soak). The driver ends within MINUTES + 1 minute.
# Exit status: 0 passed, 1 a check failed (the summary says which), 2 bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
    -h|--help|"") usage; [ $# -ge 1 ] && exit 0; exit 2 ;;
esac
MINUTES=$1
shift
[[ "$MINUTES" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "soak: MINUTES must be a number, not '$MINUTES'" >&2; exit 2; }

BIN_DIR=""
OUT=.build/soak
DRIVER_OPTIONS=()
for argument in "$@"; do
    case $argument in
        --bin-dir=*) BIN_DIR=${argument#--bin-dir=} ;;
        --out=*) OUT=${argument#--out=} ;;
        *) DRIVER_OPTIONS+=("$argument") ;;
    esac
done

if [ -z "$BIN_DIR" ]; then
    # One product per call: `swift build` builds only the last of several --product flags.
    for product in wsgate wsgate-testcmd; do
        swift build -c release --product "$product" >/dev/null
    done
    BIN_DIR=$(swift build -c release --show-bin-path)
fi
for program in wsgate wsgate-testcmd; do
    [ -x "$BIN_DIR/$program" ] || { echo "soak: no $program in $BIN_DIR" >&2; exit 2; }
done

rm -rf "$OUT"
mkdir -p "$OUT"
echo "soak: $MINUTES min, binaries from $BIN_DIR, logs in $OUT"
# -B: no __pycache__ in the source tree. The time limit is the driver's own bound plus a margin.
exec timeout --kill-after=10 "$(awk "BEGIN { print int($MINUTES * 60 + 75) }")" \
    python3 -B scripts/soak/driver.py "$MINUTES" --bin-dir="$BIN_DIR" --out="$OUT" "${DRIVER_OPTIONS[@]}"
