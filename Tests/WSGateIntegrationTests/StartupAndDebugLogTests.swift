import Testing
import WSGateTestSupport

/// The log lines of wsgate's own backends and features, which websocketd has no line for
/// (the README's "Logs" entry): start-up lines in websocketd's column, and the debug lines of
/// socket backends. The lines websocketd has are compared with it in DifferentialLogTests.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct StartupAndDebugLogTests {
    /// The INFO lines, once a request logged after them has been read.
    static func startupLines(_ gateway: GatewayProcess) throws -> [String] {
        let client = try gateway.connect()
        try client.send("GET /log-marker HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        _ = try client.readHTTPResponse()
        try gateway.process.waitForOutputLine(containing: "log-marker")
        return gateway.process.standardOutput.split(separator: "\n")
            .filter { $0.contains(" | INFO   | server     |  | ") }
            .map { String($0.split(separator: " | ", maxSplits: 4).last ?? "") }
    }

    @Test func echoStaticFilesAndMetricsLinesShareWebsocketdsColumn() throws {
        let directory = try TemporaryFiles.directory("startup")
        defer { TemporaryFiles.removeDirectory(directory) }
        let gateway = try GatewayProcess(["--echo", "--staticdir=\(directory)", "--metrics=/metrics"])
        let url = "127.0.0.1:\(gateway.port)/"
        #expect(try Self.startupLines(gateway) == [
            "Serving using built-in      : echo",
            "Serving static content from : \(directory)",
            "Starting WebSocket server   : ws://\(url)",
            "Serving CGI or static files : http://\(url)",
            "Serving Prometheus metrics  : /metrics",
        ])
    }

    @Test func aTCPBackendIsNamedInTheSameColumn() throws {
        let backend = try TCPTestBackend(.echo)
        let gateway = try GatewayProcess([backend.gatewayArgument])
        let lines = try Self.startupLines(gateway)
        #expect(lines.first == "Serving using TCP backend   : " + backend.gatewayArgument.dropFirst("--tcp=".count))
        #expect(lines.dropFirst().first == "Starting WebSocket server   : ws://127.0.0.1:\(gateway.port)/")
    }

    /// `--loglevel=debug` names the backend a connection reached and why the client's side
    /// ended; at the default level none of it is written.
    @Test(arguments: ["debug", "access"]) func aSocketBackendConnectionIsLoggedAtDebugLevel(_ level: String) throws {
        let backend = try TCPTestBackend(.echo)
        let gateway = try GatewayProcess(["--loglevel=\(level)", backend.gatewayArgument])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.close(code: 1001))
        _ = try Transcript.read(from: client, answerClose: false)
        try gateway.process.waitForOutputLine(containing: "| DISCONNECT")
        let log = gateway.process.standardOutput
        let target = String(backend.gatewayArgument.dropFirst("--tcp=".count))
        let expected = ["| DEBUG  | backend    | ", "| Connected to backend \(target)\n",
                        "| DEBUG  | websocket  | ", "| Cannot receive: websocket: close 1001 (going away)\n"]
        for text in expected {
            #expect(log.contains(text) == (level == "debug"), "\(text) in:\n\(log)")
        }
    }
}
