public import WSGateCore

/// A clock that moves only when told to, for driving a loop tick by tick in tests.
///
/// Why it exists: timers (close timeouts, lingers, kill sequences) are what make the I/O
/// classes' behaviour depend on time; with this clock a test fires them exactly when it
/// chooses (`advance`), never by sleeping. A loop given one never blocks in `epoll_wait`: each
/// tick takes whatever is ready now. Confined to the thread that drives the loop.
public final class ManualClock {
    public private(set) var now: Instant

    public init(startingAt start: Instant = Instant(nanoseconds: 1_000_000_000)) {
        now = start
    }

    /// Moves time forward; timers now due fire in the loop's next tick.
    public func advance(milliseconds: Int) {
        precondition(milliseconds >= 0, "time does not go back")
        now = now.adding(milliseconds: milliseconds)
    }
}
