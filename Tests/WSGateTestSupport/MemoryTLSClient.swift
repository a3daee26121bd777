import COpenSSL
import CWSGateTLS
public import WSGateCore

/// A TLS client on memory BIOs, straight on OpenSSL: the in-memory peer of `TLSEngine`.
///
/// Why it exists: the engine is tested without sockets; a real OpenSSL client on the other
/// side checks the certificate against the test CA and the host name, as a browser would.
public final class MemoryTLSClient {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer
    public private(set) var isHandshakeComplete = false
    /// The last failure's reasons, if the handshake or a read failed.
    public private(set) var failure: String?

    /// The newest protocol version a client offers.
    public enum Version: Sendable {
        case tls11, tls12, tls13
        var wireValue: Int32 {
            switch self {
            case .tls11: TLS1_1_VERSION
            case .tls12: TLS1_2_VERSION
            case .tls13: TLS1_3_VERSION
            }
        }
    }

    /// `maximumVersion`: e.g. `.tls11` to play an old client. `alpn`: names offered.
    /// `ciphers`: the TLS 1.2 cipher list offered (OpenSSL's syntax). `certificate`: the PEM
    /// certificate and key files the client presents when the server asks for one. `groups`: the
    /// key-exchange groups offered (OpenSSL's names).
    public init(maximumVersion: Version? = nil, alpn: [String] = [], ciphers: String? = nil,
                serverName: String = "localhost", certificate: (path: String, keyPath: String)? = nil,
                groups: String? = nil, resuming session: TLSClientSession? = nil) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TestFailure("SSL_CTX_new") }
        self.context = context
        if let certificate {
            guard SSL_CTX_use_certificate_file(context, certificate.path, SSL_FILETYPE_PEM) == 1,
                  SSL_CTX_use_PrivateKey_file(context, certificate.keyPath, SSL_FILETYPE_PEM) == 1
            else { throw TestFailure("cannot load \(certificate.path)") }
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_load_verify_locations(context, TLSFixtures.caCertificate, nil) == 1 else {
            throw TestFailure("cannot load \(TLSFixtures.caCertificate)")
        }
        if let maximumVersion {
            // OpenSSL 3's default security level refuses TLS 1.1 on the client side.
            _ = SSL_CTX_set_cipher_list(context, "DEFAULT:@SECLEVEL=0")
            _ = CWSGateTLS_CTX_set_min_proto_version(context, 0)
            _ = CWSGateTLS_CTX_set_max_proto_version(context, maximumVersion.wireValue)
        }
        if let ciphers { _ = SSL_CTX_set_cipher_list(context, ciphers) }
        if let groups { _ = CWSGateTLS_CTX_set1_groups_list(context, groups) }
        if !alpn.isEmpty {
            var wire: [UInt8] = []
            for name in alpn { wire.append(UInt8(name.utf8.count)); wire += name.utf8 }
            _ = SSL_CTX_set_alpn_protos(context, wire, UInt32(wire.count))
        }
        guard let ssl = SSL_new(context), let incoming = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem())
        else { throw TestFailure("SSL_new") }
        _ = CWSGateTLS_BIO_set_mem_eof_return(incoming, -1)
        _ = CWSGateTLS_BIO_set_mem_eof_return(outgoing, -1)
        SSL_set_bio(ssl, incoming, outgoing)
        SSL_set_connect_state(ssl)
        if let session { _ = SSL_set_session(ssl, session.pointer) }
        _ = CWSGateTLS_set_tlsext_host_name(ssl, serverName)
        _ = SSL_set1_host(ssl, serverName)
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The negotiated cipher suite's OpenSSL name.
    public var cipherName: String { String(cString: SSL_CIPHER_get_name(SSL_get_current_cipher(ssl))) }

    public var applicationProtocol: String? {
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }

    /// Drives the handshake as far as the bytes received allow (the first call makes the
    /// ClientHello).
    public func handshake() {
        guard !isHandshakeComplete, failure == nil else { return }
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            isHandshakeComplete = true
        } else if SSL_get_error(ssl, result) != SSL_ERROR_WANT_READ {
            failure = reasons()
        }
    }

    /// Bytes from the server.
    public func receive(_ bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { _ = BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
        handshake()
    }

    /// Everything the client has to send now.
    public func takeCiphertext() -> ByteBuffer {
        var buffer = ByteBuffer()
        while BIO_ctrl_pending(outgoing) > 0 {
            let pending = Int(BIO_ctrl_pending(outgoing))
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { area in
                Int(BIO_read(outgoing, area.baseAddress, Int32(pending)))
            }
        }
        return buffer
    }

    public func send(_ bytes: [UInt8]) {
        ERR_clear_error()
        let written = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        precondition(written == Int32(bytes.count), "SSL_write: \(reasons())")
    }

    /// Plaintext decrypted so far, and whether close_notify arrived.
    public func readAvailable() -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            ERR_clear_error()
            let count = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 {
                bytes += chunk[0..<Int(count)]
                continue
            }
            let error = SSL_get_error(ssl, count)
            if error != SSL_ERROR_WANT_READ && error != SSL_ERROR_ZERO_RETURN { failure = reasons() }
            return (bytes, error == SSL_ERROR_ZERO_RETURN)
        }
    }

    /// The session to resume on a later connection (after the server's ticket was read), or nil.
    public func session() -> TLSClientSession? {
        SSL_get1_session(ssl).map(TLSClientSession.init)
    }

    /// Whether the handshake resumed a session instead of making a full one.
    public var resumedSession: Bool { SSL_session_reused(ssl) == 1 }

    /// Asks for a renegotiation (TLS 1.2), as an attacker would to make the server work.
    public func renegotiate() {
        isHandshakeComplete = false
        _ = SSL_renegotiate(ssl)
        handshake()
    }

    public func sendCloseNotify() {
        _ = SSL_shutdown(ssl)
    }

    private func reasons() -> String {
        var texts: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            texts.append(ERR_reason_error_string(code).map { String(cString: $0) } ?? "error \(code)")
        }
        return texts.isEmpty ? "no reason" : texts.joined(separator: "; ")
    }
}

/// A client's TLS session, kept to resume it on another connection.
public final class TLSClientSession {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { SSL_SESSION_free(pointer) }
}
