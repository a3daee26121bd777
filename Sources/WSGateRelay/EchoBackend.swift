public import WSGateCore
public import WSGateWebSocket

/// `--echo`: every message goes back with the same opcode and payload.
///
/// Why it exists: it is the probe for conformance runs (Autobahn), benchmarks and health
/// checks, with nothing behind the gateway. Backpressure is the client's own: while the client
/// does not read its echoes, the session stops reading what it sends.
public final class EchoBackend: SessionBackend {
    public init() {}

    public func sessionDidOpen(_ session: WebSocketSession) {}

    public func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {
        session.send(opcode, payload)
        if !session.isWritable { session.pauseReading() }
    }

    public func sessionDidDrain(_ session: WebSocketSession) {
        session.resumeReading()
    }

    public func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool { false }

    public func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {}
}
