public import WSGateCore

/// Turns decoder events into whole messages and validated control frames (RFC 6455 §5.4,
/// §5.5, §8.1).
///
/// Why it exists: some backends want messages, not parts (`--echo` sends each one back in one
/// frame). The rules that span frames are the `WebSocketMessageStreamer`'s; this type only
/// joins the parts it passes on, within the message-size limit the streamer enforces.
///
/// It never buffers a byte that has not passed the limit first. A single-frame message that
/// arrives in one chunk is passed on as that same slice (no copy); otherwise each chunk is
/// copied once into the message buffer.
///
/// After it has thrown for a data frame it drops all further data events (returns nil) but
/// still delivers control frames, so the connection can complete its close handshake.
public struct WebSocketMessageAssembler: Sendable {
    /// The largest message (sum of its fragments' payloads) accepted; more fails with 1009.
    public let maxMessageLength: Int

    private var streamer: WebSocketMessageStreamer
    /// Opcode of the message in progress (text or binary), nil between messages.
    private var messageOpcode: WebSocketOpcode?
    /// The message so far.
    private var payload = ByteBuffer()
    /// `true` while `payload` is a slice of the decoder's input (not yet copied).
    private var payloadIsBorrowed = false

    public init(maxMessageLength: Int) {
        self.maxMessageLength = Swift.max(0, maxMessageLength)
        streamer = WebSocketMessageStreamer(maxMessageLength: UInt64(self.maxMessageLength))
    }

    /// Processes one decoder event; returns a message event when one is complete.
    public mutating func receive(_ event: WebSocketFrameEvent) throws(WebSocketError) -> WebSocketMessageEvent? {
        let streamed: WebSocketStreamEvent?
        do {
            streamed = try streamer.receive(event)
        } catch {
            discardMessage()
            throw error
        }
        switch streamed {
        case nil:
            return nil
        case .control(let control):
            return control
        case .part(.start(let opcode)):
            messageOpcode = opcode
            return nil
        case .part(.bytes(let chunk)):
            append(chunk)
            return nil
        case .part(.end):
            guard let opcode = messageOpcode else { return nil }
            let message = WebSocketMessageEvent.message(opcode: opcode, payload: payload)
            discardMessage()
            return message
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

    /// Adds a chunk the streamer passed on (so within the limit) to the message.
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
            let ahead = Int(Swift.min(streamer.frameRemaining, UInt64(Self.maxReservationAhead)))
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
        payload = ByteBuffer()
        payloadIsBorrowed = false
    }

    /// §5.5.1: the Close body's code and reason (see `WebSocketMessageStreamer`).
    public static func parseClosePayload(_ payload: ByteBuffer) throws(WebSocketError) -> (code: WebSocketCloseCode?, reason: String) {
        try WebSocketMessageStreamer.parseClosePayload(payload)
    }
}
