public import WSGateCore

/// Open connections and handshake rate per client key, in a bounded table.
///
/// Why it exists: `--max-per-ip` and `--rate` need state per client, and a flood of distinct
/// addresses must not make that state grow without bound. A key is remembered while it has an
/// open connection or a bucket not yet full again; others are dropped on release and by
/// `sweep`. At `maxEntries` keys a new key first makes room by dropping idle keys (no open
/// connection), those whose bucket is full again soonest first, at least an eighth of the
/// table at once so the cost is paid rarely; a forgotten idle key only gets a fresh burst.
/// Every admit spends a token, also one then refused for too many open connections. Pure: the
/// caller passes `now` and owns the value (one per thread, or behind a lock).
public struct PerClientLimiter: Sendable {
    struct Entry: Sendable {
        var open = 0
        var bucket: TokenBucket?
    }

    public let limits: PerClientLimits
    private(set) var entries: [ClientKey: Entry] = [:]

    /// How many keys are remembered.
    public var count: Int { entries.count }

    public init(limits: PerClientLimits) { self.limits = limits }

    /// Admits a connection from `key` at `now`, or says why not.
    public mutating func admit(_ key: ClientKey, now: Instant) -> PerClientAdmission {
        if entries[key] == nil {
            if entries.count >= limits.maxEntries { makeRoom(now: now) }
            guard entries.count < limits.maxEntries else { return .tableFull }
            entries[key] = Entry(bucket: limits.rate.map { TokenBucket(interval: $0.interval, burst: $0.burst) })
        }
        var entry = entries[key]!
        defer { entries[key] = entry; dropIfIdle(key, now: now) }
        if case .refused(let wait) = entry.bucket?.take(now: now) {
            return .rateLimited(retryAfter: TokenBucketOutcome.retryAfterSeconds(forWait: wait))
        }
        if let maxOpen = limits.maxOpen, entry.open >= maxOpen { return .tooManyOpen }
        entry.open += 1
        return .admitted
    }

    /// Ends one admitted connection of `key`.
    public mutating func release(_ key: ClientKey, now: Instant) {
        guard var entry = entries[key], entry.open > 0 else { return }
        entry.open -= 1
        entries[key] = entry
        dropIfIdle(key, now: now)
    }

    /// Drops every key with no open connection and a full bucket (for a periodic timer).
    public mutating func sweep(now: Instant) {
        entries = entries.filter { !Self.isForgettable($0.value, now: now) }
    }

    /// The open connections of `key`.
    public func openCount(_ key: ClientKey) -> Int { entries[key]?.open ?? 0 }

    private mutating func dropIfIdle(_ key: ClientKey, now: Instant) {
        if let entry = entries[key], Self.isForgettable(entry, now: now) { entries[key] = nil }
    }

    private static func isForgettable(_ entry: Entry, now: Instant) -> Bool {
        entry.open == 0 && (entry.bucket?.isFull(at: now) ?? true)
    }

    /// Sweeps, then, if less than an eighth of the table is free, drops idle keys whose bucket
    /// is full again soonest until it is (or none is idle).
    private mutating func makeRoom(now: Instant) {
        sweep(now: now)
        let target = limits.maxEntries - max(1, limits.maxEntries / 8)
        guard entries.count > target else { return }
        let idle = entries.filter { $0.value.open == 0 }
            .sorted { ($0.value.bucket?.fullAgain ?? now) < ($1.value.bucket?.fullAgain ?? now) }
        for (key, _) in idle.prefix(entries.count - target) { entries[key] = nil }
    }
}
