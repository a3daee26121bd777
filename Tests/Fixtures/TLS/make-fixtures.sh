#!/bin/sh
# Remakes the TLS test fixtures in this folder with the openssl command line tool.
# For tests only: the keys are public (they are in the repository).
set -eu
cd "$(dirname "$0")"
days=36500
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A self-signed CA named $2, written to $1.pem (its key stays in $work: nothing else is ever
# signed with it).
make_ca() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days $days \
        -subj "/CN=$2" -keyout "$work/$1.key" -out "$1.pem" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}

# A leaf certificate $1.pem with key $1.key, subject $2, signed by CA $3, extensions $4.
make_leaf() {
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" \
        -keyout "$1.key" -out "$work/$1.csr"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" "$4" > "$work/$1.ext"
    openssl x509 -req -in "$work/$1.csr" -CA "$3.pem" -CAkey "$work/$3.key" -CAcreateserial \
        -CAserial "$work/$3.srl" -days $days -extfile "$work/$1.ext" -out "$1.pem"
}

make_ca ca "wsgate test CA"
make_ca other-ca "another test CA"

# The server: localhost and 127.0.0.1, signed by the test CA; "renewed" is a second one for the
# same names (another CN and serial), the certificate a renewal puts in place.
server_ext="subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
make_leaf server "/CN=localhost" ca "$server_ext"
make_leaf renewed "/CN=localhost renewed" ca "$server_ext"

# Client certificates (--sslca): one signed by the test CA, one by another CA.
make_leaf client "/O=wsgate tests/CN=test client" ca "extendedKeyUsage=clientAuth"
make_leaf stranger "/O=elsewhere/CN=stranger" other-ca "extendedKeyUsage=clientAuth"

# A key that belongs to no certificate here (the "key does not match" case).
openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out other.key
