#!/bin/sh
# Remakes the TLS test fixtures in this folder with the openssl command line tool.
# For tests only: the keys are public (they are in the repository).
set -eu
cd "$(dirname "$0")"
days=36500
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The test CA (its key is not kept: nothing else is ever signed with it).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days $days \
    -subj "/CN=wsgate test CA" -keyout "$work/ca.key" -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

# The server: localhost and 127.0.0.1, signed by the test CA.
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout server.key -out "$work/server.csr"
printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > "$work/ext"
openssl x509 -req -in "$work/server.csr" -CA ca.pem -CAkey "$work/ca.key" -CAcreateserial -CAserial "$work/ca.srl" \
    -days $days -extfile "$work/ext" -out server.pem

# A key that belongs to no certificate here (the "key does not match" case).
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out other.key
