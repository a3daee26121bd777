import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Misbehaving peers must not hurt anyone else: stalls, garbage, vanishing clients, signals.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RobustnessTests {
    /// A client that sends half a request head and stalls must not delay another client.
    @Test func aStalledHalfHeaderDoesNotBlockOtherClients() throws {
        let gateway = try GatewayProcess(["--echo"])
        let staller = try gateway.connect()
        try staller.send("GET / HTTP/1.1\r\nHost: x\r\nUpgr")
        let other = try gateway.openWebSocket()
        try other.send(FrameBytes.text("still served"))
        #expect(try other.readMessage().text == "still served")
        withExtendedLifetime(staller) {}
    }

    /// Named inputs, so a failure report does not print kilobytes of bytes.
    static let garbage: [String: [UInt8]] = [
        "4 KiB of NUL bytes": [UInt8](repeating: 0, count: 4096),
        "20 KB of pseudo-random bytes": (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) },
        "only line ends": Array("\r\n\r\n\r\n\r\n".utf8),
        "control bytes in a header": Array("GET / HTTP/1.1\r\n\u{1}\u{2}\u{3}: \u{7f}\r\n\r\n".utf8),
        "a TLS ClientHello on the plain port": [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03],
    ]

    @Test(arguments: garbage.keys.sorted())
    func garbageGetsAnErrorAndTheGatewayKeepsServing(name: String) throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        try client.send(Self.garbage[name]!)
        let response = try client.readHTTPResponse()
        #expect([400, 431].contains(response.status))
        let next = try gateway.openWebSocket()
        try next.send(FrameBytes.text("ok"))
        #expect(try next.readMessage().text == "ok")
    }

    @Test func garbageAfterTheUpgradeIsAProtocolErrorNotACrash() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        let close = try client.readFrame()
        #expect(close.opcode == .close)
        #expect(close.closeCode == 1002)
        let next = try gateway.openWebSocket()
        try next.send(FrameBytes.text("alive"))
        #expect(try next.readMessage().text == "alive")
    }

    @Test func clientsThatVanishMidFrameAreCleanedUp() throws {
        let gateway = try GatewayProcess(["--echo"])
        for _ in 0..<20 {
            let client = try gateway.openWebSocket()
            try client.send(Array(FrameBytes.text(String(repeating: "x", count: 500)).prefix(100)))
            client.close()
        }
        let survivor = try gateway.openWebSocket()
        try survivor.send(FrameBytes.text("fine"))
        #expect(try survivor.readMessage().text == "fine")
    }

    /// A client that sends without ever reading its echoes: wsgate stops reading it once its
    /// write queue is full (backpressure), so memory stays bounded, and others are served.
    @Test func aClientThatNeverReadsCannotGrowMemory() throws {
        let gateway = try GatewayProcess(["--echo"])
        let before = try #require(gateway.process.residentKilobytes)
        let hog = try gateway.openWebSocket()
        let message = FrameBytes.binary([UInt8](repeating: 0x5A, count: 65536))
        let sent = try hog.sendUntilStalled(message, limit: 512 << 20)
        #expect(sent < 64 << 20, "the gateway kept accepting \(sent) bytes from a client that reads nothing")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: 32 * 1024)
        let other = try gateway.openWebSocket()
        try other.send(FrameBytes.text("not starved"))
        #expect(try other.readMessage().text == "not starved")
    }

    /// SIGTERM: every open client gets close 1001, and wsgate exits 0 once they answered.
    @Test func sigtermClosesEveryClientWith1001AndExitsZero() throws {
        let gateway = try GatewayProcess(["--echo"])
        let clients = try (0..<5).map { _ in try gateway.openWebSocket() }
        gateway.process.send(signal: SIGTERM)
        for client in clients {
            let close = try client.readFrame()
            #expect(close.opcode == .close)
            #expect(close.closeCode == 1001)
            try client.send(FrameBytes.close(code: 1001))
            #expect(try client.waitForEOF())
        }
        #expect(try gateway.process.waitForExit() == 0)
    }

    /// A client still sending its request when SIGTERM comes gets an orderly 503, not a reset
    /// (with socket activation, its retry reaches the next wsgate).
    @Test func sigtermAnswersAHalfReceivedRequestWith503() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n")
        let session = try gateway.openWebSocket()  // accepted after the first: so the first is accepted too
        gateway.process.send(signal: SIGTERM)
        #expect(try client.readHTTPResponse().status == 503)
        #expect(try session.readFrame().closeCode == 1001)
    }

    /// Out of file descriptors (`EMFILE`): wsgate logs it, pauses accepting instead of
    /// spinning, keeps serving the clients it has, and accepts again once descriptors are free.
    @Test func aFullDescriptorTableIsSurvived() throws {
        let process = try ChildProcess(
            path: "/bin/sh",
            arguments: ["-c", "ulimit -n 24 && exec \"$0\" --echo --threads=1 --address=127.0.0.1 --port=0",
                        Executables.path("wsgate")])
        let line = try process.waitForOutputLine(containing: "Starting WebSocket server   : ws://")
        let port = try #require(Int(line.split(separator: ":").last!.filter(\.isNumber)))
        let first = try TestClient(port: port)
        #expect(try first.upgrade().status == 101)
        // More connections than descriptors are left: the kernel queues them, wsgate cannot
        // accept them all.
        var waiting: [TestClient] = []
        for _ in 0..<30 { waiting.append(try TestClient(port: port)) }
        try process.waitForOutputLine(containing: "Cannot accept")
        try first.send(FrameBytes.text("still served"))
        #expect(try first.readMessage().text == "still served")
        // Freeing descriptors lets the queued connections in.
        for client in waiting.dropLast() { client.close() }
        let last = try #require(waiting.last)
        #expect(try last.upgrade(timeout: 10).status == 101)
    }

    /// A client that never answers our 1001 does not keep wsgate alive forever.
    @Test func sigtermExitsEvenIfAClientNeverAnswers() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        gateway.process.send(signal: SIGINT)
        #expect(try client.readFrame().closeCode == 1001)
        #expect(try gateway.process.waitForExit(timeout: 20) == 0)
    }

    @Test func aSecondListenerOnABusyPortExitsWithStatus3() throws {
        let gateway = try GatewayProcess(["--echo"])
        let second = try ChildProcess(path: Executables.path("wsgate"),
                                      arguments: ["--echo", "--address=127.0.0.1", "--port=\(gateway.port)"])
        #expect(try second.waitForExit() == 3)
        #expect(second.standardOutput.contains("Can't start server"))
    }
}
