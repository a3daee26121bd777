import Testing
import WSGateBackends
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// A relay between two socket pairs on one harness loop: the client's WebSocket end and a
/// socket backend's end (`SocketEndpoint`), both played by the test.
final class RelayRig {
    let harness: LoopHarness
    let session: WebSocketSession
    let relay: StreamRelay
    let client: PeerSocket
    let backend: PeerSocket
    private let finishes: Tally
    /// How many times the relay's `onFinish` ran.
    var finishedCount: Int { finishes.count }

    final class Tally { var count = 0 }

    /// `clientSendBuffer` / `backendSendBuffer` shrink the gateway's kernel send buffer towards
    /// that side; `clientWatermarks` are the client transport's (high, low).
    init(mode: StreamRelay.Mode, clientSendBuffer: Int? = nil, backendSendBuffer: Int? = nil,
         clientWatermarks: (Int, Int) = (256 * 1024, 64 * 1024)) throws {
        harness = try LoopHarness()
        let (clientEnd, client) = try PeerSocket.pair(sendBuffer: clientSendBuffer)
        let (backendEnd, backend) = try PeerSocket.pair(sendBuffer: backendSendBuffer)
        self.client = client
        self.backend = backend
        let transport = StreamTransport(loop: harness.loop, descriptor: clientEnd,
                                        highWatermark: clientWatermarks.0, lowWatermark: clientWatermarks.1)
        try transport.start()
        let endpoint = SocketEndpoint(socket: backendEnd, loop: harness.loop)
        let finishes = Tally()
        self.finishes = finishes
        relay = StreamRelay(endpoint: endpoint,
                            settings: StreamRelay.Settings(mode: mode, passStderr: false, maxMessageSize: 1 << 20),
                            onDiagnosticLine: { _ in }, onFinish: { _ in finishes.count += 1 })
        session = WebSocketSession(transport: transport, settings: WebSocketSession.Settings(maxMessageSize: 1 << 20),
                                   backend: relay)
        var none = ByteBuffer()
        session.start(initialBytes: &none)
    }

    /// Ticks until the client has received `count` bytes (it reads before each tick).
    func clientReceives(_ count: Int, _ what: String) throws {
        try harness.tick(until: what) { try client.read(); return client.received.count >= count }
    }

    /// Ticks until the backend has received `count` bytes.
    func backendReceives(_ count: Int, _ what: String) throws {
        try harness.tick(until: what) { try backend.read(); return backend.received.count >= count }
    }
}

/// The server's unmasked frame for `payload` (lengths up to 65535).
func serverFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> [UInt8] {
    FrameBytes.frame(opcode, payload, maskingKey: nil)
}

