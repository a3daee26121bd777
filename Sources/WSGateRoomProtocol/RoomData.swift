/// The payload of one message between a client and the room's backend.
///
/// Why it exists: WebSocket messages are text or binary and JSON strings can carry only text,
/// so the protocol gives each its own key: text goes as a JSON string under `"data"`, binary
/// as standard padded base64 (RFC 4648 §4) under `"binary"`, both in events and commands. A
/// backend that only handles text never mistakes binary for text, and each stays one key.
public enum RoomData: Equatable, Sendable {
    /// A text message's UTF-8 bytes.
    case text([UInt8])
    /// A binary message's bytes.
    case binary([UInt8])

    /// The payload's bytes, whichever kind it is.
    public var bytes: [UInt8] {
        switch self {
        case .text(let bytes), .binary(let bytes): return bytes
        }
    }
}
