public import WSGateCore
public import WSGateEventLoop
public import WSGatePosix

/// One program started for one connection: its three pipes, its exit, and the kill sequence
/// that makes sure nothing it started outlives the connection.
///
/// Why it exists: websocketd signals only its child, so `sh -c 'sleep 1000 & …'` leaves
/// `sleep` running forever (websocketd #191), and it never waits for a child that still holds
/// stdout. Here the program runs in its own process group; the teardown plan (close stdin,
/// then SIGINT, SIGTERM, SIGKILL, each after its delay plus `--closems`) goes to the whole
/// group and stops early once the group is empty. After the program exits, stdout is read to
/// EOF or for at most the first step's delay (a grandchild may keep it open), and any process
/// left in the group gets the same sequence. That delay counts only while stdout is being
/// read: output paused for a slow client is never abandoned, and a pipe whose writers are all
/// gone is always read to its end.
///
/// - Warning: loop-confined.
public final class ProgramProcess: RelayEndpoint, StreamTransportDelegate {
    public let pid: Int32
    public weak var delegate: (any RelayEndpointDelegate)?
    private let loop: EventLoop
    private let plan: TeardownPlan
    private let groups: ProgramGroups
    private let stdin: StreamTransport
    private let stdout: StreamTransport
    private let stderr: StreamTransport
    /// `--pty`: stdin and stdout are the master of the program's terminal.
    private let isTerminal: Bool
    public private(set) var termination: ProcessTermination?
    private var stdoutEnded = false
    private var outcomeReported = false
    private var stdoutGraceTimer: TimerID?
    private var teardownStarted = false
    private var teardownTimer: TimerID?
    private var stderrEnded = false
    private var stderrTimer: TimerID?
    /// The group was found empty (or SIGKILL had its time): no need to probe it again.
    private var groupGone = false
    /// `true` once nothing of the program is left (after `programDidFinish`).
    public private(set) var isFinished = false
    /// Called on the loop once the program is reaped (for metrics).
    public var onExit: ((ProcessTermination) -> Void)?
    /// Called on the loop for each `ProgramEvent` (set only when debug lines are written).
    public var onEvent: ((ProgramEvent) -> Void)?
    /// The last kill-sequence step carried out, for `ProgramEvent.exited`.
    private var lastTeardownAction: TeardownPlan.Action?
    /// How often the group is probed for emptiness while a teardown waits between steps.
    private static let groupProbeMs = 20
    /// After SIGKILL, how long to wait for the group to vanish before giving up on it.
    private static let afterKillMs = 1000

    /// Takes ownership of `spawned`'s pipes; `reaper` reports its exit; the group is listed in
    /// `groups` until nothing of it is left.
    public init(spawned: SpawnedProcess, loop: EventLoop, reaper: ChildReaper, groups: ProgramGroups, plan: TeardownPlan) {
        pid = spawned.pid
        self.loop = loop
        self.plan = plan
        self.groups = groups
        groups.insert(spawned.pid, session: spawned.isTerminal)
        stdin = StreamTransport(loop: loop, descriptor: spawned.stdin, isSocket: false)
        stdout = StreamTransport(loop: loop, descriptor: spawned.stdout, isSocket: false)
        stderr = StreamTransport(loop: loop, descriptor: spawned.stderr, isSocket: false)
        isTerminal = spawned.isTerminal
        reaper.watch(pid, on: loop) { [weak self] termination in self?.exited(termination) }
    }

    /// Starts watching the pipes. On failure (descriptor table full) the program is torn down.
    public func start() {
        for transport in [stdin, stdout, stderr] { transport.delegate = self }
        do {
            try stdin.start(reading: false)
            try stdout.start()
            try stderr.start()
        } catch {
            stdout.abort()
            stderr.abort()
            terminate()
        }
    }

    // MARK: - RelayEndpoint

    public func write(_ bytes: ByteBuffer) { stdin.write(bytes) }

    public func write(minimumCapacity: Int, _ body: (inout ByteBuffer) -> Void) {
        stdin.write(minimumCapacity: minimumCapacity, body)
    }

