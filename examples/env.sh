#!/bin/sh
# Prints the CGI environment wsgate gives the program (REMOTE_ADDR, HTTP_*, QUERY_STRING, ...),
# one variable per message, then exits, which closes the connection.
# Run:  wsgate --port=8080 examples/env.sh     then open examples/env.html
set -u

env | sort
