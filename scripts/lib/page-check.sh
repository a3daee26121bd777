# shellcheck shell=bash
# The common part of the one-page browser checks (scripts/compress-check.sh,
# scripts/auth-check.sh), sourced after check-script.sh once OUT, WSGATE_BIN, LIMIT, DEADLINE
# and PY are set and the arguments are read:
#   page_check_setup           checks the required commands (chromium, python3, fonts...),
#                              builds wsgate unless --wsgate-bin, makes $TMP and
#                              $LOGS ($OUT/NAME-logs, NAME the check without -check), sources the process and Chromium
#                              helpers, sets the traps and starts the watchdog ($LIMIT s);
#   start_gateway ARGS...      starts wsgate with ARGS (flags, then any COMMAND) on a free
#                              loopback port and sets GW_PORT;
#   run_page_driver SCRIPT ARGS...
#                              starts Chromium, runs the DevTools driver SCRIPT with
#                              --devtools-port and ARGS in the background (so the watchdog's
#                              SIGTERM interrupts the wait), and returns its status.

page_check_setup() {
  # command-or-file:package
  REQUIRED=(chromium:chromium "$PY:python3" /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
            setsid:util-linux timeout:coreutils)
  [ -z "$WSGATE_BIN" ] && REQUIRED+=(swift:swift-toolchain)
  # shellcheck source=requirements.sh
  source "$ROOT/scripts/lib/requirements.sh"
  check_requirements
  # The gateway binary, built before the time limit starts.
  # shellcheck source=wsgate-binary.sh
  source "$ROOT/scripts/lib/wsgate-binary.sh"
  ensure_wsgate_binary

  TMP="$(mktemp -d "/tmp/$CHECK.XXXXXX")"
  LOGS="$OUT/${CHECK%-check}-logs"
  rm -rf "$LOGS"; mkdir -p "$LOGS"
  # shellcheck source=process-groups.sh
  source "$ROOT/scripts/lib/process-groups.sh"
  # shellcheck source=chromium.sh
  source "$ROOT/scripts/lib/chromium.sh"
  trap cleanup EXIT
  trap 'say "FAIL: interrupted"; exit 130' INT
  trap 'say "FAIL: hard time limit of $LIMIT s reached (logs: $LOGS)"; exit 124' TERM
  # The hard limit: a watchdog that sends this script SIGTERM; its trap cleans up.
  start watchdog bash -c "sleep $LIMIT; kill -TERM $$"
}

start_gateway() {
  start wsgate "$WSGATE_BIN" --address=127.0.0.1 --port=0 "$@"
  wait_until 10 wsgate "$LAST_PID" gateway_port
}

# gateway_port: true once wsgate's log names its port (then in GW_PORT).
gateway_port() {
  GW_PORT="$(sed -n 's|.*Starting WebSocket server   : ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
    "$LOGS/wsgate.log" | head -n 1)"
  [ -n "$GW_PORT" ]
}

run_page_driver() {
  local script=$1
  shift
  start_chromium 800,600
  timeout $(( DEADLINE + 30 )) "$PY" "$script" --devtools-port="$DEVTOOLS_PORT" "$@" &
  CHECK_PID=$!
  local rc=0
  wait $CHECK_PID || rc=$?
  CHECK_PID=""
  return $rc
}
