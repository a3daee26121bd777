#!/usr/bin/env bash
# Real-browser check of permessage-deflate (RFC 7692): headless Chromium loads a page from
# wsgate --compress --echo --staticdir=scripts/compress/www, and the page's WebSocket must
# negotiate permessage-deflate (ws.extensions, and the response header DevTools saw, alike) and
# round-trip 5 B, ~1.5 KiB of JSON, ~100 KiB of repetitive text, 64 KiB of binary and the JSON
# again exactly, then close 1000. scripts/compress/compress_check.py drives the page through
# DevTools, saves a screenshot and prints one summary line with the offer and answer headers.
#
#   scripts/compress-check.sh [--out=DIR] [--wsgate-bin=PATH] [--plain]
#
# --out         where the screenshot (compress.png), what the browser saw (compress.json) and
#               the processes' logs (compress-logs/) go (default: .build/compress-check).
# --wsgate-bin  use this wsgate binary instead of `swift build -c release --product wsgate`.
# --plain       start wsgate without --compress: the check must then fail (no extension),
#               which proves the flag is what makes it pass.
#
# Exit status: 0 every step seen; 1 the check failed (the reason is printed); 2 a required
# command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: COMPRESS_CHECK_LIMIT (hard limit in seconds after the build, default 60),
# COMPRESS_CHECK_DEADLINE (seconds for the steps in the page, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=compress-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/compress-check"
WSGATE_BIN=""
COMPRESS=(--compress)
LIMIT="${COMPRESS_CHECK_LIMIT:-60}"
DEADLINE="${COMPRESS_CHECK_DEADLINE:-20}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it

for arg in "$@"; do
  case "$arg" in
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    --plain) COMPRESS=() ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir


# ---- required commands -------------------------------------------------------------------
# command-or-file:package
REQUIRED=(chromium:chromium "$PY:python3" /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
          setsid:util-linux timeout:coreutils)
[ -z "$WSGATE_BIN" ] && REQUIRED+=(swift:swift-toolchain)
# shellcheck source=lib/requirements.sh
source "$ROOT/scripts/lib/requirements.sh"
check_requirements

# ---- the gateway binary (built before the time limit starts) -----------------------------
# shellcheck source=lib/wsgate-binary.sh
source "$ROOT/scripts/lib/wsgate-binary.sh"
ensure_wsgate_binary

# ---- process bookkeeping (scripts/lib/process-groups.sh) ---------------------------------
TMP="$(mktemp -d /tmp/compress-check.XXXXXX)"
LOGS="$OUT/compress-logs"
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

# ---- wsgate: the page and an echo, compressed --------------------------------------------
start wsgate "$WSGATE_BIN" ${COMPRESS[@]+"${COMPRESS[@]}"} --echo --staticdir="$ROOT/scripts/compress/www" \
  --address=127.0.0.1 --port=0
gateway_port() {
  GW_PORT="$(sed -n 's|.*Starting WebSocket server   : ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
    "$LOGS/wsgate.log" | head -n 1)"
  [ -n "$GW_PORT" ]
}
wait_until 10 wsgate "$LAST_PID" gateway_port

# ---- headless Chromium (scripts/lib/chromium.sh) ---------------------------------------------
start_chromium 800,600

# ---- the check in the page -----------------------------------------------------------------
# In the background, so that the watchdog's SIGTERM interrupts `wait` at once.
timeout $(( DEADLINE + 30 )) "$PY" "$ROOT/scripts/compress/compress_check.py" \
  --devtools-port="$DEVTOOLS_PORT" --url="http://127.0.0.1:$GW_PORT/index.html" --out="$OUT" \
  --deadline="$DEADLINE" &
CHECK_PID=$!
rc=0; wait $CHECK_PID || rc=$?
CHECK_PID=""
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
