public import WSGateEventLoop
public import WSGatePosix

/// Reaps every child of the gateway and tells whoever is waiting for it, on that waiter's loop.
///
/// Why it exists: an exited child stays a zombie until someone calls `waitpid`. SIGCHLD arrives
/// (through the gateway's signalfd) on one loop, but the child may belong to a connection on
/// another loop; the reaper collects exit statuses with `waitpid(-1, WNOHANG)` and posts each
/// to its waiter's loop. A child that exits before its waiter registered (possible when loops
/// race) is remembered until it does.
public final class ChildReaper: Sendable {
    /// A waiter's callback with the loop it must run on.
    private struct Waiter: @unchecked Sendable {
        // @unchecked: `notify` is loop-confined; it is only ever called through
        // `loop.execute`, i.e. on its own loop.
        let loop: EventLoop
        let notify: (ProcessTermination) -> Void
    }

    private struct State {
        var waiters: [Int32: Waiter] = [:]
        var reapedEarly: [Int32: ProcessTermination] = [:]
    }

    private let state = LockedValue(State())

    public init() {}

    /// Calls `notify` on `loop` once `pid` has exited and been reaped.
    public func watch(_ pid: Int32, on loop: EventLoop, _ notify: @escaping (ProcessTermination) -> Void) {
        let waiter = Waiter(loop: loop, notify: notify)
        let early = state.withLock { state -> ProcessTermination? in
            if let termination = state.reapedEarly.removeValue(forKey: pid) { return termination }
            state.waiters[pid] = waiter
            return nil
        }
        if let early { loop.execute { waiter.notify(early) } }
    }

    /// Reaps every child that has exited (call on SIGCHLD, from any loop).
    public func reapExited() {
        while let (pid, termination) = ProcessControl.reapAny() {
            deliver(termination, of: pid)
        }
    }

    /// Reaps `pid` only, if it has exited. For a process whose other children are not ours to
    /// reap (the test runner, where many tests start processes at once).
    public func reapExited(pid: Int32) {
        if let (pid, termination) = ProcessControl.reap(pid) { deliver(termination, of: pid) }
    }

    private func deliver(_ termination: ProcessTermination, of pid: Int32) {
        let waiter = state.withLock { state -> Waiter? in
            if let waiter = state.waiters.removeValue(forKey: pid) { return waiter }
            state.reapedEarly[pid] = termination
            return nil
        }
        guard let waiter else { return }
        if waiter.loop.isCurrent {
            waiter.notify(termination)  // already on its loop: no wake-up round trip
        } else {
            waiter.loop.execute { waiter.notify(termination) }
        }
    }

    /// Children being waited for (for tests and the shutdown log).
    public var waitingCount: Int { state.withLock { $0.waiters.count } }
}
