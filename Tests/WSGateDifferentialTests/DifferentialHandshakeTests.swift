import Glibc
import Testing
import WSGateTestSupport

/// What a client gets before (or instead of) the upgrade (docs/behaviour.md, 'Handshake'): the
/// same status for the same request, except where wsgate is (better).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialHandshakeTests {
    /// `--maxforks=1`: while one session runs, a second upgrade gets 429 from both.
    @Test func aConnectionOverMaxforksGets429() throws {
        let both = try onBoth(flags: ["--maxforks=1"], command: Peer.testcmd("echo")) { server in
            let first = try server.openWebSocket()
            try first.send(FrameBytes.text("busy"))
            _ = try first.readMessage()  // the session (and its fork slot) is surely taken
            let response = try server.connect().upgrade()
            return (response.status, response.body)
        }
        #expect(both.websocketd.0 == 429)
        #expect(both.wsgate.0 == both.websocketd.0)
        #expect(both.wsgate.1 == both.websocketd.1)
    }

    /// `--origin=example.com` (any port of that host): a foreign Origin gets 403 from both; the
    /// listed host on another port gets 101 from both. (The bodies differ: websocketd's 403
    /// body is "Forbidden\n500 Internal Error\n", a double write in 0.4.1.)
    @Test func originRulesGiveTheSameAnswers() throws {
        let origins = ["http://evil.example", "http://example.com:8080"]
        let both = try onBoth { peer -> [Int] in
            let server = try PeerServer(peer, flags: ["--origin=example.com"], command: Peer.testcmd("echo"))
            return try origins.map { origin in try server.connect().upgrade(headers: [("Origin", origin)]).status }
        }
        #expect(both.websocketd == [403, 101])
        #expect(both.wsgate == both.websocketd)
    }

    /// A plain GET (no upgrade) on a COMMAND server: 404 "404 page not found\n" from both.
    @Test func aPlainGETGetsTheSame404() throws {
        let both = try onBoth(command: Peer.testcmd("echo")) { server in
            let client = try server.connect()
            try client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try client.readHTTPResponse()
            return [String(response.status), response.body, response.header("Content-Type") ?? "(none)"]
        }
        #expect(both.websocketd == ["404", "404 page not found\n", "text/plain; charset=utf-8"])
        #expect(both.wsgate == both.websocketd)
    }

    /// (better) "500 for a program that cannot start … websocketd answers 101 and drops":
    /// COMMAND is executable when the server starts (websocketd checks it then) and loses its
    /// x bit before the client comes. websocketd answers 101 then closes TCP; wsgate answers
    /// 500. Both log "Could not launch process".
    @Test func betterAProgramThatCannotStartGets500FromWsgateAnd101ThenADropFromWebsocketd() throws {
        let directory = TemporaryFiles.path("differential")
        mkdir(directory, 0o700)
        defer { rmdir(directory) }
        let script = directory + "/not-executable.sh"
        try TemporaryFiles.write("", to: script, mode: 0o755)
        defer { unlink(script) }
        let both = try onBoth { peer in
            chmod(script, 0o755)
            let server = try PeerServer(peer, command: [script])
            chmod(script, 0o644)
            let client = try server.connect()
            let status = try client.upgrade().status
            let transcript = status == 101 ? try Transcript.read(from: client) : nil
            try server.process.waitForOutputLine(containing: "Could not launch process")
            return (status, transcript)
        }
        #expect(both.websocketd.0 == 101)
        #expect(both.websocketd.1 == Transcript(messages: [], ending: .endOfStream))
        #expect(both.wsgate.0 == 500)
    }
}
