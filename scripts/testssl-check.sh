#!/usr/bin/env bash
# Scanner check of TLS: Debian's testssl.sh against a wsgate --ssl --echo listener on 127.0.0.1.
# Runs testssl's protocol, cipher category, forward secrecy, server preference, server defaults
# (certificate), vulnerability and per-cipher checks (-p -s -f -P -S -U -e), trusting the test
# CA (--add-ca) so that the chain and the name are really checked; scripts/testssl/verdict.py
# then fails on any finding rated HIGH or CRITICAL (except those caused by the test certificate,
# excluded by id with the reason), on any protocol below TLS 1.2 and on any weak cipher
# offered, and prints a short summary: protocols, ciphers, counts by severity.
#
#   scripts/testssl-check.sh [--key=ec|rsa] [--out=DIR] [--wsgate-bin=PATH]
#
# --key         ec (default): the fixture certificate (Tests/Fixtures/TLS, P-256);
#               rsa: a throwaway RSA 2048 certificate and CA made in a temporary directory,
#               so that the RSA cipher suites are scanned too.
# --out         where testssl's report (testssl-KEY.txt, testssl-KEY.json) and wsgate's log go
#               (default: .build/testssl-check).
# --wsgate-bin  use this wsgate binary instead of `swift build -c release --product wsgate`.
#
# Exit status: 0 passed; 1 a finding failed the check (printed); 2 a required command is
# missing or wsgate did not start; 124 the hard time limit.
# Environment: TESTSSL_CHECK_LIMIT (hard limit in seconds after the build, default 240).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034  # CHECK is read by lib/check-script.sh
CHECK=testssl-check
# shellcheck source=lib/check-script.sh
source "$ROOT/scripts/lib/check-script.sh"
OUT="$ROOT/.build/testssl-check"
WSGATE_BIN=""
KEY=ec
LIMIT="${TESTSSL_CHECK_LIMIT:-240}"
PY=/usr/bin/python3
FIXTURES="$ROOT/Tests/Fixtures/TLS"

for arg in "$@"; do
  case "$arg" in
    --key=ec|--key=rsa) KEY="${arg#--key=}" ;;
    --out=?*) OUT="${arg#--out=}" ;;
    --wsgate-bin=?*) WSGATE_BIN="${arg#--wsgate-bin=}" ;;
    -h|--help) usage; exit 0 ;;
    *) say "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
use_out_dir


# ---- required commands -------------------------------------------------------------------
missing=()
for c in testssl:testssl.sh openssl:openssl "$PY:python3" setsid:util-linux timeout:coreutils; do
  command -v "${c%:*}" >/dev/null || missing+=("${c##*:}")
done
[ -n "$WSGATE_BIN" ] || command -v swift >/dev/null || missing+=("swift (the toolchain, or pass --wsgate-bin)")
[ ${#missing[@]} -eq 0 ] || die "missing; install with apt-get install -y --no-install-recommends ${missing[*]}" 2

# ---- the gateway binary (built before the time limit starts) -----------------------------
# shellcheck source=lib/wsgate-binary.sh
source "$ROOT/scripts/lib/wsgate-binary.sh"
ensure_wsgate_binary

# ---- process bookkeeping (scripts/lib/process-groups.sh) ---------------------------------
TMP="$(mktemp -d /tmp/testssl-check.XXXXXX)"
LOGS="$OUT/testssl-$KEY-logs"
rm -rf "$LOGS"; mkdir -p "$LOGS"
# shellcheck source=lib/process-groups.sh
source "$ROOT/scripts/lib/process-groups.sh"
trap cleanup EXIT
trap 'say "FAIL: interrupted"; exit 130' INT
trap 'say "FAIL: hard time limit of $LIMIT s reached (logs: $LOGS)"; exit 124' TERM
start watchdog bash -c "sleep $LIMIT; kill -TERM $$"

# ---- the certificate -------------------------------------------------------------------------
if [ "$KEY" = ec ]; then
  CA="$FIXTURES/ca.pem" CERT="$FIXTURES/server.pem" PRIVATE="$FIXTURES/server.key"
else
  # A throwaway CA and an RSA server certificate like the fixtures (same names and usages).
  CA="$TMP/ca.pem" CERT="$TMP/server.pem" PRIVATE="$TMP/server.key"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=wsgate test CA (RSA)" \
      -keyout "$TMP/ca.key" -out "$CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$PRIVATE" -out "$TMP/server.csr"
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$TMP/ext"
    openssl x509 -req -in "$TMP/server.csr" -CA "$CA" -CAkey "$TMP/ca.key" -CAcreateserial \
      -CAserial "$TMP/ca.srl" -days 365 -extfile "$TMP/ext" -out "$CERT"
  } >"$LOGS/openssl.log" 2>&1 || die "openssl could not make the RSA certificate: $(tail_of "$LOGS/openssl.log")" 2
fi

# ---- wsgate over TLS -----------------------------------------------------------------------
start wsgate "$WSGATE_BIN" --ssl --sslcert="$CERT" --sslkey="$PRIVATE" --echo --address=127.0.0.1 --port=0
gw_port() {
  GW_PORT="$(sed -n 's|.*Starting WebSocket server   : wss://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
    "$LOGS/wsgate.log" | head -n 1)"
  [ -n "$GW_PORT" ]
}
wait_until 10 wsgate "$LAST_PID" gw_port

# ---- the scan ------------------------------------------------------------------------------
# --warnings off: never stop to ask; --ip: no DNS lookup; no --phone-out: nothing leaves loopback.
rm -f "$OUT/testssl-$KEY.json" "$OUT/testssl-$KEY.txt"
say "scanning wss://127.0.0.1:$GW_PORT/ ($KEY key) with testssl.sh $(dpkg-query -W -f '${Version}' testssl.sh 2>/dev/null || echo "(version unknown)")"
start testssl testssl --quiet --color 0 --warnings off --ip=127.0.0.1 --add-ca "$CA" \
  -p -s -f -P -S -U -e --jsonfile "$OUT/testssl-$KEY.json" "https://127.0.0.1:$GW_PORT/"
SCAN_PID=$LAST_PID
# testssl's exit status counts its own measuring troubles, so the JSON is what is judged.
# In the background, so that the watchdog's SIGTERM interrupts `wait` at once.
wait "$SCAN_PID" || true
cp "$LOGS/testssl.log" "$OUT/testssl-$KEY.txt"
[ -s "$OUT/testssl-$KEY.json" ] || die "testssl wrote no report: $(tail_of "$LOGS/testssl.log")" 2
rc=0; "$PY" "$ROOT/scripts/testssl/verdict.py" "$OUT/testssl-$KEY.json" || rc=$?
[ $rc -eq 0 ] || say "report: $OUT/testssl-$KEY.txt"
exit $rc
