public import WSGateCore

/// One step of a client message relayed as it arrives: its start, its bytes, its end.
///
/// Why it exists: a message bound for a program or a socket need not be held whole. The
/// streamer hands it on in the pieces the frames bring, after every rule that spans frames
/// (fragment order, size limit, UTF-8 so far) has been checked on those bytes.
public enum WebSocketMessagePart: Equatable, Sendable {
    /// A text or binary message begins (its first frame's header arrived).
    case start(WebSocketOpcode)
    /// The next bytes of the message, unmasked and never empty; text is valid UTF-8 so far
    /// (a character may be cut between two parts).
    case bytes(ByteBuffer)
    /// The message is complete (its final frame ended; text ends on a character boundary).
    case end
}
