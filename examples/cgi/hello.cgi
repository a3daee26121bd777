#!/bin/sh
# A CGI script for `wsgate --cgidir=examples/cgi`: its header section, a blank line, the body.
printf 'Content-Type: text/plain; charset=utf-8\n\n'
echo "hello ${QUERY_STRING:-world}, from $REQUEST_METHOD $PATH_INFO"
