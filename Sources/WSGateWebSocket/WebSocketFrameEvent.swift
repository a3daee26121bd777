public import WSGateCore

/// What the frame decoder produces, one step at a time.
///
/// Why it exists: data frames may be up to the message-size limit (16 MiB and more), so the
/// decoder streams them as a header, any number of payload chunks, and an end marker, and the
/// assembler (or a relay) consumes them as they come. Control frames are small (≤ 125 bytes,
/// §5.5) and are delivered whole. Payloads are already unmasked.
public enum WebSocketFrameEvent: Equatable, Sendable {
    /// A whole control frame (close, ping or pong) with its unmasked payload.
    case control(WebSocketOpcode, payload: ByteBuffer)
    /// The start of a text, binary or continuation frame.
    case dataHeader(WebSocketFrameHeader)
    /// The next unmasked bytes of the current data frame's payload (never empty).
    case dataPayload(ByteBuffer)
    /// The current data frame's payload is complete (also sent for empty frames).
    case dataEnd
}
