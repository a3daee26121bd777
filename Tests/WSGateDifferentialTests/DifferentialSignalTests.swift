import Glibc
import Testing
import WSGateTestSupport

/// Signals at the gateway itself (docs/behaviour.md, "Shutdown"): what is ignored at start
/// stays ignored, and SIGINT stops a normally started gateway.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialSignalTests {
    /// Started as a script's `cmd &` starts them (SIGINT ignored), both keep serving after
    /// SIGINT: the session opened before gets its echo, and so does one opened after. (SIGQUIT
    /// is not compared: websocketd's Go runtime installs its own SIGQUIT handler whatever was
    /// inherited, and dumps its goroutines and exits 2; `InheritedSignalTests` checks wsgate's.)
    @Test func sigintIgnoredAtStartStaysIgnored() throws {
        let both = try onBoth(command: Peer.testcmd("echo"), ignoring: ["INT", "QUIT"]) { server in
            let before = try server.openWebSocket()
            server.process.send(signal: SIGINT)
            try before.send(FrameBytes.text("before"))
            let after = try server.openWebSocket()
            try after.send(FrameBytes.text("after"))
            return [try before.readMessage().text, try after.readMessage().text]
        }
        #expect(both.websocketd == ["before", "after"])
        #expect(both.wsgate == both.websocketd)
    }

    /// Started normally, SIGINT stops both. (better) "Shutdown": websocketd dies at once (the
    /// shell sees 130), wsgate drains and exits 0.
    @Test func betterANormalStartStopsOnSIGINTAfterADrain() throws {
        let both = try onBoth(command: Peer.testcmd("echo")) { server in
            server.process.send(signal: SIGINT)
            return try server.process.waitForExit()
        }
        #expect(both.websocketd == 130)
        #expect(both.wsgate == 0)
    }
}
