public import WSGateCore
public import WSGateWebSocket

/// Whatever answers an open WebSocket: the built-in echo (`EchoBackend`), or a program or a
/// TCP/Unix socket through `StreamRelay`.
///
/// Why it exists: the session owns the RFC 6455 side (frames, close handshake, pings); the
/// backend owns the other side. They meet only through these calls and the session's
/// `send`/`close`/`pauseReading`/`resumeReading`, so a new backend never touches the protocol.
///
/// - Warning: loop-confined; every call happens on the session's loop.
public protocol SessionBackend: AnyObject {
    /// The 101 is on its way; the backend may start sending.
    func sessionDidOpen(_ session: WebSocketSession)
    /// A complete client message (text is valid UTF-8).
    func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer)
    /// The client's write queue fell to its low watermark after `session.isWritable` was false:
    /// a paused producer may resume.
    func sessionDidDrain(_ session: WebSocketSession)
    /// The client sent a close frame. Return `true` to keep sending output first (a socket
    /// backend relays its last answer); then call `session.close(code:reason:)` when done, which
    /// sends the reply (the session replies by itself after `closeReplyDelayMs` at the latest).
    /// Return `false` to have the reply sent at once.
    func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool
    /// The client is gone or closing: no more messages will come and sends are dropped.
    /// `closeCode` is the code the client sent, if it sent one.
    func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?)
}
