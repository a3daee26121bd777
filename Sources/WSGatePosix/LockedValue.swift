import CWSGateLinux
import Glibc

/// A value behind a `pthread_mutex_t`: the little state that threads share (tasks posted to a
/// loop, children's exits, live program groups).
///
/// Why it exists: the standard library's `Mutex` locks with raw futex calls on Linux, which
/// ThreadSanitizer cannot see: every access it protects is reported as a race, and a real race
/// would drown among them. A pthread mutex is what the sanitizer understands. The state it
/// guards is touched rarely (not per byte), so its cost does not matter.
public final class LockedValue<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written while `mutex` is held.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ value: Value) {
        self.value = value
        mutex = PthreadMutex.make()
    }

    deinit {
        PthreadMutex.free(mutex)
    }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
