import COpenSSL
import CWSGateTLS

/// The server's TLS settings and its certificate, key and client CAs, loaded together: every
/// connection's `TLSEngine` is made from it (a renewed certificate makes a new one).
///
/// Why it exists: the certificate, the key and the policy (TLS 1.2 and 1.3 only, Mozilla's
/// "intermediate" ciphers, ALPN, no renegotiation) are decided at start, where a bad file can
/// still stop the gateway with a line naming it, instead of at each client's handshake.
///
/// Sendable: after `init` the `SSL_CTX` is only read, and OpenSSL makes `SSL_new` on a shared
/// context thread-safe (its reference count and session cache take their own locks).
public final class TLSServerContext: @unchecked Sendable {
    let context: OpaquePointer

    /// Mozilla "intermediate" (server side TLS guidelines v5.7): the TLS 1.2 suites, all
    /// forward-secret AEAD.
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    /// The TLS 1.3 suites of the same guidelines (all three RFC 8446 §9.1 ones a peer may use).
    static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// The key-exchange groups of the same guidelines, in their order.
    static let groups = "X25519:prime256v1:secp384r1"

    /// Loads the PEM certificate chain (the server's certificate first) and its private key;
    /// with `clientCAPath`, every client must present a certificate signed by one of the PEM
    /// CA certificates in that file. Throws naming the file that is missing, unreadable, not
    /// PEM, or a key that does not belong to the certificate.
    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil) throws(TLSError) {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .setup(reason: OpenSSLErrors.take(fallback: "SSL_CTX_new failed"))
        }
        self.context = context
        try configure()
        // A passphrase-protected key must fail here, not make OpenSSL prompt on the terminal.
        SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }
        OpenSSLErrors.clear()
        guard SSL_CTX_use_certificate_chain_file(context, certificateChainPath) == 1 else {
            throw .certificateFile(path: certificateChainPath,
                                   reason: OpenSSLErrors.take(fallback: "no certificate"))
        }
        guard SSL_CTX_use_PrivateKey_file(context, privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            let reason = OpenSSLErrors.take(fallback: "no private key")
            if Self.saysKeyMismatch(reason) {
                throw .keyMismatch(certificatePath: certificateChainPath, keyPath: privateKeyPath)
            }
            throw .privateKeyFile(path: privateKeyPath, reason: reason)
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            OpenSSLErrors.clear()
            throw .keyMismatch(certificatePath: certificateChainPath, keyPath: privateKeyPath)
        }
        if let clientCAPath { try requireClientCertificates(signedBy: clientCAPath) }
    }

    /// Mutual TLS (`--sslca`): the handshake fails unless the client sends a certificate that
    /// chains to a CA in `path`; those CAs' names go to the client in the CertificateRequest
    /// (RFC 8446 §4.2.4), so it can pick the right certificate.
    private func requireClientCertificates(signedBy path: String) throws(TLSError) {
        OpenSSLErrors.clear()
        guard SSL_CTX_load_verify_locations(context, path, nil) == 1 else {
            throw .clientCAFile(path: path, reason: OpenSSLErrors.take(fallback: "no CA certificate"))
        }
        guard let names = SSL_load_client_CA_file(path) else {
            throw .clientCAFile(path: path, reason: OpenSSLErrors.take(fallback: "no CA certificate"))
        }
        SSL_CTX_set_client_CA_list(context, names)  // takes ownership of `names`
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        // A resumed session carries the verified client; OpenSSL refuses to resume one that
        // was verified under no named context, so the context gets a name.
        let name = Array("wsgate".utf8)
        guard SSL_CTX_set_session_id_context(context, name, UInt32(name.count)) == 1 else {
            throw .setup(reason: OpenSSLErrors.take(fallback: "session id context refused"))
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// The policy every connection gets.
    private func configure() throws(TLSError) {
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); Mozilla "intermediate" starts at 1.2.
        guard CWSGateTLS_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1,
              SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1,
              SSL_CTX_set_ciphersuites(context, Self.tls13Suites) == 1,
              CWSGateTLS_CTX_set1_groups_list(context, Self.groups) == 1
        else { throw .setup(reason: OpenSSLErrors.take(fallback: "protocol or cipher settings refused")) }
        // Renegotiation only serves attacks and client-certificate tricks we do not use
        // (OpenSSL 3 already refuses a client's by default; the option says so whatever the
        // library's defaults become). The client's cipher order wins (its hardware knows
        // whether AES or ChaCha20 is faster), which is OpenSSL's default and Mozilla's advice:
        // SSL_OP_CIPHER_SERVER_PREFERENCE stays off.
        SSL_CTX_set_options(context, CWSGateTLS_op_no_renegotiation())
        // Idle connections give their read and write buffers (about 34 KiB) back.
        _ = CWSGateTLS_CTX_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
        // Resumption by stateless ticket only, as nginx does by default: one ticket per
        // handshake (OpenSSL makes two, each an encryption and a MAC), and no server-side
        // session cache (OpenSSL would walk it every 255 handshakes to expire entries).
        _ = SSL_CTX_set_num_tickets(context, 1)
        _ = CWSGateTLS_CTX_set_session_cache_mode(context, Int(SSL_SESS_CACHE_OFF))
        // The DHE suites above need a group; "auto" sizes it to the certificate's key.
        _ = CWSGateTLS_CTX_set_dh_auto(context)
        SSL_CTX_set_alpn_select_cb(context, selectHTTP11, nil)
        _ = CWSGateTLS_CTX_set_servername_callback(context, acknowledgeServerName)
    }

    /// Whether OpenSSL's reason says the key belongs to another certificate. Compared as
    /// bytes: `String.contains(String)` would link Swift's regex library into the binary.
    private static func saysKeyMismatch(_ reason: String) -> Bool {
        let text = Array(reason.utf8)
        let phrase = Array("key values mismatch".utf8)
        guard text.count >= phrase.count else { return false }
        return (0...(text.count - phrase.count)).contains { text[$0..<($0 + phrase.count)].elementsEqual(phrase) }
    }

    /// A new server-side engine for one accepted connection.
    public func makeEngine() throws(TLSError) -> TLSEngine {
        try TLSEngine(context: self)
    }
}
