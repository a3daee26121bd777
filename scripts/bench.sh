#!/usr/bin/env bash
# Interleaved benchmark of wsgate against websocketd (program backends) and websockify
# (TCP backends), plus the machine's ceilings, with wsgate-bench as the client.
#
#   scripts/bench.sh [--rounds=3] [--seconds=10] [--quick] [--bin-dir=DIR] [--out=DIR] [SCENARIO...]
#   scripts/bench.sh --list
#
# Each scenario runs against each of its servers in turn, round after round (A B, A B, A B),
# so a noisy neighbour hurts both sides of a ratio alike: only ratios from one run count.
# Every run gets a fresh server on a fresh port; the server's CPU time (utime+stime of the
# gateway process itself, from /proc/PID/stat, not its `cat` children) and its peak RSS
# (VmHWM) are read around the run. websockify forks a process per connection, so its CPU
# includes its reaped children and its RSS is the sampled sum over its process tree.
# The tls-* scenarios run the same over wss:// (wsgate --ssl, websocketd --ssl, websockify
# --cert, with the test certificate of Tests/Fixtures/TLS, EC P-256); wsgate-bench --tls does
# a full handshake on every connection (no resumption) and verifies nothing (loopback).
# The fanout* scenarios put 1,000 clients in one room (`wsgate --broadcast`) against the same
# room in Node.js with the `ws` library (scripts/bench/node-room.js); both run the emitter
# `wsgate-testcmd emit`, which starts when a client says "go" (all are in by then):
#   fanout64-c1000       64 B messages at 200/s to 1,000 clients (200,000 deliveries/s offered)
#   fanout4k-c1000       4 KiB messages at 250/s to 1,000 clients (250,000 deliveries/s, 1 GB/s)
#   fanout64-c1000-slow  fanout64-c1000 plus one client that never reads (wsgate with the default
#                        --slow-client=disconnect, and with drop; wsgate-noslow is the same wsgate
#                        without that client, interleaved, for the p99 comparison); at 13 KB/s its
#                        backlog stays within the kernel's socket buffers
#   fanout4k-c1000-slow  the same at 4 KiB, 100/s, for 3 × --seconds: long enough to fill the
#                        slow client's socket buffers (~3 MB on loopback) and then --room-queue
#   fanout-idle          gateway memory per idle room member: RSS with 1,000 members minus RSS
#                        before any, divided by 1,000
# Value: deliveries/s (messages received, summed over the clients, from "go" to the last one);
# p50/p99: delay from the emitter's write to a client's receipt; any lost or reordered message
# is an error.
# The deflate* scenarios measure permessage-deflate (RFC 7692): wsgate-bench --compress offers
# what browsers offer, compresses every message it sends and inflates and checks every reply;
# the messages are --payload=json text (each a JSON array of objects, 64 different ones). The
# servers are `wsgate --echo --compress` (its default level 1, and level 6 as the others
# use, for deflate4k-c100), Node's `ws` (scripts/bench/node-echo.js, perMessageDeflate: true)
# and Python's `websockets` (scripts/bench/python-echo.py, Debian's /usr/bin/python3,
# compression on by default), each with its own defaults:
#   deflate4k-c100    echo of 4 KiB JSON messages, C=100; the note gives the server's CPU per
#                     message (whole-run CPU ÷ messages of the measured window) and the frame
#                     bytes per message each way, with the share of the payload they saved
#   deflate-idle4000  server memory per idle compressed connection: 4,000 connections each
#                     exchange one 4 KiB message (so both sides hold compression state), then
#                     idle; RSS with all open minus RSS before, divided by 4,000
# The lb-* scenarios put HAProxy (Debian's haproxy, scripts/bench/haproxy.cfg: mode http,
# balance leastconn, no health checks, no logging) in front of two instances of the gateway,
# each running /bin/cat as in the plain scenarios, against the same load direct to one instance:
#   lb-connect         connect, as the connect scenario
#   lb-echo64-c100     echo of 64 B messages, C=100, as echo64-c100
# Servers: wsgate and websocketd direct (one instance each, as in the plain scenarios), and
# wsgate-haproxy2 and websocketd-haproxy2 (HAProxy and two instances, on ports chosen at run
# time). For the haproxy2 servers the CPU is the sum over HAProxy and both backends (each
# process itself, not the `cat` children), and the peak RSS is the sum of the three processes'
# VmHWM (each one's own peak, so it can exceed the peak of the sum). The table gives wsgate's
# ratio to websocketd direct, wsgate-haproxy2's to websocketd-haproxy2 (the lead behind the
# balancer) and each haproxy2 server's ratio to the same server direct (the balancer's cost).
#
#   --quick        CI smoke: one round, ~1-second runs, wsgate only; fails on any error (~16 s)
#   --rounds=N     rounds (default 3)
#   --seconds=D    length of the echo and stream runs (default 10)
#   --bin-dir=DIR  where wsgate, wsgate-bench and wsgate-testcmd are (default: build them, release)
#   --out=DIR      where logs, results.tsv and table.md go (default: a new temporary directory)
#
# Needs: websocketd and websockify on PATH for the comparisons (apt-get install websocketd
# websockify), node with Debian's `ws` (apt-get install nodejs node-ws) for the fanout and
# deflate ones, python3-websockets for the deflate ones, and haproxy (on PATH or in /usr/sbin;
# apt-get install haproxy) for the lb-* ones; a server that is missing is skipped with a note.

