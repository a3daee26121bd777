public import WSGateCore
public import WSGateWebSocket
public import WSGateCompression

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
    /// The same messages for the members that take shared compressed frames, once `compress`
    /// made them: those of the minimum size or more compressed (RFC 7692, no context
    /// takeover, so one frame suits every such member).
    public private(set) var compressedFrames: ByteBuffer?
    /// The messages, kept only for a room that compresses: `compress` is made from them.
    private var messages: [(opcode: WebSocketOpcode, payload: ByteBuffer)] = []
    private let keepsMessages: Bool

    /// `expectedBytes` reserves room so a batch usually fits one allocation;
    /// `keepsMessages` when the room compresses.
    public init(expectedBytes: Int = 0, keepsMessages: Bool = false) {
        frames = ByteBuffer(capacity: expectedBytes)
        self.keepsMessages = keepsMessages
    }

    /// Makes `compressedFrames`, once (it needs `keepsMessages`).
    public mutating func compress(with deflater: MessageDeflater, minimumSize: Int) {
        guard compressedFrames == nil, keepsMessages else { return }
        var compressed = ByteBuffer(capacity: frames.readableBytes)
        for (opcode, payload) in messages {
            if payload.readableBytes >= minimumSize, let deflated = deflater.compress(payload) {
                WebSocketFrameEncoder.writeFrame(compressed: true, opcode: opcode, payload: deflated, into: &compressed)
            } else {
                WebSocketFrameEncoder.writeFrame(opcode: opcode, payload: payload, into: &compressed)
            }
        }
        compressedFrames = compressed
    }

    public var isEmpty: Bool { messageCount == 0 }

    /// The bytes of a server frame with `payloadLength` bytes of payload.
    public static func frameSize(_ payloadLength: Int) -> Int {
        WebSocketFrameEncoder.headerLength(payloadLength: payloadLength, masked: false) + payloadLength
    }

    /// Appends one message as a single frame.
    public mutating func append(_ opcode: WebSocketOpcode, _ payload: ByteBuffer) {
        WebSocketFrameEncoder.writeFrame(opcode: opcode, payload: payload, into: &frames)
        if keepsMessages { messages.append((opcode, payload)) }
        messageCount += 1
        payloadBytes += payload.readableBytes
    }
}
