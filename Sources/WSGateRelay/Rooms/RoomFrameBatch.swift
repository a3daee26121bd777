public import WSGateCore
public import WSGateWebSocket

/// The frames made from one read of a room backend's output, encoded once into one buffer.
///
/// Why it exists: a room sends the same messages to every member. Encoding them once and
/// queueing the same buffer in every member's write queue (`WebSocketSession.sendEncoded`,
/// which shares the storage instead of copying) makes fan-out cost one encode per message
/// plus one queue entry per member, whatever the number of members.
public struct RoomFrameBatch {
    /// Complete unmasked server frames, back to back.
    public private(set) var frames: ByteBuffer
    /// Data messages in `frames`.
    public private(set) var messageCount = 0
    /// Payload bytes in `frames` (for the traffic counters).
    public private(set) var payloadBytes = 0

    /// `expectedBytes` reserves room so a batch usually fits one allocation.
    public init(expectedBytes: Int = 0) {
        frames = ByteBuffer(capacity: expectedBytes)
    }

    public var isEmpty: Bool { messageCount == 0 }

    /// The bytes of a server frame with `payloadLength` bytes of payload.
    public static func frameSize(_ payloadLength: Int) -> Int {
        WebSocketFrameEncoder.headerLength(payloadLength: payloadLength, masked: false) + payloadLength
    }

    /// Appends one message as a single frame.
    public mutating func append(_ opcode: WebSocketOpcode, _ payload: ByteBuffer) {
        WebSocketFrameEncoder.writeFrame(opcode: opcode, payload: payload, into: &frames)
        messageCount += 1
        payloadBytes += payload.readableBytes
    }
}
