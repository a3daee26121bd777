#!/bin/sh
# The program behind the balancer in scripts/balancer-check.sh: its first message names the
# client as wsgate saw it and the instance ($1), then it echoes every line.
printf '%s %s %s\n' "$REMOTE_ADDR" "$REMOTE_PORT" "$1"
exec cat
