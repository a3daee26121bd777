import Testing
import WSGatePosix
import WSGateTestSupport

/// `--redirport=N`: a plain-HTTP listener whose every answer is a 301 to the gateway's own
/// port, path and query kept (websocketd drops them, and 0.4.1 panics on a Host without a port).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RedirectTests {
    /// The gateway with `flags` and a redirect listener; its redirect port.
    private func start(_ flags: [String]) throws -> (GatewayProcess, Int) {
        let redirectPort = try LoopbackListener.refusedAddress().port
        let gateway = try GatewayProcess(flags + ["--redirport=\(redirectPort)", "--echo"])
        let line = try gateway.process.waitForOutputLine(containing: "Starting redirect server")
        #expect(line.contains("http://127.0.0.1:\(redirectPort)/"), "\(line)")
        return (gateway, redirectPort)
    }

    @Test func withTLSEveryRequestGoesToHTTPSWithItsPathAndQuery() throws {
        let (gateway, redirectPort) = try start(TLSTests.tlsFlags)
        let client = try TestClient(port: redirectPort)
        try client.send("GET /app/page?x=1&y=%20 HTTP/1.1\r\nHost: localhost:\(redirectPort)\r\n\r\n")
        let answer = try client.readHTTPResponse()
        #expect(answer.status == 301)
        #expect(answer.header("Location") == "https://localhost:\(gateway.port)/app/page?x=1&y=%20")
        #expect(answer.body.contains("Moved Permanently"))
        // Keep-alive: the same connection asks again, without a port in Host this time.
        try client.send("HEAD /b HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let second = try client.readHTTPResponse(toHead: true)
        #expect(second.status == 301)
        #expect(second.header("Location") == "https://localhost:\(gateway.port)/b")
    }

    /// The listener answers nothing else: an upgrade is redirected too (a browser then opens
    /// wss:// itself), and the log has the line.
    @Test func anUpgradeIsRedirectedAndLogged() throws {
        let (gateway, redirectPort) = try start(TLSTests.tlsFlags)
        let client = try TestClient(port: redirectPort)
        let answer = try client.upgrade(path: "/ws?room=1", host: "127.0.0.1:\(redirectPort)")
        #expect(answer.status == 301)
        #expect(answer.header("Location") == "https://127.0.0.1:\(gateway.port)/ws?room=1")
        let line = try gateway.process.waitForOutputLine(containing: "REDIRECT")
        #expect(line.contains("url:'http://127.0.0.1:\(redirectPort)/ws?room=1'"), "\(line)")
    }

    /// Without --ssl the target is http://, and a request without Host names the address the
    /// client reached.
    @Test func withoutTLSTheTargetIsHTTPAndAMissingHostIsTheLocalAddress() throws {
        let (gateway, redirectPort) = try start([])
        let client = try TestClient(port: redirectPort)
        try client.send("GET /x HTTP/1.0\r\n\r\n")
        let answer = try client.readHTTPResponse(bodyToEOF: true)
        #expect(answer.status == 301)
        #expect(answer.header("Location") == "http://127.0.0.1:\(gateway.port)/x")
        // The gateway's own port still serves WebSockets.
        _ = try gateway.openWebSocket()
    }

    /// A redirect port already taken is a start-up error like the main port's: exit 3, one
    /// FATAL line, no listener left half started.
    @Test func aTakenRedirectPortIsAStartUpError() throws {
        let taken = try LoopbackListener()
        let gateway = try ChildProcess(path: Executables.path("wsgate"),
                                       arguments: ["--address=127.0.0.1", "--port=0", "--redirport=\(taken.address.port)", "--echo"])
        #expect(try gateway.waitForExit() == 3)
        let fatal = gateway.standardOutput.split(separator: "\n").filter { $0.contains("FATAL") }
        #expect(fatal.count == 1)
        #expect(fatal.first?.contains("Address already in use") == true, "\(gateway.standardOutput)")
        withExtendedLifetime(taken) {}
    }
}
