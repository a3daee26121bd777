#!/usr/bin/env bash
# Interleaved benchmark of `wsgate --staticdir` against `websocketd --staticdir` and Debian's
# nginx serving the same directory, driven by Debian's wrk over loopback.
#
#   scripts/bench-static.sh [--rounds=3] [--seconds=5] [--bin-dir=DIR] [--out=DIR]
#
# Scenarios, each run against every server in turn, round after round (so a noisy neighbour
# hurts all sides of a ratio alike):
#   small-c1    GET a 1 KiB file, keep-alive, 1 connection        (requests/s)
#   small-c50   GET a 1 KiB file, keep-alive, 50 connections      (requests/s)
#   large-c1    GET a 256 MiB file, 1 connection                  (MB/s)
# Servers log nothing per request (wsgate and websocketd at --loglevel=error, nginx with
# access_log off), nginx runs one worker per core with sendfile on, wsgate one loop per core.
# wsgate's resident memory is read before and after the large-file runs.
#
# Needs: wrk, nginx (apt-get install wrk nginx), websocketd; a missing server is skipped.
# Output: one line per run, then a table of medians and ratios; results.tsv in --out.
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

ROUNDS=3
SECONDS_PER_RUN=5
BIN_DIR=""
OUT=""
for arg in "$@"; do
    case $arg in
    --rounds=*) ROUNDS=${arg#*=} ;;
    --seconds=*) SECONDS_PER_RUN=${arg#*=} ;;
    --bin-dir=*) BIN_DIR=${arg#*=} ;;
    --out=*) OUT=${arg#*=} ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-static: unknown argument $arg" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "bench-static: wrk is missing (apt-get install wrk)" >&2; exit 2; }
if [[ -z $BIN_DIR ]]; then
    (cd "$ROOT" && swift build -c release --product wsgate >/dev/null) || exit 1
    BIN_DIR="$ROOT/.build/release"
fi
OUT=${OUT:-$(mktemp -d /tmp/wsgate-bench-static.XXXXXX)}
mkdir -p "$OUT/site" "$OUT/logs"
SITE="$OUT/site"
head -c 1024 /dev/urandom | base64 -w 76 | head -c 1024 >"$SITE/small.html"
[[ -f $SITE/large.bin ]] || head -c $((256 << 20)) /dev/urandom >"$SITE/large.bin"

PIDS=()
declare -A PORT
start_server() {
    local name=$1 port
    port=$(free_port)
    case $name in
    wsgate) "$BIN_DIR/wsgate" --address=127.0.0.1 --port="$port" --loglevel=error --staticdir="$SITE" \
        >"$OUT/logs/wsgate.log" 2>&1 & ;;
    websocketd) websocketd --address=127.0.0.1 --port="$port" --loglevel=error --staticdir="$SITE" \
        >"$OUT/logs/websocketd.log" 2>&1 & ;;
    nginx)
        cat >"$OUT/nginx.conf" <<EOF
worker_processes $(nproc);
pid $OUT/nginx.pid;
error_log $OUT/logs/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    types { text/html html; application/octet-stream bin; }
    client_body_temp_path $OUT/nginx-tmp;
    proxy_temp_path $OUT/nginx-tmp;
    fastcgi_temp_path $OUT/nginx-tmp;
    uwsgi_temp_path $OUT/nginx-tmp;
    scgi_temp_path $OUT/nginx-tmp;
    server { listen 127.0.0.1:$port; root $SITE; }
}
EOF
        /usr/sbin/nginx -c "$OUT/nginx.conf" -e "$OUT/logs/nginx-error.log" >"$OUT/logs/nginx.log" 2>&1 & ;;
    esac
    PIDS+=($!)
    PORT[$name]=$port
    wait_listening "$port" "$!" || { echo "bench-static: $name did not start (see $OUT/logs)" >&2; return 1; }
    WSGATE_PID=${WSGATE_PID:-}
    [[ $name == wsgate ]] && WSGATE_PID=$!
    return 0
}
trap 'for pid in "${PIDS[@]}"; do stop_pid "$pid"; done' EXIT

