// Real functions for OpenSSL's macros (see include/CWSGateTLS.h).
#include "CWSGateTLS.h"

int CWSGateTLS_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int CWSGateTLS_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

long CWSGateTLS_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

long CWSGateTLS_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

long CWSGateTLS_CTX_set_dh_auto(SSL_CTX *ctx) {
    return SSL_CTX_set_dh_auto(ctx, 1);
}

uint64_t CWSGateTLS_op_no_renegotiation(void) {
    return SSL_OP_NO_RENEGOTIATION;
}

long CWSGateTLS_BIO_set_mem_eof_return(BIO *bio, int value) {
    return BIO_set_mem_eof_return(bio, value);
}

void CWSGateTLS_BIO_set_retry_read(BIO *bio) {
    BIO_set_retry_read(bio);
}

void CWSGateTLS_BIO_clear_retry_flags(BIO *bio) {
    BIO_clear_retry_flags(bio);
}

long CWSGateTLS_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

unsigned long CWSGateTLS_xn_flags_rfc2253_utf8(void) {
    return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
}

int CWSGateTLS_CTX_set1_groups_list(SSL_CTX *ctx, const char *groups) {
    return (int)SSL_CTX_set1_groups_list(ctx, groups);
}

long CWSGateTLS_CTX_set_servername_callback(SSL_CTX *ctx, int (*callback)(SSL *ssl, int *alert, void *argument)) {
    return SSL_CTX_set_tlsext_servername_callback(ctx, callback);
}
