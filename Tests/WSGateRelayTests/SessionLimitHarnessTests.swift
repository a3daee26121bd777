import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// Records the limits a session reports.
final class LimitRecorder: WebSocketSessionObserver {
    var limits: [SessionLimit] = []
    func sessionDidEnd(_ session: WebSocketSession, error: String?) {}
    func session(_ session: WebSocketSession, didReach limit: SessionLimit) { limits.append(limit) }
}

/// `--max-session` and `--idle-timeout` in `WebSocketSession`, on a socket pair with a manual
/// clock: each close happens exactly when the clock reaches it, data messages either way move
/// the idle deadline, control frames do not.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SessionLimitHarnessTests {
    struct Rig {
        let harness: LoopHarness
        let session: WebSocketSession
        let backend: BackendRecorder
        let observer: LimitRecorder
        let peer: PeerSocket

        /// Reads what the client got so far.
        func received() throws -> [UInt8] {
            try peer.read()
            return peer.received
        }
    }

    static func start(maxSessionMs: Int? = nil, idleTimeoutMs: Int? = nil) throws -> Rig {
        let harness = try LoopHarness()
        let (ours, peer) = try PeerSocket.pair()
        let transport = StreamTransport(loop: harness.loop, descriptor: ours)
        try transport.start()
        let backend = BackendRecorder()
        var settings = WebSocketSession.Settings(maxMessageSize: 1 << 20, closeTimeoutMs: 5000, lingerMs: 2000)
        settings.maxSessionMs = maxSessionMs
        settings.idleTimeoutMs = idleTimeoutMs
        let session = WebSocketSession(transport: transport, settings: settings, backend: backend)
        let observer = LimitRecorder()
        session.observer = observer
        var none = ByteBuffer()
        session.start(initialBytes: &none)
        return Rig(harness: harness, session: session, backend: backend, observer: observer, peer: peer)
    }

    static func closeFrame(_ reason: String) -> [UInt8] {
        [0x88, UInt8(2 + reason.utf8.count), 0x03, 0xF0] + Array(reason.utf8)
    }

    @Test func maxSessionClosesWith1008WhenTheClockGetsThere() throws {
        let rig = try Self.start(maxSessionMs: 1000)
        rig.backend.answer = { session, payload in session.send(.text, ByteBuffer(bytes: payload)) }
        try rig.harness.advance(milliseconds: 500)
        try rig.peer.writeAll(FrameBytes.text("busy"))
        try rig.harness.tick(until: "the echo") { try rig.received().count == 6 }
        try rig.harness.advance(milliseconds: 499)
        #expect(try rig.received().count == 6, "activity does not move the session limit, but it is not reached yet")
        try rig.harness.advance(milliseconds: 1)
        try rig.harness.tick(until: "the close") { try rig.received().count > 6 }
        #expect(Array(rig.peer.received.dropFirst(6)) == Self.closeFrame("session time limit"))
        #expect(rig.observer.limits == [.sessionTime(milliseconds: 1000)])
        #expect(rig.backend.events == ["open", "text busy", "closed -"], "the backend ends as when the client leaves")
        #expect(rig.session.sentCloseCode == .policyViolation)
    }

    /// A message at 600 ms moves the deadline to 1600 ms (the timer set for 1000 ms re-arms).
    @Test func aMessageFromTheClientMovesTheIdleDeadline() throws {
        let rig = try Self.start(idleTimeoutMs: 1000)
        try rig.harness.advance(milliseconds: 600)
        try rig.peer.writeAll(FrameBytes.text("a"))
        try rig.harness.tick(until: "delivered") { rig.backend.events.count == 2 }
        try rig.harness.advance(milliseconds: 400)
        try rig.harness.advance(milliseconds: 599)
        #expect(try rig.received().isEmpty)
        #expect(rig.observer.limits.isEmpty)
        try rig.harness.advance(milliseconds: 1)
        try rig.harness.tick(until: "the close") { try !rig.received().isEmpty }
        #expect(rig.peer.received == Self.closeFrame("idle timeout"))
        #expect(rig.observer.limits == [.idle(milliseconds: 1000)])
    }

    @Test func aMessageToTheClientMovesTheIdleDeadline() throws {
        let rig = try Self.start(idleTimeoutMs: 1000)
        try rig.harness.advance(milliseconds: 900)
        rig.session.send(.text, ByteBuffer(string: "tick"))
        try rig.harness.advance(milliseconds: 100)
        try rig.harness.advance(milliseconds: 899)
        #expect(try rig.received() == [0x81, 4] + Array("tick".utf8))
        try rig.harness.advance(milliseconds: 1)
        try rig.harness.tick(until: "the close") { try rig.received().count > 6 }
        #expect(Array(rig.peer.received.dropFirst(6)) == Self.closeFrame("idle timeout"))
    }

    /// Pings and pongs keep a connection alive for `--pingms`, not for `--idle-timeout`.
    @Test func pingsAreNotActivity() throws {
        let rig = try Self.start(idleTimeoutMs: 1000)
        try rig.harness.advance(milliseconds: 500)
        try rig.peer.writeAll(FrameBytes.frame(.ping, [7]))
        try rig.harness.tick(until: "the pong") { try rig.received() == [0x8A, 1, 7] }
        try rig.harness.advance(milliseconds: 500)
        try rig.harness.tick(until: "the close") { try rig.received().count > 3 }
        #expect(Array(rig.peer.received.dropFirst(3)) == Self.closeFrame("idle timeout"))
    }

    /// Once a close is under way, neither limit sends a second one.
    @Test func noLimitAfterAnotherClose() throws {
        let rig = try Self.start(maxSessionMs: 1000, idleTimeoutMs: 1000)
        rig.session.close(code: .normalClosure, reason: "")
        try rig.harness.tick(until: "our close") { try rig.received() == [0x88, 2, 0x03, 0xE8] }
        try rig.harness.advance(milliseconds: 1000)
        try rig.harness.advance(milliseconds: 1000)
        #expect(try rig.received() == [0x88, 2, 0x03, 0xE8])
        #expect(rig.observer.limits.isEmpty)
    }
}
