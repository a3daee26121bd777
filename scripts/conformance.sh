#!/usr/bin/env bash
# Runs the Autobahn|Testsuite (wstest -m fuzzingclient) against `wsgate --echo --compress` and
# fails unless every case is strictly OK.
#
#   scripts/conformance.sh [--tls] [SELECTION] [OUTDIR]
#
# --tls      over wss://: wsgate --ssl with the fixture certificate (Tests/Fixtures/TLS);
#            wstest verifies it (name localhost, the test CA as its only trusted root)
# SELECTION  quick (default: a fast pick from every section, the permessage-deflate sections
#            12 and 13 included) | core (sections 1-10 complete, section 9's 16 MiB performance
#            cases included) | all (every case, 12 and 13 too) | any run.sh case list
# OUTDIR     report directory (default: .build/autobahn-report, .build/autobahn-report-wss)
#
# Strict means: no FAILED, NON-STRICT or UNIMPLEMENTED case, no missing case, and
# INFORMATIONAL only for the cases that are informational by design (7.1.6, 7.13.1, 7.13.2).
# Environment: AUTOBAHN_VENV (default .build/autobahn-venv) is where the testsuite is installed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TLS=()
SCHEME=ws
if [ "${1:-}" = --tls ]; then
  shift
  FIXTURES="$ROOT/Tests/Fixtures/TLS"
  TLS=(--ssl --sslcert="$FIXTURES/server.pem" --sslkey="$FIXTURES/server.key")
  SCHEME=wss
  # wstest (Twisted, pyOpenSSL) checks the certificate for this name against OpenSSL's
  # default trust, which SSL_CERT_FILE replaces by the test CA alone.
  export TLS_HOSTNAME=localhost SSL_CERT_FILE="$FIXTURES/ca.pem"
fi
SELECTION="${1:-quick}"
OUTDIR="${2:-$ROOT/.build/autobahn-report$([ $SCHEME = ws ] || echo -wss)}"
export AUTOBAHN_VENV="${AUTOBAHN_VENV:-$ROOT/.build/autobahn-venv}"

"$ROOT/scripts/autobahn/setup.sh"
swift build -c release --product wsgate --package-path "$ROOT"
WSGATE="$(swift build -c release --package-path "$ROOT" --show-bin-path)/wsgate"

LOG="$(mktemp)"
# Section 9 sends messages of up to 16 MiB.
"$WSGATE" "${TLS[@]}" --echo --compress --address=127.0.0.1 --port=0 --maxframesize=20000000 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n "s|.*Starting WebSocket server   : $SCHEME://127.0.0.1:\\([0-9]*\\)/.*|\\1|p" "$LOG" | head -1)"
  [ -n "$PORT" ] && break
  kill -0 $PID 2>/dev/null || { cat "$LOG"; echo "conformance: wsgate exited"; exit 2; }
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$LOG"; echo "conformance: wsgate did not start"; exit 2; }

START=$(date +%s)
AGENT=wsgate "$ROOT/scripts/autobahn/run.sh" "$SCHEME://127.0.0.1:$PORT/" "$OUTDIR" "$SELECTION"
echo "conformance: $SELECTION selection over $SCHEME:// took $(( $(date +%s) - START )) s"

"$AUTOBAHN_VENV/bin/python" - "$OUTDIR/index.json" <<'PY'
import json, sys
informational_by_design = {"7.1.6", "7.13.1", "7.13.2"}
results = json.load(open(sys.argv[1]))["wsgate"]
bad = []
for case, result in sorted(results.items()):
    behaviour, close = result["behavior"], result["behaviorClose"]
    if behaviour == "INFORMATIONAL" and case in informational_by_design:
        continue
    if behaviour != "OK" or close not in ("OK", "INFORMATIONAL"):
        bad.append(f"{case}: {behaviour} (close: {close})")
print(f"conformance: {len(results)} cases, {len(results) - len(bad)} strictly OK")
if bad:
    print("conformance: not strictly OK:\n  " + "\n  ".join(bad))
    sys.exit(1)
PY
