import Glibc
import Testing
import WSGatePosix

/// Runs `body` and then puts the calling thread's signal mask back as it was, after taking
/// any still-pending instance of `signals` off the thread so unblocking cannot kill the test
/// process.
///
/// Determinism: `SignalFD.init` blocks the signals in the *calling* thread, and the tests
/// deliver them with `pthread_kill(pthread_self(), …)` to that same thread. A thread-directed
/// signal that the thread blocks stays pending on that thread until `read` on the signalfd
/// (called from the same thread) dequeues it. Each test body is synchronous, so it never
/// leaves its thread between blocking, sending and reading; no other thread and no other
/// process is involved, and SIGUSR1/SIGUSR2 are used by nothing else in the test runner.
private func withSignalMaskRestored(_ signals: [Int32], _ body: () throws -> Void) rethrows {
    var saved = sigset_t()
    pthread_sigmask(SIG_SETMASK, nil, &saved)
    defer {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        var noWait = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&set, nil, &noWait) > 0 {}
        pthread_sigmask(SIG_SETMASK, &saved, nil)
    }
    try body()
}

/// `true` when `signal` is blocked in the calling thread.
private func isBlocked(_ signal: Int32) -> Bool {
    var current = sigset_t()
    pthread_sigmask(SIG_SETMASK, nil, &current)
    return sigismember(&current, signal) == 1
}

@Suite(.timeLimit(.minutes(10)), .serialized) struct SignalFDTests {
    @Test func creatingItBlocksTheSignalsInTheCallingThread() throws {
        try withSignalMaskRestored([SIGUSR1, SIGUSR2]) {
            let usr2WasBlocked = isBlocked(SIGUSR2)
            let watcher = try SignalFD(signals: [Signal(rawValue: SIGUSR1)])
            defer { watcher.fd.close() }
            #expect(isBlocked(SIGUSR1))
            #expect(isBlocked(SIGUSR2) == usr2WasBlocked, "only the asked-for signals are blocked")
            #expect(isNonBlocking(watcher.fd.rawValue))
            #expect(isCloseOnExec(watcher.fd.rawValue))
        }
    }

    @Test func nothingPendingReadsAsEmpty() throws {
        try withSignalMaskRestored([SIGUSR1]) {
            let watcher = try SignalFD(signals: [Signal(rawValue: SIGUSR1)])
            defer { watcher.fd.close() }
            #expect(try watcher.readPending() == [])
            #expect(!isReadable(watcher.fd.rawValue))
        }
    }

    @Test func aSignalSentToTheThreadIsReadAsAnEvent() throws {
        try withSignalMaskRestored([SIGUSR1]) {
            let watcher = try SignalFD(signals: [Signal(rawValue: SIGUSR1)])
            defer { watcher.fd.close() }
            #expect(pthread_kill(pthread_self(), SIGUSR1) == 0)
            #expect(isReadable(watcher.fd.rawValue))
            #expect(try watcher.readPending() == [Signal(rawValue: SIGUSR1)])
            // Read once, then gone.
            #expect(try watcher.readPending() == [])
        }
    }

    @Test func everyPendingSignalIsReadInOneCall() throws {
        try withSignalMaskRestored([SIGUSR1, SIGUSR2]) {
            let watcher = try SignalFD(signals: [Signal(rawValue: SIGUSR1), Signal(rawValue: SIGUSR2)])
            defer { watcher.fd.close() }
            #expect(pthread_kill(pthread_self(), SIGUSR2) == 0)
            #expect(pthread_kill(pthread_self(), SIGUSR1) == 0)
            let received = try watcher.readPending()
            #expect(received.count == 2)
            #expect(Set(received) == [Signal(rawValue: SIGUSR1), Signal(rawValue: SIGUSR2)])
            #expect(try watcher.readPending() == [])
        }
    }

    @Test func aSignalNotAskedForIsNotReported() throws {
        try withSignalMaskRestored([SIGUSR1, SIGUSR2]) {
            // SIGUSR2 is blocked here but not part of the watcher's set: it must stay pending
            // on the thread, not appear as an event (the restore helper takes it off).
            var extra = sigset_t()
            sigemptyset(&extra)
            sigaddset(&extra, SIGUSR2)
            pthread_sigmask(SIG_BLOCK, &extra, nil)
            let watcher = try SignalFD(signals: [Signal(rawValue: SIGUSR1)])
            defer { watcher.fd.close() }
            #expect(pthread_kill(pthread_self(), SIGUSR2) == 0)
            #expect(try watcher.readPending() == [])
            var pending = sigset_t()
            sigpending(&pending)
            #expect(sigismember(&pending, SIGUSR2) == 1)
        }
    }
}
