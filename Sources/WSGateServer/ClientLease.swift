import WSGateLimits

/// One session counted against its client's `--max-per-ip`.
///
/// Why it exists: as with `SessionLease`, a connection ends on many paths; the lease gives
/// its count back exactly once, on `release()` or at the latest when its holder drops it.
///
/// - Warning: loop-confined (the limiter it returns to is shared and locked).
final class ClientLease {
    private let limiter: ClientLimiter
    let key: ClientKey
    private var held = true

    init(limiter: ClientLimiter, key: ClientKey) {
        self.limiter = limiter
        self.key = key
    }

    /// Gives the count back; later calls do nothing.
    func release() {
        guard held else { return }
        held = false
        limiter.release(key)
    }

    deinit { release() }
}
