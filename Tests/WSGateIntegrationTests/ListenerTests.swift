import Glibc
import Testing
import WSGatePosix
import WSGateTestSupport
import WSGateWebSocket

/// Where wsgate listens and what it says about it.
@Suite struct ListenerTests {
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
}
