#!/usr/bin/env bash
# Two wsgate instances behind a real load balancer, HAProxy or nginx, with the files of
# examples/deployment used as they are (balancer on 127.0.0.1:8080, instances on 8081 and
# 8082, each `wsgate --config=examples/deployment/wsgate-behind-ENGINE.conf --port=PORT
# scripts/balancer/whoami-echo.sh NAME`, whose first message is REMOTE_ADDR REMOTE_PORT NAME).
# scripts/balancer/balancer_check.py then requires, with the client on 127.0.0.2:
#   - REMOTE_ADDR is the client's address in ten sessions held open at once through the
#     balancer (HAProxy: PROXY protocol v2; nginx: X-Forwarded-For, the client sending a forged
#     X-Forwarded-For: 1.2.3.4 of its own), and those sessions are on both instances;
#   - an untrusted peer (127.0.0.3) straight to an instance: its X-Forwarded-For and Forwarded
#     are ignored, its PROXY header is answered 400 and logged with its real address;
#   - a rolling restart under load: for --seconds (longer by up to 6 s when the last restart
#     began late, so the restarted instance is seen taking sessions), 16 clients open, use (one echo) and close
#     sessions back to back through the balancer while 20 more hold sessions open, and each
#     instance in turn gets SIGTERM, exits, is started again and takes sessions again. Zero
#     failed attempts; every held session ended by a restart sees close 1001, none 1006; each
#     instance exits 0.
# It prints the counts (attempts, rate, failures, close codes, restarts) and writes them to
# OUT/ENGINE-summary.json, the processes' logs to OUT/ENGINE-logs/.
#
#   scripts/balancer-check.sh [--engine=haproxy|nginx|both] [--seconds=30] [--out=DIR]
#                             [--wsgate-bin=PATH]
#
# --engine       which balancer (default both, one after the other).
# --seconds      how long the load and the restarts run (default 30).
# --out          where the summaries and logs go (default .build/balancer-check).
# --wsgate-bin   use this wsgate binary instead of `swift build -c release --product wsgate`.
#
# Exit status: 0 every check passed; 1 a check failed (the reason is printed); 2 a required
# command is missing, a port is taken or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: BALANCER_CHECK_LIMIT (hard limit in seconds per engine after the build,
# default 180).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=balancer-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/balancer-check"
WSGATE_BIN=""
ENGINE="both"
SECONDS_OF_LOAD=30
LIMIT="${BALANCER_CHECK_LIMIT:-180}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it

for arg in "$@"; do
  case "$arg" in
    --engine=haproxy|--engine=nginx|--engine=both) ENGINE="${arg#--engine=}" ;;
    --seconds=?*) SECONDS_OF_LOAD="${arg#--seconds=}" ;;
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir


# ---- required commands -------------------------------------------------------------------
# command-or-file:package
REQUIRED=("$PY:python3" timeout:coreutils)
case "$ENGINE" in
  haproxy) REQUIRED+=(/usr/sbin/haproxy:haproxy) ;;
  nginx) REQUIRED+=(/usr/sbin/nginx:nginx) ;;
  both) REQUIRED+=(/usr/sbin/haproxy:haproxy /usr/sbin/nginx:nginx) ;;
esac
[ -z "$WSGATE_BIN" ] && REQUIRED+=(swift:swift-toolchain)
# shellcheck source=lib/requirements.sh
source "$ROOT/scripts/lib/requirements.sh"
check_requirements

# ---- the gateway binary (built before the time limit starts) -----------------------------
# shellcheck source=lib/wsgate-binary.sh
source "$ROOT/scripts/lib/wsgate-binary.sh"
ensure_wsgate_binary

engines=("$ENGINE")
[ "$ENGINE" = both ] && engines=(haproxy nginx)
for engine in "${engines[@]}"; do
  TMP="$(mktemp -d /tmp/balancer-check.XXXXXX)"
  rc=0
  # The script ends every process it started; `timeout` ends the script itself, and then
  # `setsid`'s process group goes with it.
  timeout --kill-after=10 "$LIMIT" setsid --wait "$PY" "$ROOT/scripts/balancer/balancer_check.py" \
    --engine="$engine" --wsgate="$WSGATE_BIN" --root="$ROOT" --out="$OUT" --tmp="$TMP" \
    --seconds="$SECONDS_OF_LOAD" || rc=$?
  rm -rf "$TMP"
  if [ $rc -eq 124 ]; then die "$engine: hard time limit of $LIMIT s reached (logs: $OUT/$engine-logs)" 124; fi
  [ $rc -eq 0 ] || exit $rc
done