    public var isWritable: Bool { stdin.isWritable }

    /// Closes stdin once what is queued for it is written, however long the program takes to
    /// read it (a program that never does is ended by its exit or the kill sequence): it then
    /// reads EOF, the end of a CGI request body.
    public func finishInput() { stdin.close(lingerMilliseconds: Int(Int32.max)) }

    public func pauseOutput() { stdout.pauseReading() }
    public func resumeOutput() { stdout.resumeReading() }
    public var hasDiagnostics: Bool { true }
    public func pauseDiagnostics() { stderr.pauseReading() }
    public func resumeDiagnostics() { stderr.resumeReading() }

    /// websocketd's rule: once the client closes, output is discarded and the kill sequence
    /// runs, so nothing more is relayed.
    public func clientIsClosing() -> Bool {
        clientIsGone()
        return false
    }

    public func clientIsGone() {
        if stdoutEnded && termination != nil { return }  // it already ended on its own
        discardStdout()
        terminate()
    }

    public var endDescription: String? { termination?.description }

    /// `--pty`: the terminal's new size (its foreground group gets SIGWINCH).
    public func resizeTerminal(columns: UInt16, rows: UInt16) {
        guard isTerminal, stdin.descriptor.isOpen else { return }
        _ = TerminalControl.setWindowSize(stdin.descriptor.rawValue, columns: columns, rows: rows)
    }

    /// Stops reading stdout for good; output is discarded.
    private func discardStdout() {
        stdout.abort()
        endStdout()
    }

    // MARK: - Teardown

    /// Runs the kill sequence on the program's process group (idempotent).
    public func terminate() {
        guard !teardownStarted else { return }
        teardownStarted = true
        runTeardownStep(0, waitedMs: 0)
    }

    private func runTeardownStep(_ index: Int, waitedMs: Int) {
        teardownTimer = nil
        if isGroupGone {
            finishIfDone()
            return
        }
        guard index < plan.steps.count else {
            // SIGKILL was sent; give the kernel a moment, then stop waiting.
            if waitedMs >= Self.afterKillMs {
                finishIfDone(force: true)
            } else {
                teardownTimer = loop.scheduleTimer(afterMilliseconds: Self.groupProbeMs) { [weak self] in
                    self?.runTeardownStep(index, waitedMs: waitedMs + Self.groupProbeMs)
                }
            }
            return
        }
        let step = plan.steps[index]
        if waitedMs < step.afterMilliseconds {
            // Probe the group while waiting, so the sequence ends as soon as nothing is left.
            let wait = Swift.min(Self.groupProbeMs, step.afterMilliseconds - waitedMs)
            teardownTimer = loop.scheduleTimer(afterMilliseconds: wait) { [weak self] in
                self?.runTeardownStep(index, waitedMs: waitedMs + wait)
            }
            return
        }
        lastTeardownAction = step.action
        switch step.action {
        case .closeStdin:
            // A terminal has no end of input to close: it hangs up, as when its window closes.
            if isTerminal { ProcessControl.hangUp(session: pid) }
            stdin.close()
        case .signal(let number) where isTerminal:
            // Every job of the session: a shell's background jobs have groups of their own.
            ProcessControl.signalSession(pid, Signal(rawValue: number))
        case .signal(let number):
            ProcessControl.signalGroup(pid, Signal(rawValue: number))
        }
        runTeardownStep(index + 1, waitedMs: 0)
    }

    /// No process of the group (with `--pty`, of the session) is left. Before the program is
    /// reaped, the zombie still counts.
    private var isGroupGone: Bool { termination != nil && !stillRunning }

    private var stillRunning: Bool { isTerminal ? ProcessControl.sessionExists(pid) : ProcessControl.groupExists(pid) }

    // MARK: - Exit

