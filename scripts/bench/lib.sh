# Helpers for scripts/bench.sh (sourced): ports, /proc readings, starting and stopping servers.
# Only bash builtins in the readings, so measuring does not cost the measured machine forks.

# Prints a TCP port nobody listens on, counting up from $NEXT_PORT.
NEXT_PORT=${NEXT_PORT:-21000}
free_port() {
    local port
    while :; do
        port=$NEXT_PORT
        NEXT_PORT=$((NEXT_PORT + 1))
        if ((NEXT_PORT > 29000)); then NEXT_PORT=21000; fi
        if ! is_listening "$port"; then
            echo "$port"
            return
        fi
    done
}

# True when something listens on 127.0.0.1:PORT or *:PORT (IPv4 or IPv6).
is_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -qE "^ *[0-9]+: [0-9A-F]+:$hex [0-9A-F]+:0000 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Waits until PORT listens (or PID died); fails after ~10 s.
wait_listening() {
    local port=$1 pid=$2 i
    for ((i = 0; i < 200; i++)); do
        is_listening "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# CPU seconds ×100 (clock ticks) of PID: utime+stime, or with "tree" also the reaped
# children's cutime+cstime. Prints 0 if the process is gone.
cpu_ticks() {
    local pid=$1 mode=${2:-self} line rest
    [[ -r /proc/$pid/stat ]] || { echo 0; return; }
    read -r line </proc/"$pid"/stat || { echo 0; return; }
    rest=${line##*) }
    # shellcheck disable=SC2086
    set -- $rest
    # After "comm)": $1 state … $12 utime $13 stime $14 cutime $15 cstime.
    if [[ $mode == tree ]]; then
        echo $((${12} + ${13} + ${14} + ${15}))
    else
        echo $((${12} + ${13}))
    fi
}

# cpu_ticks summed over PIDs (HAProxy and its backends): cpu_ticks_sum MODE PID…
cpu_ticks_sum() {
    local mode=$1 pid total=0
    shift
    for pid in "$@"; do total=$((total + $(cpu_ticks "$pid" "$mode"))); done
    echo "$total"
}

# status_kb summed over PIDs: status_kb_sum FIELD PID…
status_kb_sum() {
    local field=$1 pid total=0
    shift
    for pid in "$@"; do total=$((total + $(status_kb "$pid" "$field"))); done
    echo "$total"
}

# A field of /proc/PID/status in kB (VmRSS, VmHWM), 0 if gone.
status_kb() {
    local pid=$1 field=$2 key value unit
    [[ -r /proc/$pid/status ]] || { echo 0; return; }
    while read -r key value unit; do
        if [[ $key == "$field:" ]]; then
            echo "$value"
            return
        fi
    done 2>/dev/null </proc/"$pid"/status   # the process may end between the test and the read
    echo 0
}

# VmRSS of PID plus all its descendants, in kB (websockify forks a process per connection).
tree_rss_kb() {
    local pid=$1 total child
    total=$(status_kb "$pid" VmRSS)
    for child in $(children_of "$pid"); do
        total=$((total + $(tree_rss_kb "$child")))
    done
    echo "$total"
}

children_of() {
    local pid=$1 task
    for task in /proc/"$pid"/task/*/children; do
        [[ -r $task ]] && echo $(<"$task")
    done
}

# Samples tree_rss_kb of PID every 0.2 s into FILE (the maximum so far) until killed.
sample_tree_rss() {
    local pid=$1 file=$2 max=0 now
    while kill -0 "$pid" 2>/dev/null; do
        now=$(tree_rss_kb "$pid")
        if ((now > max)); then
            max=$now
            echo "$max" >"$file"
        fi
        sleep 0.2
    done
}

# Stops PID (one we started): SIGTERM, up to 3 s, then SIGKILL; then reaps it.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# The value of KEY in a `RESULT key=value …` line.
result_field() {
    local line=$1 key=$2 word
    for word in $line; do
        if [[ $word == "$key="* ]]; then
            echo "${word#*=}"
            return
        fi
    done
    echo "-"
}
