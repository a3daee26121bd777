import COpenSSL
import CWSGateTLS
import WSGateCore

/// A client's TLS settings for measuring a TLS server over loopback (`wsgate-bench --tls`):
/// every connection's `TLSEngine` is made from it, with the client's first flight ready.
///
/// Why it exists: the load tool must pay for TLS through the same OpenSSL and the same engine
/// as the gateway, so that a wss:// benchmark compares servers, not client libraries.
///
/// - Warning: it verifies nothing (no chain, no name): it is for benchmarks against a server
///   the caller started itself, never for talking to a server it has to trust. It keeps no
///   session either, so every handshake is a full one (no resumption), which is what a
///   handshakes-per-second figure has to measure.
///
/// Sendable for the same reason as `TLSServerContext`: only read after `init`.
public final class TLSClientContext: @unchecked Sendable {
    let context: OpaquePointer

    /// TLS 1.2 and 1.3 with OpenSSL's default client ciphers, ALPN `http/1.1`, buffers given
    /// back while idle (a load tool holds thousands of idle connections).
    public init() throws(TLSError) {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .setup(reason: OpenSSLErrors.take(fallback: "SSL_CTX_new failed"))
        }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        guard CWSGateTLS_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1,
              SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0
        else { throw .setup(reason: OpenSSLErrors.take(fallback: "client settings refused")) }
        _ = CWSGateTLS_CTX_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// A new client-side engine whose ClientHello is already waiting in
    /// `pendingCiphertextBytes` (a client speaks first; plaintext sent now waits for the
    /// handshake). No session is offered: OpenSSL's client side caches none by default.
    public func makeEngine() throws(TLSError) -> TLSEngine {
        let engine = try TLSEngine(sslContext: context, connecting: true)
        var nothing = ByteBuffer()
        _ = try engine.receive(ByteBuffer(), plaintext: &nothing)  // runs the handshake's first step
        return engine
    }
}