/// `StreamRelay` between a `WebSocketSession` and a `SocketEndpoint`, each on a socket pair,
/// driven tick by tick (LoopHarness): messages become the exact lines or bytes the backend
/// reads, backend output becomes the exact frames the client reads, a backend that ends while
/// the client is paused (either way) still gets everything through before the 1000, and every
/// way the client leaves reaches the backend.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct StreamRelayHarnessTests {
    static let close1000 = serverFrame(.close, [0x03, 0xE8])

    /// Line mode: each client message, text or binary, is written with one "\n" added.
    @Test func lineModeMessagesReachTheBackendAsLines() throws {
        let rig = try RelayRig(mode: .lines)
        try rig.client.writeAll(FrameBytes.text("hello") + FrameBytes.binary([0, 0xFF, 0x0A]) + FrameBytes.text(""))
        try rig.backendReceives(6 + 4 + 1, "three lines at the backend")
        #expect(rig.backend.received == Array("hello\n".utf8) + [0, 0xFF, 0x0A, 0x0A] + [0x0A])
        #expect(rig.client.received.isEmpty)
    }

    /// Line mode: "\n" and "\r\n" end a line, a line split across reads is one message, invalid
    /// UTF-8 goes out as binary, and the final unterminated line is sent before the 1000.
    @Test func lineModeOutputBecomesOneFramePerLine() throws {
        let rig = try RelayRig(mode: .lines)
        try rig.backend.writeAll(Array("one\ntwo\r\nthr".utf8))
        let first = serverFrame(.text, Array("one".utf8)) + serverFrame(.text, Array("two".utf8))
        try rig.clientReceives(first.count, "two lines")
        try rig.harness.tick(3)
        try rig.client.read()
        #expect(rig.client.received == first, "half a line is held back")
        try rig.backend.writeAll(Array("ee\n".utf8) + [0xC3, 0x28, 0x0A] + Array("tail".utf8))
        try rig.backend.shutdownWrite()
        let expected = first + serverFrame(.text, Array("three".utf8)) + serverFrame(.binary, [0xC3, 0x28])
            + serverFrame(.text, Array("tail".utf8)) + Self.close1000
        try rig.clientReceives(expected.count, "the rest and the close")
        #expect(rig.client.received == expected)
        try rig.backend.read()
        #expect(rig.backend.received.isEmpty)
    }

    /// Byte mode: a client message is written exactly (no "\n"), each read of backend output
    /// is one binary message, and the backend closing ends the session with 1000.
    @Test func byteModeRelaysExactBytesBothWays() throws {
        let rig = try RelayRig(mode: .bytes)
        try rig.client.writeAll(FrameBytes.binary([0, 1, 2, 0x0A, 0xFF]) + FrameBytes.text("é"))
        try rig.backendReceives(5 + 2, "both messages")
        #expect(rig.backend.received == [0, 1, 2, 0x0A, 0xFF, 0xC3, 0xA9])
        try rig.backend.writeAll([9, 8, 0x0A, 7])
        try rig.clientReceives(6, "one binary frame")
        #expect(rig.client.received == serverFrame(.binary, [9, 8, 0x0A, 7]))
        rig.backend.close()
        try rig.clientReceives(6 + 4, "the close")
        #expect(rig.client.received == serverFrame(.binary, [9, 8, 0x0A, 7]) + Self.close1000)
    }

    /// The client takes nothing while the backend sends 100 KB and closes: the relay stops
    /// reading the backend above the client's high watermark, and once the client reads it
    /// gets every line, in order, and then the 1000.
    @Test func backendEOFWhileTheClientIsFullStillDeliversEverything() throws {
        let rig = try RelayRig(mode: .lines, clientSendBuffer: 4096, clientWatermarks: (16384, 4096))
        let line = { (index: Int) in Array(String(repeating: Character(String(index % 10)), count: 999).utf8) }
        var output: [UInt8] = []
        for index in 0..<100 { output += line(index) + [0x0A] }
        try rig.backend.writeAll(output)
        try rig.backend.shutdownWrite()
        try rig.harness.tick(20)
        #expect(!rig.session.isWritable, "the client's queue is above its high watermark")
        #expect(rig.session.isOpen, "no close while lines are still unread at the backend")
        var expected: [UInt8] = []
        for index in 0..<100 { expected += [0x81, 126, 0x03, 0xE7] + line(index) }
        expected += Self.close1000
        try rig.clientReceives(expected.count, "every line and the close")
        let intact = rig.client.received == expected
        #expect(intact)
        #expect(!rig.session.isOpen)
    }

    /// The backend stops reading: its queue fills, the session stops reading the client; the
    /// backend then answers and closes, and the client gets that answer and the 1000 although
    /// its reading was paused.
    @Test func backendEOFWhileClientReadingIsPausedStillDeliversTheAnswer() throws {
        let rig = try RelayRig(mode: .bytes, backendSendBuffer: 4096)
        let message = FrameBytes.binary([UInt8](repeating: 0x61, count: 60_000))
        var pending: [UInt8] = []
        var rounds = 0
        while !rig.session.transport.isReadingPaused && rounds < 1000 {
            if pending.isEmpty { pending = message }
            let written = try rig.client.write(pending)
            pending.removeFirst(written)
            try rig.harness.tick()
            rounds += 1
        }
        #expect(rig.session.transport.isReadingPaused, "the backend's full input paused the client")
        try rig.backend.writeAll(Array("bye".utf8))
        try rig.backend.shutdownWrite()
        let expected = serverFrame(.binary, Array("bye".utf8)) + Self.close1000
        try rig.clientReceives(expected.count, "answer and close")
        #expect(rig.client.received == expected)
    }

    /// A backend that closes without reading what it was sent resets the connection: the
    /// client gets 1011 with the reason.
    @Test func aBackendResetClosesTheClientWith1011AndTheReason() throws {
        let rig = try RelayRig(mode: .lines)
        try rig.client.writeAll(FrameBytes.text("unread"))
        try rig.harness.tick(3)
        rig.backend.close()
        let reason = Array("backend: Connection reset by peer".utf8)
        let expected = serverFrame(.close, [0x03, 0xF3] + reason)
        try rig.clientReceives(expected.count, "the 1011")
        #expect(rig.client.received == expected)
        #expect(rig.relay.endpoint.endDescription == "backend: Connection reset by peer")
    }

    /// A client close frame half-closes the backend (after the messages before it): the
    /// backend's last answer is relayed, then the client's close is answered with 1000 and
    /// both sockets end.
    @Test func aClientCloseHalfClosesTheBackendAndRelaysItsAnswer() throws {
        let rig = try RelayRig(mode: .lines)
        try rig.client.writeAll(FrameBytes.text("quit") + FrameBytes.close(code: 1000))
        try rig.harness.tick(until: "EOF at the backend") { try rig.backend.read(); return rig.backend.sawEOF }
        #expect(rig.backend.received == Array("quit\n".utf8))
        try rig.client.read()
        #expect(rig.client.received.isEmpty, "the close reply waits for the backend's answer")
        try rig.backend.writeAll(Array("bye\n".utf8))
        try rig.backend.shutdownWrite()
        let expected = serverFrame(.text, Array("bye".utf8)) + Self.close1000
        try rig.harness.tick(until: "EOF at the client") { try rig.client.read(); return rig.client.sawEOF }
        #expect(rig.client.received == expected)
        try rig.harness.tick(until: "relay finished") { rig.finishedCount == 1 }
        #expect(rig.relay.endpoint.endDescription == "backend closed")
    }

    /// A backend that never answers a client's close: the session replies exactly
    /// `closeReplyDelayMs` (1 s) later, and the backend's socket is closed.
    @Test func aSilentBackendGetsTheCloseReplyDelayToTheMillisecond() throws {
        let rig = try RelayRig(mode: .lines)
        try rig.client.writeAll(FrameBytes.close(code: 1001))
        try rig.harness.tick(until: "EOF at the backend") { try rig.backend.read(); return rig.backend.sawEOF }
        try rig.harness.advance(milliseconds: 999)
        try rig.client.read()
        #expect(rig.client.received.isEmpty)
        try rig.harness.advance(milliseconds: 1)
        try rig.clientReceives(4, "the close reply")
        #expect(rig.client.received == serverFrame(.close, [0x03, 0xE9]), "the client's code, echoed")
        try rig.backend.shutdownWrite()
        try rig.harness.tick(until: "relay finished") { rig.finishedCount == 1 }
        #expect(rig.relay.endpoint.endDescription == "closed by the gateway")
    }

    /// A client that vanishes without a close frame: the backend gets EOF, and once it closes
    /// too the relay finishes, once.
    @Test func aVanishingClientClosesTheBackend() throws {
        let rig = try RelayRig(mode: .bytes)
        try rig.client.writeAll(FrameBytes.binary([1, 2]))
        try rig.backendReceives(2, "the message")
        rig.client.close()
        try rig.harness.tick(until: "EOF at the backend") { try rig.backend.read(); return rig.backend.sawEOF }
        #expect(rig.backend.received == [1, 2])
        rig.backend.close()
        try rig.harness.tick(until: "relay finished") { rig.finishedCount == 1 }
        #expect(rig.relay.isFinished)
        #expect(!rig.session.transport.isOpen)
        try rig.harness.tick(3)
        #expect(rig.finishedCount == 1)
    }
}
