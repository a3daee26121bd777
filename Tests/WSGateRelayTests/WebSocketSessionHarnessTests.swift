import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// Records what a session tells its backend, in order; can answer or close on cue.
final class BackendRecorder: SessionBackend {
    var events: [String] = []
    var answer: ((WebSocketSession, [UInt8]) -> Void)?

    func sessionDidOpen(_ session: WebSocketSession) { events.append("open") }
    func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {
        events.append("\(opcode == .text ? "text" : "binary") \(String(decoding: payload.readableBytesArray, as: UTF8.self))")
        answer?(session, payload.readableBytesArray)
    }
    func sessionDidDrain(_ session: WebSocketSession) { events.append("drain") }
    func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool {
        events.append("client close")
        return false
    }
    func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {
        events.append("closed \(closeCode.map { String($0.rawValue) } ?? "-")")
    }
}

/// `WebSocketSession` on a socket pair, driven tick by tick (LoopHarness): the exact bytes the
/// client sees, a client vanishing mid-frame, and both close timers fired by the clock.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct WebSocketSessionHarnessTests {
    static let settings = WebSocketSession.Settings(maxMessageSize: 1 << 20, closeTimeoutMs: 5000, lingerMs: 2000)

    static func start() throws -> (LoopHarness, WebSocketSession, BackendRecorder, PeerSocket) {
        let harness = try LoopHarness()
        let (ours, peer) = try PeerSocket.pair()
        let transport = StreamTransport(loop: harness.loop, descriptor: ours)
        try transport.start()
        let backend = BackendRecorder()
        let session = WebSocketSession(transport: transport, settings: settings, backend: backend)
        var none = ByteBuffer()
        session.start(initialBytes: &none)
        return (harness, session, backend, peer)
    }

    @Test func messagesAndPongsAreTheExactBytes() throws {
        let (harness, _, backend, peer) = try Self.start()
        backend.answer = { session, payload in session.send(.text, ByteBuffer(bytes: Array("re:".utf8) + payload)) }
        try peer.writeAll(FrameBytes.text("hi") + FrameBytes.frame(.ping, [1, 2, 3]))
        try harness.tick(until: "reply and pong") { try peer.read(); return peer.received.count >= 7 + 5 }
        #expect(backend.events == ["open", "text hi"])
        #expect(peer.received == [0x81, 5] + Array("re:hi".utf8) + [0x8A, 3, 1, 2, 3])
    }

    /// The client's close is answered with the same code and the TCP connection closed by us
    /// (RFC 6455 §7.1.1).
    @Test func aClientCloseIsEchoedAndTheServerClosesFirst() throws {
        let (harness, session, backend, peer) = try Self.start()
        try peer.writeAll(FrameBytes.close(code: 1000))
        try harness.tick(until: "EOF at the client") { try peer.read(); return peer.sawEOF }
        #expect(peer.received == [0x88, 2, 0x03, 0xE8])
        #expect(session.transport.isOpen, "after its FIN the server waits for the client's")
        peer.close()
        try harness.tick(until: "socket closed") { !session.transport.isOpen }
        #expect(backend.events == ["open", "client close", "closed 1000"])
    }

    /// Half a frame, then the client is gone: no message reaches the backend, the session ends
    /// without a close code (1006 in the log), and nothing is written after.
    @Test func aClientVanishingMidFrameEndsTheSession() throws {
        let (harness, session, backend, peer) = try Self.start()
        let frame = FrameBytes.text("never complete")
        try peer.writeAll(Array(frame.prefix(5)))
        try harness.tick(3)
        #expect(backend.events == ["open"])
        peer.close()
        try harness.tick(until: "session closed") { !session.transport.isOpen }
        #expect(backend.events == ["open", "closed -"])
    }

    /// Our close waits `closeTimeoutMs` for the client's, then half-closes and waits `lingerMs`
    /// for its FIN: each step happens exactly when the clock reaches it.
    @Test func closeTimeoutThenLingerAreExact() throws {
        let (harness, session, backend, peer) = try Self.start()
        session.close(code: .normalClosure, reason: "bye")
        #expect(backend.events == ["open", "closed -"], "the backend is done once our close is sent")
        try harness.tick()
        #expect(try peer.read() == [0x88, 5, 0x03, 0xE8] + Array("bye".utf8))
        try harness.advance(milliseconds: 4999)
        try peer.read()
        #expect(!peer.sawEOF, "FIN before the close timeout")
        try harness.advance(milliseconds: 1)
        try harness.tick(until: "FIN at the client") { try peer.read(); return peer.sawEOF }
        #expect(session.transport.isOpen, "the socket waits for the client's FIN")
        try harness.advance(milliseconds: 1999)
        #expect(session.transport.isOpen)
        try harness.advance(milliseconds: 1)
        #expect(!session.transport.isOpen)
        #expect(session.receivedCloseCode == nil, "the client never sent a close")
    }

    /// A client that answers our close in time: no timer is needed (the clock never moves) and
    /// its code is kept for the log.
    @Test func aClientAnsweringOurCloseEndsItAtOnce() throws {
        let (harness, session, backend, peer) = try Self.start()
        session.close(code: .goingAway, reason: "")
        try harness.tick()
        #expect(try peer.read() == [0x88, 2, 0x03, 0xE9])
        try peer.writeAll(FrameBytes.close(code: 1001))
        peer.close()
        try harness.tick(until: "closed without waiting") { !session.transport.isOpen }
        #expect(session.receivedCloseCode == .goingAway)
        #expect(backend.events == ["open", "closed -"])
    }
}
