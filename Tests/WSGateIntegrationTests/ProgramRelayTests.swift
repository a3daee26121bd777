import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// The program backend as a client sees it: lines and bytes both ways, wsgate's improvements
/// over websocketd (docs/behaviour.md, 'Line framing'), and the close code that says how the
/// program ended.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ProgramRelayTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    func gateway(_ mode: [String], flags: [String] = []) throws -> GatewayProcess {
        try GatewayProcess(flags + [Self.testcmd] + mode)
    }

    @Test func linesAreEchoedAsTextMessages() throws {
        let gateway = try gateway(["echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("hello"))
        #expect(try client.readMessage().text == "hello")
        try client.send(FrameBytes.text("two\nlines"))
        #expect(try client.readMessage().text == "two")
        #expect(try client.readMessage().text == "lines")
    }

    /// Every other test runs with the default `--busy-poll`; this one with polling off, on one
    /// loop, many round trips, so both ways of waiting relay alike.
    @Test(arguments: [["--busy-poll=0", "--threads=1"], ["--busy-poll=10000", "--threads=1"]])
    func roundTripsRelayWithAndWithoutBusyPolling(flags: [String]) throws {
        let gateway = try gateway(["echo"], flags: flags)
        let client = try gateway.openWebSocket()
        for round in 0..<200 {
            try client.send(FrameBytes.text("round \(round)"))
            #expect(try client.readMessage().text == "round \(round)")
        }
    }

    /// websocketd strips `\n` and `\r\n`, keeps a lone `\r`, and sends empty lines as empty
    /// messages.
    @Test func lineEndingsAndEmptyLines() throws {
        let gateway = try gateway(["printf", "crlf\\r\\n\\nbare\\rcr\\nend\\n"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "crlf")
        #expect(try client.readMessage().text == "")
        #expect(try client.readMessage().text == "bare\rcr")
        #expect(try client.readMessage().text == "end")
    }

    /// (better) websocketd drops a final line without `\n`.
    @Test func theFinalUnterminatedLineIsDelivered() throws {
        let gateway = try gateway(["lines", "--no-final-newline", "one", "two", "three"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "one")
        #expect(try client.readMessage().text == "two")
        #expect(try client.readMessage().text == "three")
        let close = try client.readFrame()
        #expect(close.opcode == .close)
        #expect(close.closeCode == 1000)
    }

    /// (better) websocketd sends invalid UTF-8 in a text frame, which browsers reject.
    @Test func anInvalidUTF8LineGoesOutAsBinary() throws {
        let gateway = try gateway(["printf", "ok\\n\\xff\\xfe bad\\nok again\\n"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "ok")
        let bad = try client.readMessage()
        #expect(bad.opcode == .binary)
        #expect(bad.payload == [0xFF, 0xFE] + Array(" bad".utf8))
        #expect(try client.readMessage().opcode == .text)
    }

    /// (better) A line longer than --maxframesize goes out in pieces of that size.
    @Test func aLongLineIsSplitAtMaxframesize() throws {
        let gateway = try gateway(["printf", String(repeating: "a", count: 2500) + "\\n"], flags: ["--maxframesize=1000"])
        let client = try gateway.openWebSocket()
        let sizes = try (0..<3).map { _ in try client.readMessage().payload.count }
        #expect(sizes == [1000, 1000, 500])
    }

    @Test func exitZeroClosesWith1000() throws {
        let gateway = try gateway(["lines", "bye"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "bye")
        let close = try client.readFrame()
        #expect(close.closeCode == 1000)
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.waitForEOF())
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
    }

    @Test func aNonZeroExitClosesWith1011AndTheStatus() throws {
        let gateway = try gateway(["exit", "3"])
        let client = try gateway.openWebSocket()
        let close = try client.readFrame()
        #expect(close.closeCode == 1011)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "exit status 3")
    }

    @Test func deathBySignalClosesWith1011AndTheSignal() throws {
        let gateway = try gateway(["kill-self", "9"])
        let client = try gateway.openWebSocket()
        let close = try client.readFrame()
        #expect(close.closeCode == 1011)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "signal 9")
    }

    @Test func binaryModeRelaysBytesBothWays() throws {
        let gateway = try gateway(["cat"], flags: ["--binary"])
        let client = try gateway.openWebSocket()
        let bytes: [UInt8] = [0, 1, 2, 10, 13, 0xFF]
        let echoed = try client.echo(binary: bytes, timeout: 10)
        #expect(echoed.allBinary)
        #expect(echoed.bytes == bytes)
    }

    @Test func aProgramThatCannotStartGets500() throws {
        let directory = TemporaryFiles.path("test")
        mkdir(directory, 0o700)
        defer { rmdir(directory) }
        let script = directory + "/not-executable.sh"
        try TemporaryFiles.write("", to: script, mode: 0o755)
        defer { unlink(script) }
        let gateway = try GatewayProcess([script])
        chmod(script, 0o644)
        let client = try gateway.connect()
        #expect(try client.upgrade().status == 500)
        try gateway.process.waitForOutputLine(containing: "Could not launch process")
    }

    /// The child starts clean: no blocked or ignored signals inherited from wsgate (which
    /// blocks SIGTERM/SIGCHLD for its signalfd and ignores SIGPIPE), its own process group,
    /// and only descriptors 0, 1 and 2.
    @Test func theChildStartsWithCleanSignalsItsOwnGroupAndOnlyThreeDescriptors() throws {
        let gateway = try gateway(["sigmask"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "blocked 0 ignored 0")
        let other = try GatewayProcess([Self.testcmd, "pgid"])
        let second = try other.openWebSocket()
        let ids = try second.readMessage().text.split(separator: " ")
        #expect(ids.count == 4 && ids[1] == ids[3], "pid must equal pgid: \(ids)")
        #expect(try second.readMessage().text == "fds 0 1 2")
    }

    @Test func stderrLinesAreLoggedWhateverTheirLength() throws {
        let gateway = try gateway(["stderr", "3", "100000"])
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "done")
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        let stderrLines = gateway.process.standardOutput.split(separator: "\n").filter { $0.contains("| stderr ") }
        #expect(stderrLines.count >= 3)
        let logged = stderrLines.reduce(0) { $0 + $1.filter { $0 == "e" }.count }
        #expect(logged >= 300_000)
    }

    @Test func passstderrSendsBothStreamsAsJSON() throws {
        let gateway = try gateway(["stderr", "1", "5"], flags: ["--passstderr"])
        let client = try gateway.openWebSocket()
        var messages: [String] = []
        while true {
            let frame = try client.readMessage()
            if frame.opcode == .close { break }
            messages.append(frame.text)
        }
        #expect(messages.contains("{\"stream\":\"stderr\",\"data\":\"eeeee\"}"))
        #expect(messages.contains("{\"stream\":\"stdout\",\"data\":\"done\"}"))
    }
}
