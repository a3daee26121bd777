#!/usr/bin/env bash
# Real-browser check of TLS: headless Chromium loads a page over https:// from
# wsgate --ssl --staticdir=scripts/wss/www examples/hello.sh, and the page talks to hello.sh over
# wss:// (greeting, one message and its echo, a clean close 1000). The certificate is the test
# fixture (Tests/Fixtures/TLS/server.pem for 127.0.0.1); its CA is trusted by the browser
# through an NSS database in a throwaway HOME (scripts/lib/nss-trust.sh), so Chromium verifies
# the chain and the name itself: no --ignore-certificate-errors. scripts/wss/wss_check.py drives
# the page through DevTools, requires Chromium to rate the connection "secure" with the test CA
# as issuer, waits for wsgate's CONNECT and DISCONNECT lines, saves a screenshot and prints one
# summary line.
#
#   scripts/wss-check.sh [--out=DIR] [--wsgate-bin=PATH] [--untrusted]
#
# --out         where the screenshot (wss.png), what the browser saw (wss.json) and the
#               processes' logs (wss-logs/) go (default: .build/wss-check).
# --wsgate-bin  use this wsgate binary instead of `swift build -c release --product wsgate`.
# --untrusted   do not trust the test CA: the check must then fail (Chromium refuses the
#               certificate), which proves the trust is what makes it pass.
#
# Exit status: 0 every step seen; 1 the check failed (the reason is printed); 2 a required
# command is missing or a process did not start; 124 the hard time limit.
# It installs nothing: a missing command is reported with the Debian package that has it.
# Environment: WSS_CHECK_LIMIT (hard limit in seconds after the build, default 60),
# WSS_CHECK_DEADLINE (seconds for the steps in the page, default 20).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=wss-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/wss-check"
WSGATE_BIN=""
TRUST=yes
LIMIT="${WSS_CHECK_LIMIT:-60}"
DEADLINE="${WSS_CHECK_DEADLINE:-20}"
PY=/usr/bin/python3            # Debian's: python3-websockets is installed for it
FIXTURES="$ROOT/Tests/Fixtures/TLS"

for arg in "$@"; do
  case "$arg" in
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    --untrusted) TRUST=no ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir


# ---- required commands -------------------------------------------------------------------
# command-or-file:package
REQUIRED=(chromium:chromium certutil:libnss3-tools "$PY:python3"
          /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
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
TMP="$(mktemp -d /tmp/wss-check.XXXXXX)"
LOGS="$OUT/wss-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
# shellcheck source=lib/process-groups.sh
source "$ROOT/scripts/lib/process-groups.sh"
# shellcheck source=lib/chromium.sh
source "$ROOT/scripts/lib/chromium.sh"
# shellcheck source=lib/nss-trust.sh
source "$ROOT/scripts/lib/nss-trust.sh"
trap cleanup EXIT
trap 'say "FAIL: interrupted"; exit 130' INT
trap 'say "FAIL: hard time limit of $LIMIT s reached (logs: $LOGS)"; exit 124' TERM

# The hard limit: a watchdog that sends this script SIGTERM; its trap cleans up.
start watchdog bash -c "sleep $LIMIT; kill -TERM $$"

# ---- wsgate over TLS -----------------------------------------------------------------------
start wsgate "$WSGATE_BIN" --ssl --sslcert="$FIXTURES/server.pem" --sslkey="$FIXTURES/server.key" \
  --staticdir="$ROOT/scripts/wss/www" --address=127.0.0.1 --port=0 "$ROOT/examples/hello.sh"
gw_port() {
  GW_PORT="$(sed -n 's|.*Starting WebSocket server   : wss://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
    "$LOGS/wsgate.log" | head -n 1)"
  [ -n "$GW_PORT" ]
}
wait_until 10 wsgate "$LAST_PID" gw_port

# ---- headless Chromium trusting the test CA ----------------------------------------------
if [ "$TRUST" = yes ]; then
  trust_ca_in_chromium "$FIXTURES/ca.pem" >"$LOGS/certutil.log" 2>&1 \
    || die "certutil could not make the NSS database: $(tail_of "$LOGS/certutil.log")" 2
fi
start_chromium 800,600

# ---- the check in the page ---------------------------------------------------------------------
# In the background, so that the watchdog's SIGTERM interrupts `wait` at once.
timeout $(( DEADLINE + 30 )) "$PY" "$ROOT/scripts/wss/wss_check.py" --devtools-port="$DEVTOOLS_PORT" \
  --url="https://127.0.0.1:$GW_PORT/index.html" --out="$OUT" --deadline="$DEADLINE" \
  --server-log="$LOGS/wsgate.log" &
CHECK_PID=$!
rc=0; wait $CHECK_PID || rc=$?
CHECK_PID=""
[ $rc -eq 0 ] || say "logs: $LOGS"
exit $rc