# Exit status: 0 when every wsgate (and ceiling) run was clean, 1 when any reported an error
# (wrong, missing or stalled replies, a crash), 2 on bad usage. Errors of a reference server
# are flagged in the table and warned about, but do not fail the run: websocketd is known to
# stall with 8 or more 64 KiB messages in flight, which is one of the things measured.
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

ROUNDS=3
SECONDS_PER_RUN=10
QUICK=0
BIN_DIR=""
OUT=""
SELECTED=()

ALL_SCENARIOS=(connect echo64-c1 echo64-c100 echo4k-c100 stream64k-c1 stream64k-c16 stream64k-c16-w8
               stream64k-c1-w16 tcp64k-c1 tcp64k-c16 idle-program idle-tcp
               ceiling-spawn ceiling-spawn-serial ceiling-tcp-c1 ceiling-tcp-c16
               tls-connect tls-handshake-echo tls-echo64-c100 tls-stream64k-c16 tls-tcp64k-c16
               tls-idle-program tls-idle-tcp
               fanout64-c1000 fanout4k-c1000 fanout64-c1000-slow fanout4k-c1000-slow fanout-idle
               deflate4k-c100 deflate-idle4000 lb-connect lb-echo64-c100)
QUICK_SCENARIOS=(connect echo64-c1 echo64-c100 stream64k-c16-w8 tcp64k-c16 idle-program idle-tcp
                 tls-connect tls-tcp64k-c16 fanout64-c1000 deflate4k-c100)
TLS_CERT=$ROOT/Tests/Fixtures/TLS/server.pem
TLS_KEY=$ROOT/Tests/Fixtures/TLS/server.key

