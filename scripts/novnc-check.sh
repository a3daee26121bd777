#!/usr/bin/env bash
# Real-client check: the noVNC web client in headless Chromium shows a VNC desktop through the
# gateway. Starts, each on a free loopback port / display chosen at run time:
#   Xvfb (1024x768x24) with a desktop drawn on it (xsetroot background, xclock, xeyes),
#   x11vnc on that display, the gateway (wsgate --binary --tcp, or Debian's websockify) in
#   front of it, python3 -m http.server for noVNC's files (/usr/share/novnc) and headless
#   Chromium with remote debugging.
# scripts/novnc/cdp_check.py then loads vnc_lite.html pointed at the gateway, polls the page
# through DevTools until noVNC is connected and its canvas is non-uniform (deadline 30 s),
# saves a screenshot and prints one summary line.
# With --tls the gateway terminates TLS (wsgate --ssl, websockify --cert) with the test fixture
# certificate (Tests/Fixtures/TLS) and serves noVNC's files itself over https:// (--staticdir,
# --web), so vnc_lite.html connects over wss://; Chromium trusts the test CA through an NSS
# database (scripts/lib/nss-trust.sh) and verifies the certificate itself.
#
#   scripts/novnc-check.sh [--gateway=wsgate|websockify] [--tls] [--out=DIR] [--wsgate-bin=PATH]
#
# --gateway     wsgate (default): built with `swift build -c release --product wsgate`;
#               websockify: Debian's /usr/bin/websockify, for comparison.
# --tls         https:// and wss:// instead of http:// and ws:// (file names say GATEWAY-tls).
# --out         where the screenshot (novnc-GATEWAY.png), the canvas alone
#               (novnc-GATEWAY-canvas.png), what the browser saw (novnc-GATEWAY.json) and the
#               processes' logs (novnc-GATEWAY-logs/) go (default: .build/novnc-check).
# --wsgate-bin  use this wsgate binary instead of building one.
#
# Exit status: 0 connected and drawn; 1 the check failed (the reason is printed); 2 a
# required command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: NOVNC_CHECK_LIMIT (hard limit in seconds after the build, default 90),
# NOVNC_CHECK_DEADLINE (seconds to wait for the desktop in the page, default 30).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=novnc-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
GATEWAY=wsgate
OUT="$ROOT/.build/novnc-check"
WSGATE_BIN=""
LIMIT="${NOVNC_CHECK_LIMIT:-90}"
DEADLINE="${NOVNC_CHECK_DEADLINE:-30}"
NOVNC_DIR=/usr/share/novnc
TLS=no
FIXTURES="$ROOT/Tests/Fixtures/TLS"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it
BACKGROUND=336699              # the desktop colour the canvas must show

for arg in "$@"; do
  case "$arg" in
    --gateway=wsgate|--gateway=websockify) GATEWAY="${arg#--gateway=}" ;;
    --tls) TLS=yes ;;
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir

LABEL="$GATEWAY"; [ "$TLS" = no ] || LABEL="$GATEWAY-tls"   # in messages and file names
die() { say "$LABEL: FAIL: $1"; exit "${2:-1}"; }

# ---- required commands -------------------------------------------------------------------
# command-or-file:package
REQUIRED=(Xvfb:xvfb x11vnc:x11vnc xsetroot:x11-xserver-utils xclock:x11-apps xeyes:x11-apps
          chromium:chromium "$PY:python3" "$NOVNC_DIR/vnc_lite.html:novnc"
          /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
          setsid:util-linux timeout:coreutils)
[ "$GATEWAY" = websockify ] && REQUIRED+=(/usr/bin/websockify:websockify)
[ "$TLS" = yes ] && REQUIRED+=(certutil:libnss3-tools)
[ "$GATEWAY" = wsgate ] && [ -z "$WSGATE_BIN" ] && REQUIRED+=(swift:swift-toolchain)
# shellcheck source=lib/requirements.sh
source "$ROOT/scripts/lib/requirements.sh"
check_requirements

# ---- the gateway binary (built before the time limit starts) -----------------------------
if [ "$GATEWAY" = wsgate ]; then
  # shellcheck source=lib/wsgate-binary.sh
  source "$ROOT/scripts/lib/wsgate-binary.sh"
  ensure_wsgate_binary
fi

# ---- process bookkeeping -----------------------------------------------------------------
TMP="$(mktemp -d /tmp/novnc-check.XXXXXX)"
LOGS="$OUT/novnc-$LABEL-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
# shellcheck source=lib/process-groups.sh
source "$ROOT/scripts/lib/process-groups.sh"
# shellcheck source=lib/chromium.sh
source "$ROOT/scripts/lib/chromium.sh"
# shellcheck source=lib/nss-trust.sh
source "$ROOT/scripts/lib/nss-trust.sh"
trap cleanup EXIT
trap 'say "$LABEL: FAIL: interrupted"; exit 130' INT
trap 'say "$LABEL: FAIL: hard time limit of $LIMIT s reached (logs: $LOGS)"; exit 124' TERM

# The hard limit: a watchdog that sends this script SIGTERM; its trap cleans up.
start watchdog bash -c "sleep $LIMIT; kill -TERM $$"

