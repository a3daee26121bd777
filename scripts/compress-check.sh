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

# shellcheck source=lib/page-check.sh
source "$ROOT/scripts/lib/page-check.sh"
page_check_setup

# ---- wsgate: the page and an echo, compressed; the check in the page -----------------------
start_gateway ${COMPRESS[@]+"${COMPRESS[@]}"} --echo --staticdir="$ROOT/scripts/compress/www"
rc=0
run_page_driver "$ROOT/scripts/compress/compress_check.py" --url="http://127.0.0.1:$GW_PORT/index.html" \
  --out="$OUT" --deadline="$DEADLINE" || rc=$?
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
