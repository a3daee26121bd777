#!/bin/sh
# The program behind scripts/auth-check.sh: who the gateway let in, and the query it passed on.
echo "$REMOTE_USER $AUTH_TYPE $QUERY_STRING"
