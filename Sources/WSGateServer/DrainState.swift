import Synchronization

/// Whether the gateway has begun draining (the first SIGTERM or SIGINT).
///
/// Why it exists: `--health` must answer 503 on every loop from the moment the signal is read
/// on the first one, while `--drain-delay` keeps the listeners open; one atomic flag shared
/// through `ServerSettings` tells every loop without a lock or a message.
final class DrainState: Sendable {
    private let draining = Atomic<Bool>(false)

    /// True once `begin()` was called (from any loop).
    var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Marks the gateway as draining; for good.
    func begin() {
        draining.store(true, ordering: .relaxed)
    }
}
