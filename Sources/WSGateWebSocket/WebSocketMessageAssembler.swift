public import WSGateCore

/// Turns decoder events into whole messages and validated control frames (RFC 6455 §5.4,
/// §5.5, §8.1).
///
/// Why it exists: the backend wants messages, not frames. This type enforces the rules that
/// span frames — fragmentation order (§5.4), the message-size limit, UTF-8 validity of text
/// (§8.1, checked on every chunk as it arrives so invalid text fails at the first bad byte,
/// before the rest of the frame is even received) — and parses Close bodies (§5.5.1).
///
/// It never buffers a byte it has not checked against the limit first. A single-frame message
/// that arrives in one chunk is passed on as that same slice (no copy); otherwise each chunk
/// is copied once into the message buffer.
///
/// After it has thrown for a data frame it drops all further data events (returns nil) but
/// still delivers control frames, so the connection can complete its close handshake.
public struct WebSocketMessageAssembler: Sendable {
    /// The largest message (sum of its fragments' payloads) accepted; more fails with 1009.
    public let maxMessageLength: Int

    /// Opcode of the message in progress (text or binary), nil between messages.
    private var messageOpcode: WebSocketOpcode?
    /// FIN bit of the data frame in progress.
    private var frameIsFinal = false
    /// Payload bytes of the current data frame not yet received.
    private var frameRemaining: UInt64 = 0
    /// The message so far.
    private var payload = ByteBuffer()
    /// `true` while `payload` is a slice of the decoder's input (not yet copied).
    private var payloadIsBorrowed = false
    private var validator = UTF8Validator()
    /// The data-frame error already thrown, if any.
    private var failure: WebSocketError?

    public init(maxMessageLength: Int) {
        self.maxMessageLength = Swift.max(0, maxMessageLength)
    }

    /// Processes one decoder event; returns a message event when one is complete.
    public mutating func receive(_ event: WebSocketFrameEvent) throws(WebSocketError) -> WebSocketMessageEvent? {
        switch event {
        case .control(let opcode, let payload):
            return try Self.controlEvent(opcode, payload: payload)
        case .dataHeader, .dataPayload, .dataEnd:
            guard failure == nil else { return nil }
            do {
                return try receiveData(event)
            } catch {
                failure = error
                discardMessage()
                throw error
            }
        }
    }

    private mutating func receiveData(_ event: WebSocketFrameEvent) throws(WebSocketError) -> WebSocketMessageEvent? {
        switch event {
        case .dataHeader(let header):
            if header.opcode == .continuation {
                // §5.4: fragments after the first have "the opcode set to 0"; with no first
                // fragment there is nothing to continue.
                guard messageOpcode != nil else { throw .unexpectedContinuation }
            } else {
                // §5.4: "the fragments of one message MUST NOT be interleaved between the
                // fragments of another message unless an extension has been negotiated".
                guard messageOpcode == nil else { throw .expectedContinuation(header.opcode) }
                messageOpcode = header.opcode
                validator.reset()
            }
            // The size limit, before any of this frame's payload is buffered.
            guard header.payloadLength <= UInt64(maxMessageLength - payload.readableBytes) else {
                throw .messageTooBig(limit: maxMessageLength)
            }
            frameIsFinal = header.fin
            frameRemaining = header.payloadLength
            return nil

        case .dataPayload(let chunk):
            // A chunk without a header is a caller mistake, treated like a stray continuation.
            guard let opcode = messageOpcode else { throw .unexpectedContinuation }
            let count = chunk.readableBytes
            guard count <= maxMessageLength - payload.readableBytes else {
                throw .messageTooBig(limit: maxMessageLength)
            }
            // §8.1: invalid UTF-8 text fails the connection — detected on this chunk, at the
            // first impossible byte, without waiting for the rest of the frame.
            if opcode == .text && !validator.validate(chunk) { throw .invalidUTF8 }
            append(chunk)
            frameRemaining -= Swift.min(UInt64(count), frameRemaining)
            return nil

        case .dataEnd:
            guard let opcode = messageOpcode else { throw .unexpectedContinuation }
            guard frameIsFinal else { return nil }
            // §8.1: the complete text must be valid UTF-8, so it cannot end inside a character.
            if opcode == .text && !validator.isAtCharacterBoundary { throw .incompleteUTF8 }
            let message = WebSocketMessageEvent.message(opcode: opcode, payload: payload)
            discardMessage()
            return message

        case .control:
            return nil
        }
    }