SERVERS=()
for name in wsgate websocketd nginx; do
    case $name in
    websocketd) command -v websocketd >/dev/null || { echo "bench-static: no websocketd, skipped"; continue; } ;;
    nginx) [[ -x /usr/sbin/nginx ]] || { echo "bench-static: no nginx, skipped"; continue; } ;;
    esac
    start_server "$name" && SERVERS+=("$name")
done

# Prints requests/s and MB/s of one wrk run.
run_wrk() {
    local threads=$1 connections=$2 url=$3 output rps transfer
    output=$(wrk -t"$threads" -c"$connections" -d"${SECONDS_PER_RUN}s" --latency "$url" 2>&1)
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$output")
    transfer=$(awk '/^Transfer\/sec:/ { v = $2; u = substr(v, length(v) - 1); n = v + 0;
        if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024; else if (u != "MB") n /= 1048576; printf "%.1f", n }' <<<"$output")
    if grep -q "Non-2xx\|Socket errors" <<<"$output"; then echo "$output" >>"$OUT/logs/wrk-errors.log"; fi
    echo "${rps:-0} ${transfer:-0}"
}

RESULTS="$OUT/results.tsv"
printf 'scenario\tserver\tround\trequests_per_s\tmb_per_s\n' >"$RESULTS"
rss_before=$(status_kb "$WSGATE_PID" VmRSS)
for ((round = 1; round <= ROUNDS; round++)); do
    for scenario in small-c1 small-c50 large-c1; do
        for server in "${SERVERS[@]}"; do
            case $scenario in
            small-c1) read -r rps mbs < <(run_wrk 1 1 "http://127.0.0.1:${PORT[$server]}/small.html") ;;
            small-c50) read -r rps mbs < <(run_wrk 2 50 "http://127.0.0.1:${PORT[$server]}/small.html") ;;
            large-c1) read -r rps mbs < <(run_wrk 1 1 "http://127.0.0.1:${PORT[$server]}/large.bin") ;;
            esac
            printf '%s\t%s\t%d\t%s\t%s\n' "$scenario" "$server" "$round" "$rps" "$mbs" >>"$RESULTS"
            printf '   %-10s %-10s round %d: %10s req/s %9s MB/s\n' "$scenario" "$server" "$round" "$rps" "$mbs"
        done
    done
done
rss_after=$(status_kb "$WSGATE_PID" VmRSS)
rss_peak=$(status_kb "$WSGATE_PID" VmHWM)

awk -F'\t' -v rounds="$ROUNDS" '
    NR > 1 { value[$1, $2, $3] = ($1 == "large-c1") ? $5 : $4; seen[$1] = 1; servers[$2] = 1 }
    function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return a[int((n + 1) / 2)] }
    END {
        split("small-c1 small-c50 large-c1", order, " ")
        printf "\n| scenario | wsgate | websocketd | nginx | wsgate ÷ websocketd | wsgate ÷ nginx |\n|---|---:|---:|---:|---:|---:|\n"
        for (k = 1; k <= 3; k++) {
            s = order[k]; if (!(s in seen)) continue
            unit = (s == "large-c1") ? " MB/s" : " req/s"
            line = "| " s
            for (x = 1; x <= 3; x++) {
                srv = (x == 1) ? "wsgate" : (x == 2) ? "websocketd" : "nginx"
                for (r = 1; r <= rounds; r++) v[r] = value[s, srv, r]
                m[srv] = (srv in servers) ? median(v, rounds) : 0
                line = line " | " ((srv in servers) ? m[srv] unit : "-")
            }
            for (x = 1; x <= 2; x++) {
                ref = (x == 1) ? "websocketd" : "nginx"; per = ""
                for (r = 1; r <= rounds; r++) { q[r] = (value[s, ref, r] > 0) ? value[s, "wsgate", r] / value[s, ref, r] : 0
                    per = per sprintf("%s%.2f", (r > 1 ? ", " : ""), q[r]) }
                line = line " | " ((ref in servers) ? sprintf("**%.2f×** (%s)", median(q, rounds), per) : "-")
            }
            print line " |"
        }
    }' "$RESULTS" | tee "$OUT/table.md"
echo
echo "wsgate RSS: ${rss_before} kB before, ${rss_after} kB after the runs, peak ${rss_peak} kB"
echo "results: $RESULTS, table: $OUT/table.md, logs: $OUT/logs"