    private func exited(_ termination: ProcessTermination) {
        self.termination = termination
        onExit?(termination)
        onEvent?(.exited(after: lastTeardownAction))
        reportOutcomeIfKnown()
        if !stdoutEnded {
            // A grandchild may hold stdout open: read on for the first step's delay at most.
            let grace = plan.steps.first { if case .signal = $0.action { return true } else { return false } }?.afterMilliseconds ?? 100
            armGiveUpTimer(\.stdoutGraceTimer, on: stdout, afterMilliseconds: grace)
        }
        if stillRunning {
            terminate()  // leftovers in the group get the kill sequence
        } else {
            finishIfDone()
        }
    }

    /// After `milliseconds` of reading, stops waiting for `pipe`'s EOF: a process outside the
    /// group still holds its other end. Time while the pipe is paused for a slow client does
    /// not count, and a pipe without writers is never given up (its EOF follows its data).
    private func armGiveUpTimer(_ timer: ReferenceWritableKeyPath<ProgramProcess, TimerID?>, on pipe: StreamTransport,
                                afterMilliseconds milliseconds: Int) {
        self[keyPath: timer] = loop.scheduleTimer(afterMilliseconds: milliseconds) { [weak self] in
            guard let self else { return }
            self[keyPath: timer] = nil
            guard pipe.isOpen, !pipe.peerHasHungUp else { return }
            if pipe.isReadingPaused {
                self.armGiveUpTimer(timer, on: pipe, afterMilliseconds: milliseconds)
            } else if pipe === self.stdout {
                self.discardStdout()
            } else {
                pipe.abort()
            }
        }
    }

    private func endStdout() {
        guard !stdoutEnded else { return }
        stdoutEnded = true
        if let stdoutGraceTimer { loop.cancelTimer(stdoutGraceTimer) }
        stdoutGraceTimer = nil
        if termination == nil {
            // Stdout is closed but the program runs on: the session is over (websocketd ends
            // it at stdout EOF); the kill sequence ends the program and brings its status.
            terminate()
        }
        reportOutcomeIfKnown()
        finishIfDone()
    }

    /// Output is complete and the exit status known: tell the relay how it ended.
    private func reportOutcomeIfKnown() {
        guard !outcomeReported, stdoutEnded, let termination else { return }
        outcomeReported = true
        delegate?.endpoint(self, didEnd: termination.isSuccess ? .finished : .failed(termination.description))
    }

    private func finishIfDone(force: Bool = false) {
        guard !isFinished, termination != nil, stdoutEnded else { return }
        guard force || groupGone || !stillRunning else { return }
        groupGone = true
        groups.remove(pid)
        if let teardownTimer { loop.cancelTimer(teardownTimer) }
        teardownTimer = nil
        stdin.abort()
        stdout.abort()
        guard stderrEnded else {
            // Its last lines are still in the pipe: EOF comes now that the group is gone,
            // unless a process escaped the group (setsid) with it; then stop listening.
            if stderrTimer == nil { armGiveUpTimer(\.stderrTimer, on: stderr, afterMilliseconds: Self.afterKillMs) }
            return
        }
        isFinished = true
        if let stderrTimer { loop.cancelTimer(stderrTimer) }
        stderrTimer = nil
        delegate?.endpointDidFinish(self)
    }

    // MARK: - StreamTransportDelegate (the three pipes)

    public func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        if transport === stdout {
            delegate?.endpoint(self, didProduce: &buffer)
        } else if transport === stderr {
            delegate?.endpoint(self, didProduceDiagnostics: &buffer)
        }
    }

    public func transportDidReadEOF(_ transport: StreamTransport) {
        transport.abort()
    }

    public func transportDidDrain(_ transport: StreamTransport) {
        if transport === stdin { delegate?.endpointInputDidDrain(self) }
    }

    public func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        if transport === stdout {
            onEvent?(.stdoutClosed)
            endStdout()
        } else if transport === stderr {
            onEvent?(.stderrClosed)
            stderrEnded = true
            delegate?.endpointDiagnosticsDidEnd(self)
            finishIfDone()
        }
    }
}

@available(*, unavailable)
extension ProgramProcess: Sendable {}
