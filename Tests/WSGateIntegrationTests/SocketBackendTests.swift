import Glibc
import Testing
import WSGatePosix
import WSGateTestSupport
import WSGateWebSocket

/// `--tcp` and `--unix` (docs/behaviour.md, 'Socket backends') as a client and the backend see
/// them.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SocketBackendTests {
    @Test func bytesRoundTripInBinaryModeAndTheBinarySubprotocolIsChosen() throws {
        let backend = try TCPTestBackend(.echo)
        let gateway = try GatewayProcess(["--binary", backend.gatewayArgument])
        let client = try gateway.connect()
        let response = try client.upgrade(headers: [("Sec-WebSocket-Protocol", "binary, base64")])
        #expect(response.status == 101)
        #expect(response.header("Sec-WebSocket-Protocol") == "binary")
        let bytes: [UInt8] = (0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let echoed = try client.echo(binary: bytes, timeout: 10)
        #expect(echoed.allBinary)
        #expect(echoed.bytes == bytes)
    }

    /// websockify closes 1003 on a text frame; wsgate writes its bytes to the backend.
    @Test func textFramesAreAcceptedInBinaryMode() throws {
        let backend = try TCPTestBackend(.echo)
        let gateway = try GatewayProcess(["--binary", backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("RFB 003.008\n"))
        #expect(try backend.waitForReceived(atLeast: 12) == Array("RFB 003.008\n".utf8))
    }

    @Test func lineModeWorksOverTCPAsForPrograms() throws {
        let backend = try TCPTestBackend(.lineEcho)
        let gateway = try GatewayProcess([backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("hello"))
        let message = try client.readMessage()
        #expect(message.opcode == .text)
        #expect(message.text == "hello")
    }

    @Test func aUnixSocketBackendWorks() throws {
        let path = TCPTestBackend.temporaryUnixPath()
        let backend = try TCPTestBackend(.lineEcho, unixPath: path)
        let gateway = try GatewayProcess([backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("over a unix socket"))
        #expect(try client.readMessage().text == "over a unix socket")
    }

    /// 502 before the 101 (websockify answers 101, then closes 1011).
    @Test func aRefusedBackendGets502AndALogLine() throws {
        let backend = try TCPTestBackend(.echo)
        let argument = backend.gatewayArgument
        backend.stop()
        let gateway = try GatewayProcess([argument])
        let client = try gateway.connect()
        #expect(try client.upgrade().status == 502)
        let line = try gateway.process.waitForOutputLine(containing: "Could not connect to backend")
        #expect(line.contains("127.0.0.1"))
        #expect(line.contains("refused"))
    }

    /// A backend whose accept queue is full drops the SYN: the connect never completes, and
    /// `--connect-timeout` turns that into a 502.
    @Test func aSilentBackendGets502AfterTheConnectTimeout() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Fill the accept queue so that further SYNs are dropped (non-blocking connects: a
        // blocking one would itself wait for the kernel's SYN retries).
        let target = try #require(SocketAddress(ipLiteral: "127.0.0.1", port: port))
        let fillers = try (0..<3).map { _ in try Socket.connect(to: target).socket }
        defer { fillers.forEach { $0.close() } }
        let gateway = try GatewayProcess(["--tcp=127.0.0.1:\(port)", "--connect-timeout=300"])
        let client = try gateway.connect()
        #expect(try client.upgrade().status == 502)
        try gateway.process.waitForOutputLine(containing: "Could not connect to backend")
    }

    /// The backend closes: its last data is delivered, then close 1000.
    @Test func theBackendsLastDataThenClose1000() throws {
        let backend = try TCPTestBackend(.greetThenClose("welcome\nbye\n"))
        let gateway = try GatewayProcess([backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "welcome")
        #expect(try client.readMessage().text == "bye")
        #expect(try client.readFrame().closeCode == 1000)
    }

    /// The client closes: the backend sees a half-close (EOF on its input) and its answer
    /// still reaches the client before the close reply.
    @Test func theClientsCloseHalfClosesTheBackendAndItsAnswerIsRelayed() throws {
        let backend = try TCPTestBackend(.answerAfterHalfClose("final answer\n"))
        let gateway = try GatewayProcess([backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("question"))
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readMessage().text == "final answer")
        let close = try client.readFrame()
        #expect(close.opcode == .close)
        #expect(close.closeCode == 1000)
        #expect(try backend.waitForEndOfInput().received == Array("question\n".utf8))
    }

    @Test func aBackendResetCloses1011WithAReason() throws {
        let backend = try TCPTestBackend(.resetAfterFirstRead)
        let gateway = try GatewayProcess([backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("trigger"))
        let close = try client.readFrame()
        #expect(close.closeCode == 1011)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self).contains("reset"))
    }

    @Test func proxyProtocolTellsTheBackendWhoTheClientIs() throws {
        let backend = try TCPTestBackend(.recordProxyHeader)
        let gateway = try GatewayProcess(["--proxy-protocol", backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("after the header"))
        let header = try backend.waitForProxyHeader()
        #expect(header.hasPrefix("PROXY TCP4 127.0.0.1 127.0.0.1 "))
        #expect(header.hasSuffix(" \(gateway.port)\r\n"))
        #expect(try client.readMessage().text == "after the header")
    }

    /// A backend floods while the client reads nothing: the backend is stopped (its writes
    /// stall because wsgate stopped reading it), not buffered.
    @Test func aSlowClientStopsTheBackendNotWsgatesMemory() throws {
        let backend = try TCPTestBackend(.flood(300_000_000))
        let gateway = try GatewayProcess(["--binary", backend.gatewayArgument])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.openWebSocket()
        let stalled = try backend.waitForSendingToStall()
        #expect(stalled.sent < 64 << 20, "the backend could send \(stalled.sent) bytes to a client that reads nothing")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: 64 * 1024)
        withExtendedLifetime(client) {}
    }

    /// The backend never reads while the client sends: wsgate stops reading the client.
    @Test func aSlowBackendStopsTheClientNotWsgatesMemory() throws {
        let backend = try TCPTestBackend(.neverRead)
        let gateway = try GatewayProcess(["--binary", backend.gatewayArgument])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.openWebSocket()
        let sent = try client.sendUntilStalled(FrameBytes.binary([UInt8](repeating: 0x42, count: 65536)), limit: 400 << 20)
        #expect(sent < 64 << 20, "wsgate kept taking \(sent) bytes for a backend that reads nothing")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: 64 * 1024)
    }
}