# free_port: a free loopback TCP port (for the servers that cannot be told to pick one).
free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- Xvfb with a desktop ---------------------------------------------------------------------
DISPLAY_NUM=""
for n in $(seq 90 119); do
  [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
  : >"$TMP/display"
  # -displayfd: Xvfb writes the display number to fd 3 once it accepts clients. -noreset: the
  # server would otherwise reset, root background lost, when xsetroot (its only client) exits.
  setsid Xvfb ":$n" -screen 0 1024x768x24 -nolisten tcp -noreset -displayfd 3 \
    3>"$TMP/display" >"$LOGS/Xvfb.log" 2>&1 </dev/null &
  GROUPS_STARTED+=($!); XVFB_PID=$!
  end=$(( $(date +%s) + 10 ))
  while [ ! -s "$TMP/display" ] && kill -0 $XVFB_PID 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
    sleep 0.05
  done
  if [ -s "$TMP/display" ]; then DISPLAY_NUM=$n; break; fi
  kill -KILL -- "-$XVFB_PID" 2>/dev/null || true   # display taken (or hung): try the next
done
[ -n "$DISPLAY_NUM" ] || die "Xvfb did not start on any display :90-:119 ($(tail_of "$LOGS/Xvfb.log"))" 2
export DISPLAY=":$DISPLAY_NUM"
timeout 10 xsetroot -solid "#$BACKGROUND" || die "xsetroot failed on $DISPLAY" 2
start xclock xclock -geometry 300x300+80+80 -update 1
start xeyes xeyes -geometry 360x240+520+300

# ---- x11vnc ------------------------------------------------------------------------------------
VNC_PORT="$(free_port)"
start x11vnc x11vnc -display "$DISPLAY" -localhost -nopw -forever -shared -rfbport "$VNC_PORT"
wait_until 20 x11vnc "$LAST_PID" listening "$VNC_PORT"

# ---- the gateway ---------------------------------------------------------------------------------
# With --tls it also serves noVNC's files (the page must be https:// for noVNC to use wss://).
GW_TLS=() WEB_TLS=() SCHEME=ws
if [ "$TLS" = yes ]; then
  GW_TLS=(--ssl --sslcert="$FIXTURES/server.pem" --sslkey="$FIXTURES/server.key" --staticdir="$NOVNC_DIR")
  WEB_TLS=(--cert="$FIXTURES/server.pem" --key="$FIXTURES/server.key" --ssl-only --web="$NOVNC_DIR")
  SCHEME=wss
fi
if [ "$GATEWAY" = wsgate ]; then
  start wsgate "$WSGATE_BIN" --binary --tcp="127.0.0.1:$VNC_PORT" "${GW_TLS[@]}" --address=127.0.0.1 --port=0
  gw_port() {
    GW_PORT="$(sed -n "s|.*Starting WebSocket server   : $SCHEME://127\.0\.0\.1:\([0-9]*\)/.*|\1|p" \
      "$LOGS/wsgate.log" | head -n 1)"
    [ -n "$GW_PORT" ]
  }
  wait_until 10 wsgate "$LAST_PID" gw_port
else
  GW_PORT="$(free_port)"
  start websockify /usr/bin/websockify "${WEB_TLS[@]}" "127.0.0.1:$GW_PORT" "127.0.0.1:$VNC_PORT"
  wait_until 10 websockify "$LAST_PID" listening "$GW_PORT"
fi

# ---- noVNC's files: from the gateway over https://, or from python3 -m http.server ----------
if [ "$TLS" = yes ]; then
  PAGE="https://127.0.0.1:$GW_PORT"
  trust_ca_in_chromium "$FIXTURES/ca.pem" >"$LOGS/certutil.log" 2>&1 \
    || die "certutil could not make the NSS database: $(tail_of "$LOGS/certutil.log")" 2
else
  start http "$PY" -u -m http.server 0 --bind 127.0.0.1 --directory "$NOVNC_DIR"
  http_port() {
    HTTP_PORT="$(sed -n 's|^Serving HTTP on 127\.0\.0\.1 port \([0-9]*\).*|\1|p' "$LOGS/http.log" | head -n 1)"
    [ -n "$HTTP_PORT" ]
  }
  wait_until 10 http "$LAST_PID" http_port
  PAGE="http://127.0.0.1:$HTTP_PORT"
fi

# ---- headless Chromium (scripts/lib/chromium.sh) ---------------------------------------------
start_chromium 1200,900

# ---- the check in the page ---------------------------------------------------------------------
URL="$PAGE/vnc_lite.html?host=127.0.0.1&port=$GW_PORT&path=websockify"
# In the background, so that the watchdog's SIGTERM interrupts `wait` at once.
timeout $(( DEADLINE + 30 )) "$PY" "$ROOT/scripts/novnc/cdp_check.py" --devtools-port="$DEVTOOLS_PORT" \
  --url="$URL" --gateway="$LABEL" --out="$OUT" --deadline="$DEADLINE" \
  --expect-colour="$BACKGROUND" --expect-scheme="$SCHEME" &
CHECK_PID=$!
rc=0; wait $CHECK_PID || rc=$?
CHECK_PID=""
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
