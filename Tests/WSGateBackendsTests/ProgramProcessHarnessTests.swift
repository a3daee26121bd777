import Glibc
import Testing
import WSGateBackends
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTestSupport

/// Waiting for real processes without sleeping: each wait returns when the kernel reports the
/// event (output on a pipe, a child's exit).
enum ChildWait {
    /// Blocks until `pid` has exited, leaving it to be reaped (WNOWAIT). Only called once the
    /// exit is certain (stdin closed for a program that ends on EOF, or SIGKILL sent).
    static func untilExited(_ pid: Int32) throws {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0 else { throw TestFailure("waitid: errno \(errno)") }
    }

    /// Whether `pid` has exited (not reaped), without waiting.
    static func hasExited(_ pid: Int32) -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG) == 0 && info.si_signo == SIGCHLD
    }

    /// Ticks until `condition` holds; before each tick, waits (up to 100 ms, returning as
    /// soon as one is readable) for the pipes `descriptors`. At most 300 rounds.
    static func pump(_ harness: LoopHarness, _ descriptors: [Int32], until what: String, _ condition: () -> Bool) throws {
        for _ in 0..<300 {
            if condition() { return }
            var pollers = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            _ = poll(&pollers, nfds_t(pollers.count), 100)
            try harness.tick()
        }
        if condition() { return }
        throw TestFailure("\(what): not reached")
    }
}

/// A started `ProgramProcess` with what the test watches of it.
final class ProgramRig {
    let harness: LoopHarness
    let process: ProgramProcess
    let recorder = EndpointRecorder()
    let groups = ProgramGroups()
    let stdoutFD: Int32
    let stderrFD: Int32

    init(_ arguments: [String], reaper: ChildReaper) throws {
        harness = try LoopHarness()
        let path = Executables.path("wsgate-testcmd")
        let spawned = try ProcessSpawner.spawn(path: path, arguments: [path] + arguments, environment: [])
        stdoutFD = spawned.stdout.rawValue
        stderrFD = spawned.stderr.rawValue
        let plan = TeardownPlan.websocketd(closeMs: 0, interrupt: SIGINT, terminate: SIGTERM, kill: SIGKILL)
        process = ProgramProcess(spawned: spawned, loop: harness.loop, reaper: reaper, groups: groups, plan: plan)
        process.delegate = recorder
        process.start()
    }

    var pid: Int32 { process.pid }

    /// Ticks, waiting for the program's pipes in between (only stderr once stdout was
    /// dropped: a closed descriptor would end every wait at once), until `condition` holds.
    func pump(stderrOnly: Bool = false, until what: String, _ condition: () -> Bool) throws {
        try ChildWait.pump(harness, stderrOnly ? [stderrFD] : [stdoutFD, stderrFD], until: what, condition)
    }

    var diagnosticsText: String { String(decoding: recorder.diagnostics, as: UTF8.self) }

    /// Waits for the program's exit, reaps it, and ticks until the process has finished.
    func reapAndFinish(_ reaper: ChildReaper) throws {
        try ChildWait.untilExited(pid)
        reaper.reapExited(pid: pid)
        try harness.tick(until: "finished") { recorder.events.last == "finish" }
    }
}

