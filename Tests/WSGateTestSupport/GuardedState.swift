import Foundation

/// A value shared between a test and the threads of a test server, with a condition variable
/// so the test can wait for the value to change, with a deadline, instead of sleeping.
///
/// Why it exists: test servers (TCPTestBackend) record what they see on their own threads
/// while the test waits for "three connections accepted" or "the gateway half-closed"; a lock
/// alone would force polling with sleeps. It must only hold small records: every waiter
/// re-evaluates its condition on each change.
public final class GuardedState<State: Sendable>: @unchecked Sendable {
    // @unchecked: `state` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var state: State

    public init(_ state: State) {
        self.state = state
    }

    /// Runs `body` on the value with the lock held, without waking waiters.
    public func withLock<Value>(_ body: (inout State) throws -> Value) rethrows -> Value {
        condition.lock()
        defer { condition.unlock() }
        return try body(&state)
    }

    /// Changes the value and wakes every waiter.
    public func update<Value>(_ body: (inout State) throws -> Value) rethrows -> Value {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&state)
    }

    /// Waits until `check` returns a value or `deadline` passes (nil then). `check` is run on
    /// each change, and at least every `recheckEvery` seconds when given (for conditions that
    /// depend on time, like "nothing happened for one second").
    public func wait<Value>(until deadline: TestDeadline, recheckEvery: Double? = nil,
                     _ check: (State) -> Value?) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value = check(state) { return value }
            if deadline.hasPassed { return nil }
            var seconds = Double(deadline.remainingMilliseconds) / 1000
            if let recheckEvery { seconds = min(seconds, recheckEvery) }
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        }
    }
}
