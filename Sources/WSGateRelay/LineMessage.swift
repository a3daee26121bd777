public import WSGateCore

/// One WebSocket message produced from a program's output in line mode.
///
/// Why it exists: a line is sent as a text message only when it is valid UTF-8 (RFC 6455 §5.6:
/// "The 'Payload data' is text data encoded as UTF-8"), otherwise as a binary message with the
/// bytes kept (better than websocketd, which sends invalid text frames that browsers reject;
/// docs/behaviour.md, 'Line framing'). The framer
/// decides; the session encodes the opcode.
public enum LineMessage: Equatable, Sendable {
    /// Valid UTF-8 (possibly empty): send with opcode 0x1.
    case text(ByteBuffer)
    /// Not valid UTF-8 on its own: send with opcode 0x2.
    case binary(ByteBuffer)

    /// The payload, whatever the kind.
    public var payload: ByteBuffer {
        switch self {
        case .text(let bytes), .binary(let bytes): return bytes
        }
    }
}