/// `ProgramProcess` and `ChildReaper` with real programs (`wsgate-testcmd`) on a harness loop:
/// stdin to stdout byte for byte, exit statuses as outcomes, and websocketd's kill sequence
/// run by the clock: a program that ignores SIGINT and SIGTERM gets SIGKILL exactly 850 ms
/// (0 + 100 + 250 + 500) after the teardown started, not a millisecond before.
///
/// Each test reaps only its own child (`reapExited(pid:)`): the test process has other tests'
/// children, which `reapExited()` (`waitpid(-1)`, the gateway's way) would steal. Serialized so
/// the shared reaper's bookkeeping is easy to follow.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ProgramProcessHarnessTests {
    static let reaper = ChildReaper()

    /// 70 000 bytes (more than a pipe holds, so writes are partial) come back unchanged; closing
    /// stdin (the first teardown step) ends the program with status 0 without any signal: the
    /// clock never moves.
    @Test func stdinReachesStdoutByteForByte() throws {
        let rig = try ProgramRig(["cat"], reaper: Self.reaper)
        let input = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        rig.process.write(ByteBuffer(bytes: input))
        try rig.pump(until: "everything back") { rig.recorder.output.count >= input.count }
        let intact = rig.recorder.output == input
        #expect(intact)
        rig.process.terminate()
        try rig.reapAndFinish(Self.reaper)
        #expect(rig.process.termination == .exited(0))
        #expect(rig.recorder.distinctEvents == ["output", "diagnostics end", "end finished", "finish"])
        #expect(rig.process.endDescription == "exit status 0")
        #expect(rig.groups.count == 0)
    }

    /// A non-zero status is a failure whose reason is the status; output before it is kept.
    @Test func anExitStatusIsTheOutcome() throws {
        let rig = try ProgramRig(["exit", "--say-bye", "3"], reaper: Self.reaper)
        try rig.reapAndFinish(Self.reaper)
        #expect(rig.recorder.output == Array("bye\n".utf8))
        #expect(rig.recorder.distinctEvents == ["output", "diagnostics end", "end failed: exit status 3", "finish"])
        #expect(rig.process.endDescription == "exit status 3")
    }

    /// A program that logs and ignores SIGINT and SIGTERM: stdin is closed at once, SIGINT
    /// comes at 100 ms, SIGTERM at 350 ms, and no SIGKILL has been sent at 849 ms (a SIGHUP
    /// probe is still handled); at 850 ms SIGKILL ends it, reported as `signal 9`. Its stderr is read to the end although stdout was
    /// dropped with the client.
    @Test func theKillSequenceEscalatesToSIGKILLOnTheClock() throws {
        let rig = try ProgramRig(["signals"], reaper: Self.reaper)
        try rig.pump(until: "ready") { rig.recorder.output == Array("ready\n".utf8) }
        rig.process.clientIsGone()
        try rig.pump(stderrOnly: true, until: "stdin closed") { rig.diagnosticsText == "stdin closed\n" }
        var elapsed = 0
        func advance(to milliseconds: Int) throws {
            while elapsed < milliseconds {
                try rig.harness.advance(milliseconds: 1)
                elapsed += 1
            }
        }
        try advance(to: 99)
        #expect(rig.recorder.diagnostics == Array("stdin closed\n".utf8))
        try advance(to: 100)
        try rig.pump(stderrOnly: true, until: "SIGINT logged") { rig.diagnosticsText.hasSuffix("got SIGINT\n") }
        try advance(to: 349)
        #expect(rig.diagnosticsText == "stdin closed\ngot SIGINT\n")
        try advance(to: 350)
        try rig.pump(stderrOnly: true, until: "SIGTERM logged") { rig.diagnosticsText.hasSuffix("got SIGTERM\n") }
        try advance(to: 849)
        // Probe: a SIGHUP sent now is logged only if no SIGKILL came before it (a process
        // with SIGKILL pending is marked to exit at once and runs no handler again).
        kill(rig.pid, SIGHUP)
        try rig.pump(stderrOnly: true, until: "SIGHUP logged or the program gone") {
            rig.diagnosticsText.hasSuffix("got SIGHUP\n") || ChildWait.hasExited(rig.pid)
        }
        #expect(rig.diagnosticsText == "stdin closed\ngot SIGINT\ngot SIGTERM\ngot SIGHUP\n", "SIGKILL before 850 ms")
        #expect(rig.process.termination == nil)
        try advance(to: 850)
        try rig.reapAndFinish(Self.reaper)
        #expect(rig.process.termination == .signaled(SIGKILL))
        #expect(rig.diagnosticsText == "stdin closed\ngot SIGINT\ngot SIGTERM\ngot SIGHUP\n")
        #expect(rig.recorder.distinctEvents == ["output", "diagnostics", "diagnostics end", "end failed: signal 9", "finish"])
        #expect(rig.groups.count == 0)
    }

    /// A program that ends on SIGTERM stops the sequence there: no SIGKILL, status 0.
    @Test func aProgramEndingOnSIGTERMNeedsNoKill() throws {
        let rig = try ProgramRig(["signals", "--exit-on-term"], reaper: Self.reaper)
        try rig.pump(until: "ready") { rig.recorder.output == Array("ready\n".utf8) }
        rig.process.terminate()
        try rig.pump(until: "stdin closed") { rig.diagnosticsText == "stdin closed\n" }
        for _ in 0..<100 { try rig.harness.advance(milliseconds: 1) }
        try rig.pump(until: "SIGINT logged") { rig.diagnosticsText.hasSuffix("got SIGINT\n") }
        for _ in 0..<250 { try rig.harness.advance(milliseconds: 1) }
        try rig.reapAndFinish(Self.reaper)
        #expect(rig.process.termination == .exited(0))
        #expect(rig.diagnosticsText == "stdin closed\ngot SIGINT\ngot SIGTERM\n")
    }

    /// A grandchild keeps stdout open after the program exited (websocketd #191): stdout is
    /// read on for the first signal step's delay (100 ms) and not a millisecond longer, and the
    /// group left behind gets the kill sequence, whose SIGINT (also at 100 ms) ends it; the
    /// process is finished by 1 850 ms at the latest (the grandchild's zombie is PID 1's to
    /// reap, and a PID 1 that reaps late keeps the group "existing" until the give-up).
    @Test func aGrandchildHoldingStdoutIsGivenUpAt100msAndKilled() throws {
        let rig = try ProgramRig(["spawn-grandchild", "--exit"], reaper: Self.reaper)
        defer { if rig.recorder.events.last != "finish" { kill(-rig.pid, SIGKILL) } }
        try rig.pump(until: "grandchild announced") { rig.recorder.output.last == 0x0A }
        #expect(String(decoding: rig.recorder.output, as: UTF8.self).hasPrefix("grandchild "))
        try ChildWait.untilExited(rig.pid)
        Self.reaper.reapExited(pid: rig.pid)
        try rig.harness.tick(until: "exit seen") { rig.process.termination != nil }
        #expect(rig.process.termination == .exited(0))
        for _ in 0..<99 { try rig.harness.advance(milliseconds: 1) }
        #expect(rig.recorder.distinctEvents == ["output"], "stdout is still being read")
        #expect(ProcessControl.groupExists(rig.pid))
        try rig.harness.advance(milliseconds: 1)
        #expect(rig.recorder.distinctEvents == ["output", "end finished"])
        // SIGINT went to the group: the grandchild dies and its stderr (the last holder) closes.
        try rig.pump(stderrOnly: true, until: "stderr EOF") { rig.recorder.events.last == "diagnostics end" }
        #expect(rig.recorder.distinctEvents == ["output", "end finished", "diagnostics end"])
        // The orphan is reaped by PID 1, not by us: the next group probe after that ends it,
        // and whatever PID 1 does, 1 s after SIGKILL (1 850 ms) at the latest.
        var elapsed = 100
        while rig.recorder.events.last != "finish" && elapsed < 1850 {
            try rig.harness.advance(milliseconds: 10)
            elapsed += 10
        }
        #expect(rig.recorder.distinctEvents == ["output", "end finished", "diagnostics end", "finish"])
        #expect(rig.groups.count == 0)
    }

    /// An exit reaped before anyone watches it is remembered, and told (on the loop, at its
    /// next tick) to the watcher that comes later.
    @Test func anExitReapedBeforeTheWatchIsRemembered() throws {
        let harness = try LoopHarness()
        let path = Executables.path("wsgate-testcmd")
        let spawned = try ProcessSpawner.spawn(path: path, arguments: [path, "exit", "7"], environment: [])
        defer { for descriptor in [spawned.stdin, spawned.stdout, spawned.stderr] { descriptor.close() } }
        try ChildWait.untilExited(spawned.pid)
        Self.reaper.reapExited(pid: spawned.pid)
        #expect(!ChildWait.hasExited(spawned.pid), "reaped")
        var told: [ProcessTermination] = []
        Self.reaper.watch(spawned.pid, on: harness.loop) { told.append($0) }
        #expect(told.isEmpty, "told on the loop, not inside watch")
        #expect(Self.reaper.waitingCount == 0)
        try harness.tick()
        #expect(told == [.exited(7)])
    }

    /// A watcher told of a death by signal, once, on its loop.
    @Test func aWatcherIsToldOnceOnItsLoop() throws {
        let harness = try LoopHarness()
        let path = Executables.path("wsgate-testcmd")
        let spawned = try ProcessSpawner.spawn(path: path, arguments: [path, "kill-self", String(SIGTERM)], environment: [])
        defer { for descriptor in [spawned.stdin, spawned.stdout, spawned.stderr] { descriptor.close() } }
        var told: [ProcessTermination] = []
        Self.reaper.watch(spawned.pid, on: harness.loop) { told.append($0) }
        #expect(Self.reaper.waitingCount == 1)
        try ChildWait.untilExited(spawned.pid)
        Self.reaper.reapExited(pid: spawned.pid)
        #expect(told.isEmpty, "the loop is not running on this thread: posted, not called")
        #expect(Self.reaper.waitingCount == 0)
        try harness.tick(3)
        #expect(told == [.signaled(SIGTERM)])
    }
}
