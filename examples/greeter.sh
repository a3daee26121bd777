#!/bin/sh
# Greets every message: each message arrives as one line on stdin, each line printed is sent back.
# Run:  wsgate --port=8080 examples/greeter.sh     then open examples/greeter.html
set -u

while IFS= read -r line; do
    printf 'Hello, %s!\n' "$line"
done