# Sets S_TITLE, S_SERVERS (subject first, then the reference), S_ARGS and S_TLS for scenario $1.
define_scenario() {
    local d=$SECONDS_PER_RUN
    S_SERVERS="wsgate websocketd"
    S_TLS=0
    if [[ $1 == fanout* ]]; then define_fanout "$1"; return; fi
    if [[ $1 == lb-* ]]; then
        # The plain scenario of the same name, direct and behind HAProxy.
        define_scenario "${1#lb-}" || return 1
        S_TITLE="$S_TITLE, direct and through HAProxy to 2 instances"
        S_SERVERS="wsgate wsgate-haproxy2 websocketd websocketd-haproxy2"
        ((QUICK)) && S_SERVERS="wsgate wsgate-haproxy2"
        return 0
    fi
    if [[ $1 == tls-* ]]; then
        S_TLS=1
        # The same as the plain scenario of the same name, over wss://.
        case $1 in
        tls-handshake-echo) ;;
        tls-*) define_scenario "${1#tls-}" || return 1; S_TLS=1; S_TITLE="wss: $S_TITLE"; return 0 ;;
        esac
    fi
    case $1 in
    tls-handshake-echo) S_SERVERS="wsgate-echo"
        if ((QUICK)); then S_ARGS="connect --total=200 --connections=20"; else S_ARGS="connect --total=2000 --connections=50"; fi
        S_TITLE="wss: connect N=$(option_value "$S_ARGS" total) C=$(option_value "$S_ARGS" connections), --echo (no program)" ;;
    connect)
        if ((QUICK)); then S_ARGS="connect --total=200 --connections=20"; else S_ARGS="connect --total=2000 --connections=50"; fi
        S_TITLE="connect N=$(option_value "$S_ARGS" total) C=$(option_value "$S_ARGS" connections), cat" ;;
    echo64-c1) S_TITLE="echo 64 B, C=1, cat"; S_ARGS="echo --size=64 --connections=1 --seconds=$d" ;;
    echo64-c100) S_TITLE="echo 64 B, C=100, cat"; S_ARGS="echo --size=64 --connections=100 --seconds=$d" ;;
    echo4k-c100) S_TITLE="echo 4 KiB, C=100, cat"; S_ARGS="echo --size=4096 --connections=100 --seconds=$d" ;;
    stream64k-c1) S_SERVERS="wsgate-bin websocketd-bin"; S_TITLE="stream 64 KiB, C=1, 4 in flight, --binary cat"
        S_ARGS="stream --binary --size=65536 --connections=1 --inflight=4 --seconds=$d" ;;
    stream64k-c16) S_SERVERS="wsgate-bin websocketd-bin"; S_TITLE="stream 64 KiB, C=16, 4 in flight, --binary cat"
        S_ARGS="stream --binary --size=65536 --connections=16 --inflight=4 --seconds=$d" ;;
    stream64k-c16-w8) S_SERVERS="wsgate-bin websocketd-bin"; S_TITLE="stream 64 KiB, C=16, 8 in flight, --binary cat"
        S_ARGS="stream --binary --size=65536 --connections=16 --inflight=8 --seconds=$d"
        ((QUICK)) && S_ARGS="stream --binary --size=65536 --connections=4 --inflight=8 --seconds=$d" ;;
    stream64k-c1-w16) S_SERVERS="wsgate-bin websocketd-bin"; S_TITLE="stream 64 KiB, C=1, 16 in flight, --binary cat"
        S_ARGS="stream --binary --size=65536 --connections=1 --inflight=16 --seconds=$d" ;;
    tcp64k-c1) S_SERVERS="wsgate-tcp websockify"; S_TITLE="--tcp stream 64 KiB, C=1, 4 in flight"
        S_ARGS="stream --binary --protocol=binary --size=65536 --connections=1 --inflight=4 --seconds=$d" ;;
    tcp64k-c16) S_SERVERS="wsgate-tcp websockify"; S_TITLE="--tcp stream 64 KiB, C=16, 4 in flight"
        S_ARGS="stream --binary --protocol=binary --size=65536 --connections=16 --inflight=4 --seconds=$d"
        ((QUICK)) && S_ARGS="stream --binary --protocol=binary --size=65536 --connections=4 --inflight=4 --seconds=$d" ;;
    idle-program)
        if ((QUICK)); then S_ARGS="idle --total=200 --connections=50 --hold=1.5"; else S_ARGS="idle --total=4000 --connections=100 --hold=4"; fi
        S_TITLE="idle N=$(option_value "$S_ARGS" total) (RSS/connection), cat" ;;
    idle-tcp) S_SERVERS="wsgate-tcp"
        if ((QUICK)); then S_ARGS="idle --binary --protocol=binary --total=200 --connections=50 --hold=1.5"
        else S_ARGS="idle --binary --protocol=binary --total=8000 --connections=100 --hold=4"; fi
        S_TITLE="idle N=$(option_value "$S_ARGS" total) (RSS/connection), --tcp" ;;
    deflate4k-c100) S_SERVERS="wsgate-deflate wsgate-deflate6 node-echo python-echo"
        S_TITLE="echo 4 KiB JSON, C=100, permessage-deflate"
        S_ARGS="echo --compress --payload=json --size=4096 --connections=100 --seconds=$d" ;;
    deflate-idle4000) S_SERVERS="wsgate-deflate node-echo python-echo"
        if ((QUICK)); then S_ARGS="idle --total=200 --connections=50 --hold=1.5"; else S_ARGS="idle --total=4000 --connections=100 --hold=4"; fi
        S_ARGS="$S_ARGS --compress --payload=json --size=4096"
        S_TITLE="idle N=$(option_value "$S_ARGS" total), one 4 KiB JSON message each, permessage-deflate (RSS/connection)" ;;
    ceiling-spawn) S_SERVERS="machine"; S_TITLE="ceiling: posix_spawn /bin/cat + reap, one thread, 50 alive at most"
        S_ARGS="spawn-rate --seconds=3 --inflight=50" ;;
    ceiling-spawn-serial) S_SERVERS="machine"; S_TITLE="ceiling: posix_spawn /bin/cat + wait, one at a time"
        S_ARGS="spawn-rate --seconds=3 --inflight=1" ;;
    ceiling-tcp-c1) S_SERVERS="tcp-echo"; S_TITLE="ceiling: plain TCP echo 64 KiB, C=1, 4 in flight"
        S_ARGS="tcp-stream --size=65536 --connections=1 --inflight=4 --seconds=$d" ;;
    ceiling-tcp-c16) S_SERVERS="tcp-echo"; S_TITLE="ceiling: plain TCP echo 64 KiB, C=16, 4 in flight"
        S_ARGS="tcp-stream --size=65536 --connections=16 --inflight=4 --seconds=$d" ;;
    *) return 1 ;;
    esac
    if ((QUICK)); then
        local only="" server
        for server in $S_SERVERS; do [[ $server == wsgate* ]] && only="$only $server"; done
        S_SERVERS=${only# }
    fi
    return 0
}

