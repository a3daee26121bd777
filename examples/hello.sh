#!/bin/sh
# Says hello, answers every message, and notes on stderr (which wsgate logs) when the client goes.
# Run:  wsgate --port=8080 examples/hello.sh     then open examples/hello.html
set -u

echo 'Hello, client!'
while IFS= read -r message; do
    # printf, not echo: some sh's echo would interpret backslashes in the message.
    printf 'Received message: %s\n' "$message"
done
# stdin ended: the client closed the connection.
echo 'client disconnected' >&2
exit 0
