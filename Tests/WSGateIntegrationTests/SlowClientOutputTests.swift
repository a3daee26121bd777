import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// A program's output is never abandoned because the client is slow: close 1000 means every
/// line arrived.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SlowClientOutputTests {
    /// The program writes until wsgate stops reading it (the client reads nothing, so its queue
    /// is full) and exits with its last lines still in the pipe. The client reads only after
    /// that: every line arrives, in order, then close 1000.
    @Test func linesLeftInThePipeWhenTheProgramExitsReachAClientThatReadsLate() throws {
        let countFile = TemporaryFiles.path("fill-pipe-count")
        defer { unlink(countFile) }
        let gateway = try GatewayProcess([Executables.path("wsgate-testcmd"), "fill-pipe", "1000", countFile])
        try Self.expectEveryLineThenClose1000(gateway, countFile: countFile) { $0.text }
    }

    /// The same with `--passstderr` and the lines on stderr: they are the client's output too,
    /// so the close waits for the last of them (stdout, empty, ends first).
    @Test func withPassstderrStderrLinesLeftInThePipeComeBeforeTheClose() throws {
        let countFile = TemporaryFiles.path("fill-pipe-count")
        defer { unlink(countFile) }
        let gateway = try GatewayProcess(["--passstderr", Executables.path("wsgate-testcmd"), "fill-pipe", "--stderr", "1000",
                                          countFile])
        let prefix = "{\"stream\":\"stderr\",\"data\":\""
        try Self.expectEveryLineThenClose1000(gateway, countFile: countFile) { message in
            message.text.hasPrefix(prefix) ? String(message.text.dropFirst(prefix.count)) : message.text
        }
    }

    /// Waits until the program exited, then reads: line `n` is message `n`, up to the count
    /// the program wrote, then close 1000. `line` extracts the program's line from a message.
    static func expectEveryLineThenClose1000(_ gateway: GatewayProcess, countFile: String,
                                             line: (TestClient.Frame) -> String) throws {
        let client = try gateway.openWebSocket()
        let pid = try ProgramLifecycleTests.programPID(gateway)
        #expect(ProcessTable.wait(upTo: 60) { !ProcessTable.isRunning(pid) && access(countFile, F_OK) == 0 })
        let written = try #require(ProcessTable.readFile(countFile).flatMap { Int($0.filter(\.isNumber)) })
        // Past the 100 ms wsgate reads on after an exit when a leftover process holds stdout
        // (this program has none): provokes that timer; the assertions do not depend on it.
        var pause = timespec(tv_sec: 0, tv_nsec: 300_000_000)
        nanosleep(&pause, nil)
        var received = 0
        while true {
            let message = try client.readMessage()
            if message.opcode == .close {
                #expect(message.closeCode == 1000)
                break
            }
            received += 1
            let number = Int(line(message).prefix(10))
            #expect(number == received, "message \(received) is \(message.text.prefix(40))")
            if number != received { break }
        }
        #expect(received == written, "\(written) lines written, \(received) received before the close")
    }
}
