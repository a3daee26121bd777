#!/usr/bin/env bash
# Real-browser check of rooms (--broadcast) with examples/room.html: two tabs of one headless
# Chromium in one room talk, a third tab in another room hears nothing of it. Starts, on a free
# loopback port chosen at run time:
#   wsgate --broadcast --staticdir=examples cat, and headless Chromium with remote debugging.
# scripts/room/room_check.py then opens /room.html?room=check in two tabs and
# /room.html?room=elsewhere in a third, waits until all three are connected, types a line in
# tab one (nick ada) and waits for it in tab two, answers from tab two (nick bob) and waits for
# it in tab one, then has tab three speak and requires that it sees its own line only (markup
# in a line must stay text); saves a screenshot of each tab and prints one summary line.
#
#   scripts/room-check.sh [--out=DIR] [--wsgate-bin=PATH] [--second-room=NAME]
#
# --out          where the screenshots (room-1.png …), what the tabs showed (room.json) and the
#                processes' logs (room-logs/) go (default: .build/room-check).
# --wsgate-bin   use this wsgate binary instead of `swift build -c release --product wsgate`.
# --second-room  tab two's room (default: tab one's, "check"); another name proves the check
#                fails when a line does not arrive.
#
# Exit status: 0 every step seen; 1 the check failed (the reason is printed); 2 a required
# command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: ROOM_CHECK_LIMIT (hard limit in seconds after the build, default 60),
# ROOM_CHECK_DEADLINE (seconds for the steps in the tabs, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=room-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/room-check"
WSGATE_BIN=""
SECOND_ROOM=""
LIMIT="${ROOM_CHECK_LIMIT:-60}"
DEADLINE="${ROOM_CHECK_DEADLINE:-20}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it

for arg in "$@"; do
  case "$arg" in
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    --second-room=?*) SECOND_ROOM="${arg#--second-room=}" ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir


# ---- required commands -------------------------------------------------------------------
# command-or-file:package
REQUIRED=(chromium:chromium "$PY:python3" /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
          setsid:util-linux timeout:coreutils cat:coreutils)
[ -z "$WSGATE_BIN" ] && REQUIRED+=(swift:swift-toolchain)
# shellcheck source=lib/requirements.sh
source "$ROOT/scripts/lib/requirements.sh"
check_requirements

# ---- the gateway binary (built before the time limit starts) -----------------------------
# shellcheck source=lib/wsgate-binary.sh
source "$ROOT/scripts/lib/wsgate-binary.sh"
ensure_wsgate_binary

# ---- process bookkeeping (scripts/lib/process-groups.sh) ---------------------------------
TMP="$(mktemp -d /tmp/room-check.XXXXXX)"
LOGS="$OUT/room-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
# shellcheck source=lib/process-groups.sh
source "$ROOT/scripts/lib/process-groups.sh"
# shellcheck source=lib/chromium.sh
source "$ROOT/scripts/lib/chromium.sh"
trap cleanup EXIT
trap 'say "FAIL: interrupted"; exit 130' INT
trap 'say "FAIL: hard time limit of $LIMIT s reached (logs: $LOGS)"; exit 124' TERM

# The hard limit: a watchdog that sends this script SIGTERM; its trap cleans up.
start watchdog bash -c "sleep $LIMIT; kill -TERM $$"

# ---- wsgate: a room per path, the pages from examples/ -----------------------------------
start wsgate "$WSGATE_BIN" --broadcast --staticdir="$ROOT/examples" --address=127.0.0.1 --port=0 cat
gateway_port() {
  GW_PORT="$(sed -n 's|.*Starting WebSocket server   : ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
    "$LOGS/wsgate.log" | head -n 1)"
  [ -n "$GW_PORT" ]
}
wait_until 10 wsgate "$LAST_PID" gateway_port

# ---- headless Chromium (scripts/lib/chromium.sh) ---------------------------------------------
start_chromium 800,600

# ---- the check in the tabs -----------------------------------------------------------------
# In the background, so that the watchdog's SIGTERM interrupts `wait` at once.
timeout $(( DEADLINE + 30 )) "$PY" "$ROOT/scripts/room/room_check.py" \
  --devtools-port="$DEVTOOLS_PORT" --page="http://127.0.0.1:$GW_PORT/room.html" --out="$OUT" \
  --deadline="$DEADLINE" ${SECOND_ROOM:+--second-room="$SECOND_ROOM"} &
CHECK_PID=$!
rc=0; wait $CHECK_PID || rc=$?
CHECK_PID=""
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
