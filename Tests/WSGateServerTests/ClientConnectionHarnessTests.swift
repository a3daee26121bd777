import Testing
import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGatePosix
@testable import WSGateServer
import WSGateTestSupport

/// `ClientConnection`'s HTTP phase on a socket pair, driven tick by tick (LoopHarness), with
/// the built-in echo as backend: a request that arrives one byte per tick still gets its 101
/// (then the session echoes), a malformed one gets its exact 400 (a plain GET its 404, a wrong
/// version its 426) and a close, a head not complete within 10 s is dropped exactly when the
/// clock reaches the deadline, and a drain answers 503 before the head and 1001 after the 101.
/// With `--tcp`, the backend's connect happens before the 101: refused or silent (the 5 s
/// connect timeout fired by the clock) is an exact 502, connected is a 101 and a relay.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ClientConnectionHarnessTests {
    static let upgradeRequest = Array((
        "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
    /// RFC 6455 §1.3's example key and its accept value.
    static let switchingProtocols = Array((
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").utf8)

    static func start(backend: BackendSpec = .echo) throws -> (LoopHarness, ConnectionContext, PeerSocket) {
        let harness = try LoopHarness()
        var config = GatewayConfig()
        config.backend = backend
        let context = ConnectionContext(
            loop: harness.loop, settings: ServerSettings(config: config), logger: Logger(minimumLevel: .none, format: .text),
            tracker: ConnectionTracker(), sessionSlots: SessionSlots(limit: nil), reaper: ChildReaper(),
            programGroups: ProgramGroups(), metrics: LoopMetrics())
        let (ours, client) = try PeerSocket.pair()
        ClientConnection.accept(socket: ours, peer: SocketAddress(ipLiteral: "127.0.0.1", port: 40000), context: context)
        return (harness, context, client)
    }

    /// Every byte of the request in its own tick: nothing is answered before the last one,
    /// then exactly the 101, and the echo session serves the next frame.
    @Test func aRequestSplitAtEveryByteGetsThe101() throws {
        let (harness, context, client) = try Self.start()
        for byte in Self.upgradeRequest.dropLast() {
            try client.writeAll([byte])
            try harness.tick()
            #expect(try client.read().isEmpty)
        }
        try client.writeAll([Self.upgradeRequest.last!])
        try harness.tick(until: "101") { try client.read(); return client.received.count >= Self.switchingProtocols.count }
        #expect(client.received == Self.switchingProtocols)
        try client.writeAll(FrameBytes.text("hi"))
        try harness.tick(until: "echo") { try client.read(); return client.received.count >= Self.switchingProtocols.count + 4 }
        #expect(client.received == Self.switchingProtocols + [0x81, 2] + Array("hi".utf8))
        #expect(context.tracker.count == 1)
    }

    /// A frame sent in the same write as the head is kept for the session.
    @Test func aFrameRightAfterTheHeadIsServed() throws {
        let (harness, _, client) = try Self.start()
        try client.writeAll(Self.upgradeRequest + FrameBytes.text("early"))
        let expected = Self.switchingProtocols + [0x81, 5] + Array("early".utf8)
        try harness.tick(until: "101 and echo") { try client.read(); return client.received.count >= expected.count }
        #expect(client.received == expected)
    }

    /// A field line without a colon: the exact 400, then the connection is closed.
    @Test func aBadRequestGetsItsExact400() throws {
        let (harness, context, client) = try Self.start()
        try client.writeAll(Array("GET / HTTP/1.1\r\nHost: a\r\nNoColonHere\r\n\r\n".utf8))
        try harness.tick(until: "EOF") { try client.read(); return client.sawEOF }
        let body = "400 Bad Request\n"
        #expect(String(decoding: client.received, as: UTF8.self)
                == "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\n"
                + "Connection: close\r\n\r\n" + body)
        client.close()
        try harness.tick(until: "connection gone") { context.tracker.count == 0 }
    }

    /// A head still incomplete after 10 s is dropped without an answer: not at 9 999 ms, at
    /// 10 000 ms.
    @Test func theHeaderDeadlineDropsASlowClientToTheMillisecond() throws {
        let (harness, context, client) = try Self.start()
        try client.writeAll(Array("GET /chat HT".utf8))
        try harness.tick(3)
        try harness.advance(milliseconds: 9999)
        try client.read()
        #expect(!client.sawEOF)
        #expect(context.tracker.count == 1)
        try harness.advance(milliseconds: 1)
        try client.read()
        #expect(client.sawEOF)
        #expect(client.received.isEmpty)
        #expect(context.tracker.count == 0)
    }

    /// A complete head cancels the deadline: the session outlives 10 s.
    @Test func theDeadlineIsCancelledByTheUpgrade() throws {
        let (harness, context, client) = try Self.start()
        try client.writeAll(Self.upgradeRequest)
        try harness.tick(until: "101") { try client.read(); return client.received.count >= Self.switchingProtocols.count }
        try harness.advance(milliseconds: 10_000)
        try harness.advance(milliseconds: 10_000)
        try client.read()
        #expect(!client.sawEOF)
        #expect(context.tracker.count == 1)
    }

    /// A plain GET (no Upgrade) gets websocketd's exact 404.
    @Test func aPlainRequestGetsTheExact404() throws {
        let (harness, _, client) = try Self.start()
        try client.writeAll(Array("GET /page HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8))
        try harness.tick(until: "EOF") { try client.read(); return client.sawEOF }
        #expect(String(decoding: client.received, as: UTF8.self)
                == "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 19\r\n"
                + "Connection: close\r\n\r\n404 page not found\n")
    }

    /// An unsupported WebSocket version: 426 with the version the server speaks (RFC 6455 §4.4).
    @Test func anUnsupportedVersionGets426WithVersion13() throws {
        let (harness, _, client) = try Self.start()
        try client.writeAll(Array((
            "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").utf8))
        try harness.tick(until: "EOF") { try client.read(); return client.sawEOF }
        #expect(String(decoding: client.received, as: UTF8.self)
                == "HTTP/1.1 426 Upgrade Required\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 21\r\n"
                + "Connection: close\r\nSec-WebSocket-Version: 13\r\n\r\n426 Upgrade Required\n")
    }

    /// A drain (SIGTERM) before the head is complete: an orderly 503, not a reset.
    @Test func aDrainBeforeTheHeadAnswers503() throws {
        let (harness, context, client) = try Self.start()
        try client.writeAll(Array("GET /chat HTTP/1.1\r\nHost: exa".utf8))
        try harness.tick(3)
        context.tracker.drain()
        try harness.tick(until: "EOF") { try client.read(); return client.sawEOF }
        #expect(String(decoding: client.received, as: UTF8.self)
                == "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\n"
                + "Connection: close\r\n\r\n503 Service Unavailable\n")
    }

    /// A drain after the upgrade: close 1001 with the reason; the client's close is answered by
    /// our FIN, and the drain is over once the client's FIN closes the socket.
    @Test func aDrainAfterTheUpgradeSends1001() throws {
        let (harness, context, client) = try Self.start()
        var drained = false
        context.tracker.onDrained = { drained = true }
        try client.writeAll(Self.upgradeRequest)
        try harness.tick(until: "101") { try client.read(); return client.received.count >= Self.switchingProtocols.count }
        context.tracker.drain()
        let close = [0x88, 22, 0x03, 0xE9] + Array("server shutting down".utf8)
        try harness.tick(until: "close 1001") { try client.read(); return client.received.count >= Self.switchingProtocols.count + close.count }
        #expect(client.received == Self.switchingProtocols + close)
        try client.writeAll(FrameBytes.close(code: 1001))
        try harness.tick(until: "the server's FIN") { try client.read(); return client.sawEOF }
        #expect(!drained, "the socket waits for the client's FIN")
        client.close()
        try harness.tick(until: "drained") { drained }
        #expect(context.tracker.count == 0)
    }

    static let badGateway = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\n"
        + "Connection: close\r\n\r\n502 Bad Gateway\n"

    /// `--tcp` to a port nobody listens on: 502 before any 101 (websockify answers 101, then
    /// closes 1011).
    @Test func aRefusedBackendGets502() throws {
        let refused = try LoopbackListener.refusedAddress()
        let (harness, _, client) = try Self.start(backend: .tcp(host: "127.0.0.1", port: refused.port))
        try client.writeAll(Self.upgradeRequest)
        try harness.tick(until: "EOF") { try client.read(); return client.sawEOF }
        #expect(String(decoding: client.received, as: UTF8.self) == Self.badGateway)
    }

    /// `--tcp` to a backend that never answers the SYN: the upgrade waits, and the 502 comes
    /// exactly at the 5 s connect timeout.
    @Test func aSilentBackendGets502AtTheConnectTimeout() throws {
        let listener = try LoopbackListener(backlog: 0)
        let filler = try listener.fillAcceptQueue()
        defer { filler.close() }
        let (harness, _, client) = try Self.start(backend: .tcp(host: "127.0.0.1", port: listener.address.port))
        try client.writeAll(Self.upgradeRequest)
        try harness.tick(5)
        try harness.advance(milliseconds: 4999)
        try client.read()
        #expect(client.received.isEmpty)
        #expect(!client.sawEOF)
        try harness.advance(milliseconds: 1)
        try harness.tick(until: "EOF") { try client.read(); return client.sawEOF }
        #expect(String(decoding: client.received, as: UTF8.self) == Self.badGateway)
    }

    /// `--tcp` to a backend that accepts: the 101 comes once it is connected, then messages
    /// and output are relayed as lines.
    @Test func aConnectedBackendIsRelayedAfterThe101() throws {
        let listener = try LoopbackListener()
        let (harness, _, client) = try Self.start(backend: .tcp(host: "127.0.0.1", port: listener.address.port))
        try client.writeAll(Self.upgradeRequest)
        try harness.tick()
        let backend = try listener.accept()
        try harness.tick(until: "101") { try client.read(); return client.received.count >= Self.switchingProtocols.count }
        #expect(client.received == Self.switchingProtocols)
        try client.writeAll(FrameBytes.text("hi"))
        try harness.tick(until: "line at the backend") { try backend.read(); return backend.received.count >= 3 }
        #expect(backend.received == Array("hi\n".utf8))
        try backend.writeAll(Array("yo\n".utf8))
        try harness.tick(until: "frame at the client") { try client.read(); return client.received.count >= Self.switchingProtocols.count + 4 }
        #expect(client.received == Self.switchingProtocols + [0x81, 2] + Array("yo".utf8))
    }
}
