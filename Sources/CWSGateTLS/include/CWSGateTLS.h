// CWSGateTLS: real functions for the OpenSSL calls that are macros.
//
// Why it exists: Swift imports no function-like macro, and OpenSSL spells many settings as
// macros over SSL_CTX_ctrl / BIO_ctrl with private command numbers, or as 64-bit constants
// built by a macro (SSL_OP_BIT). Each function here wraps exactly one of them, prefixed
// CWSGateTLS_; nothing else lives in this target.
#ifndef CWSGATETLS_H
#define CWSGATETLS_H

#include <stdint.h>
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/x509.h>

/// SSL_CTX_set_min_proto_version (a macro): the oldest protocol version accepted.
int CWSGateTLS_CTX_set_min_proto_version(SSL_CTX *ctx, int version);

/// SSL_CTX_set_max_proto_version (a macro): the newest protocol version offered (tests use it
/// to play an old client).
int CWSGateTLS_CTX_set_max_proto_version(SSL_CTX *ctx, int version);

/// SSL_CTX_set_mode (a macro): adds the SSL_MODE_* bits in `mode`.
long CWSGateTLS_CTX_set_mode(SSL_CTX *ctx, long mode);

/// SSL_CTX_set_session_cache_mode (a macro): which sessions OpenSSL keeps for resumption by id.
long CWSGateTLS_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode);

/// SSL_CTX_set_dh_auto (a macro): DHE key exchange with a group sized to the certificate's key.
long CWSGateTLS_CTX_set_dh_auto(SSL_CTX *ctx);

/// SSL_OP_NO_RENEGOTIATION (built by the SSL_OP_BIT macro, so not imported).
uint64_t CWSGateTLS_op_no_renegotiation(void);

/// BIO_set_mem_eof_return (a macro): what an empty memory BIO answers a read with (the tests'
/// OpenSSL client).
long CWSGateTLS_BIO_set_mem_eof_return(BIO *bio, int value);

/// BIO_set_retry_read (a macro): a read found nothing yet, so OpenSSL reports SSL_ERROR_WANT_READ.
void CWSGateTLS_BIO_set_retry_read(BIO *bio);

/// BIO_clear_retry_flags (a macro): the last operation is not waiting for anything.
void CWSGateTLS_BIO_clear_retry_flags(BIO *bio);

/// SSL_set_tlsext_host_name (a macro): the SNI name a client sends (tests).
long CWSGateTLS_set_tlsext_host_name(SSL *ssl, const char *name);

/// SSL_CTX_set1_groups_list (a macro): the key-exchange groups offered and accepted, by name.
int CWSGateTLS_CTX_set1_groups_list(SSL_CTX *ctx, const char *groups);

/// SSL_CTX_set_tlsext_servername_callback (a macro over SSL_CTX_callback_ctrl): the function
/// called with the client's SNI name during the handshake.
long CWSGateTLS_CTX_set_servername_callback(SSL_CTX *ctx, int (*callback)(SSL *ssl, int *alert, void *argument));

/// XN_FLAG_RFC2253 without ASN1_STRFLGS_ESC_MSB (macros built from macros): a certificate
/// name in RFC 2253 form with UTF-8 kept as UTF-8 instead of "\C3\A9" escapes.
unsigned long CWSGateTLS_xn_flags_rfc2253_utf8(void);

#endif
