#!/usr/bin/env bash
# Real-browser check of --auth-token-key: headless Chromium loads a page from wsgate
# --auth-token-key=KEY --staticdir=scripts/auth/www scripts/auth/whoami.sh (a fresh HS256 key),
# whose WebSocket must reach the program as REMOTE_USER with AUTH_TYPE=Bearer once with the
# token in a cookie and once in the query string (QUERY_STRING without it), and must fail
# without a token. Then wsgate's log must hold the 401's line and no token.
# scripts/auth/auth_check.py drives the pages through DevTools, saves a screenshot and prints
# one summary line.
#
#   scripts/auth-check.sh [--out=DIR] [--wsgate-bin=PATH]
#
# --out         where the screenshot (auth.png), what the browser saw (auth.json) and the
#               processes' logs (auth-logs/) go (default: .build/auth-check).
# --wsgate-bin  use this wsgate binary instead of `swift build -c release --product wsgate`.
#
# Exit status: 0 every step seen; 1 the check failed (the reason is printed); 2 a required
# command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: AUTH_CHECK_LIMIT (hard limit in seconds after the build, default 60),
# AUTH_CHECK_DEADLINE (seconds for the steps in the pages, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=auth-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/auth-check"
WSGATE_BIN=""
LIMIT="${AUTH_CHECK_LIMIT:-60}"
DEADLINE="${AUTH_CHECK_DEADLINE:-20}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it

for arg in "$@"; do
  case "$arg" in
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir

# shellcheck source=lib/page-check.sh
source "$ROOT/scripts/lib/page-check.sh"
page_check_setup

# ---- wsgate: the page, and the program behind a token; the checks in the pages ------------
KEY="$TMP/jwt.key"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$KEY"
start_gateway --auth-token-key="$KEY" --staticdir="$ROOT/scripts/auth/www" "$ROOT/scripts/auth/whoami.sh"
rc=0
run_page_driver "$ROOT/scripts/auth/auth_check.py" --url="http://127.0.0.1:$GW_PORT/index.html" --key="$KEY" \
  --out="$OUT" --deadline="$DEADLINE" || rc=$?
if [ $rc -eq 0 ]; then
  if ! grep -q "Unauthorized (401): no credentials" "$LOGS/wsgate.log"; then
    say "FAIL: no 401 line in wsgate's log"; rc=1
  elif grep -q "access_token" "$LOGS/wsgate.log"; then
    say "FAIL: a token reached wsgate's log: $(grep -m1 access_token "$LOGS/wsgate.log")"; rc=1
  else
    say "wsgate logged the refusal: $(grep -m1 "Unauthorized (401)" "$LOGS/wsgate.log" | sed 's/^.*| //')"
  fi
fi
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
