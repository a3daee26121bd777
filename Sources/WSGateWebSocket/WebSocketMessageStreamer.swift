import WSGateCore

/// Checks the rules that span frames (RFC 6455 §5.4, §5.5, §8.1) and passes each data
/// message on in parts as its bytes arrive.
///
/// Why it exists: a message relayed to a program or a socket need not be held whole, so its
/// size need not be bounded by memory; yet fragmentation order (§5.4), the size limit and
/// UTF-8 validity of text (§8.1) must still be enforced, each on the bytes as they come so
/// invalid text fails at the first impossible byte. The assembler builds whole messages on
/// this type; a streaming session uses it directly.
///
/// It never copies or holds a payload byte: a part is the decoder's slice. After it has
/// thrown for a data frame it drops all further data events (returns nil) but still delivers
/// control frames, so the connection can complete its close handshake.
public struct WebSocketMessageStreamer: Sendable {
    /// The largest message (sum of its fragments' payloads) accepted; more fails with 1009.
    public let maxMessageLength: UInt64

    /// Opcode of the message in progress (text or binary), nil between messages.
    private var messageOpcode: WebSocketOpcode?
    /// FIN bit of the data frame in progress.
    private var frameIsFinal = false
    /// Payload bytes of the current data frame not yet received.
    public private(set) var frameRemaining: UInt64 = 0
    /// Payload bytes of the message in progress passed on so far.
    public private(set) var messageLength: UInt64 = 0
    private var validator = UTF8Validator()
    /// The data-frame error already thrown, if any.
    private var failure: WebSocketError?

    /// `maxMessageLength`: `UInt64.max` for no limit of its own (the frame decoder still
    /// refuses lengths §5.2 forbids).
    public init(maxMessageLength: UInt64) {
        self.maxMessageLength = maxMessageLength
    }

    /// Processes one decoder event; returns what it means, or nil when it means nothing yet.
    public mutating func receive(_ event: WebSocketFrameEvent) throws(WebSocketError) -> WebSocketStreamEvent? {
        switch event {
        case .control(let opcode, let payload):
            return try Self.controlEvent(opcode, payload: payload).map { .control($0) }
        case .dataHeader, .dataPayload, .dataEnd:
            guard failure == nil else { return nil }
            do {
                return try receiveData(event).map { .part($0) }
            } catch {
                failure = error
                endMessage()
                throw error
            }
        }
    }

    private mutating func receiveData(_ event: WebSocketFrameEvent) throws(WebSocketError) -> WebSocketMessagePart? {
        switch event {
        case .dataHeader(let header):
            let starts = header.opcode != .continuation
            if starts {
                // §5.4: "the fragments of one message MUST NOT be interleaved between the
                // fragments of another message unless an extension has been negotiated".
                guard messageOpcode == nil else { throw .expectedContinuation(header.opcode) }
            } else {
                // §5.4: fragments after the first have "the opcode set to 0"; with no first
                // fragment there is nothing to continue.
                guard messageOpcode != nil else { throw .unexpectedContinuation }
            }
            let lengthSoFar = starts ? 0 : messageLength
            // The size limit (§7.4.1, 1009), before any of this frame's payload is taken.
            guard header.payloadLength <= maxMessageLength - lengthSoFar else {
                throw .messageTooBig(limit: Int(clamping: maxMessageLength))
            }
            frameIsFinal = header.fin
            frameRemaining = header.payloadLength
            guard starts else { return nil }
            messageOpcode = header.opcode
            messageLength = 0
            validator.reset()
            return .start(header.opcode)

        case .dataPayload(let chunk):
            // A chunk without a header is a caller mistake, treated like a stray continuation.
            guard let opcode = messageOpcode else { throw .unexpectedContinuation }
            let count = UInt64(chunk.readableBytes)
            guard count <= maxMessageLength - messageLength else {
                // Only inflated bytes (RFC 7692) get here: a frame's own length is checked at its
                // header. The bytes within the limit are checked first, so the error does not
                // depend on where the inflated pieces happen to end.
                var allowed = chunk
                if opcode == .text, let within = allowed.readSlice(Int(maxMessageLength - messageLength)),
                   !validator.validate(within) {
                    throw .invalidUTF8
                }
                throw .messageTooBig(limit: Int(clamping: maxMessageLength))
            }
            // §8.1: invalid UTF-8 text fails the connection — detected on this chunk, at the
            // first impossible byte, without waiting for the rest of the frame.
            if opcode == .text && !validator.validate(chunk) { throw .invalidUTF8 }
            messageLength += count
            frameRemaining -= Swift.min(count, frameRemaining)
            return .bytes(chunk)

        case .dataEnd:
            guard let opcode = messageOpcode else { throw .unexpectedContinuation }
            guard frameIsFinal else { return nil }
            // §8.1: the complete text must be valid UTF-8, so it cannot end inside a character.
            if opcode == .text && !validator.isAtCharacterBoundary { throw .incompleteUTF8 }
            endMessage()
            return .end

        case .control:
            return nil
        }
    }

    private mutating func endMessage() {
        messageOpcode = nil
        frameIsFinal = false
        frameRemaining = 0
        messageLength = 0
    }
}
