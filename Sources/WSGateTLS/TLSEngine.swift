public import WSGateCore
import COpenSSL
import CWSGateTLS

/// One TLS connection (server side; client side for the load tool) as a byte transformer: ciphertext from the peer in,
/// plaintext out; plaintext to send in, ciphertext out. It never touches a descriptor.
///
/// Why it exists: TLS must sit under `StreamTransport` without changing what the transport
/// does. OpenSSL could own the socket (`SSL_set_fd`), but then OpenSSL would make the read and
/// write system calls, and the transport's shared read buffer, its `writev` coalescing, its
/// write queue with watermarks, its half-close and linger would all have to be redone around
/// OpenSSL's retry rules. Through a BIO of our own (`CiphertextChannel`) OpenSSL only ever sees bytes: the transport
/// keeps every system call, the write queue holds ciphertext (so backpressure counts what the
/// kernel still has to take), and the engine can be tested with no socket at all.
///
/// Use: after every `receive` and `send`, move `pendingCiphertextBytes` out with
/// `takeCiphertext` (handshake messages, session tickets and alerts appear there too).
///
/// - Warning: not thread-safe; one connection, one loop. OpenSSL's error queue is per thread,
///   so every call here reads it on the thread that made the call.
public final class TLSEngine {
    private let ssl: OpaquePointer
    /// Ciphertext from the peer lent to OpenSSL for one `receive` (the caller's bytes), and
    /// how much of it OpenSSL has taken.
    private var lent = UnsafeRawBufferPointer(start: nil, count: 0)
    private var lentOffset = 0
    /// Ciphertext OpenSSL produced, waiting for `takeCiphertext`.
    private var outgoing = ByteBuffer()
    /// An emptied `outgoing` keeps its memory up to this size (small messages reuse it); a
    /// larger one is given back, so an idle connection holds no burst's memory.
    static let retainedOutgoingCapacity = 1024
    /// Plaintext sent before the handshake finished: encrypted once it has.
    private var earlyPlaintext = ByteBuffer()
    private var closeNotifySent = false
    /// A fatal error happened: OpenSSL may not be called again for this connection.
    private var failed = false

    /// The handshake is done: data flows both ways.
    public private(set) var isHandshakeComplete = false
    /// The peer sent close_notify: it will send nothing more.
    public private(set) var peerSentCloseNotify = false

    /// What one `receive` found out beyond the plaintext it appended.
    public enum ReceiveOutcome: Equatable, Sendable {
        /// More ciphertext is needed (mid-handshake or mid-record) or was all consumed.
        case open
        /// The peer's close_notify arrived: the end of its data.
        case closedByPeer
    }

    /// A server-side engine (the role the gateway uses).
    convenience init(context: TLSServerContext) throws(TLSError) {
        try self.init(sslContext: context.context, connecting: false)
    }

    /// An engine on `sslContext`: the client side (`connecting`, as `TLSClientContext` makes
    /// them) or the server side.
    init(sslContext: OpaquePointer, connecting: Bool) throws(TLSError) {
        OpenSSLErrors.clear()
        guard let ssl = SSL_new(sslContext) else {
            throw .setup(reason: OpenSSLErrors.take(fallback: "SSL_new failed"))
        }
        self.ssl = ssl
        guard let channel = CiphertextChannel.makeBIO(for: self) else {
            throw .setup(reason: OpenSSLErrors.take(fallback: "BIO_new failed"))  // deinit frees `ssl`
        }
        SSL_set_bio(ssl, channel, channel)  // one BIO both ways; `ssl` owns it
        if connecting { SSL_set_connect_state(ssl) } else { SSL_set_accept_state(ssl) }
    }

    deinit {
        SSL_free(ssl)  // frees the channel BIO
    }

    /// Bytes of plaintext sent before the handshake was complete, waiting for it.
    public var waitingPlaintextBytes: Int { earlyPlaintext.readableBytes }

