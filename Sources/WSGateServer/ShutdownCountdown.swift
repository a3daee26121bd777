import Synchronization

/// Counts loops that finished draining on SIGTERM; the last one runs `whenDone`.
///
/// Why it exists: each loop drains its own connections on its own thread; the gateway may exit
/// only when all of them are done, and must learn that without a lock around loop state.
final class ShutdownCountdown: Sendable {
    private let remaining: Atomic<Int>
    private let whenDone: @Sendable () -> Void

    init(count: Int, whenDone: @escaping @Sendable () -> Void) {
        remaining = Atomic(count)
        self.whenDone = whenDone
    }

    /// One loop is drained (callable from any loop).
    func tick() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { whenDone() }
    }
}

/// Whether a shutdown already began (the second SIGTERM exits at once).
final class ShutdownLatch: Sendable {
    private let started = Atomic<Bool>(false)

    /// `true` the first time only.
    func begin() -> Bool {
        !started.exchange(true, ordering: .acquiringAndReleasing)
    }
}
