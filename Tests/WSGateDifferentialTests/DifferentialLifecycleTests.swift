import Glibc
import Testing
import WSGateTestSupport

/// How sessions end (docs/behaviour.md, 'Kill sequence', 'Program exit'): the kill sequence
/// when the client leaves, and what the client sees when the program exits.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialLifecycleTests {
    /// A step of the kill sequence as the server's log shows it.
    enum Step: String, CaseIterable {
        case stdinClosed = "stdin closed"
        case gotSIGINT = "got SIGINT"
        case gotSIGTERM = "got SIGTERM"
        /// The session's last line, written once the program is gone.
        case gone = "DISCONNECT"
    }

    /// The steps in the order the log shows them (the program writes each notice to stderr,
    /// which both servers log as `ERROR | stderr | … | got SIGINT`).
    static func steps(in log: String) -> [Step] {
        log.split(separator: "\n").compactMap { line in Step.allCases.first { line.hasSuffix("| " + $0.rawValue) } }
    }

    /// What one run of the kill-sequence scenario showed.
    struct KillSequence {
        var closeEcho: Transcript
        var steps: [Step]
        var programGone: Bool
        var programLeadsItsGroup: Bool
    }

    /// The client closes; the program ignores SIGINT and SIGTERM. Both servers close its stdin,
    /// then send SIGINT, then SIGTERM, then kill it: the same steps in the same order (no
    /// timings compared). Both echo the client's close. (better) "Signals go to the
    /// program's whole process group": wsgate's program leads its own group; websocketd's
    /// shares websocketd's group, so only the program itself can be signalled (websocketd #191).
    @Test func theKillSequenceRunsInTheSameOrder() throws {
        let both = try onBoth(command: Peer.testcmd("signals")) { server in
            let client = try server.openWebSocket()
            #expect(try client.readMessage().text == "ready")
            let program = try server.onlyProgram()
            try client.send(FrameBytes.close(code: 1000))
            let closeEcho = try Transcript.read(from: client, answerClose: false)
            try server.process.waitForOutputLine(containing: "| DISCONNECT")
            return KillSequence(closeEcho: closeEcho, steps: Self.steps(in: server.log),
                                programGone: !ProcessTable.isRunning(program.pid),
                                programLeadsItsGroup: program.group == program.pid)
        }
        #expect(both.websocketd.steps == [.stdinClosed, .gotSIGINT, .gotSIGTERM, .gone])
        #expect(both.wsgate.steps == both.websocketd.steps)
        #expect(both.websocketd.closeEcho == Transcript(messages: [], ending: .closeFrame(code: 1000, reason: "")))
        #expect(both.wsgate.closeEcho == both.websocketd.closeEcho)
        #expect(both.websocketd.programGone)
        #expect(both.wsgate.programGone)
        #expect(!both.websocketd.programLeadsItsGroup)
        #expect(both.wsgate.programLeadsItsGroup)
    }

    /// (better) "Signals go to the program's whole process group": a program that started
    /// a grandchild (`sleep 1000` in its group) — after the client leaves and the session ends,
    /// websocketd leaves the grandchild running; wsgate ends it.
    @Test func betterAGrandchildOutlivesWebsocketdsSessionButNotWsgates() throws {
        let both = try onBoth(command: Peer.testcmd("spawn-grandchild")) { server in
            let client = try server.openWebSocket()
            let announced = try client.readMessage().text
            guard let grandchild = Int32(announced.split(separator: " ").last ?? "") else {
                throw TestFailure("\(server.peer): no pid in \(announced.debugDescription)")
            }
            // websocketd's would run on for 1000 s; wsgate's is gone, and its pid may be reused.
            defer { if ProcessTable.isRunning(grandchild) { kill(grandchild, SIGKILL) } }
            #expect(ProcessTable.isRunning(grandchild))
            client.close()
            try server.process.waitForOutputLine(containing: "| DISCONNECT")
            if server.peer == .websocketd { return ProcessTable.isRunning(grandchild) }
            return !ProcessTable.wait(upTo: 10) { !ProcessTable.isRunning(grandchild) }
        }
        #expect(both.websocketd == true, "websocketd's grandchild is still running after DISCONNECT")
        #expect(both.wsgate == false, "wsgate's grandchild is gone")
    }

    /// (better) "close 1000 for exit 0": the program prints a line and exits 0. Both
    /// deliver the line; websocketd then closes TCP without a close frame (a browser reports
    /// 1006); wsgate sends close 1000, then closes TCP once the client answered.
    @Test func betterExitZeroEndsWithClose1000FromWsgateAndNoCloseFrameFromWebsocketd() throws {
        let both = try onBoth(command: Peer.testcmd("lines", "bye")) { server in
            let client = try server.openWebSocket()
            return (try Transcript.read(from: client), try client.waitForEOF())
        }
        #expect(both.websocketd.0 == Transcript(messages: [.text("bye")], ending: .endOfStream))
        #expect(both.wsgate.0.messages == both.websocketd.0.messages)
        if case .closeFrame(let code, _) = both.wsgate.0.ending {
            #expect(code == 1000)
        } else {
            Issue.record("wsgate ended with \(both.wsgate.0.ending), not a close frame")
        }
        #expect(both.websocketd.1 && both.wsgate.1, "both end the TCP connection")
    }

    /// (better) "1011 otherwise with reason `exit status N`": the program prints a line
    /// and exits 3. Both deliver the line; websocketd closes TCP without a close frame; wsgate
    /// sends 1011 "exit status 3".
    @Test func betterANonZeroExitEndsWith1011AndTheStatusFromWsgateOnly() throws {
        let both = try onBoth(command: Peer.testcmd("exit", "--say-bye", "3")) { server in
            let client = try server.openWebSocket()
            return (try Transcript.read(from: client), try client.waitForEOF())
        }
        #expect(both.websocketd.0 == Transcript(messages: [.text("bye")], ending: .endOfStream))
        #expect(both.wsgate.0 == Transcript(messages: [.text("bye")], ending: .closeFrame(code: 1011, reason: "exit status 3")))
        #expect(both.websocketd.1 && both.wsgate.1, "both end the TCP connection")
    }
}
