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

    /// Takes a slot; nil when all are taken (the caller answers 429). The slot is given back
    /// when the lease is released or dropped, whichever comes first.
    func acquire() -> SessionLease? {
        guard let limit else {
            inUse.add(1, ordering: .relaxed)
            return SessionLease(slots: self)
        }
        while true {
            let current = inUse.load(ordering: .relaxed)
            if current >= limit { return nil }
            if inUse.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged {
                return SessionLease(slots: self)
            }
        }
    }

    fileprivate func giveBack() {
        inUse.subtract(1, ordering: .relaxed)
    }

    /// Slots in use now (for logs and metrics).
    var count: Int { inUse.load(ordering: .relaxed) }
}

/// One `--maxforks` slot, held by the connection whose program (or CGI run) uses it.
///
/// Why it exists: a connection can end on many paths (refused before the 101, backend failed,
/// client gone while preparing, session over); counting by hand on each path let a slot leak or
/// be given back twice. The lease gives its slot back exactly once: on `release()` or, at the
/// latest, when its holder drops it.
///
/// - Warning: loop-confined (the counter it returns to is shared and atomic).
final class SessionLease {
    private let slots: SessionSlots
    private var held = true

    fileprivate init(slots: SessionSlots) {
        self.slots = slots
    }

    /// Gives the slot back; later calls do nothing.
    func release() {
        guard held else { return }
        held = false
        slots.giveBack()
    }

    deinit { release() }
}
