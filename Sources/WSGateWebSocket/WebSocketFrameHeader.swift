/// The fixed part of a WebSocket frame, everything before the payload (RFC 6455 §5.2).
///
/// Why it exists: the decoder hands it to the assembler at the start of each data frame, so the
/// assembler can apply the fragmentation and size rules before any payload byte is buffered.
/// It does not hold payload and does not validate itself; the decoder does.
public struct WebSocketFrameHeader: Hashable, Sendable {
    /// §5.2 FIN: "Indicates that this is the final fragment in a message."
    public var fin: Bool
    /// §5.2 RSV1, RSV2, RSV3. Only RSV1 is ever set in an accepted frame: RFC 7692's
    /// "Per-Message Compressed" bit, on a message's first frame, with permessage-deflate.
    public var rsv1: Bool
    public var rsv2: Bool
    public var rsv3: Bool
    /// §5.2 Opcode.
    public var opcode: WebSocketOpcode
    /// §5.2 Masking-key, present exactly when the MASK bit is 1.
    public var maskingKey: WebSocketMaskingKey?
    /// §5.2 Payload length, in bytes.
    public var payloadLength: UInt64

    public init(
        fin: Bool,
        rsv1: Bool = false,
        rsv2: Bool = false,
        rsv3: Bool = false,
        opcode: WebSocketOpcode,
        maskingKey: WebSocketMaskingKey?,
        payloadLength: UInt64
    ) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
    }

    /// §5.2 Mask: "Defines whether the "Payload data" is masked."
    public var masked: Bool { maskingKey != nil }
}
