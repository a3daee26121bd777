import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Backpressure through a pseudo-terminal, both ways, as through pipes
/// (ProgramBackpressureTests): a program flooding a terminal whose client reads nothing is
/// stopped, not buffered, and a client typing into a program that reads nothing is stopped.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct TerminalBackpressureTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    /// `cat` of a huge file in a web shell, to a browser tab that stopped reading: the program
    /// blocks on the full terminal, wsgate's memory stays bounded, other sessions are served.
    /// Then the client reads: every line arrives, as a terminal shows it ("\n" becomes "\r\n").
    @Test func aClientThatDoesNotReadStopsTheProgramOnTheTerminal() throws {
        let lines = 2_000_000
        let total = lines * 64
        let gateway = try GatewayProcess(["--binary", "--pty", Self.testcmd, "flood", String(total)])
        let (client, _, _) = try ProgramBackpressureTests.expectTheFloodStalls(gateway)
        var received = 0
        var carriageReturns = 0
        while received < lines * 65 {
            let message = try client.readMessage(timeout: 30)
            #expect(message.opcode == .binary)
            received += message.payload.count
            carriageReturns += message.payload.count { $0 == UInt8(ascii: "\r") }
        }
        #expect(received == lines * 65)
        #expect(carriageReturns == lines)
        #expect(try client.readFrame().closeCode == 1000)
    }

    /// Lines a program never reads (`sink`) fill the terminal's input queue: wsgate stops
    /// reading the client instead of queueing, and another client still gets its program.
    /// (Typing past 4095 bytes without Enter is another matter: the terminal's line editor
    /// drops those bytes, as any terminal does, so nothing piles up either.)
    @Test func aProgramThatDoesNotReadStopsTheClientTyping() throws {
        let gateway = try GatewayProcess(["--binary", "--pty", Self.testcmd, "sink"])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.openWebSocket()
        _ = try ProgramLifecycleTests.programPID(gateway)
        var line = [UInt8](repeating: UInt8(ascii: "a"), count: 64)
        line[63] = UInt8(ascii: "\n")
        let message = FrameBytes.binary(Array([[UInt8]](repeating: line, count: 1024).joined()))
        let sent = try client.sendUntilStalled(message, limit: 400 << 20)
        #expect(sent < 64 << 20, "wsgate kept taking \(sent) bytes for a program that reads nothing")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: ProgramBackpressureTests.limitKiB)
        // The stalled session goes on (its client stays open) beside a new one.
        try withExtendedLifetime(client) {
            _ = try gateway.openWebSocket()
            do {
                _ = try ProgramLifecycleTests.programPID(gateway, connection: 1)
            } catch {
                Issue.record("\(error); wsgate's log: \(gateway.process.standardOutput.suffix(3000))")
            }
        }
    }
}