# The fan-out scenarios (see the header); sets S_EMIT too, the emitter's arguments.
define_fanout() {
    local d=$SECONDS_PER_RUN room="fanout --path=/room"
    S_SERVERS="wsgate-room node-room"
    case $1 in
    fanout64-c1000) S_TITLE="fan-out 64 B, 1 room, C=1000, 200 msg/s"
        S_ARGS="$room --size=64 --connections=1000 --rate=200 --seconds=$d"
        ((QUICK)) && S_TITLE="fan-out 64 B, 1 room, C=50, 100 msg/s" \
            && S_ARGS="$room --size=64 --connections=50 --rate=100 --seconds=$d" ;;
    fanout4k-c1000) S_TITLE="fan-out 4 KiB, 1 room, C=1000, 250 msg/s"
        S_ARGS="$room --size=4096 --connections=1000 --rate=250 --seconds=$d" ;;
    fanout64-c1000-slow) S_SERVERS="wsgate-room wsgate-noslow wsgate-room-drop node-room"
        S_TITLE="fan-out 64 B, 1 room, C=1000+1 never reading, 200 msg/s"
        S_ARGS="$room --size=64 --connections=1000 --rate=200 --seconds=$d" ;;
    fanout4k-c1000-slow) S_SERVERS="wsgate-room wsgate-noslow wsgate-room-drop node-room"
        S_TITLE="fan-out 4 KiB, 1 room, C=1000+1 never reading, 100 msg/s, 3 × the time"
        S_ARGS="$room --size=4096 --connections=1000 --rate=100 --seconds=$(awk -v d="$d" 'BEGIN { print 3 * d }')" ;;
    fanout-idle)
        if ((QUICK)); then S_ARGS="$room --idle --connections=50 --hold=1"; else S_ARGS="$room --idle --connections=1000 --hold=3"; fi
        S_TITLE="fan-out idle room, N=$(option_value "$S_ARGS" connections) members (RSS/member)" ;;
    *) return 1 ;;
    esac
    # The -slow scenarios add a client that never reads (the last --connections wins), except
    # for wsgate-noslow: the same wsgate without it, interleaved, for the p99 comparison.
    S_SLOW_ARGS=""
    [[ $1 == *-slow ]] && S_SLOW_ARGS="--connections=1001 --slow=1"
    local rate=1 size=64 seconds=1   # --idle: the emitter is never told to go
    [[ $S_ARGS == *--rate=* ]] && rate=$(option_value "$S_ARGS" rate)
    [[ $S_ARGS == *--size=* ]] && size=$(option_value "$S_ARGS" size)
    [[ $S_ARGS == *--seconds=* ]] && seconds=$(option_value "$S_ARGS" seconds)
    S_EMIT="emit --rate=$rate --size=$size --count=$(awk -v r="$rate" -v s="$seconds" 'BEGIN { printf "%d", r * s }')"
    if ((QUICK)); then S_SERVERS=wsgate-room; fi
    return 0
}

# True for the scenarios whose value is memory per connection (RSS read at `READY`).
is_idle_scenario() { [[ $1 == idle-* || $1 == tls-idle-* || $1 == fanout-idle || $1 == deflate-idle* ]]; }

# The value of --NAME=… in an argument string.
option_value() { local rest=${1#*--$2=}; echo "${rest%% *}"; }

usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

for argument in "$@"; do
    case $argument in
    --quick) QUICK=1 ;;
    --rounds=*) ROUNDS=${argument#*=} ;;
    --seconds=*) SECONDS_PER_RUN=${argument#*=} ;;
    --bin-dir=*) BIN_DIR=${argument#*=} ;;
    --out=*) OUT=${argument#*=} ;;
    --list) printf '%s\n' "${ALL_SCENARIOS[@]}"; exit 0 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "bench.sh: unknown option $argument" >&2; usage >&2; exit 2 ;;
    *) SELECTED+=("$argument") ;;
    esac
