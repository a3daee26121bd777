#!/usr/bin/env bash
# Real-browser check of --pty: headless Chromium loads examples/terminal.html (xterm.js from
# Debian's node-xterm, copied next to it as the README says) from wsgate --binary --pty
# --staticdir=DIR bash, in a folder with a directory, an executable and a symbolic link.
# scripts/terminal/terminal_check.py types into the page as a user does: `stty size` must
# print the size the page fitted, `echo hello-from-pty` must print it, `ls --color` must color
# the listing (its screenshot, terminal-ls.png, is kept), Ctrl-C must end a `sleep 1000`, and
# `exit` must close the WebSocket with 1000. Then no process of the session may be left.
#
#   scripts/terminal-check.sh [--out=DIR] [--wsgate-bin=PATH]
#
# --out         where the screenshots (terminal-ls.png, terminal.png), what the browser saw
#               (terminal.json) and the processes' logs (terminal-logs/) go
#               (default: .build/terminal-check).
# --wsgate-bin  use this wsgate binary instead of `swift build -c release --product wsgate`.
#
# Exit status: 0 every step seen; 1 the check failed (the reason is printed); 2 a required
# command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: TERMINAL_CHECK_LIMIT (hard limit in seconds after the build, default 60),
# TERMINAL_CHECK_DEADLINE (seconds for the steps in the page, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=terminal-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/terminal-check"
WSGATE_BIN=""
LIMIT="${TERMINAL_CHECK_LIMIT:-60}"
DEADLINE="${TERMINAL_CHECK_DEADLINE:-20}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it
XTERM=/usr/share/nodejs/xterm/lib

for arg in "$@"; do
  case "$arg" in
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir
[ -f "$XTERM/public/Terminal.js" ] || die "xterm.js is missing: install node-xterm ($XTERM)" 2

# shellcheck source=lib/page-check.sh
source "$ROOT/scripts/lib/page-check.sh"
page_check_setup

# ---- the page as the README serves it, and a folder for the shell to list ----------------
WWW="$TMP/www"
mkdir -p "$WWW"
cp "$ROOT/examples/terminal.html" "$WWW/index.html"
cp -r "$XTERM" "$WWW/xterm"
HOME_DIR="$TMP/home"
mkdir -p "$HOME_DIR/a-directory"
printf '#!/bin/sh\n' > "$HOME_DIR/an-executable" && chmod +x "$HOME_DIR/an-executable"
ln -s a-directory "$HOME_DIR/a-link"

# The shell starts in HOME_DIR with a known prompt and no rc files. PS1 is passed through,
# its final space written \040 since --passenv trims values as websocketd does.
WSGATE_BIN="$(realpath "$WSGATE_BIN")"
cd "$HOME_DIR"
PS1='wsgate$\040' start_gateway --binary --pty --passenv=PS1 --staticdir="$WWW" /bin/bash --norc --noprofile
GW_PID=$LAST_PID
rc=0
run_page_driver "$ROOT/scripts/terminal/terminal_check.py" --url="http://127.0.0.1:$GW_PORT/" \
  --listing=a-directory,an-executable,a-link --out="$OUT" --deadline="$DEADLINE" || rc=$?
if [ $rc -eq 0 ]; then
  # exit ended the session: wsgate logs DISCONNECT, and no process of the session is left.
  wait_until 10 wsgate "$GW_PID" grep -q "| DISCONNECT" "$LOGS/wsgate.log" || rc=1
  left="$(pgrep -P "$GW_PID" || true)"
  if [ -n "$left" ]; then say "FAIL: processes of the session are left: $left"; rc=1; fi
fi
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
