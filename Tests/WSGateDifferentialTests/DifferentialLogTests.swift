import Testing
import WSGateTestSupport

/// The log, line by line (docs/behaviour.md, 'Log format'): the same scenario on websocketd and
/// on wsgate writes the same lines once times, ids, pids and ports are masked, except where the
/// README's "Logs" entry lists a difference (the DISCONNECT line's `close` and `status`, the
/// 404 line written once, `HTTP_HOST` among the environment lines).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialLogTests {
    /// The start-up configurations compared.
    enum StartUp: String, CaseIterable, CustomStringConvertible {
        case application, applicationWithArguments, directory, staticFiles, cgiScripts, devConsole, directoryAndStaticFiles

        var description: String { rawValue }

        /// Flags and COMMAND, with `directory` for whichever directory flag is used.
        func commandLine(_ directory: String) -> (flags: [String], command: [String]) {
            switch self {
            case .application: ([], Peer.testcmd("echo"))
            case .applicationWithArguments: ([], Peer.testcmd("lines", "a", "b c"))
            case .directory: (["--dir=\(directory)"], [])
            case .staticFiles: (["--staticdir=\(directory)"], Peer.testcmd("echo"))
            case .cgiScripts: (["--cgidir=\(directory)"], Peer.testcmd("echo"))
            case .devConsole: (["--devconsole"], Peer.testcmd("echo"))
            case .directoryAndStaticFiles: (["--dir=\(directory)", "--staticdir=\(directory)"], [])
            }
        }
    }

    /// Start-up: the same INFO lines in the same order, padding and trailing space included
    /// (`Serving using application   : CMD ` before `Starting WebSocket server   : ws://…`).
    @Test(arguments: StartUp.allCases) func startUpLinesMatch(_ startUp: StartUp) throws {
        let directory = try TemporaryFiles.directory("log-startup")
        defer { TemporaryFiles.removeDirectory(directory) }
        let (flags, command) = startUp.commandLine(directory)
        let both = try onBoth(flags: flags, command: command) { server in
            try Self.logAfterMarker(server).lines(at: "INFO")
        }
        #expect(both.websocketd.count >= 2)
        #expect(both.wsgate == both.websocketd)
    }

    /// CONNECT and DISCONNECT of a session the client closes: the same fields in the same
    /// order (`origin` included). wsgate's DISCONNECT adds `close` and `status`.
    @Test func connectAndDisconnectLinesMatch() throws {
        let both = try onBoth(command: Peer.testcmd("echo")) { server in
            try Self.echoSession(server)
            return MaskedLog(server.log, port: server.port).lines(at: "ACCESS")
        }
        #expect(both.websocketd.count == 2)
        #expect(both.wsgate.last?.hasSuffix("close:'1000' status:'exit status 0' | DISCONNECT") == true)
        #expect(both.wsgate.map(Self.withoutWsgateFields) == both.websocketd)
    }

    /// A plain request nothing serves: the same `http` line.
    @Test func plainNotFoundLinesMatch() throws {
        let both = try onBoth(command: Peer.testcmd("echo")) { server in
            try Self.logAfterMarker(server).lines(at: "ACCESS")
        }
        #expect(both.websocketd == ["TIME | ACCESS | http       | url:'http://127.0.0.1:PORT/log-marker' | NOT FOUND"])
        #expect(both.wsgate == both.websocketd)
    }

    /// `--dir` without the script: `NOT FOUND: script not found`, no origin field. websocketd
    /// writes the line twice; wsgate once.
    @Test func scriptNotFoundLinesMatch() throws {
        let directory = try TemporaryFiles.directory("log-dir")
        defer { TemporaryFiles.removeDirectory(directory) }
        let both = try onBoth(flags: ["--dir=\(directory)"], command: []) { server in
            let client = try server.connect()
            #expect(try client.upgrade(path: "/missing.sh", headers: [("Origin", "http://example.com")]).status == 404)
            return try Self.logAfterMarker(server).lines(at: "ACCESS").filter { !$0.hasSuffix("| NOT FOUND") }
        }
        let expected = "TIME | ACCESS | session    | url:'http://127.0.0.1/missing.sh' id:'ID' remote:'127.0.0.1' | NOT FOUND: script not found"
        #expect(both.websocketd == [expected, expected])
        #expect(both.wsgate == [expected])
    }

    /// Origin refusals: websocketd's two lines (its check's reason, then "Unable to Upgrade").
    @Test(arguments: [["--origin=allowed.example"], ["--sameorigin"]])
    func originRefusalLinesMatch(_ flags: [String]) throws {
        let both = try onBoth(flags: flags, command: Peer.testcmd("echo")) { server in
            let client = try server.connect()
            #expect(try client.upgrade(headers: [("Origin", "http://evil.example")]).status == 403)
            return try Self.logAfterMarker(server).lines(at: "ACCESS").filter { !$0.hasSuffix("| NOT FOUND") }
        }
        #expect(both.websocketd.count == 2)
        #expect(both.wsgate == both.websocketd)
    }

    /// `--reverselookup`: `remote:'…'` names the host (127.0.0.1 is "localhost" on Debian).
    @Test func reverseLookupNamesTheHostInRemote() throws {
        let both = try onBoth(flags: ["--reverselookup"], command: Peer.testcmd("echo")) { server in
            try Self.echoSession(server)
            return MaskedLog(server.log, port: server.port).lines(at: "ACCESS").map(Self.withoutWsgateFields)
        }
        #expect(both.websocketd.count == 2)
        #expect(both.websocketd.allSatisfy { $0.contains("remote:'localhost'") })
        #expect(both.wsgate == both.websocketd)
    }

    /// `--loglevel=trace`: the access lines and websocketd's one trace line, nothing at debug.
    @Test func traceLinesMatch() throws {
        let both = try onBoth(flags: ["--loglevel=trace"], command: Peer.testcmd("echo")) { server in
            try Self.echoSession(server)
            let log = MaskedLog(server.log, port: server.port)
            return (connection: log.lines(at: ["ACCESS", "TRACE"]).map(Self.withoutWsgateFields), debug: log.lines(at: "DEBUG"))
        }
        #expect(both.websocketd.connection.count == 3)
        #expect(both.wsgate.connection == both.websocketd.connection)
        #expect(both.websocketd.debug.isEmpty)
        #expect(both.wsgate.debug.isEmpty)
    }

    /// `--loglevel=debug`: the same lines for one session (environment, process events, the
    /// end of the WebSocket), with the same fields; compared as sets of lines, since
    /// websocketd's goroutines write some in varying order. wsgate adds `HTTP_HOST`.
    /// websocketd writes `Process STDOUT closed` and `Process STDERR closed` only when its
    /// reader saw the pipe's end before the session was torn down (a race); wsgate always does.
    /// An echo program ends at end of input, but on a loaded machine it can still be running
    /// when the SIGINT 100 ms later is due, on either gateway: which of the two ended it is
    /// timing, not behaviour (killSequenceDebugLinesMatch checks the sequence itself).
    @Test func debugLinesMatch() throws {
        let both = try onBoth(flags: ["--loglevel=debug"], command: Peer.testcmd("echo")) { server in
            try Self.echoSession(server)
            return MaskedLog(server.log, port: server.port).lines(at: ["ACCESS", "TRACE", "DEBUG"])
        }
        #expect(both.websocketd.count > 25)
        let hostLine = "Header variable HTTP_HOST=127.0.0.1"
        #expect(both.wsgate.filter { $0.hasSuffix(hostLine) }.count == 1)
        let wsgate = both.wsgate.filter { !$0.hasSuffix(hostLine) }.map(Self.withoutWsgateFields)
        for pipe in Self.pipeClosedLines {
            #expect(wsgate.filter { $0.hasSuffix(pipe) }.count == 1)
            #expect(both.websocketd.filter { $0.hasSuffix(pipe) }.count <= 1)
        }
        #expect(Self.withoutPipeLines(wsgate).map(Self.withEitherEnding).sorted()
                == Self.withoutPipeLines(both.websocketd).map(Self.withEitherEnding).sorted())
        // The environment comes before CONNECT; DISCONNECT is last.
        let connect = wsgate.firstIndex { $0.hasSuffix("| CONNECT") } ?? 0
        #expect(wsgate.prefix(connect).allSatisfy { $0.hasPrefix("TIME | DEBUG  | env ") })
        #expect(wsgate.last?.hasSuffix("| DISCONNECT") == true)
    }

    /// The kill sequence at debug level: a program that ignores SIGINT and SIGTERM ends
    /// `after SIGKILL` on both (the pipe lines are websocketd's race, as above).
    @Test func killSequenceDebugLinesMatch() throws {
        let both = try onBoth(flags: ["--loglevel=debug"], command: Peer.testcmd("signals")) { server in
            let client = try server.openWebSocket()
            #expect(try client.readMessage().text == "ready")
            try client.send(FrameBytes.close(code: 1000))
            _ = try Transcript.read(from: client, answerClose: false)
            try server.process.waitForOutputLine(containing: "| DISCONNECT")
            let log = MaskedLog(server.log, port: server.port)
            return log.lines(at: "DEBUG").filter { $0.hasPrefix("TIME | DEBUG  | process ") }
        }
        #expect(both.websocketd.contains { $0.hasSuffix("| Process PID terminated after SIGKILL") })
        #expect(Self.withoutPipeLines(both.wsgate) == Self.withoutPipeLines(both.websocketd))
        #expect(both.wsgate.count == 3)
    }

    /// websocketd's `process` lines for the end of each pipe.
    static let pipeClosedLines = ["| Process STDOUT closed", "| Process STDERR closed"]

    static func withoutPipeLines(_ lines: [String]) -> [String] {
        lines.filter { line in !pipeClosedLines.contains { line.hasSuffix($0) } }
    }

    /// A program that ends at end of input: `terminated after stdin was closed`, or `after
    /// SIGINT` when it had not yet exited 100 ms later; both become one line.
    static func withEitherEnding(_ line: String) -> String {
        for ending in ["terminated after stdin was closed", "terminated after SIGINT"] where line.hasSuffix(ending) {
            return line.dropLast(ending.count) + "terminated after stdin was closed or SIGINT"
        }
        return line
    }

    // MARK: - Scenario steps

    /// One session with Origin `http://example.com`: a line echoed, then the client closes;
    /// returns once the server logged DISCONNECT.
    static func echoSession(_ server: PeerServer) throws {
        let client = try server.openWebSocket(headers: [("Origin", "http://example.com")])
        try client.send(FrameBytes.text("hello"))
        #expect(try client.readMessage().text == "hello")
        try client.send(FrameBytes.close(code: 1000))
        _ = try Transcript.read(from: client, answerClose: false)
        try server.process.waitForOutputLine(containing: "| DISCONNECT")
    }

    /// The log once a plain `GET /log-marker` has been logged: every line written before it
    /// has been read by then (the start-up lines, the lines of earlier requests).
    static func logAfterMarker(_ server: PeerServer) throws -> MaskedLog {
        let client = try server.connect()
        try client.send("GET /log-marker HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n")
        _ = try client.readHTTPResponse()
        try server.process.waitForOutputLine(containing: "log-marker")
        return MaskedLog(server.log, port: server.port)
    }

    /// A DISCONNECT line without the fields only wsgate writes (`close`, `status`).
    static func withoutWsgateFields(_ line: String) -> String {
        line.replacing(#/ close:'\d+'/#, with: "").replacing(#/ status:'[^']*'/#, with: "")
    }
}