    /// Bytes of ciphertext waiting to be sent to the peer.
    public var pendingCiphertextBytes: Int { outgoing.readableBytes }

    /// The negotiated protocol version ("TLSv1.3"), for log lines.
    public var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The application protocol ALPN chose, if any.
    public var applicationProtocol: String? {
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }

    /// The subject of the client's certificate once the handshake verified it (`--sslca`), in
    /// RFC 2253 form as OpenSSL's XN_FLAG_RFC2253 prints it, UTF-8 unescaped:
    /// "CN=test client,O=wsgate tests". Nil without a verified certificate.
    public var verifiedPeerSubject: String? {
        guard isHandshakeComplete, !failed, let certificate = SSL_get0_peer_certificate(ssl),
              SSL_get_verify_result(ssl) == X509_V_OK, let name = X509_get_subject_name(certificate),
              let bio = BIO_new(BIO_s_mem())
        else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, CWSGateTLS_xn_flags_rfc2253_utf8()) >= 0 else {
            OpenSSLErrors.clear()
            return nil
        }
        var text = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let count = text.isEmpty ? 0 : BIO_read(bio, &text, Int32(text.count))
        return String(decoding: text.prefix(Int(max(0, count))), as: UTF8.self)
    }

    // MARK: - From the peer

    /// Takes `ciphertext` from the peer and appends every byte of plaintext it completes to
    /// `plaintext`. Reads until OpenSSL needs more input, so no decrypted byte stays buffered
    /// inside OpenSSL waiting for a read event that will not come, and every byte of
    /// `ciphertext` is taken (a partial record waits inside OpenSSL).
    public func receive(_ ciphertext: ByteBuffer, plaintext: inout ByteBuffer) throws(TLSError) -> ReceiveOutcome {
        guard !failed else { throw .connection(reason: "connection already failed") }
        return try ciphertext.withUnsafeReadableBytes { (bytes) throws(TLSError) -> ReceiveOutcome in
            lent = bytes
            lentOffset = 0
            defer { lent = UnsafeRawBufferPointer(start: nil, count: 0) }
            return try advance(into: &plaintext)
        }
    }

    /// The channel BIO's read: copies up to `limit` lent bytes to `destination`.
    func takeLentCiphertext(into destination: UnsafeMutableRawPointer?, upTo limit: Int) -> Int {
        let count = min(limit, lentCiphertextBytes)
        guard count > 0, let destination, let base = lent.baseAddress else { return 0 }
        destination.copyMemory(from: base + lentOffset, byteCount: count)
        lentOffset += count
        return count
    }

    /// Lent ciphertext OpenSSL has not taken yet.
    var lentCiphertextBytes: Int { lent.count - lentOffset }

    /// The channel BIO's write: a record (or handshake flight, or alert) for the peer.
    func appendOutgoingCiphertext(_ bytes: UnsafeRawBufferPointer) {
        outgoing.writeBytes(bytes)
    }

    private func advance(into plaintext: inout ByteBuffer) throws(TLSError) -> ReceiveOutcome {
        if !isHandshakeComplete {
            guard try continueHandshake() else { return .open }
        }
        return try readPlaintext(into: &plaintext)
    }

    /// True once the handshake is complete (sending plaintext that waited for it).
    private func continueHandshake() throws(TLSError) -> Bool {
        OpenSSLErrors.clear()
        let result = SSL_do_handshake(ssl)
        if result != 1 {
            try check(result)
            return false
        }
        isHandshakeComplete = true
        if !earlyPlaintext.isEmpty {
            let early = earlyPlaintext
            earlyPlaintext = ByteBuffer()
            try send(early)
        }
        return true
    }

    private func readPlaintext(into plaintext: inout ByteBuffer) throws(TLSError) -> ReceiveOutcome {
        while true {
            OpenSSLErrors.clear()
            var result: Int32 = 0
            // The room there is, or a record's worth more once it is full.
            let room = plaintext.writableBytes > 0 ? 1 : Self.recordSize
            _ = plaintext.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { area in
                result = SSL_read(ssl, area.baseAddress, Int32(clamping: area.count))
                return result > 0 ? Int(result) : 0
            }
            if result > 0 { continue }
            if SSL_get_error(ssl, result) == SSL_ERROR_ZERO_RETURN {
                peerSentCloseNotify = true
                return .closedByPeer
            }
            try check(result)
            return .open
        }
    }

    /// Returns when `result` only means "needs more input"; throws for a real failure.
    private func check(_ result: Int32) throws(TLSError) {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        case SSL_ERROR_ZERO_RETURN:
            failed = true
            throw .connection(reason: "the peer closed the connection during the handshake")
        default:
            failed = true
            var reason = OpenSSLErrors.take(fallback: "protocol error")
            // "certificate verify failed" says that, not why: the chain check's own reason follows.
            let verification = SSL_get_verify_result(ssl)
            if verification != X509_V_OK, let why = X509_verify_cert_error_string(verification) {
                reason += " (\(String(cString: why)))"
            }
            throw .connection(reason: reason)
        }
    }

    // MARK: - To the peer

    /// Encrypts `plaintext` (or keeps it until the handshake is complete).
    public func send(_ plaintext: ByteBuffer) throws(TLSError) {
        try plaintext.withUnsafeReadableBytes { (bytes) throws(TLSError) in try send(bytes) }
    }

    /// Encrypts `bytes` (or keeps them until the handshake is complete).
    public func send(_ bytes: UnsafeRawBufferPointer) throws(TLSError) {
        guard !bytes.isEmpty, !closeNotifySent else { return }
        guard !failed else { throw .connection(reason: "connection already failed") }
        guard isHandshakeComplete else {
            earlyPlaintext.writeBytes(bytes)
            return
        }
        // Room for the records at once (a header, padding and tag each), not grown record by record.
        outgoing.reserveWritableBytes(bytes.count + (bytes.count / Self.recordSize + 1) * Self.recordOverheadEstimate)
        var offset = 0
        while offset < bytes.count {
            OpenSSLErrors.clear()
            // The channel BIO takes every record whole, so OpenSSL takes the whole piece.
            let result = SSL_write(ssl, bytes.baseAddress! + offset, Int32(clamping: bytes.count - offset))
            guard result > 0 else {
                failed = true
                throw .connection(reason: OpenSSLErrors.take(fallback: "SSL_write failed"))
            }
            offset += Int(result)
        }
    }

    /// Queues close_notify (RFC 8446 §6.1): the end of our data, distinguishable from a
    /// truncation. Nothing is sent before the handshake is complete or after a failure.
    public func sendCloseNotify() {
        guard isHandshakeComplete, !failed, !closeNotifySent else { return }
        closeNotifySent = true
        OpenSSLErrors.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrors.clear()
    }

    /// Moves all pending ciphertext to `buffer`: without a copy when `buffer` has no memory
    /// of its own yet.
    public func takeCiphertext(into buffer: inout ByteBuffer) {
        if outgoing.isEmpty { return }
        if buffer.capacity == 0 {
            swap(&buffer, &outgoing)
        } else {
            buffer.writeBuffer(outgoing)
        }
        if outgoing.capacity > Self.retainedOutgoingCapacity {
            outgoing = ByteBuffer()
        } else {
            outgoing.clear()
        }
    }

    /// The most plaintext one TLS record holds (RFC 8446 §5.1).
    static let recordSize = 16_384
    /// What a record adds to its plaintext, rounded up: 22 bytes with TLS 1.3's AEAD suites,
    /// 29 with TLS 1.2's GCM, more with CBC (then `outgoing` grows once more).
    static let recordOverheadEstimate = 64
}

@available(*, unavailable)
extension TLSEngine: Sendable {}
