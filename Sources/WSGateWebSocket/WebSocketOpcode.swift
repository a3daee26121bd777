/// The 4-bit opcode of a WebSocket frame (RFC 6455 §5.2, registry in §11.8).
///
/// Why a struct and not an enum: the decoder must be able to represent (and then reject) the
/// reserved opcodes a peer sends, without a failable conversion at every use. It carries no
/// policy beyond classification; whether a frame is acceptable is the decoder's business.
public struct WebSocketOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The opcode bits (0...15).
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// %x0 denotes a continuation frame (§5.2).
    public static let continuation = WebSocketOpcode(rawValue: 0x0)
    /// %x1 denotes a text frame (§5.2).
    public static let text = WebSocketOpcode(rawValue: 0x1)
    /// %x2 denotes a binary frame (§5.2).
    public static let binary = WebSocketOpcode(rawValue: 0x2)
    /// %x8 denotes a connection close (§5.2, §5.5.1).
    public static let close = WebSocketOpcode(rawValue: 0x8)
    /// %x9 denotes a ping (§5.2, §5.5.2).
    public static let ping = WebSocketOpcode(rawValue: 0x9)
    /// %xA denotes a pong (§5.2, §5.5.3).
    public static let pong = WebSocketOpcode(rawValue: 0xA)

    /// §5.5: "Control frames are identified by opcodes where the most significant bit of the
    /// opcode is 1."
    public var isControl: Bool { rawValue & 0x8 != 0 }

    /// One of the six opcodes defined by RFC 6455; %x3-7 and %xB-F are reserved (§5.2).
    public var isKnown: Bool {
        switch self {
        case .continuation, .text, .binary, .close, .ping, .pong: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        default: "reserved(\(rawValue))"
        }
    }
}
