public import WSGateCore

/// What the message assembler produces: complete messages and control frames, already
/// validated.
///
/// Why it exists: the state machine and the backend bridge work on messages, not frames; all
/// RFC 6455 framing, fragmentation and UTF-8 rules have been applied before one of these
/// exists.
public enum WebSocketMessageEvent: Equatable, Sendable {
    /// A complete text or binary message (all fragments joined, unmasked; text is valid UTF-8).
    case message(opcode: WebSocketOpcode, payload: ByteBuffer)
    /// A ping with its application data (§5.5.2).
    case ping(ByteBuffer)
    /// A pong with its application data (§5.5.3).
    case pong(ByteBuffer)
    /// A close frame (§5.5.1): `code` is nil when the body was empty; the reason is valid
    /// UTF-8.
    case close(code: WebSocketCloseCode?, reason: String)
}
