// COpenSSL: Debian's OpenSSL 3 (libssl-dev) as a Swift module, found through pkg-config.
//
// Why it exists: TLS is one of the two things wsgate does not write itself (DEFLATE, through
// CZlib, is the other); the system's OpenSSL is linked (see CONTRIBUTING.md). Only WSGateTLS
// and CWSGateTLS import this module.
#ifndef COPENSSL_H
#define COPENSSL_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#endif
