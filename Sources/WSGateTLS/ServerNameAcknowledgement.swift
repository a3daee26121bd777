import COpenSSL

/// SNI (RFC 6066 §3): accepts whatever name the client asks for, and says so.
///
/// Why it exists: one certificate serves every name, but without a servername callback
/// OpenSSL leaves the client's server_name extension unanswered, and a client cannot tell an
/// accepted name from an ignored one. Answering OK makes OpenSSL send the empty server_name
/// extension the RFC prescribes. A C-convention function because OpenSSL calls it during the
/// handshake.
let acknowledgeServerName: @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?, UnsafeMutableRawPointer?)
    -> Int32 = { _, _, _ in
        SSL_TLSEXT_ERR_OK
    }
