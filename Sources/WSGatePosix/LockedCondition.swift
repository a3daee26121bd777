import CWSGateLinux
import Glibc

/// A value behind a pthread mutex with a condition variable, for a thread that must sleep until
/// other threads change the value (the log writer waiting for lines, the exit waiting for the
/// log writer to catch up).
///
/// Why it exists: `LockedValue` cannot wait. Like it, this uses the pthread primitives that
/// ThreadSanitizer understands. The condition measures timeouts on the monotonic clock, so a
/// change of the wall clock neither shortens nor stretches a bounded wait.
public final class LockedCondition<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written while `mutex` is held.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init(_ value: Value) {
        self.value = value
        mutex = PthreadMutex.make()
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        PthreadMutex.free(mutex)
    }

    /// Runs `body` with the value while holding the lock, then wakes every waiter.
    public func withLockWakingWaiters<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&value)
    }

    /// Waits until `isReady` holds for the value, then runs `body` with it while still holding
    /// the lock and wakes every waiter. With `timeoutMilliseconds`, gives up at that deadline
    /// and returns nil without running `body`.
    public func wait<Result>(until isReady: (Value) -> Bool, timeoutMilliseconds: Int? = nil,
                             then body: (inout Value) throws -> Result) rethrows -> Result? {
        var deadline = timespec()
        if let timeoutMilliseconds {
            clock_gettime(CLOCK_MONOTONIC, &deadline)
            let nanoseconds = Int(deadline.tv_nsec) + (timeoutMilliseconds % 1000) * 1_000_000
            deadline.tv_sec += timeoutMilliseconds / 1000 + nanoseconds / 1_000_000_000
            deadline.tv_nsec = nanoseconds % 1_000_000_000
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isReady(value) {
            if timeoutMilliseconds == nil {
                pthread_cond_wait(condition, mutex)
            } else if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT, !isReady(value) {
                return nil
            }
        }
        defer { pthread_cond_broadcast(condition) }
        return try body(&value)
    }
}