done
if ((QUICK)); then
    ROUNDS=1
    SECONDS_PER_RUN=1
    ((${#SELECTED[@]})) || SELECTED=("${QUICK_SCENARIOS[@]}")
fi
((${#SELECTED[@]})) || SELECTED=("${ALL_SCENARIOS[@]}")
for name in "${SELECTED[@]}"; do
    define_scenario "$name" || { echo "bench.sh: unknown scenario $name (--list shows them)" >&2; exit 2; }
done
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: --rounds wants a positive number" >&2; exit 2; }

if [[ -z $BIN_DIR ]]; then
    echo "== building wsgate and wsgate-bench (release)"
    for product in wsgate wsgate-bench wsgate-testcmd; do
        swift build -c release --package-path "$ROOT" --product "$product" >/dev/null || exit 1
    done
    BIN_DIR=$(swift build -c release --package-path "$ROOT" --show-bin-path)
fi
WSGATE=$BIN_DIR/wsgate
BENCH=$BIN_DIR/wsgate-bench
TESTCMD=$BIN_DIR/wsgate-testcmd
for binary in "$WSGATE" "$BENCH" "$TESTCMD"; do
    [[ -x $binary ]] || { echo "bench.sh: $binary is missing (build it or pass --bin-dir)" >&2; exit 2; }
done
[[ -n $OUT ]] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/wsgate-bench.XXXXXX")
mkdir -p "$OUT/logs"
RESULTS=$OUT/results.tsv
printf 'scenario\ttitle\tserver\trole\tround\tstatus\tvalue\tunit\tp50_us\tp99_us\tcpu_s\trss_peak_kb\tnote\n' >"$RESULTS"

# Room for thousands of connections (the idle scenarios); children inherit it.
ulimit -n "$(ulimit -Hn)" 2>/dev/null

ECHO_PID=""
SERVER_PID=""
BACKEND_PIDS=""
SAMPLER_PID=""
cleanup() {
    local backend
    [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null
    [[ -n $SERVER_PID ]] && stop_pid "$SERVER_PID"
    for backend in $BACKEND_PIDS; do stop_pid "$backend"; done
    [[ -n $ECHO_PID ]] && stop_pid "$ECHO_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The TCP echo backend of the --tcp scenarios and the TCP ceiling (one for the whole run).
ECHO_PORT=$(free_port)
"$BENCH" tcp-echo --port="$ECHO_PORT" >"$OUT/logs/tcp-echo.log" 2>&1 &
ECHO_PID=$!
wait_listening "$ECHO_PORT" "$ECHO_PID" || { echo "bench.sh: tcp-echo did not start" >&2; exit 1; }

has_command() { command -v "$1" >/dev/null 2>&1; }

HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)

# Starts server KIND on a fresh port; sets SERVER_PID, SERVER_PORT, SERVER_NAME, CPU_MODE and,
# for KIND-haproxy2, BACKEND_PIDS (the servers behind HAProxy, measured and stopped with it).
start_server() {
    local kind=$1 log=$2 extra=$3 tls="" tls_websockify=""
    if [[ $kind == *-haproxy2 ]]; then start_balanced "${kind%-haproxy2}" "$log" "$extra"; return; fi
    SERVER_PORT=$(free_port)
    CPU_MODE=self
    if ((S_TLS)); then
        tls="--ssl --sslcert=$TLS_CERT --sslkey=$TLS_KEY"   # the same flags for websocketd
        tls_websockify="--cert=$TLS_CERT --key=$TLS_KEY --ssl-only"
        extra="$extra $tls"
    fi
    case $kind in
    wsgate) SERVER_NAME=wsgate
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error $extra /bin/cat >"$log" 2>&1 & ;;
    wsgate-echo) SERVER_NAME=wsgate
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error $extra --echo >"$log" 2>&1 & ;;
    wsgate-deflate) SERVER_NAME=wsgate
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error $extra --echo --compress >"$log" 2>&1 & ;;
    wsgate-deflate6) SERVER_NAME=wsgate-level6
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error $extra --echo --compress --compress-level=6 \
            >"$log" 2>&1 & ;;
    node-echo) SERVER_NAME=node
        NODE_PATH=$NODE_WS_PATH node "$ROOT/scripts/bench/node-echo.js" "$SERVER_PORT" >"$log" 2>&1 & ;;
    python-echo) SERVER_NAME=python
        /usr/bin/python3 "$ROOT/scripts/bench/python-echo.py" "$SERVER_PORT" >"$log" 2>&1 & ;;
    wsgate-bin) SERVER_NAME=wsgate
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error --binary $extra /bin/cat >"$log" 2>&1 & ;;
    wsgate-tcp) SERVER_NAME=wsgate
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error --binary $extra --tcp=127.0.0.1:"$ECHO_PORT" >"$log" 2>&1 & ;;
    websocketd) SERVER_NAME=websocketd
        websocketd --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error $tls /bin/cat >"$log" 2>&1 & ;;
    websocketd-bin) SERVER_NAME=websocketd
        websocketd --address=127.0.0.1 --port="$SERVER_PORT" --loglevel=error --binary $tls /bin/cat >"$log" 2>&1 & ;;
    websockify) SERVER_NAME=websockify; CPU_MODE=tree
        websockify $tls_websockify 127.0.0.1:"$SERVER_PORT" 127.0.0.1:"$ECHO_PORT" >"$log" 2>&1 & ;;
    wsgate-room | wsgate-noslow) SERVER_NAME=wsgate; [[ $kind == wsgate-noslow ]] && SERVER_NAME=wsgate-noslow
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel="$ROOM_LOG_LEVEL" --maxforks=0 $extra \
            --broadcast "$TESTCMD" $S_EMIT >"$log" 2>&1 & ;;
    wsgate-room-drop) SERVER_NAME=wsgate-drop
        "$WSGATE" --address=127.0.0.1 --port="$SERVER_PORT" --loglevel="$ROOM_LOG_LEVEL" --maxforks=0 $extra \
            --slow-client=drop --broadcast "$TESTCMD" $S_EMIT >"$log" 2>&1 & ;;
    node-room) SERVER_NAME=node
        NODE_PATH=$NODE_WS_PATH node "$ROOT/scripts/bench/node-room.js" "$SERVER_PORT" "$TESTCMD" $S_EMIT >"$log" 2>&1 & ;;
    esac
    SERVER_PID=$!
    wait_listening "$SERVER_PORT" "$SERVER_PID"
}

