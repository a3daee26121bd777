# Process bookkeeping for the headless-browser checks (scripts/novnc-check.sh,
# scripts/devconsole-check.sh), sourced by them: every process they start runs in its own
# session and process group, so one cleanup ends each with everything it started.
# The caller defines say, die, LOGS (a directory for each process's log) and TMP (removed by
# cleanup), and installs `trap cleanup EXIT` plus its own INT and TERM traps.

GROUPS_STARTED=()   # every process is started by `setsid`, so its pid is its process group
CHECK_PID=""        # the page check (`timeout` + python), in this script's own group

cleanup() {
  local rc=$? pg alive
  trap - EXIT INT TERM
  [ -z "$CHECK_PID" ] || kill -TERM "$CHECK_PID" 2>/dev/null || true
  for pg in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$pg" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    alive=0
    for pg in "${GROUPS_STARTED[@]}"; do kill -0 -- "-$pg" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pg in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$pg" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
  exit $rc
}

# start NAME CMD...: runs CMD in its own session and process group, output to $LOGS/NAME.log.
start() {
  local name="$1"; shift
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  GROUPS_STARTED+=($!)
  LAST_PID=$!
}

# tail_of FILE: its last lines on one line.
tail_of() { tail -n 5 "$1" | tr '\n' ' ' | sed 's/ *$//'; }
# listening PORT: true once something listens on 127.0.0.1:PORT.
listening() {
  local hex; hex="$(printf '%04X' "$1")"
  grep -q "^ *[0-9]*: 0100007F:$hex 00000000:0000 0A " /proc/net/tcp
}
# wait_until SECONDS WHAT PID CONDITION...: polls CONDITION every 0.1 s; fails if PID exits.
wait_until() {
  local secs="$1" what="$2" pid="$3"; shift 3
  local end=$(( $(date +%s) + secs ))
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      die "$what exited before it was ready: $(tail_of "$LOGS/$what.log")" 2
    fi
    [ "$(date +%s)" -lt "$end" ] || die "$what not ready after $secs s (log: $LOGS/$what.log)" 2
    sleep 0.1
  done
}
