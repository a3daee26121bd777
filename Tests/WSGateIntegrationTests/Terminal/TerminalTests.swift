import Foundation
import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--pty` through the real binary: why it exists (a program's buffered output arrives as it
/// is printed), the terminal a program sees, a shell in byte mode (Ctrl-C, resize, exit), and
/// that nothing of a session outlives its client.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct TerminalTests {
    /// Prints "first", then waits up to SECONDS for a line on stdin: "got LINE", or "no answer".
    /// Python buffers stdout on a pipe, not on a terminal.
    static func answeringProgram(waitSeconds: Int) -> [String] {
        ["/usr/bin/python3", "-c",
         "import select, sys; print('first'); ready = select.select([sys.stdin], [], [], \(waitSeconds))[0]; "
             + "print('got ' + sys.stdin.readline().strip() if ready else 'no answer')"]
    }

    /// Answers the first message with "hello", then reads the rest of the session.
    static func converse(_ gateway: GatewayProcess) throws -> [String] {
        let client = try gateway.openWebSocket()
        let first = try client.readMessage(timeout: 60)
        try client.send(FrameBytes.text("hello"))
        let rest = try Transcript.read(from: client, timeout: 60)
        return [first.text] + rest.texts
    }

    /// Under `--pty` the first line arrives while the program waits, so its answer is read.
    @Test func underPtyALineArrivesWhileTheProgramRuns() throws {
        let gateway = try GatewayProcess(["--pty"] + Self.answeringProgram(waitSeconds: 60))
        #expect(try Self.converse(gateway) == ["first", "got hello"])
    }

    /// Without it the line waits in Python's buffer until the program gives up and exits: the
    /// answer comes too late. This is the question `--pty` answers.
    @Test func withoutPtyTheSameLineWaitsForTheExit() throws {
        let gateway = try GatewayProcess(Self.answeringProgram(waitSeconds: 2))
        #expect(try Self.converse(gateway) == ["first", "no answer"])
    }

    @Test func theProgramHasATerminalOfTheDefaultSize() throws {
        let gateway = try GatewayProcess(["--pty", "/bin/sh", "-c", "tty; stty size; echo \"$TERM\""])
        let transcript = try Transcript.read(from: try gateway.openWebSocket(), timeout: 30)
        #expect(transcript.texts.count == 3, "\(transcript)")
        #expect(transcript.texts.first?.hasPrefix("/dev/pts/") == true, "\(transcript)")
        #expect(Array(transcript.texts.dropFirst()) == ["24 80", "xterm-256color"], "\(transcript)")
        #expect(transcript.ending.code == 1000, "\(transcript)")
    }

    @Test func ptySizeSetsTheSize() throws {
        let gateway = try GatewayProcess(["--pty", "--pty-size=132x43", "/bin/stty", "size"])
        #expect(try Transcript.read(from: try gateway.openWebSocket(), timeout: 30).texts == ["43 132"])
    }

    /// The program exits with output still on its way: every line arrives, then the close
    /// code (1011 for exit 3); session after session leaves no process, no zombie and no
    /// descriptor behind (the terminal's master, its duplicate, the stderr pipe).
    @Test func aProgramThatExitsSendsItsLastOutputAndLeavesNothingBehind() throws {
        let gateway = try GatewayProcess(["--pty", "/bin/sh", "-c", "seq 1 2000; exit 3"])
        let wsgate = gateway.process.pid
        func session() throws {
            let transcript = try Transcript.read(from: try gateway.openWebSocket(), timeout: 30)
            #expect(transcript.texts == (1...2000).map(String.init))
            #expect(transcript.ending.code == 1011, "\(transcript.ending)")
            #expect(ProcessTable.wait(upTo: 10) { ProcessTable.children(of: wsgate).isEmpty })
        }
        try session()
        let descriptorsBefore = ProcessTable.openDescriptorCount(wsgate)
        for _ in 0..<10 { try session() }
        #expect(ProcessTable.zombieChildren(of: wsgate).isEmpty)
        #expect(ProcessTable.wait(upTo: 10) { ProcessTable.openDescriptorCount(wsgate) == descriptorsBefore },
                "descriptors: \(descriptorsBefore) before, \(ProcessTable.openDescriptorCount(wsgate)) after")
    }

    // MARK: - A shell (--binary --pty)

    /// A shell on a cooked terminal; returns the client once it runs commands.
    static func shell(_ gateway: GatewayProcess) throws -> TestClient {
        let client = try gateway.openWebSocket()
        try type(client, "echo ready-$((1+1))\n")
        try readOutput(client, until: "ready-2")
        return client
    }

    /// Output bytes until `text` was seen in them (the terminal echoes what is typed, so wait
    /// for what only running the command prints).
    @discardableResult
    static func readOutput(_ client: TestClient, until text: String, timeout: Double = 30) throws -> String {
        var output = ""
        while !output.contains(text) {
            let frame = try client.readMessage(timeout: timeout)
            guard frame.opcode == .binary else { throw TestFailure("expected output, got \(frame) after \(output.debugDescription)") }
            output += frame.text
        }
        return output
    }

    static func type(_ client: TestClient, _ text: String) throws {
        try client.send(FrameBytes.binary(Array(text.utf8)))
    }

    @Test func ctrlCInterruptsAForegroundCommandAndExitEndsWith1000() throws {
        let gateway = try GatewayProcess(["--binary", "--pty", "/bin/sh"])
        let client = try Self.shell(gateway)
        try Self.type(client, "echo started-$((1+1)); sleep 60\n")
        try Self.readOutput(client, until: "started-2")
        // Ctrl-C once sleep runs (typed between echo and sleep, it would reach the shell).
        let shell = try ProgramLifecycleTests.programPID(gateway)
        #expect(ProcessTable.wait(upTo: 30) {
            ProcessTable.children(of: shell).contains { ProcessTable.readFile("/proc/\($0.pid)/cmdline") == "sleep\u{0}60\u{0}" }
        })
        try Self.type(client, "\u{03}")
        try Self.type(client, "echo after-$((40+2))\n")
        try Self.readOutput(client, until: "after-42")
        try Self.type(client, "exit\n")
        let rest = try Transcript.read(from: client, timeout: 30)
        #expect(rest.ending.code == 1000, "\(rest)")
    }

    /// A text message is a command, never input: `resize C R` reaches the program as its new
    /// size (SIGWINCH); the same text sent as binary would be typed.
    @Test func aResizeCommandChangesTheSize() throws {
        let gateway = try GatewayProcess(["--binary", "--pty", "/bin/sh"])
        let client = try Self.shell(gateway)
        try Self.type(client, "stty size | sed 's/ /x/'\n")
        try Self.readOutput(client, until: "24x80")
        try client.send(FrameBytes.text("resize 100 30"))
        try client.send(FrameBytes.text("not a command"))
        try Self.type(client, "stty size | sed 's/ /x/'\n")
        try Self.readOutput(client, until: "30x100")
    }

    /// The client goes: the shell and a background job it started (in a process group of its
    /// own: job control) are hung up and ended.
    @Test func aClientThatGoesTakesTheShellAndItsJobsWithIt() throws {
        let gateway = try GatewayProcess(["--binary", "--pty", "/bin/sh"])
        let client = try Self.shell(gateway)
        try Self.type(client, "sleep 1000 & echo job=$(($!+0))x$((6*7))\n")
        let output = try Self.readOutput(client, until: "x42")
        let job = try #require(output.split(separator: "job=").last.flatMap { Int32($0.prefix { $0.isNumber }) }, "\(output)")
        #expect(Self.isRunning(job))
        client.close()
        try gateway.process.waitForOutputLine(containing: "DISCONNECT", timeout: 30)
        #expect(!Self.isRunning(job), "the background job \(job) outlived its session")
    }

    /// A second SIGTERM exits at once: the SIGKILL every program group gets first reaches the
    /// whole terminal session, so a background job that ignores the hang-up and every polite
    /// signal does not outlive wsgate. (`--closems` makes the kill sequence's own SIGKILL come
    /// minutes later: only the forced exit can end the job within the test.)
    @Test func aSecondSigtermKillsTheSessionsBackgroundJobs() throws {
        let gateway = try GatewayProcess(["--binary", "--pty", "--closems=120000", "/bin/sh"])
        let client = try Self.shell(gateway)
        try Self.type(client, "(trap '' HUP INT TERM; exec sleep 1000) & echo job=$(($!+0))x$((6*7))\n")
        let output = try Self.readOutput(client, until: "x42")
        let job = try #require(output.split(separator: "job=").last.flatMap { Int32($0.prefix { $0.isNumber }) }, "\(output)")
        defer { if Self.isRunning(job) { kill(job, SIGKILL) } }  // only if it survived: its pid may be reused
        // Its traps are set once it runs sleep.
        #expect(ProcessTable.wait(upTo: 30) { ProcessTable.readFile("/proc/\(job)/cmdline") == "sleep\u{0}1000\u{0}" })
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM: closing")
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM again")
        #expect(try gateway.process.waitForExit() == 0)
        #expect(ProcessTable.wait(upTo: 10) { !Self.isRunning(job) }, "the background job \(job) outlived wsgate")
    }

    /// The process exists and is not a zombie waiting for a reaper outside the test's reach.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }
}