# HAProxy (scripts/bench/haproxy.cfg) on a fresh port in front of two servers of KIND on theirs;
# SERVER_PID is HAProxy's, BACKEND_PIDS the two servers'.
start_balanced() {
    local kind=$1 log=$2 extra=$3 ports=() backend name pids started
    BACKEND_PIDS=""
    for backend in a b; do
        pids=$BACKEND_PIDS
        start_server "$kind" "$log.$backend" "$extra"
        started=$?
        BACKEND_PIDS="${pids:+$pids }$SERVER_PID"
        ((started == 0)) || return 1
        ports+=("$SERVER_PORT")
    done
    name=$SERVER_NAME-haproxy2
    SERVER_PORT=$(free_port)
    LB_PORT=$SERVER_PORT BACKEND_A_PORT=${ports[0]} BACKEND_B_PORT=${ports[1]} \
        "$HAPROXY" -db -f "$ROOT/scripts/bench/haproxy.cfg" >"$log" 2>&1 &
    SERVER_PID=$!
    SERVER_NAME=$name
    CPU_MODE=self
    wait_listening "$SERVER_PORT" "$SERVER_PID"
}

# Debian's node-ws lives outside node's default search path.
NODE_WS_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

server_available() {
    case $1 in
    *-haproxy2) [[ -x $HAPROXY ]] && server_available "${1%-haproxy2}" ;;
    websocketd*) has_command websocketd ;;
    websockify) has_command websockify ;;
    node-room | node-echo) has_command node && NODE_PATH=$NODE_WS_PATH node -e "require('ws')" 2>/dev/null ;;
    python-echo) /usr/bin/python3 -c 'import websockets' 2>/dev/null ;;
    *) return 0 ;;
    esac
}

FAILED_RUNS=0
FAILED_REFERENCE_RUNS=0

# What the slow-client policy did in a wsgate room run, from its log (info level).
slow_policy_note() {
    local kind=$1 log=$2 closed dropped
    [[ $kind == wsgate-room* ]] || return 0
    closed=$(grep -c 'closed with 1008' "$log" 2>/dev/null)
    dropped=$(grep -o 'Slow client: [0-9]* messages dropped' "$log" 2>/dev/null | awk '{ n += $3 } END { print n + 0 }')
    if ((${closed:-0} > 0)); then echo "slow client closed with 1008"
    elif ((${dropped:-0} > 0)); then echo "slow client: $dropped messages dropped"
    else echo "slow-client policy did not act (backlog within the kernel's buffers)"; fi
}

