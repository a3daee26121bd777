import Glibc
import Testing
import WSGatePosix
import WSGateTestSupport
import WSGateWebSocket

/// Where wsgate listens and what it says about it.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ListenerTests {
    /// `--address` is repeatable and takes IPv6 in brackets: one listener each, one
    /// "Starting WebSocket server" line each, both serving.
    @Test(.enabled(if: Socket.supportsIPv6))
    func repeatedAddressesIncludingIPv6AllServe() throws {
        let process = try ChildProcess(path: Executables.path("wsgate"),
                                       arguments: ["--echo", "--port=0", "--address=127.0.0.1", "--address=[::1]"])
        let v4 = try process.waitForOutputLine(containing: "ws://127.0.0.1:")
        let v6 = try process.waitForOutputLine(containing: "ws://[::1]:")
        for (line, host) in [(v4, "127.0.0.1"), (v6, "::1")] {
            let port = try #require(Int(line.split(separator: ":").last!.filter(\.isNumber)))
            let client = try TestClient(port: port, host: host)
            #expect(try client.upgrade().status == 101)
            try client.send(FrameBytes.text("via \(host)"))
            #expect(try client.readMessage().text == "via \(host)")
        }
    }

    /// `--loglevel=info` hides ACCESS lines (websocketd's order: access < info).
    @Test func loglevelInfoHidesAccessLines() throws {
        let gateway = try GatewayProcess(["--echo", "--loglevel=info"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.close(code: 1000))
        _ = try client.readFrame()
        #expect(try client.waitForEOF())
        gateway.process.send(signal: SIGTERM)
        #expect(try gateway.process.waitForExit() == 0)
        #expect(!gateway.process.standardOutput.contains("CONNECT"))
        #expect(gateway.process.standardOutput.contains("Received SIGTERM"))
    }

    /// `--threads=N`: N loops share the port; every client is served, the `--maxforks`
    /// budget is one for all loops, and SIGTERM drains every loop before exiting 0.
    @Test func severalLoopsServeShareTheForkBudgetAndDrainTogether() throws {
        let gateway = try GatewayProcess(["--echo", "--threads=4", "--maxforks=40"])
        let clients = try (0..<40).map { _ in try gateway.openWebSocket() }
        let refused = try gateway.connect()
        #expect(try refused.upgrade().status == 429)
        for (index, client) in clients.enumerated() {
            try client.send(FrameBytes.text("client \(index)"))
            #expect(try client.readMessage().text == "client \(index)")
        }
        gateway.process.send(signal: SIGTERM)
        for client in clients {
            #expect(try client.readFrame().closeCode == 1001)
            try client.send(FrameBytes.close(code: 1001))
        }
        #expect(try gateway.process.waitForExit() == 0)
    }

    /// Several loops use SO_REUSEPORT; a second gateway must still not be able to share the
    /// port (websocketd exits 3 when the port is taken).
    @Test func aSecondMultiLoopGatewayCannotJoinThePort() throws {
        let gateway = try GatewayProcess(["--echo", "--threads=2"])
        let second = try ChildProcess(path: Executables.path("wsgate"),
                                      arguments: ["--echo", "--threads=2", "--address=127.0.0.1", "--port=\(gateway.port)"])
        #expect(try second.waitForExit() == 3)
    }
}
