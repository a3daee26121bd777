public import WSGateCore
import WSGateCompression

/// Inflates compressed messages (RFC 7692 §7.2.2) between the frame decoder and the message
/// streamer or assembler.
///
/// Why it exists: with permessage-deflate a message's payload is deflate data, yet every
/// rule above the decoder (UTF-8, the message-size limit, backpressure) is about the message's
/// real bytes. This type hands those rules inflated bytes as ordinary payload events, in pieces
/// of at most `maxPieceLength`, so a frame of a few bytes that would inflate to gigabytes is
/// stopped by the size limit after one piece past it and never held whole. It produces output
/// only when asked to (`produceOutput`), so a session paused by its backend stops inflating
/// too; compressed input then waits here, bounded by what one read delivered.
///
/// Events of uncompressed messages and control frames pass through unchanged. A frame's
/// `.dataEnd` is held back until that frame's inflated bytes are out. After a failure (its own
/// or the caller's, see `stop()`) nothing more is inflated.
public struct PerMessageDeflateReader {
    /// The most inflated bytes one payload event carries.
    public static let maxPieceLength = 64 * 1024

    private let inflater: MessageInflater
    /// The message in progress is compressed (its first frame had RSV1).
    private var messageIsCompressed = false
    /// The frame in progress is the message's last (FIN).
    private var frameIsFinal = false
    /// Compressed bytes of the message in progress so far.
    private var messageHasData = false
    /// A compressed frame's end arrived; it is passed on once its bytes are inflated.
    private var endPending = false
    /// Inflation stopped for good (corrupt data, or the connection failed).
    private var stopped = false

    /// `windowBits`: the negotiated `client_max_window_bits` (15 when not limited).
    /// `noContextTakeover`: the client resets its compressor after each message, so the
    /// inflater can let go of its state between messages.
    public init(windowBits: Int, noContextTakeover: Bool) {
        inflater = MessageInflater(windowBits: windowBits, noContextTakeover: noContextTakeover)
    }

    /// Inflated bytes or a held frame end wait to be passed on: the caller must call `next`
    /// again once it may produce output, even if no new bytes arrive.
    public var hasPendingOutput: Bool { !stopped && (endPending || inflater.hasQueuedInput) }

    /// The next event for the streamer: inflated bytes of the current frame first, then the
    /// decoder's next event from `buffer`. Returns nil when more input is needed, or when
    /// `produceOutput` is false and only inflated output could come next.
    public mutating func next(
        from decoder: inout WebSocketFrameDecoder,
        _ buffer: inout ByteBuffer,
        produceOutput: Bool
    ) throws(WebSocketError) -> WebSocketFrameEvent? {
        while true {
            if hasPendingOutput {
                guard produceOutput else { return nil }
                if let piece = try inflatedPiece() { return .dataPayload(piece) }
                if endPending {
                    endPending = false
                    if frameIsFinal { messageIsCompressed = false }
                    return .dataEnd
                }
            }
            guard let event = try decoder.next(&buffer) else { return nil }
            switch event {
            case .control:
                return event
            case .dataHeader(let header):
                // RSV1 is on a message's first frame only (the decoder refuses it elsewhere).
                if header.opcode != .continuation {
                    messageIsCompressed = header.rsv1 && !stopped
                    messageHasData = false
                }
                frameIsFinal = header.fin
                return event
            case .dataPayload(let chunk):
                guard messageIsCompressed else { return event }
                messageHasData = true
                inflater.feed(chunk)
            case .dataEnd:
                guard messageIsCompressed else { return event }
                // §7.2.2: append 0x00 0x00 0xff 0xff to the payload of the message's end. An
                // empty compressed payload (RFC 7692 says 0x00) is taken as an empty message.
                if frameIsFinal && messageHasData { inflater.finishMessage() }
                endPending = true
            }
        }
    }

    /// Stops inflating for good: the connection failed, so nothing more is worth the CPU.
    public mutating func stop() {
        stopped = true
        messageIsCompressed = false
        endPending = false
        inflater.reset()
    }

    private mutating func inflatedPiece() throws(WebSocketError) -> ByteBuffer? {
        do {
            return try inflater.nextPiece(maxBytes: Self.maxPieceLength)
        } catch {
            stop()
            throw .invalidCompressedData
        }
    }
}

@available(*, unavailable)
extension PerMessageDeflateReader: Sendable {}