# The deflate* note: the server's CPU per message (echo) and the frame bytes per message
# each way, from the RESULT line $2 and the server's CPU seconds $3.
deflate_note() {
    local name=$1 line=$2 cpu=$3 messages out in saved cpu_note=""
    messages=$(result_field "$line" messages)
    out=$(result_field "$line" wire_out_per_msg); in=$(result_field "$line" wire_in_per_msg)
    saved=$(result_field "$line" saved_pct)
    if [[ $name != deflate-idle* && $messages != - && $messages -gt 0 ]]; then
        cpu_note=$(awk -v c="$cpu" -v m="$messages" 'BEGIN { printf "CPU %.1f µs/msg; ", c * 1e6 / m }')
    fi
    echo "${cpu_note}wire ${out%.*}+${in%.*} B/msg, ${saved%.*} % saved"
}

# Runs scenario $1 (already defined) once against server kind $2 in round $3.
run_one() {
    local name=$1 kind=$2 round=$3 role=$4
    local log=$OUT/logs/$name-r$round-$kind
    local args=$S_ARGS port="" pid="" extra="" before=0 after=0 rss_before=0 rss_open=0 peak=0 cpu backend
    local status=ok value unit p50 p99 note="-" line rc
    BACKEND_PIDS=""
    case $kind in
    machine) SERVER_NAME=machine ;;
    tcp-echo) SERVER_NAME=tcp-echo; port=$ECHO_PORT; pid=$ECHO_PID; CPU_MODE=self ;;
    *)
        [[ ($name == *idle-* || $name == deflate-idle*) && $kind == wsgate* ]] && extra="--maxforks=0"   # websocketd has no limit by default
        # The slow-client policy logs at info: the note says whether it acted.
        ROOM_LOG_LEVEL=error
        [[ $name == *-slow ]] && ROOM_LOG_LEVEL=info
        if ! start_server "$kind" "$log.server.log" "$extra"; then
            echo "bench.sh: $kind did not start (see $log.server.log)" >&2
            status=ERROR
        fi
        port=$SERVER_PORT; pid=$SERVER_PID ;;
    esac
    [[ $kind == machine ]] || args="$args --port=$port"
    [[ -n ${S_SLOW_ARGS:-} && $kind != wsgate-noslow ]] && args="$args $S_SLOW_ARGS"
    ((S_TLS)) && args="$args --tls"
    if [[ -n $pid ]]; then
        # shellcheck disable=SC2086
        before=$(cpu_ticks_sum "$CPU_MODE" "$pid" $BACKEND_PIDS)
        # shellcheck disable=SC2086
        rss_before=$(status_kb_sum VmRSS "$pid" $BACKEND_PIDS)
        if [[ $kind == websockify ]]; then
            sample_tree_rss "$pid" "$log.rss" &
            SAMPLER_PID=$!
        fi
    fi
    if [[ $status == ok ]]; then
        if is_idle_scenario "$name"; then
            # shellcheck disable=SC2086
            "$BENCH" $args >"$log.out" 2>&1 &
            local bench_pid=$! i
            for ((i = 0; i < 1200; i++)); do
                grep -q '^READY' "$log.out" 2>/dev/null && break
                kill -0 "$bench_pid" 2>/dev/null || break
                sleep 0.1
            done
            if grep -q '^READY' "$log.out"; then
                sleep 0.5   # let the last upgrades' transient buffers go
                # shellcheck disable=SC2086
                rss_open=$(status_kb_sum VmRSS "$pid" $BACKEND_PIDS)
                [[ $kind == websockify ]] && rss_open=$(tree_rss_kb "$pid")
            fi
            wait "$bench_pid"
            rc=$?
        else
            # shellcheck disable=SC2086
            "$BENCH" $args >"$log.out" 2>&1
            rc=$?
        fi
        ((rc == 0)) || status=ERROR
    fi
    if [[ -n $pid ]]; then
        [[ $kind == websockify ]] && sleep 0.5   # its per-connection children exit and are reaped
        # shellcheck disable=SC2086
        after=$(cpu_ticks_sum "$CPU_MODE" "$pid" $BACKEND_PIDS)
        # shellcheck disable=SC2086
        peak=$(status_kb_sum VmHWM "$pid" $BACKEND_PIDS)
        if [[ -n $SAMPLER_PID ]]; then
            kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
            [[ -s $log.rss ]] && peak=$(<"$log.rss")
        fi
    fi
    if [[ $kind != machine && $kind != tcp-echo && -n $SERVER_PID ]]; then
        for backend in "$SERVER_PID" $BACKEND_PIDS; do
            kill -0 "$backend" 2>/dev/null || { status=ERROR; echo "bench.sh: $kind (pid $backend) died during the run" >&2; }
        done
        stop_pid "$SERVER_PID"
        SERVER_PID=""
        for backend in $BACKEND_PIDS; do stop_pid "$backend"; done
        BACKEND_PIDS=""
    fi
    cpu=$(awk -v t=$((after - before)) 'BEGIN { printf "%.2f", t / 100 }')
    line=$(grep '^RESULT' "$log.out" 2>/dev/null | tail -1)
    value=$(result_field "$line" value); unit=$(result_field "$line" unit)
    p50=$(result_field "$line" p50_us); p99=$(result_field "$line" p99_us)
    if is_idle_scenario "$name"; then
        local total up
        total=$(result_field "$line" total); up=$(result_field "$line" seconds)
        if ((rss_open > 0)) && [[ $total != - ]]; then
            value=$(awk -v a="$rss_open" -v b="$rss_before" -v n="$total" 'BEGIN { printf "%.2f", (a - b) / n }')
        else
            value=0; status=ERROR
        fi
        unit=KB/conn
        note="up in ${up} s; RSS $((rss_before / 1024))→$((rss_open / 1024)) MB"
        p50=-; p99=-
    fi
    if [[ $name == deflate* && -n $line ]]; then
        local deflate
        deflate=$(deflate_note "$name" "$line" "$cpu")
        if [[ $note == - ]]; then note=$deflate; else note="$note; $deflate"; fi
    fi
    if [[ $name == *-slow ]]; then
        local slow_note
        slow_note=$(slow_policy_note "$kind" "$log.server.log")
        [[ -n $slow_note ]] && note=$slow_note
    fi
    [[ -z $line ]] && status=ERROR
    if [[ $status != ok ]]; then
        if [[ $role == reference ]]; then FAILED_REFERENCE_RUNS=$((FAILED_REFERENCE_RUNS + 1)); else FAILED_RUNS=$((FAILED_RUNS + 1)); fi
        echo "   !! ERROR: $name against $kind, round $round (see $log.out)" >&2
        grep -E '^ERROR' "$log.out" 2>/dev/null | head -5 | sed 's/^/      /' >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$S_TITLE" "$SERVER_NAME" "$role" "$round" \
        "$status" "${value:--}" "${unit:--}" "${p50:--}" "${p99:--}" "$cpu" "$peak" "$note" >>"$RESULTS"
    printf '   %-18s %-11s round %d: %s %s (p99 %s µs, server CPU %s s, peak RSS %s MB)%s\n' "$name" "$SERVER_NAME" \
        "$round" "${value:--}" "${unit:--}" "${p99:--}" "$cpu" "$((peak / 1024))" "$([[ $status == ok ]] || echo '  ** ERROR **')"
}

