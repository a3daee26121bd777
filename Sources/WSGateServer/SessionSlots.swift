import Synchronization

/// The `--maxforks` budget, shared by every event loop of the gateway.
///
/// Why it exists: the limit is on the whole gateway, not per loop; with one loop per core the
/// loops must draw from one counter. An atomic counter is the only state loops share.
final class SessionSlots: Sendable {
    private let limit: Int?
    private let inUse = Atomic<Int>(0)

    /// `limit` nil = unlimited.
    init(limit: Int?) {
        self.limit = limit
    }

    /// Takes a slot; false when all are taken (the caller answers 429).
    func acquire() -> Bool {
        guard let limit else {
            inUse.add(1, ordering: .relaxed)
            return true
        }
        while true {
            let current = inUse.load(ordering: .relaxed)
            if current >= limit { return false }
            if inUse.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged {
                return true
            }
        }
    }

    /// Gives a slot back when a session ends.
    func release() {
        inUse.subtract(1, ordering: .relaxed)
    }

    /// Slots in use now (for logs and metrics).
    var count: Int { inUse.load(ordering: .relaxed) }
}