    /// Bytes of the message in progress held so far. Exposed to the package's tests.
    package var bufferedBytes: Int { payload.readableBytes }
    /// Memory the message in progress holds: what a peer made it reserve. Exposed to the
    /// package's tests.
    package var bufferedCapacity: Int { payload.capacity }

    /// The most a message buffer reserves ahead of the bytes that arrived: a declared length is
    /// a promise, not bytes, and a peer may declare gigabytes and send three.
    package static let maxReservationAhead = 1 << 20

    /// Adds an already checked chunk to the message.
    private mutating func append(_ chunk: ByteBuffer) {
        if payload.readableBytes == 0 && !payloadIsBorrowed {
            // Keep the decoder's slice: a message that arrives in one chunk is never copied.
            payload = chunk
            payloadIsBorrowed = true
            return
        }
        if payloadIsBorrowed || payload.writableBytes < chunk.readableBytes {
            // Room for this chunk and a bounded part of what the frame still declares; beyond
            // that the buffer grows by doubling with what really arrives.
            let declaredAfter = frameRemaining - Swift.min(UInt64(chunk.readableBytes), frameRemaining)
            let ahead = Int(Swift.min(declaredAfter, UInt64(Self.maxReservationAhead)))
            let wanted = chunk.readableBytes + ahead
            if payloadIsBorrowed {
                var owned = ByteBuffer(capacity: payload.readableBytes + wanted)
                owned.writeBuffer(payload)
                payload = owned
                payloadIsBorrowed = false
            } else {
                payload.reserveWritableBytes(wanted)
            }
        }
        payload.writeBuffer(chunk)
    }

    private mutating func discardMessage() {
        messageOpcode = nil
        frameIsFinal = false
        frameRemaining = 0
        payload = ByteBuffer()
        payloadIsBorrowed = false
    }

    /// Turns a control frame into its event, parsing and validating a Close body.
    static func controlEvent(_ opcode: WebSocketOpcode, payload: ByteBuffer) throws(WebSocketError) -> WebSocketMessageEvent? {
        switch opcode {
        case .ping: return .ping(payload)
        case .pong: return .pong(payload)
        case .close:
            let (code, reason) = try parseClosePayload(payload)
            return .close(code: code, reason: reason)
        default: return nil
        }
    }

    /// §5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned
    /// integer (in network byte order) representing a status code ... Following the 2-byte
    /// integer, the body MAY contain UTF-8-encoded data".
    public static func parseClosePayload(_ payload: ByteBuffer) throws(WebSocketError) -> (code: WebSocketCloseCode?, reason: String) {
        if payload.readableBytes == 0 { return (nil, "") }
        guard let raw = payload.getInteger(at: 0, as: UInt16.self) else { throw .closePayloadTooShort }
        let code = WebSocketCloseCode(rawValue: raw)
        // §7.4.2 and the §7.4.1 reservations: codes that may not appear in a Close frame.
        guard code.isAllowedOnWire else { throw .invalidCloseCode(raw) }
        let reason: String? = payload.withUnsafeReadableBytes { bytes in
            let text = UnsafeRawBufferPointer(rebasing: bytes[2...])
            return UTF8Validator.isValid(text) ? String(decoding: text, as: UTF8.self) : nil
        }
        guard let reason else { throw .invalidCloseReason }
        return (code, reason)
    }
}
