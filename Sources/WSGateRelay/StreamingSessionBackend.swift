public import WSGateWebSocket

/// A backend that takes each client message in parts, as its bytes arrive (a program or a
/// socket through `StreamRelay`).
///
/// Why it exists: a message for a byte stream need not be held whole, so its size is bounded
/// neither by memory nor, unless `--maxframesize` is set, by a limit. A session whose backend
/// conforms calls `session(_:didReceivePart:)` instead of `session(_:didReceive:payload:)`;
/// memory stays bounded because the backend pauses the session after any part that fills
/// its input (`session.pauseReading()`).
///
/// - Warning: loop-confined; every call happens on the session's loop.
public protocol StreamingSessionBackend: SessionBackend {
    /// The next part of a client message: its start, some of its bytes (text is valid UTF-8
    /// so far), its end. A message the client breaks off (invalid UTF-8, a close) gets no
    /// `.end`; `sessionDidClose` follows.
    func session(_ session: WebSocketSession, didReceivePart part: WebSocketMessagePart)
}
