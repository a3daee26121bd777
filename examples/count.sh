#!/bin/sh
# Counts from 1 to 10, one number a second: each line is one WebSocket message.
# Run:  wsgate --port=8080 examples/count.sh     then open examples/count.html
set -u

i=1
while [ "$i" -le 10 ]; do
    echo "$i"
    sleep 1
    i=$((i + 1))
done
