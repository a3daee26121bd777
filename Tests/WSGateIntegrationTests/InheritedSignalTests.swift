import Glibc
import Testing
import WSGateTestSupport

/// Signals ignored by whoever started wsgate (a shell's `cmd &` in a script ignores SIGINT and
/// SIGQUIT) stay ignored, as with websocketd; SIGTERM still drains, and programs still start
/// with every signal at its default.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .serialized) struct InheritedSignalTests {
    static let testcmd = Executables.path("wsgate-testcmd")

    /// SIGINT and SIGQUIT sent to a wsgate started with them ignored change nothing: a session
    /// open before them and one opened after are served. SIGTERM then drains as usual. Had
    /// SIGINT reached the signalfd, it would be read before SIGTERM (signals are read lowest
    /// number first) and logged.
    @Test func signalsIgnoredAtStartStayIgnoredAndSIGTERMStillDrains() throws {
        let launcher = try SignalIgnoringLauncher.script(for: Executables.path("wsgate"), ignoring: ["INT", "QUIT"])
        defer { unlink(launcher) }
        let gateway = try GatewayProcess(["--echo"], executable: launcher)
        let before = try gateway.openWebSocket()
        gateway.process.send(signal: SIGINT)
        gateway.process.send(signal: SIGQUIT)
        try before.send(FrameBytes.text("after SIGINT"))
        #expect(try before.readMessage().text == "after SIGINT")
        let after = try gateway.openWebSocket()
        try after.send(FrameBytes.text("new session"))
        #expect(try after.readMessage().text == "new session")

        gateway.process.send(signal: SIGTERM)
        for client in [before, after] {
            #expect(try client.readMessage().closeCode == 1001)
            try client.send(FrameBytes.close(code: 1001))
        }
        #expect(try gateway.process.waitForExit() == 0)
        #expect(gateway.process.standardOutput.contains("Received SIGTERM"))
        #expect(!gateway.process.standardOutput.contains("Received SIGINT"))
    }

    @Test func aNormalStartStillDrainsAndExitsOnSIGINT() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        gateway.process.send(signal: SIGINT)
        #expect(try client.readMessage().closeCode == 1001)
        try client.send(FrameBytes.close(code: 1001))
        #expect(try gateway.process.waitForExit() == 0)
        #expect(gateway.process.standardOutput.contains("Received SIGINT"))
    }

    /// The programs of a wsgate that inherited ignored signals start as they always do: no
    /// signal ignored or blocked (so the kill sequence's SIGINT reaches them).
    @Test func programsStartWithDefaultSignalsWhateverWsgateInherited() throws {
        let launcher = try SignalIgnoringLauncher.script(for: Executables.path("wsgate"), ignoring: ["INT", "QUIT"])
        defer { unlink(launcher) }
        let gateway = try GatewayProcess([Self.testcmd, "sigmask"], executable: launcher)
        let client = try gateway.openWebSocket()
        #expect(try client.readMessage().text == "blocked 0 ignored 0")
    }
}