echo "== wsgate-bench: ${SELECTED[*]}; $ROUNDS round(s), ${SECONDS_PER_RUN}-s runs; output in $OUT"
echo "   machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
for name in "${SELECTED[@]}"; do
    define_scenario "$name"
    echo "== $name: $S_TITLE"
    servers=()
    for kind in $S_SERVERS; do
        if server_available "$kind"; then servers+=("$kind"); else echo "   (skipping $kind: not installed)"; fi
    done
    for ((round = 1; round <= ROUNDS; round++)); do
        index=0
        for kind in "${servers[@]}"; do
            role=alone
            if ((${#servers[@]} > 1)); then
                # The first is the subject, and so is wsgate behind HAProxy (the table pairs it
                # with websocketd behind HAProxy); another wsgate (a variant) stands alone.
                if ((index == 0)) || [[ $kind == wsgate-haproxy2 ]]; then role=subject
                elif [[ $kind != wsgate* ]]; then role=reference; fi
            fi
            run_one "$name" "$kind" "$round" "$role"
            index=$((index + 1))
        done
    done
done

echo
awk -f "$ROOT/scripts/bench/table.awk" "$RESULTS" | tee "$OUT/table.md"
echo
echo "results: $RESULTS, table: $OUT/table.md, logs: $OUT/logs"
if ((FAILED_REFERENCE_RUNS > 0)); then
    echo "WARNING: $FAILED_REFERENCE_RUNS run(s) of a reference server (websocketd, websockify) reported errors;" \
        "their rounds have no ratio (see the table and the logs)" >&2
fi
if ((FAILED_RUNS > 0)); then
    echo "ERROR: $FAILED_RUNS run(s) reported errors: THESE RESULTS ARE NOT VALID" >&2
    exit 1
fi
exit 0
