#!/usr/bin/env bash
# Real-browser check of --devconsole: wsgate's developer console in headless Chromium talks to
# examples/greeter.sh. Starts, on a free loopback port chosen at run time:
#   wsgate --devconsole examples/greeter.sh, and headless Chromium with remote debugging.
# scripts/devconsole/console_check.py then loads the console at /devconsole-check?from=chromium,
# waits until it is connected (its URL box must say ws:// + the same host, path and query),
# sends one message with Enter, one with a click on Send and one as hex bytes, waits for the
# greeter's replies in the page's log (markup in a message must stay text; the reply to byte
# 0xFF is not UTF-8, so it comes back binary and shows as hex), clicks Close and waits for
# "closed: code 1000, …, wasClean true", and for wsgate's DEVCONSOLE, CONNECT and DISCONNECT
# log lines; saves a screenshot and prints one summary line.
#
#   scripts/devconsole-check.sh [--out=DIR] [--wsgate-bin=PATH] [--expect-reply=FORMAT]
#
# --out           where the screenshot (devconsole.png), what the browser saw (devconsole.json)
#                 and the processes' logs (devconsole-logs/) go (default: .build/devconsole-check).
# --wsgate-bin    use this wsgate binary instead of `swift build -c release --product wsgate`.
# --expect-reply  the greeter's reply, %s standing for the message (default: Hello, %s!);
#                 another value proves the check can fail.
#
# Exit status: 0 every step seen; 1 the check failed (the reason is printed); 2 a required
# command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: DEVCONSOLE_CHECK_LIMIT (hard limit in seconds after the build, default 60),
# DEVCONSOLE_CHECK_DEADLINE (seconds for the steps in the page, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=devconsole-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/devconsole-check"
WSGATE_BIN=""
EXPECT_REPLY='Hello, %s!'
LIMIT="${DEVCONSOLE_CHECK_LIMIT:-60}"
DEADLINE="${DEVCONSOLE_CHECK_DEADLINE:-20}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it

for arg in "$@"; do
  case "$arg" in
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    --expect-reply=?*) EXPECT_REPLY="${arg#--expect-reply=}" ;;
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
TMP="$(mktemp -d /tmp/devconsole-check.XXXXXX)"
LOGS="$OUT/devconsole-logs"
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

# ---- wsgate with the console -------------------------------------------------------------
start wsgate "$WSGATE_BIN" --devconsole --address=127.0.0.1 --port=0 "$ROOT/examples/greeter.sh"
console_port() {
  GW_PORT="$(sed -n 's|.*Developer console enabled   : http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
    "$LOGS/wsgate.log" | head -n 1)"
  [ -n "$GW_PORT" ]
}
wait_until 10 wsgate "$LAST_PID" console_port

# ---- headless Chromium (scripts/lib/chromium.sh) ---------------------------------------------
start_chromium 1000,640

# ---- the check in the page ---------------------------------------------------------------------
URL="http://127.0.0.1:$GW_PORT/devconsole-check?from=chromium"
# In the background, so that the watchdog's SIGTERM interrupts `wait` at once.
timeout $(( DEADLINE + 30 )) "$PY" "$ROOT/scripts/devconsole/console_check.py" \
  --devtools-port="$DEVTOOLS_PORT" --url="$URL" --out="$OUT" --deadline="$DEADLINE" \
  --expect-reply="$EXPECT_REPLY" --server-log="$LOGS/wsgate.log" &
CHECK_PID=$!
rc=0; wait $CHECK_PID || rc=$?
CHECK_PID=""
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
